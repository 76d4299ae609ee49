/**
 * Day-end closing: the server's own totals per tender for a till (payments net of voids, and deposits collected, from the
 * transactions it applied, counted the way the till counts them) against the totals in the till's
 * closing event. Any difference is flagged:
 * a payment the server rejected, one that never arrived, or a till that added up wrong.
 */
import type { Knex } from 'knex';

import { subCents } from '../../../shared/money.js';
import { TILL_TENDER_KINDS } from '../../../shared/domain/till.js';
import type { TillReconciliation } from '../../../shared/sync/protocol.js';

export type TenderTotal = { type: string; count: number; cents: number };

/** Per tender type: net cents, and tender lines counted +1 (a payment's) or -1 (a void's), as the till counts them. */
export async function serverTillTotals(db: Knex | Knex.Transaction, tillId: string): Promise<TenderTotal[]> {
  const rows = (await db('transaction_tenders as d')
    .join('transactions as t', 't.id', 'd.transaction_id')
    .where('t.till_id', tillId)
    .whereIn('t.kind', [...TILL_TENDER_KINDS])
    .groupBy('d.type')
    .orderBy('d.type')
    .select(
      'd.type',
      db.raw('CAST(SUM(CASE WHEN d.amount_cents > 0 THEN 1 ELSE -1 END) AS BIGINT) AS count'),
      db.raw('CAST(SUM(d.net_cents) AS BIGINT) AS cents'),
    )) as { type: string; count: number | string; cents: number | string }[];
  return rows.map((r) => ({ type: r.type, count: Number(r.count), cents: Number(r.cents) }));
}

export function reconcile(terminal: TenderTotal[], server: TenderTotal[]): TillReconciliation['lines'] {
  const types = [...new Set([...terminal.map((t) => t.type), ...server.map((t) => t.type)])].sort();
  return types.map((type) => {
    const a = terminal.find((t) => t.type === type) ?? { type, count: 0, cents: 0 };
    const b = server.find((t) => t.type === type) ?? { type, count: 0, cents: 0 };
    return {
      type,
      terminal: a,
      server: b,
      differenceCents: subCents(a.cents, b.cents),
      countDifference: a.count - b.count,
    };
  });
}

type ClosingRow = {
  till_id: string;
  terminal_id: string;
  terminal_code: string;
  business_date: string;
  closed_at: string;
  status: 'balanced' | 'differences';
  differences: string;
};

export function closingFromRow(r: ClosingRow): TillReconciliation {
  return {
    tillId: r.till_id,
    terminalId: r.terminal_id,
    terminalCode: r.terminal_code,
    businessDate: r.business_date,
    closedAt: r.closed_at,
    status: r.status,
    lines: JSON.parse(r.differences) as TillReconciliation['lines'],
  };
}

export async function tillClosings(
  db: Knex,
  filter: { tillId?: string; terminalId?: string; status?: string } = {},
): Promise<TillReconciliation[]> {
  const q = db('till_closings').orderBy('closed_at', 'desc').limit(500);
  if (filter.tillId) void q.where('till_id', filter.tillId);
  if (filter.terminalId) void q.where('terminal_id', filter.terminalId);
  if (filter.status) void q.where('status', filter.status);
  return ((await q) as ClosingRow[]).map(closingFromRow);
}
