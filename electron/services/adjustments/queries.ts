/**
 * What the adjustment screens read: an account's reasons, bill lines, open items, adjustments and
 * back-bill plans (pending until the replica has them), and the day's adjustments by reason.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Knex } from 'knex';

import type { AdjustmentView, BackBillView } from '../../../shared/api/channels/adjustments.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { BackBillCharge, BackBillPlan } from '../../../shared/domain/back-billing.js';
import { addCents } from '../../../shared/money.js';
import { effectiveOpenItems, getAccountRow, openItemFlags } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { recentBills } from './back-bill.js';
import { letterFile, letterLines, writeLetterPdf } from './letter.js';
import { loadPolicies } from './policies.js';

/** Not yet in the replica: the server has not applied it, or the account's replica row is older. */
const PENDING_SQL = `(t.server_version IS NULL OR t.server_version > COALESCE((SELECT ra.version FROM accounts ra WHERE ra.account_number = t.account_number), 0))`;

type AdjRow = {
  transaction_id: string;
  receipt_number: string | null;
  account_number: string;
  account_name: string;
  direction: 'credit' | 'debit';
  reason_code: string;
  reason_label: string;
  amount_cents: number;
  memo: string;
  item_id: string | null;
  outage: string | null;
  cashier_id: string;
  approved_by: string | null;
  created_at: string;
  pending: number;
};

