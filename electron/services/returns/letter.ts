/**
 * The NSF notice letter to the customer (PDF, pdfkit, in the data folder): the check, why it came back,
 * the fee with the rule that set it, what is now due, and the cash-only terms.
 */
import fs from 'node:fs';
import path from 'node:path';

import PDFDocument from 'pdfkit';

import { CounterError } from '../../../shared/api/errors.js';
import { ensurePrivateFile, PRIVATE_FILE_MODE } from '../../../shared/node/private-files.js';
import { formatCents } from '../../../shared/money.js';
import { getAccountDetail } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { loadReturnsPolicy } from './policy.js';

export type LetterModel = {
  company: { name: string; address: string; phone: string };
  date: string;
  account: { number: string; name: string; address: string };
  check: { number: string; faceCents: number; paidOn: string; receipt: string | null; itemType: string };
  reason: string;
  feeCents: number;
  feeSteps: string[];
  feeRule: string;
  amountDueCents: number;
  pastDueCents: number;
  cashOnlyUntil: string | null;
  cashOnlyTerms: string;
  slip: string | null;
};

const $ = (c: number): string => formatCents(c, { symbol: true });

export async function letterModel(ctx: ServiceContext, transactionId: string): Promise<LetterModel> {
  const r = (await ctx
    .db('returned_checks as r')
    .join('transactions as t', 't.id', 'r.transaction_id')
    .join('transactions as o', 'o.id', 'r.original_transaction_id')
    .where('r.transaction_id', transactionId)
    .first(
      'r.*',
      't.receipt_number as slip',
      'o.receipt_number as original_receipt',
      'o.business_date as paid_on',
    )) as
    | {
        account_number: string;
        check_number: string;
        face_cents: number;
        item_type: string;
        reason_code: string;
        fee_cents: number;
        fee_schedule_id: string;
        fee_steps: string;
        return_date: string;
        cash_only_until: string | null;
        slip: string | null;
        original_receipt: string | null;
        paid_on: string;
      }
    | undefined;
  if (!r) throw new CounterError('NOT_FOUND', 'No returned check with that number.', 'transactionId');
  const policy = await loadReturnsPolicy(ctx.db);
  const account = await getAccountDetail(ctx.db, r.account_number, ctx.clock.today());
  const schedule = policy.feeSchedules.find((s) => s.id === r.fee_schedule_id);
  const c = policy.cashOnly;
  return {
    company: ctx.company,
    date: r.return_date,
    account: { number: r.account_number, name: account.name, address: account.serviceAddress },
    check: {
      number: r.check_number,
      faceCents: r.face_cents,
      paidOn: r.paid_on,
      receipt: r.original_receipt,
      itemType: r.item_type === 'echeck' ? 'electronic check' : 'check',
    },
    reason: policy.reasons.find((x) => x.code === r.reason_code)?.label ?? r.reason_code,
    feeCents: r.fee_cents,
    feeSteps: JSON.parse(r.fee_steps) as string[],
    feeRule: schedule?.citation ?? r.fee_schedule_id,
    amountDueCents: account.amountDueCents,
    pastDueCents: account.pastDueCents,
    cashOnlyUntil: r.cash_only_until,
    cashOnlyTerms: `Each returned check counts for ${c.pointsExpireMonths} months. At ${c.threshold} point${c.threshold === 1 ? '' : 's'} we accept only cash, card or money order for ${c.cashOnlyMonths} months.`,
    slip: r.slip,
  };
}

/** The letter's lines, in order (the PDF prints them; tests read them back from the PDF). */
export function letterLines(m: LetterModel): { text: string; strong?: boolean; gap?: boolean }[] {
  return [
    { text: m.company.name, strong: true },
    { text: `${m.company.address} · ${m.company.phone}` },
    { text: m.date, gap: true },
    { text: m.account.name, gap: true },
    { text: m.account.address },
    { text: `Account ${m.account.number}` },
    { text: 'Notice of returned payment', strong: true, gap: true },
    {
      text: `Your ${m.check.itemType} number ${m.check.number} for ${$(m.check.faceCents)}, paid on ${m.check.paidOn}${m.check.receipt ? ` (receipt ${m.check.receipt})` : ''}, was returned by your bank: ${m.reason}. The payment has been reversed on your account.`,
      gap: true,
    },
    { text: `Returned check fee: ${$(m.feeCents)}`, strong: true, gap: true },
    ...m.feeSteps.map((s) => ({ text: `  ${s}` })),
    { text: `Rule: ${m.feeRule}` },
    {
      text: `Now due: ${$(m.amountDueCents)} (of which past due ${$(m.pastDueCents)})`,
      strong: true,
      gap: true,
    },
    ...(m.cashOnlyUntil
      ? [
          {
            text: `Until ${m.cashOnlyUntil} we can accept only cash, card or money order on this account: no checks.`,
            strong: true,
            gap: true,
          },
        ]
      : []),
    { text: m.cashOnlyTerms, gap: !m.cashOnlyUntil },
    { text: `Please pay the amount due at any of our counters or call ${m.company.phone}.`, gap: true },
    ...(m.slip ? [{ text: `Reference ${m.slip}`, gap: true }] : []),
  ];
}

/** Writes the letter; resolves when the file is complete on disk. */
export function writeNsfLetter(m: LetterModel, file: string): Promise<void> {
  ensurePrivateFile(file);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 72,
      info: { Title: `Returned payment ${m.check.number}`, Author: m.company.name },
    });
    const out = fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE });
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.pipe(out);
    for (const l of letterLines(m)) {
      if (l.gap) doc.moveDown(0.8);
      doc
        .font(l.strong ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(l.strong ? 12 : 11)
        .text(l.text);
    }
    doc.end();
  });
}

export async function nsfLetter(ctx: ServiceContext, dir: string, transactionId: string): Promise<string> {
  const model = await letterModel(ctx, transactionId);
  const file = path.join(dir, `NSF-${model.slip ?? transactionId}.pdf`);
  await writeNsfLetter(model, file);
  return file;
}
