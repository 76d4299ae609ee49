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

export { openTillOf, requireOpenTill, tillExpected, TILL_NOT_OPEN_MESSAGE, type TillRow };

export async function tillFigures(db: Knex, till: TillRow): Promise<TillFigures> {
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
  // What went back to customers from their deposits: refunds, and the remainder after a final bill.
  const depositOut = (await db('transactions')
    .where('till_id', till.id)
    .whereIn('kind', ['deposit_refund', 'deposit_apply'])
    .andWhere('amount_cents', '>', 0)
    .first(db.raw('COUNT(*) as count'), db.raw('COALESCE(SUM(amount_cents), 0) as cents'))) as
    { count: number; cents: number } | undefined;
  return {
    floatCents: till.float_cents,
    payments: tally('payment'),
    byTender,
    voids: tally('void'),
    refunds: tally('refund'),
    drops: tally('drop'),
    paidOuts: tally('paid_out'),
    deposits: tally('deposit'),
    depositRefunds: { count: Number(depositOut?.count ?? 0), cents: Number(depositOut?.cents ?? 0) },
    equipmentOrders: tally('eq_order'),
    equipmentReturns: tally('eq_return'),
    equipmentExchanges: tally('eq_exchange'),
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
