/** Till handlers: open, drop, paid-out, void, refund, blind close and Z report, the supervisor's view, audit check. */
import path from 'node:path';

import type { tillChannels, ZReport } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';
import { appendAudit, verifyAuditChain } from '../../services/audit/audit.js';
import type { ServiceContext } from '../../services/context.js';
import type { CounterDevices } from '../../services/devices/index.js';
import { afterCommit, receiptOf } from '../../kernel/effects.js';
import { closeTill } from '../../services/till/close.js';
import {
  dropPosting,
  openTillPosting,
  paidOutPosting,
  refundPosting,
  voidPosting,
} from '../../services/till/postings.js';
import {
  openTillOf,
  tillFigures,
  tillSummary,
  type TillPolicy,
  type TillRow,
} from '../../services/till/till.js';
import { buildZModel, composeZReport, writeZPdf } from '../../services/till/z-report.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

type ZRow = {
  z_number: string;
  till_id: string;
  pdf_path: string;
  print_count: number;
  last_print_error: string | null;
};

async function printZ(
  ctx: ServiceContext,
  devices: CounterDevices,
  till: TillRow,
  reportsDir: string,
  duplicate: boolean,
): Promise<ZReport> {
  const model = await buildZModel(ctx.db, till, {
    company: ctx.company,
    terminal: ctx.terminal,
    timeZone: ctx.clock.timeZone,
  });
  const zNumber = model.zNumber;
  let row = (await ctx.db('z_reports').where('z_number', zNumber).first()) as ZRow | undefined;
  if (!row) {
    const pdfPath = path.join(reportsDir, `${zNumber}.pdf`);
    await writeZPdf(model, pdfPath);
    await ctx.db('z_reports').insert({
      z_number: zNumber,
      till_id: till.id,
      model: JSON.stringify(model),
      pdf_path: pdfPath,
      created_at: ctx.clock.now().toISOString(),
    });
    row = { z_number: zNumber, till_id: till.id, pdf_path: pdfPath, print_count: 0, last_print_error: null };
  }
  const bytes = composeZReport({ ...model, duplicate: duplicate && row.print_count > 0 });
  let printError: string | null = null;
  try {
    await devices.printer().print(bytes);
    await ctx
      .db('z_reports')
      .where('z_number', zNumber)
      .update({ print_count: row.print_count + 1, last_print_error: null });
  } catch (err) {
    printError = err instanceof Error ? err.message : String(err);
    await ctx.db('z_reports').where('z_number', zNumber).update({ last_print_error: printError });
  }
  return {
    zNumber,
    tillId: till.id,
    lines: decodeEscPos(bytes).lines,
    pdfPath: row.pdf_path,
    printed: printError === null,
    printError,
  };
}

/** The Z report of a closed till as it stands, without printing it. */
async function zView(ctx: ServiceContext, till: TillRow): Promise<ZReport> {
  const model = await buildZModel(ctx.db, till, {
    company: ctx.company,
    terminal: ctx.terminal,
    timeZone: ctx.clock.timeZone,
  });
  const row = (await ctx.db('z_reports').where('z_number', model.zNumber).first()) as ZRow | undefined;
  return {
    zNumber: model.zNumber,
    tillId: till.id,
    lines: decodeEscPos(composeZReport(model)).lines,
    pdfPath: row?.pdf_path ?? '',
    printed: (row?.print_count ?? 0) > 0,
    printError: row?.last_print_error ?? null,
  };
}

export function tillHandlers(
  deps: HostDeps,
  policy: TillPolicy,
  reportsDir: string,
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
      const till = (await ctx.db('tills').where('id', posted.result.tillId).first()) as TillRow;
      return tillSummary(ctx.db, till, policy);
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
        ? await zView(ctx, result.till)
        : await printZ(ctx, devices, result.till, reportsDir, false);
      after();
      return { status: 'closed', figures: result.figures, z };
    },
    'till.list': async (input) => {
      const date = input.businessDate ?? ctx.clock.today();
      const tills = (await ctx
        .db('tills')
        .where({ terminal_code: ctx.terminal.code, business_date: date })
        .orderBy('opened_at')) as TillRow[];
      return {
        tills: await Promise.all(
          tills.map(async (t) => ({
            ...(await tillSummary(ctx.db, t, policy)),
            figures: await tillFigures(ctx.db, t),
            overShortCents: t.over_short_cents,
            approvedBy: t.approved_by,
          })),
        ),
      };
    },
    'till.zReport': async (input, session) => {
      const cashier = cashierOf(session);
      const till = (await ctx
        .db('tills')
        .where({ id: input.tillId, terminal_code: ctx.terminal.code })
        .first()) as TillRow | undefined;
      if (!till || till.status !== 'closed')
        throw new CounterError('NOT_FOUND', 'No closed till with that id on this terminal.', 'tillId');
      if (cashier.role === 'csr' && till.cashier_id !== cashier.id)
        throw new CounterError('FORBIDDEN', "Only a supervisor can see another cashier's Z report.");
      if (!input.reprint) return zView(ctx, till);
      const z = await printZ(ctx, devices, till, reportsDir, true);
      await ctx.db.transaction((trx) =>
        appendAudit(
          trx,
          {
            actor: cashier.id,
            action: 'till.zReprint',
            entityType: 'till',
            entityId: till.id,
            details: { zNumber: z.zNumber },
          },
          ctx.clock.now(),
        ),
      );
      return z;
    },
    'audit.verify': async (_input, session) => {
      const result = await verifyAuditChain(ctx.db);
      await ctx.db.transaction((trx) =>
        appendAudit(
          trx,
          {
            actor: cashierOf(session).id,
            action: 'audit.verify',
            details: { ok: result.ok, entries: result.entries },
          },
          ctx.clock.now(),
        ),
      );
      return result;
    },
  };
}
