/**
 * The Z report of a closed till: printed on the receipt printer (node-thermal-printer) and saved as a
 * PDF (pdfkit) in the data folder. Per tender counts and totals, payments, voids, refunds, drops,
 * paid-outs, expected against counted, over/short, and who approved what.
 */
import fs from 'node:fs';

import type { Knex } from 'knex';
import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import PDFDocument from 'pdfkit';

import type { TillFigures } from '../../../shared/api/channels/till.js';
import type { CloseFigures } from '../../../shared/domain/till.js';
import { TENDER_LABEL } from '../../../shared/domain/tenders.js';
import { formatCents, type Cents } from '../../../shared/money.js';
import { ensurePrivateFile, PRIVATE_FILE_MODE } from '../../../shared/node/private-files.js';
import type { CompanyConfig, TerminalConfig } from '../context.js';
import { DEFAULT_PROFILE, formatReceiptTime, printable, type PrinterProfile } from '../receipts/compose.js';
import { tillFigures, type TillRow, type ZParts } from './till.js';

export type ZModel = {
  zNumber: string;
  company: CompanyConfig;
  terminal: TerminalConfig;
  timeZone: string;
  cashier: { id: string; name: string };
  businessDate: string;
  openedAt: string;
  closedAt: string;
  figures: TillFigures;
  close: CloseFigures;
  approvals: { what: string; by: string; cents: Cents | null }[];
  closeApprovedBy: string | null;
  note: string | null;
  duplicate?: boolean;
};

/** The till's own kinds; the other capabilities' come with their Z parts. */
const KIND_LABEL: Record<string, string> = {
  void: 'Void',
  refund: 'Refund',
  drop: 'Cash drop',
  paid_out: 'Paid-out',
  till_close: 'Close',
};

async function cashierName(db: Knex, id: string | null): Promise<string | null> {
  if (!id) return null;
  const row = (await db('cashiers').where('id', id).first('name')) as { name: string } | undefined;
  return `${row?.name ?? id} (${id})`;
}

export async function buildZModel(
  db: Knex,
  till: TillRow,
  ctx: { company: CompanyConfig; terminal: TerminalConfig; timeZone: string },
  parts: ZParts,
): Promise<ZModel> {
  if (till.status !== 'closed' || !till.z_number || !till.close_figures || !till.closed_at)
    throw new Error('Z report of a till that is not closed');
  const figures = await tillFigures(db, till, parts.lines);
  const kindLabel = { ...parts.kindLabels, ...KIND_LABEL };
  const approved = (await db('transactions')
    .where('till_id', till.id)
    .whereNotNull('approved_by')
    .whereNot('kind', 'till_close')
    .orderBy('created_at')
    .select('kind', 'receipt_number', 'amount_cents', 'approved_by')) as {
    kind: string;
    receipt_number: string | null;
    amount_cents: number;
    approved_by: string;
  }[];
  const approvals = [];
  for (const a of approved) {
    approvals.push({
      what: `${kindLabel[a.kind] ?? a.kind} ${a.receipt_number ?? ''}`.trim(),
      by: (await cashierName(db, a.approved_by)) ?? a.approved_by,
      cents: a.amount_cents,
    });
  }
  return {
    zNumber: till.z_number,
    company: ctx.company,
    terminal: ctx.terminal,
    timeZone: ctx.timeZone,
    cashier: { id: till.cashier_id, name: (await cashierName(db, till.cashier_id)) ?? till.cashier_id },
    businessDate: till.business_date,
    openedAt: till.opened_at,
    closedAt: till.closed_at,
    figures,
    close: JSON.parse(till.close_figures) as CloseFigures,
    approvals,
    closeApprovedBy: await cashierName(db, till.approved_by),
    note: till.close_note,
  };
}

const money = (c: Cents): string => formatCents(c, { symbol: true });
const overShort = (c: Cents): string =>
  c === 0 ? '$0.00' : c > 0 ? `${money(c)} OVER` : `${money(-c)} SHORT`;

