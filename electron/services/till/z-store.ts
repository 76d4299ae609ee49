/**
 * Z reports and the till list as stored on the counter: a closed till's Z report is built from its
 * ledger, saved as a PDF once, printed (a reprint says DUPLICATE) and its print outcome kept.
 */
import path from 'node:path';

import type { TillListEntry, ZReport } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';
import { recordAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { tillFigures, tillSummary, type TillPolicy, type TillRow, type ZParts } from './till.js';
import { buildZModel, composeZReport, writeZPdf } from './z-report.js';

type ZRow = {
  z_number: string;
  till_id: string;
  pdf_path: string;
  print_count: number;
  last_print_error: string | null;
};

const zModelOf = (ctx: ServiceContext, till: TillRow, parts: ZParts) =>
  buildZModel(
    ctx.db,
    till,
    { company: ctx.company, terminal: ctx.terminal, timeZone: ctx.clock.timeZone },
    parts,
  );

export async function printZ(
  ctx: ServiceContext,
  printer: { print(bytes: Buffer): Promise<void> },
  till: TillRow,
  reportsDir: string,
  duplicate: boolean,
  parts: ZParts,
): Promise<ZReport> {
  const model = await zModelOf(ctx, till, parts);
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
    await printer.print(bytes);
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
export async function zView(ctx: ServiceContext, till: TillRow, parts: ZParts): Promise<ZReport> {
  const model = await zModelOf(ctx, till, parts);
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

/** Every till of the terminal on a business day, with its figures. */
export async function tillsOf(
  ctx: ServiceContext,
  policy: TillPolicy,
  businessDate: string,
  parts: ZParts,
): Promise<TillListEntry[]> {
  const tills = (await ctx
    .db('tills')
    .where({ terminal_code: ctx.terminal.code, business_date: businessDate })
    .orderBy('opened_at')) as TillRow[];
  return Promise.all(
    tills.map(async (t) => ({
      ...(await tillSummary(ctx.db, t, policy)),
      figures: await tillFigures(ctx.db, t, parts.lines),
      overShortCents: t.over_short_cents,
      approvedBy: t.approved_by,
    })),
  );
}

/** A closed till of this terminal whose Z report the cashier may see. */
export async function closedTillFor(ctx: ServiceContext, cashier: Cashier, tillId: string): Promise<TillRow> {
  const till = (await ctx.db('tills').where({ id: tillId, terminal_code: ctx.terminal.code }).first()) as
    TillRow | undefined;
  if (!till || till.status !== 'closed')
    throw new CounterError('NOT_FOUND', 'No closed till with that id on this terminal.', 'tillId');
  if (cashier.role === 'csr' && till.cashier_id !== cashier.id)
    throw new CounterError('FORBIDDEN', "Only a supervisor can see another cashier's Z report.");
  return till;
}

/** Prints a Z report again (DUPLICATE), audited. */
export async function reprintZ(
  ctx: ServiceContext,
  printer: { print(bytes: Buffer): Promise<void> },
  cashier: Cashier,
  till: TillRow,
  reportsDir: string,
  parts: ZParts,
): Promise<ZReport> {
  const z = await printZ(ctx, printer, till, reportsDir, true, parts);
  await recordAudit(ctx, {
    actor: cashier.id,
    action: 'till.zReprint',
    entityType: 'till',
    entityId: till.id,
    details: { zNumber: z.zNumber },
  });
  return z;
}
