/**
 * Concurrency harness for posting channels: fires many calls at once (all started before any is
 * awaited, so their reads and writes interleave at every await point) and checks the books afterwards.
 * Every capability's tests use it for N identical calls (one request id: one posting) and N conflicting
 * calls (different request ids competing for the same money: only what the money allows posts).
 */
import { expect } from 'vitest';

import type { CounterHost } from '../../electron/host/create-host.js';
import type { Session } from '../../electron/services/auth/auth.js';
import type { Reply } from '../../shared/api/errors.js';

type Host = Pick<CounterHost, 'call' | 'ctx'>;

export type Fired = { ok: Reply<unknown>[]; refused: Reply<unknown>[]; all: Reply<unknown>[] };

/** Starts `n` calls of `channel` at once; `input(i)` builds the i-th input. */
export async function fireAtOnce(
  host: Host,
  session: Session,
  channel: string,
  n: number,
  input: (i: number) => unknown,
): Promise<Fired> {
  const calls = Array.from({ length: n }, (_, i) => host.call(channel, input(i), session));
  const all = await Promise.all(calls);
  return { all, ok: all.filter((r) => r.ok), refused: all.filter((r) => !r.ok) };
}

/** The refusal codes of a batch of calls, counted. */
export function refusalCodes(f: Fired): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of f.refused) if (!r.ok) out[r.error.code] = (out[r.error.code] ?? 0) + 1;
  return out;
}

/**
 * The invariants every posting keeps, read from the counter's own tables:
 * - every transaction's journal lines sum to zero;
 * - no open till's drawer holds less than nothing (cash, checks, money orders);
 * - every request id names exactly one transaction, and every outbox ledger event one transaction.
 */
export async function expectBooksHold(host: Host): Promise<void> {
  const db = host.ctx.db;
  const unbalanced = (await db('journal_lines')
    .groupBy('transaction_id')
    .havingRaw('SUM(cents) <> 0')
    .select('transaction_id')) as { transaction_id: string }[];
  expect(unbalanced, 'transactions whose journal does not balance').toEqual([]);
  const negative = (await db('journal_lines as j')
    .join('transactions as t', 't.id', 'j.transaction_id')
    .join('tills as l', 'l.id', 't.till_id')
    .where('l.status', 'open')
    .whereIn('j.ledger_account', ['drawer:cash', 'drawer:checks', 'drawer:money_orders'])
    .groupBy('t.till_id', 'j.ledger_account')
    .havingRaw('SUM(j.cents) < 0')
    .select('t.till_id', 'j.ledger_account', db.raw('SUM(j.cents) as cents'))) as unknown[];
  expect(negative, 'open tills whose drawer holds less than nothing').toEqual([]);
  const doubled = (await db('transactions')
    .groupBy('request_id')
    .havingRaw('COUNT(*) > 1')
    .select('request_id')) as unknown[];
  expect(doubled, 'request ids posted twice').toEqual([]);
  const reversedTwice = (await db('transactions')
    .whereNotNull('reverses_id')
    .groupBy('reverses_id')
    .havingRaw('COUNT(*) > 1')
    .select('reverses_id')) as unknown[];
  expect(reversedTwice, 'transactions reversed twice').toEqual([]);
}

/** Cash an open till's drawer should hold, from its journal. */
export async function drawerCash(host: Host, tillId: string): Promise<number> {
  const row = (await host.ctx
    .db('journal_lines as j')
    .join('transactions as t', 't.id', 'j.transaction_id')
    .where('t.till_id', tillId)
    .andWhere('j.ledger_account', 'drawer:cash')
    .whereNot('t.kind', 'till_close')
    .first(host.ctx.db.raw('COALESCE(SUM(j.cents), 0) as cents'))) as { cents: number };
  return Number(row.cents);
}