/** The report as rows of [label, value] (section headers have an empty value), shared by print and PDF. */
export function zRows(m: ZModel): { label: string; value: string; strong?: boolean }[] {
  const f = m.figures;
  const c = m.close;
  const rows: { label: string; value: string; strong?: boolean }[] = [
    { label: 'Terminal', value: m.terminal.code },
    { label: 'Cashier', value: m.cashier.name },
    { label: 'Business date', value: m.businessDate },
    { label: 'Opened', value: formatReceiptTime(new Date(m.openedAt), m.timeZone) },
    { label: 'Closed', value: formatReceiptTime(new Date(m.closedAt), m.timeZone) },
    { label: 'TENDERS (net of voids)', value: '', strong: true },
    ...f.byTender.map((t) => ({
      label: `${TENDER_LABEL[t.type as keyof typeof TENDER_LABEL] ?? t.type} (${t.count})`,
      value: money(t.cents),
    })),
    { label: 'ACTIVITY', value: '', strong: true },
    { label: `Payments (${f.payments.count})`, value: money(f.payments.cents) },
    { label: `Voids (${f.voids.count})`, value: money(f.voids.cents) },
    { label: `Refunds (${f.refunds.count})`, value: money(f.refunds.cents) },
    { label: `Cash drops (${f.drops.count})`, value: money(f.drops.cents) },
    { label: `Paid-outs (${f.paidOuts.count})`, value: money(f.paidOuts.cents) },
    ...f.lines.map((l) => ({ label: `${l.label} (${l.count})`, value: money(l.cents) })),
    { label: 'CASH', value: '', strong: true },
    { label: 'Opening float', value: money(f.floatCents) },
    { label: 'Expected in drawer', value: money(c.cash.expectedCents) },
    { label: 'Counted', value: money(c.cash.countedCents) },
    { label: 'Cash over/short', value: overShort(c.cash.differenceCents), strong: true },
    { label: 'CHECKS / MONEY ORDERS / CARD', value: '', strong: true },
    { label: `Checks expected (${c.checks.expected.count})`, value: money(c.checks.expected.cents) },
    { label: `Checks counted (${c.checks.counted.count})`, value: money(c.checks.counted.cents) },
    {
      label: `Money orders expected (${c.moneyOrders.expected.count})`,
      value: money(c.moneyOrders.expected.cents),
    },
    {
      label: `Money orders counted (${c.moneyOrders.counted.count})`,
      value: money(c.moneyOrders.counted.cents),
    },
    { label: 'Card payments', value: money(c.card.expectedCents) },
    { label: 'Card terminal batch', value: money(c.card.batchCents) },
    { label: 'TOTAL OVER/SHORT', value: overShort(c.overShortCents), strong: true },
    { label: 'APPROVALS', value: '', strong: true },
    ...(m.approvals.length
      ? m.approvals.flatMap((a) => [
          { label: a.what, value: a.cents !== null ? money(a.cents) : '' },
          { label: '  approved by', value: a.by },
        ])
      : [{ label: 'None', value: '' }]),
    ...(m.closeApprovedBy ? [{ label: 'Close accepted by', value: m.closeApprovedBy }] : []),
    ...(m.note ? [{ label: `Note: ${m.note}`, value: '' }] : []),
  ];
  return rows;
}

export function composeZReport(m: ZModel, profile: PrinterProfile = DEFAULT_PROFILE): Buffer {
  const p = new ThermalPrinter({
    type: profile.type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    interface: '',
    width: profile.columns,
    characterSet: CharacterSet[profile.characterSet],
  });
  p.alignCenter();
  if (m.duplicate) p.println('*** DUPLICATE ***');
  p.bold(true);
  p.println(printable(m.company.name));
  p.setTextDoubleHeight();
  p.println(`Z REPORT ${m.zNumber}`);
  p.setTextNormal();
  p.bold(false);
  p.alignLeft();
  p.drawLine();
  for (const r of zRows(m)) {
    const label = printable(r.label);
    const value = printable(r.value);
    if (r.strong) p.bold(true);
    if (!value) p.println(label);
    else {
      const room = Math.max(0, profile.columns - value.length - 1);
      p.leftRight(label.length > room ? label.slice(0, room) : label, value);
    }
    if (r.strong) p.bold(false);
  }
  p.drawLine();
  p.alignCenter();
  p.println(m.zNumber);
  if (m.duplicate) p.println('*** DUPLICATE ***');
  p.cut();
  return Buffer.from(p.getBuffer());
}

/** Writes the PDF; resolves when the file is complete on disk. */
export function writeZPdf(m: ZModel, file: string): Promise<void> {
  ensurePrivateFile(file);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 54,
      info: { Title: `Z report ${m.zNumber}`, Author: m.company.name },
    });
    const out = fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE });
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.pipe(out);
    doc.font('Helvetica-Bold').fontSize(16).text(m.company.name);
    doc.fontSize(20).text(`Z report ${m.zNumber}`);
    doc.moveDown(0.5);
    const left = 54;
    const right = 558;
    for (const r of zRows(m)) {
      if (!r.value) {
        if (r.strong) doc.moveDown(0.4);
        doc
          .font(r.strong ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(11)
          .text(r.label, left);
        continue;
      }
      const y = doc.y;
      doc
        .font(r.strong ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(11)
        .text(r.label, left, y, { width: 330 });
      doc.text(r.value, left + 330, y, { width: right - left - 330, align: 'right' });
    }
    doc.end();
  });
}
