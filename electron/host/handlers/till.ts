/** Till handlers: open, drop, paid-out, void, refund, blind close and Z report, the supervisor's view, audit check. */
import path from 'node:path';

import type { tillChannels, ZReport } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Receipt } from '../../../shared/api/schemas.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';
import { appendAudit, verifyAuditChain } from '../../services/audit/audit.js';
import type { ServiceContext } from '../../services/context.js';
import type { CounterDevices } from '../../services/devices/index.js';
import {
  closeTill,
  dropCash,
  openTill,
  openTillOf,
  paidOut,
  refundCredit,
  tillFigures,
  tillSummary,
  voidPayment,
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

export function tillHandlers(
  deps: HostDeps,
  policy: TillPolicy,
  reportsDir: string,
): HandlerMap<keyof typeof tillChannels> {
  const { ctx, devices, receipts, pushStatus, sync } = deps;
  const slipReceipt = async (receiptNumber: string | null): Promise<Receipt> => {
    if (!receiptNumber) throw new Error('slip without a receipt number');
    return receipts.printOriginal(receiptNumber);
  };
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
      const till = await openTill(ctx, cashierOf(session), input.counts, policy);
      after();
      return tillSummary(ctx.db, till, policy);
    },
    'till.drop': async (input, session) => {
      const slip = await dropCash(ctx, cashierOf(session), input, policy);
      const receipt = slip.replay
        ? await receipts.get(slip.receiptNumber ?? '')
        : await slipReceipt(slip.receiptNumber);
      if (!slip.replay) await devices.kickDrawer();
      after();
      return { transactionId: slip.transactionId, amountCents: slip.amountCents, receipt };
    },
    'till.paidOut': async (input, session) => {
      const slip = await paidOut(ctx, cashierOf(session), input);
      const receipt = slip.replay
        ? await receipts.get(slip.receiptNumber ?? '')
        : await slipReceipt(slip.receiptNumber);
      if (!slip.replay) await devices.kickDrawer();
      after();
      return { transactionId: slip.transactionId, amountCents: slip.amountCents, receipt };
    },
    'payments.void': async (input, session) => {
      const slip = await voidPayment(ctx, cashierOf(session), input);
      const receipt = await slipReceipt(slip.receiptNumber);
      const drawerOpened = slip.drawer ? await devices.kickDrawer() : false;
      after();
      return { voidTransactionId: slip.transactionId, receipt, drawerOpened };
    },
    'refunds.post': async (input, session) => {
      const slip = await refundCredit(ctx, cashierOf(session), input, policy);
      const receipt = slip.replay
        ? await receipts.get(slip.receiptNumber ?? '')
        : await slipReceipt(slip.receiptNumber);
      const drawerOpened = slip.drawer && !slip.replay ? await devices.kickDrawer() : false;
      after();
      return { transactionId: slip.transactionId, receipt, drawerOpened };
    },
    'till.close': async (input, session) => {
      const result = await closeTill(ctx, cashierOf(session), input, policy);
      if (result.status === 'needs_supervisor')
        return { status: 'needs_supervisor', figures: result.figures };
      const z = await printZ(ctx, devices, result.till, reportsDir, false);
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
      if (!input.reprint) {
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