async function adjustmentViews(
  db: Knex,
  where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<AdjustmentView[]> {
  const rows = (await where(
    db('adjustments as j')
      .join('transactions as t', 't.id', 'j.transaction_id')
      .join('accounts as a', 'a.account_number', 'j.account_number')
      .select(
        'j.*',
        't.receipt_number',
        't.cashier_id',
        't.approved_by',
        't.created_at',
        'a.name as account_name',
        db.raw(`${PENDING_SQL} AS pending`),
      ),
  ).orderBy('t.created_at', 'desc')) as AdjRow[];
  return rows.map((r) => ({
    transactionId: r.transaction_id,
    receiptNumber: r.receipt_number,
    accountNumber: r.account_number,
    accountName: r.account_name,
    direction: r.direction,
    reasonCode: r.reason_code,
    reasonLabel: r.reason_label,
    amountCents: r.amount_cents,
    memo: r.memo,
    itemId: r.item_id,
    outageWorking: r.outage ? (JSON.parse(r.outage) as { working: string }).working : null,
    cashierId: r.cashier_id,
    approvedBy: r.approved_by,
    createdAt: r.created_at,
    pending: r.pending === 1,
  }));
}

export async function backBillViews(
  db: Knex,
  accountNumber: string,
  transactionId?: string,
): Promise<BackBillView[]> {
  const rows = (await db('back_bill_plans as p')
    .join('transactions as t', 't.id', 'p.transaction_id')
    .where('p.account_number', accountNumber)
    .modify((q) => (transactionId ? q.andWhere('p.transaction_id', transactionId) : q))
    .orderBy('t.created_at', 'desc')
    .select('p.*', 't.created_at', db.raw(`${PENDING_SQL} AS pending`))) as {
    transaction_id: string;
    jurisdiction: string;
    total_cents: number;
    plan: string;
    created_at: string;
    pending: number;
  }[];
  const open = new Map((await effectiveOpenItems(db, accountNumber)).map((i) => [i.id, i.openCents]));
  return rows.map((r) => {
    const plan = JSON.parse(r.plan) as BackBillPlan;
    return {
      transactionId: r.transaction_id,
      jurisdiction: r.jurisdiction,
      totalCents: r.total_cents,
      createdAt: r.created_at,
      pending: r.pending === 1,
      letterFile: null,
      plan,
      installments: plan.installments.map((i) => {
        const itemId = `bb-${r.transaction_id}-${String(i.number)}`;
        return {
          itemId,
          number: i.number,
          dueDate: i.dueDate,
          cents: i.cents,
          openCents: open.get(itemId) ?? 0,
          notDisconnectable: plan.notDisconnectable,
          pending: r.pending === 1,
        };
      }),
    };
  });
}

export async function accountAdjustments(ctx: ServiceContext, accountNumber: string) {
  const db = ctx.db;
  await getAccountRow(db, accountNumber);
  const policies = await loadPolicies(db);
  // The service lines of the last bill: their amounts are the monthly rates an outage credit uses.
  const lastBill = (await db('bills')
    .where('account_number', accountNumber)
    .orderBy('bill_date', 'desc')
    .first('id')) as { id: string } | undefined;
  const billLines = (await db('bill_lines as l')
    .join('bills as b', 'b.id', 'l.bill_id')
    .where('l.bill_id', lastBill?.id ?? '')
    .orderBy('l.id')
    .select('l.id', 'l.category', 'l.description', 'l.amount_cents', 'b.bill_date')) as {
    id: number | string;
    category: string;
    description: string;
    amount_cents: number;
    bill_date: string;
  }[];
  const items = await effectiveOpenItems(db, accountNumber);
  const flags = await openItemFlags(db, accountNumber);
  return {
    policy: policies.adjustments,
    backBillPolicies: policies.backBilling,
    billLines: billLines.map((l) => ({
      id: String(l.id),
      category: l.category,
      description: l.description,
      amountCents: l.amount_cents,
      billDate: l.bill_date,
    })),
    openItems: items
      .filter((i) => i.openCents > 0)
      .map((i) => ({
        ...i,
        notDisconnectable: flags.notDisconnectable.has(i.id),
        pending: !flags.inReplica.has(i.id),
      })),
    averageMonthlyBillCents: (await recentBills(db, accountNumber)).averageCents,
    adjustments: await adjustmentViews(db, (q) => q.where('j.account_number', accountNumber)),
    backBills: await backBillViews(db, accountNumber),
    today: ctx.clock.today(),
  };
}

export async function adjustmentsReport(ctx: ServiceContext, businessDate: string | undefined) {
  const day = businessDate ?? ctx.clock.today();
  const adjustments = await adjustmentViews(ctx.db, (q) =>
    q.where('j.business_date', day).andWhere('t.terminal_code', ctx.terminal.code),
  );
  const byReason = new Map<
    string,
    { reasonCode: string; reasonLabel: string; count: number; creditCents: number; debitCents: number }
  >();
  for (const a of adjustments) {
    const r = byReason.get(a.reasonCode) ?? {
      reasonCode: a.reasonCode,
      reasonLabel: a.reasonLabel,
      count: 0,
      creditCents: 0,
      debitCents: 0,
    };
    r.count += 1;
    if (a.direction === 'credit') r.creditCents = addCents(r.creditCents, a.amountCents);
    else r.debitCents = addCents(r.debitCents, a.amountCents);
    byReason.set(a.reasonCode, r);
  }
  const rows = [...byReason.values()].sort((a, b) => a.reasonLabel.localeCompare(b.reasonLabel));
  return {
    businessDate: day,
    adjustments,
    byReason: rows,
    totals: {
      count: adjustments.length,
      creditCents: addCents(...rows.map((r) => r.creditCents)),
      debitCents: addCents(...rows.map((r) => r.debitCents)),
    },
  };
}

/** The plan's letter: its lines, and the PDF (written once, in the data folder's letters/). */
export async function backBillLetter(
  ctx: ServiceContext,
  dataDir: string,
  transactionId: string,
): Promise<{ file: string; lines: string[] }> {
  const row = (await ctx.db('back_bill_plans').where('transaction_id', transactionId).first()) as
    { account_number: string; charges: string; business_date: string } | undefined;
  if (!row) throw new CounterError('NOT_FOUND', 'No back-billing plan with that number on this counter.');
  const [view] = await backBillViews(ctx.db, row.account_number, transactionId);
  const account = await getAccountRow(ctx.db, row.account_number);
  if (!view) throw new CounterError('NOT_FOUND', 'No back-billing plan with that number on this counter.');
  const lines = letterLines({
    company: ctx.company.name,
    date: row.business_date,
    account: { number: account.account_number, name: account.name, address: account.service_address },
    plan: view.plan,
    charges: JSON.parse(row.charges) as BackBillCharge[],
  });
  const file = letterFile(dataDir, transactionId);
  if (!fs.existsSync(file)) await writeLetterPdf(lines, file);
  return { file: path.resolve(file), lines };
}
