/**
 * Till figures on the counter: a till (shift) per cashier per terminal; what it should hold and what
 * went through it, read back from its own journal lines and tender rows (never kept in a separate
 * counter). The postings that move its money are in postings.ts.
 */
import type { Knex } from 'knex';

import type { TillFigures, TillSummary } from '../../../shared/api/channels/till.js';
import type { CurrencyConfig } from '../../../shared/domain/currency.js';
import { TILL_TENDER_KINDS } from '../../../shared/domain/till.js';
import type { Cents } from '../../../shared/money.js';
import {
  openTillOf,
  requireOpenTill,
  tillExpected,
  TILL_NOT_OPEN_MESSAGE,
  type TillRow,
} from '../../kernel/till-state.js';

export type TillPolicy = {
  currency: CurrencyConfig;
  /** Cash over/short a CSR may close with alone. */
  overShortToleranceCents: Cents;
  /** Above this much cash in the drawer the CSR is told to drop. */
  maxDrawerCashCents: Cents;
  /** Refunds above this need a supervisor. */
  refundApprovalOverCents: Cents;
};

/**
 * A line a capability adds to the till's figures and its Z report: the count and sum of its
 * transactions of these kinds in the till (the capabilities declare theirs in host/capabilities.ts).
 */
export type ZLineSpec = {
  key: string;
  label: string;
  kinds: readonly string[];
  /** Only transactions that moved money out to the customer (amount above zero), e.g. deposit refunds. */
  positiveOnly?: boolean;
};

/** What the capabilities add to the Z report: their lines and the words for their transaction kinds. */
export type ZParts = { lines: readonly ZLineSpec[]; kindLabels: Readonly<Record<string, string>> };

export { openTillOf, requireOpenTill, tillExpected, TILL_NOT_OPEN_MESSAGE, type TillRow };

export async function tillFigures(
  db: Knex,
  till: TillRow,
  lines: readonly ZLineSpec[] = [],
): Promise<TillFigures> {
  const expected = await tillExpected(db, till.id);
  const byKind = (await db('transactions')
    .where('till_id', till.id)
    .groupBy('kind')
    .select('kind', db.raw('COUNT(*) as count'), db.raw('SUM(amount_cents) as cents'))) as {
    kind: string;
    count: number;
    cents: number;
  }[];
  const tally = (kind: string) => {
    const r = byKind.find((k) => k.kind === kind);
    return { count: r?.count ?? 0, cents: r?.cents ?? 0 };
  };
  const byTender = (await db('tenders as d')
    .join('transactions as t', 't.id', 'd.transaction_id')
    .where('t.till_id', till.id)
    .whereIn('t.kind', [...TILL_TENDER_KINDS])
    .groupBy('d.type')
    .select(
      'd.type',
      db.raw('SUM(CASE WHEN d.amount_cents > 0 THEN 1 ELSE -1 END) as count'),
      db.raw('SUM(d.net_cents) as cents'),
    )) as {
    type: string;
    count: number;
    cents: number;
  }[];
  const line = async (spec: ZLineSpec): Promise<TillFigures['lines'][number]> => {
    let sum = { count: 0, cents: 0 };
    if (!spec.positiveOnly)
      for (const kind of spec.kinds) {
        const t = tally(kind);
        sum = { count: sum.count + Number(t.count), cents: sum.cents + Number(t.cents) };
      }
    else {
      const out = (await db('transactions')
        .where('till_id', till.id)
        .whereIn('kind', [...spec.kinds])
        .andWhere('amount_cents', '>', 0)
        .first(db.raw('COUNT(*) as count'), db.raw('COALESCE(SUM(amount_cents), 0) as cents'))) as
        { count: number; cents: number } | undefined;
      sum = { count: Number(out?.count ?? 0), cents: Number(out?.cents ?? 0) };
    }
    return { key: spec.key, label: spec.label, ...sum };
  };
  return {
    floatCents: till.float_cents,
    payments: tally('payment'),
    byTender,
    voids: tally('void'),
    refunds: tally('refund'),
    drops: tally('drop'),
    paidOuts: tally('paid_out'),
    lines: await Promise.all(lines.map(line)),
    expectedCashCents: expected.cashCents,
    expectedChecks: expected.checks,
    expectedMoneyOrders: expected.moneyOrders,
    expectedCardCents: expected.card.cents,
  };
}

export async function tillSummary(db: Knex, till: TillRow, policy: TillPolicy): Promise<TillSummary> {
  const cashier = (await db('cashiers').where('id', till.cashier_id).first('name')) as
    { name: string } | undefined;
  const overMaxCash =
    till.status === 'open' && (await tillExpected(db, till.id)).cashCents > policy.maxDrawerCashCents;
  return {
    id: till.id,
    cashierId: till.cashier_id,
    cashierName: cashier?.name ?? till.cashier_id,
    status: till.status,
    businessDate: till.business_date,
    openedAt: till.opened_at,
    closedAt: till.closed_at,
    floatCents: till.float_cents,
    overMaxCash,
    zNumber: till.z_number,
  };
}

/** A till of this counter by id. */
export async function tillById(db: Knex, id: string): Promise<TillRow> {
  const till = (await db('tills').where('id', id).first()) as TillRow | undefined;
  if (!till) throw new Error(`till ${id} is not on this counter`);
  return till;
}
