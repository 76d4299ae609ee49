/** What "exactly once, to the cent" means, checked against both databases. */
import { expect } from 'vitest';

import type { CounterHost } from '../../electron/host/create-host.js';
import type { ServerDb } from '../../server/src/db/connection.js';
import { verify } from '../../server/src/domain/verify.js';

/** An account's balance on the server, in cents (PostgreSQL hands bigints back as strings). */
export async function serverBalance(db: ServerDb, accountNumber: string): Promise<number> {
  const row = (await db.knex('accounts').where('account_number', accountNumber).first('balance_cents')) as
    { balance_cents: number | string } | undefined;
  if (!row) throw new Error(`no account ${accountNumber} on the server`);
  return Number(row.balance_cents);
}

/** The server's verify: every journal balances and every balance follows from its journal. The report. */
export async function expectServerBooksBalance(db: ServerDb): Promise<Awaited<ReturnType<typeof verify>>> {
  const report = await verify(db);
  expect(report.unbalancedJournals).toEqual([]);
  expect(report.balanceMismatches).toEqual([]);
  return report;
}

type Totals = { count: number; cents: number; byTender: Record<string, number> };

export async function counterTotals(host: CounterHost): Promise<Totals & { ids: string[] }> {
  const db = host.ctx.db;
  const tx = (await db('transactions').where('kind', 'payment').select('id', 'applied_cents')) as {
    id: string;
    applied_cents: number;
  }[];
  const tenders = (await db('tenders as d')
    .join('transactions as t', 't.id', 'd.transaction_id')
    .where('t.kind', 'payment')
    .select('d.type', 'd.net_cents')) as { type: string; net_cents: number }[];
  const byTender: Record<string, number> = {};
  for (const t of tenders) byTender[t.type] = (byTender[t.type] ?? 0) + t.net_cents;
  return {
    ids: tx.map((t) => t.id).sort(),
    count: tx.length,
    cents: tx.reduce((a, t) => a + t.applied_cents, 0),
    byTender,
  };
}

export async function serverTotals(db: ServerDb, terminalId: string): Promise<Totals & { ids: string[] }> {
  const tx = (await db
    .knex('transactions')
    .where({ terminal_id: terminalId, kind: 'payment' })
    .select('id', 'ar_cents')) as {
    id: string;
    ar_cents: number;
  }[];
  const tenders = (await db
    .knex('transaction_tenders as d')
    .join('transactions as t', 't.id', 'd.transaction_id')
    .where({ 't.terminal_id': terminalId, 't.kind': 'payment' })
    .select('d.type', 'd.net_cents')) as { type: string; net_cents: number }[];
  const byTender: Record<string, number> = {};
  for (const t of tenders) byTender[t.type] = (byTender[t.type] ?? 0) + Number(t.net_cents);
  return {
    ids: tx.map((t) => t.id).sort(),
    count: tx.length,
    cents: tx.reduce((a, t) => a - Number(t.ar_cents), 0),
    byTender,
  };
}

/** Every payment taken at the counter is on the server once, every event was applied once, totals equal to the cent. */
export async function expectExactlyOnce(host: CounterHost, db: ServerDb, terminalId: string): Promise<void> {
  const local = await counterTotals(host);
  const remote = await serverTotals(db, terminalId);
  expect(remote.ids).toEqual(local.ids);
  expect(remote.count).toBe(local.count);
  expect(remote.cents).toBe(local.cents);
  expect(remote.byTender).toEqual(local.byTender);
  const outbox = (await host.ctx.db('outbox').orderBy('seq').select('id', 'seq', 'state')) as {
    id: string;
    seq: number;
    state: string;
  }[];
  expect(outbox.filter((o) => o.state !== 'acked')).toEqual([]);
  const events = (await db
    .knex('events')
    .where('terminal_id', terminalId)
    .orderBy('seq')
    .select('id', 'seq', 'status')) as {
    id: string;
    seq: number;
    status: string;
  }[];
  expect(events.map((e) => [e.id, Number(e.seq), e.status])).toEqual(
    outbox.map((o) => [o.id, o.seq, 'applied']),
  );
  const report = await expectServerBooksBalance(db);
  const mine = report.terminals.find((t) => t.terminalId === terminalId);
  expect(mine?.differences).toEqual([]);
}

/** The counter's replica tables equal the server's system of record, row for row. */
export async function expectReplicaEqualsServer(host: CounterHost, db: ServerDb): Promise<void> {
  const c = host.ctx.db;
  const s = db.knex;
  const norm = <T>(rows: T[]): T[] =>
    rows.map(
      (r) => JSON.parse(JSON.stringify(r, (_k, v: unknown) => (typeof v === 'boolean' ? Number(v) : v))) as T,
    );
  const accounts = [
    'account_number',
    'name',
    'class',
    'status',
    'service_address',
    'phone',
    'phone_digits',
    'cash_only',
    'cash_only_reason',
    'balance_cents',
    'deposit_held_cents',
  ];
  expect(norm(await c('accounts').orderBy('account_number').select(accounts))).toEqual(
    norm(await s('accounts').orderBy('account_number').select(accounts)),
  );
  const items = ['id', 'account_number', 'bill_id', 'category', 'due_date', 'open_cents'];
  expect(norm(await c('open_items').orderBy('id').select(items))).toEqual(
    norm(await s('open_items').orderBy('id').select(items)),
  );
  const payments = ['id', 'account_number', 'paid_on', 'amount_cents', 'method', 'channel'];
  expect(norm(await c('account_payments').orderBy('id').select(payments))).toEqual(
    norm(await s('account_payments').orderBy('id').select(payments)),
  );
  const bills = ['id', 'account_number', 'bill_date', 'due_date', 'total_cents'];
  expect(norm(await c('bills').orderBy('id').select(bills))).toEqual(
    norm(await s('bills').orderBy('id').select(bills)),
  );
  const lines = (await c('bill_lines').count({ n: '*' }).first()) as { n: number };
  const serverLines = (await s('bill_lines').count({ n: '*' }).first()) as { n: number | string };
  expect(Number(lines.n)).toBe(Number(serverLines.n));
  expect(norm(await c('cashiers').orderBy('id').select('id', 'name', 'role', 'active'))).toEqual(
    norm(await s('cashiers').orderBy('id').select('id', 'name', 'role', 'active')),
  );
  // PINs: the counter holds its own verifiers, never the server's hashes.
  const serverHashes = new Set(
    ((await s('cashiers').select('pin_hash')) as { pin_hash: string }[]).map((r) => r.pin_hash),
  );
  for (const r of (await c('cashiers').select('pin_hash')) as { pin_hash: string }[]) {
    expect(r.pin_hash).toMatch(/^tv1\$/);
    expect(serverHashes.has(r.pin_hash)).toBe(false);
  }
  expect(await c('policies').orderBy('key').select('key', 'value')).toEqual(
    await s('policies').orderBy('key').select('key', 'value'),
  );
}
