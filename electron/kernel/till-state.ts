/**
 * Where the money sits during a shift: the cashier's open till and what its drawer should hold, read
 * back from the till's own journal lines (never kept in a separate counter). Postings read these
 * inside their write transaction, so a check against the drawer can never be overtaken by another
 * posting.
 */
import type { Knex } from 'knex';

import { CounterError } from '../../shared/api/errors.js';
import type { Cashier } from '../../shared/api/schemas.js';
import type { TillExpected } from '../../shared/domain/till.js';
import type { Cents } from '../../shared/money.js';
import type { ServiceContext } from '../services/context.js';

export type TillRow = {
  id: string;
  terminal_code: string;
  cashier_id: string;
  business_date: string;
  status: 'open' | 'closed';
  opened_at: string;
  float_cents: number;
  float_counts: string;
  closed_at: string | null;
  close_counts: string | null;
  close_figures: string | null;
  over_short_cents: number | null;
  approved_by: string | null;
  close_note: string | null;
  z_number: string | null;
};

export async function openTillOf(
  db: Knex,
  ctx: Pick<ServiceContext, 'terminal'>,
  cashierId: string,
): Promise<TillRow | null> {
  return (
    ((await db('tills')
      .where({ terminal_code: ctx.terminal.code, cashier_id: cashierId, status: 'open' })
      .first()) as TillRow | undefined) ?? null
  );
}

export const TILL_NOT_OPEN_MESSAGE = 'Open your till first: count the float (F8 Till).';

/** The cashier's open till on this terminal, or a clear "open your till" error. */
export async function requireOpenTill(
  db: Knex,
  ctx: Pick<ServiceContext, 'terminal'>,
  cashier: Cashier,
): Promise<TillRow> {
  const till = await openTillOf(db, ctx, cashier.id);
  if (!till) throw new CounterError('TILL_NOT_OPEN', TILL_NOT_OPEN_MESSAGE);
  return till;
}

/** What the till should hold (before its close), read back from its journal lines and tender rows. */
export async function tillExpected(db: Knex, tillId: string): Promise<TillExpected> {
  const balances = (await db('journal_lines as j')
    .join('transactions as t', 't.id', 'j.transaction_id')
    .where('t.till_id', tillId)
    .whereNot('t.kind', 'till_close')
    .whereIn('j.ledger_account', ['drawer:cash', 'drawer:checks', 'drawer:money_orders', 'card_clearing'])
    .groupBy('j.ledger_account')
    .select('j.ledger_account as account', db.raw('SUM(j.cents) as cents'))) as {
    account: string;
    cents: number;
  }[];
  const counts = (await db('tenders as d')
    .join('transactions as t', 't.id', 'd.transaction_id')
    .where('t.till_id', tillId)
    .whereNot('t.kind', 'till_close')
    .whereIn('d.type', ['check', 'money_order', 'card'])
    .groupBy('d.type')
    .select('d.type', db.raw('SUM(CASE WHEN d.amount_cents > 0 THEN 1 ELSE -1 END) as n'))) as {
    type: string;
    n: number;
  }[];
  const bal = (a: string): Cents => balances.find((b) => b.account === a)?.cents ?? 0;
  const n = (t: string): number => counts.find((c) => c.type === t)?.n ?? 0;
  return {
    cashCents: bal('drawer:cash'),
    checks: { count: n('check'), cents: bal('drawer:checks') },
    moneyOrders: { count: n('money_order'), cents: bal('drawer:money_orders') },
    card: { count: n('card'), cents: bal('card_clearing') },
  };
}
