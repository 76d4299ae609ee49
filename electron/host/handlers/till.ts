/** Till handlers: open, drop, paid-out, void, refund, blind close and Z report, the supervisor's view, audit check. */
import type { tillChannels } from '../../../shared/api/channels/till.js';
import { afterCommit, receiptOf } from '../../kernel/effects.js';
import { recordAudit } from '../../services/audit/audit.js';
import { verifyCounterAudit } from '../../services/audit/verify.js';
import { closeTill } from '../../services/till/close.js';
import {
  dropPosting,
  openTillPosting,
  paidOutPosting,
  refundPosting,
  voidPosting,
} from '../../services/till/postings.js';
import { openTillOf, tillById, tillSummary, type TillPolicy, type ZParts } from '../../services/till/till.js';
import { closedTillFor, printZ, reprintZ, tillsOf, zView } from '../../services/till/z-store.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function tillHandlers(
  deps: HostDeps,
  policy: TillPolicy,
  reportsDir: string,
  zParts: ZParts,
): HandlerMap<keyof typeof tillChannels> {
  const { ctx, devices, pushStatus, sync } = deps;
  const after = (): void => {
    sync.nudge();
    pushStatus();
  };
  return {
    'till.config': () =>
      Promise.resolve({
        currency: policy.currency,
        overShortToleranceCents: policy.overShortToleranceCents,
        maxDrawerCashCents: policy.maxDrawerCashCents,
        refundApprovalOverCents: policy.refundApprovalOverCents,
      }),
    'till.current': async (_input, session) => {
      const till = await openTillOf(ctx.db, ctx, cashierOf(session).id);
      return till ? tillSummary(ctx.db, till, policy) : null;
    },
    'till.open': async (input, session) => {
      const cashier = cashierOf(session);
      const posted = await openTillPosting.post(ctx, cashier, { counts: input.counts, policy });
      await afterCommit(deps, posted);
      return tillSummary(ctx.db, await tillById(ctx.db, posted.result.tillId), policy);
    },
    'till.drop': async (input, session) => {
      const posted = await dropPosting.post(ctx, cashierOf(session), { input, policy });
      const effects = await afterCommit(deps, posted);
      return {
        transactionId: posted.transactionId,
        amountCents: posted.result.amountCents,
        receipt: receiptOf(effects),
      };
    },
    'till.paidOut': async (input, session) => {
      const posted = await paidOutPosting.post(ctx, cashierOf(session), input);
      const effects = await afterCommit(deps, posted);
      return {
        transactionId: posted.transactionId,
        amountCents: posted.result.amountCents,
        receipt: receiptOf(effects),
      };
    },
    'payments.void': async (input, session) => {
      const posted = await voidPosting.post(ctx, cashierOf(session), input);
      const effects = await afterCommit(deps, posted);
      return {
        voidTransactionId: posted.transactionId,
        receipt: receiptOf(effects),
        drawerOpened: effects.drawerOpened,
      };
    },
    'refunds.post': async (input, session) => {
      const posted = await refundPosting.post(ctx, cashierOf(session), { input, policy });
      const effects = await afterCommit(deps, posted);
      return {
        transactionId: posted.transactionId,
        receipt: receiptOf(effects),
        drawerOpened: effects.drawerOpened,
      };
    },
    'till.close': async (input, session) => {
      const result = await closeTill(ctx, cashierOf(session), input, policy);
      if (result.status === 'needs_supervisor')
        return { status: 'needs_supervisor', figures: result.figures };
      // A repeated close answers with the first close's Z report; only the first prints it.
      const z = result.replay
        ? await zView(ctx, result.till, zParts)
        : await printZ(ctx, devices.printer(), result.till, reportsDir, false, zParts);
      after();
      return { status: 'closed', figures: result.figures, z };
    },
    'till.list': async (input) => ({
      tills: await tillsOf(ctx, policy, input.businessDate ?? ctx.clock.today(), zParts),
    }),
    'till.zReport': async (input, session) => {
      const cashier = cashierOf(session);
      const till = await closedTillFor(ctx, cashier, input.tillId);
      if (!input.reprint) return zView(ctx, till, zParts);
      return reprintZ(ctx, devices.printer(), cashier, till, reportsDir, zParts);
    },
    'audit.verify': async (_input, session) => {
      const report = await verifyCounterAudit(ctx.db, () => deps.sync.serverAnchor());
      const anchorOk = report.anchor ? report.anchor.ok : null;
      await recordAudit(ctx, {
        actor: cashierOf(session).id,
        action: 'audit.verify',
        details: { ok: report.chain.ok, entries: report.chain.entries, anchorOk },
      });
      return {
        ...report.chain,
        anchor: report.anchor?.ok
          ? `Matches the server's anchor at entry #${report.anchor.seq}.`
          : report.anchor
            ? `Audit log ${report.anchor.kind.toUpperCase()}: ${report.anchor.reason}.`
            : `Not compared with the server's anchor: ${report.anchorNote ?? 'unknown'}.`,
        anchorOk,
      };
    },
  };
}

export const tillModule = defineModule({
  name: 'till',
  handlers: (deps, config) => tillHandlers(deps, config.tillPolicy, config.reportsDir, config.zParts),
});
