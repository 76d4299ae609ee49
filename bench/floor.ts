/**
 * The floor under "post a payment": the least a durable posting can cost on this machine. One SQLite
 * transaction of 8 bare inserts (transaction, tender, journal lines, allocation, receipt, outbox event,
 * audit entry, receipt counter) through the same driver (knex + sqlite3), the same pragmas
 * (WAL, synchronous=FULL) and the same schema (the counter's own migrations, in a file of its own next
 * to the replica). The payments and the floor alternate in one process, so both see the same machine:
 * on a shared 2-core box absolute times swing 2-3x between runs, the ratio between them does not.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Knex } from 'knex';

import { openCounterDb } from '../electron/services/db/connection.js';
import { percentile, round, type Figure } from './util.js';

/** A fresh counter database (the counter's migrations: same tables, indexes and triggers). */
export async function openFloorDb(dir: string): Promise<Knex> {
  const file = path.join(dir, 'floor.db');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  return openCounterDb(file);
}

/** One posting's worth of writes and nothing else: no reads, no rules, no hashing. */
export async function floorPosting(db: Knex, i: number, accountNumber: string): Promise<void> {
  const id = randomUUID();
  const now = new Date().toISOString();
  const receiptNumber = `FLOOR-${String(i).padStart(6, '0')}-${id.slice(0, 8)}`;
  await db.transaction(async (trx) => {
    await trx('transactions').insert({
      id,
      request_id: randomUUID(),
      kind: 'payment',
      account_number: accountNumber,
      amount_cents: 2500,
      applied_cents: 2500,
      change_cents: 500,
      credit_cents: 0,
      cashier_id: '1001',
      terminal_code: 'MAIN-01',
      receipt_number: receiptNumber,
      business_date: now.slice(0, 10),
      created_at: now,
    });
    await trx('tenders').insert({
      id: randomUUID(),
      transaction_id: id,
      position: 0,
      type: 'cash',
      amount_cents: 3000,
      net_cents: 2500,
    });
    await trx('journal_lines').insert([
      { transaction_id: id, ledger_account: 'cash', cents: 2500, memo: 'Payment' },
      { transaction_id: id, ledger_account: `ar:${accountNumber}`, cents: -2500, memo: 'Payment' },
    ]);
    await trx('allocations').insert({ transaction_id: id, item_id: null, category: 'service', cents: 2500 });
    await trx('receipts').insert({
      number: receiptNumber,
      transaction_id: id,
      kind: 'payment',
      model: JSON.stringify({ receiptNumber, accountNumber, amountCents: 2500 }),
      created_at: now,
    });
    await trx('outbox').insert({
      id,
      type: 'ledger.posted',
      payload: JSON.stringify({ transactionId: id, accountNumber, amountCents: 2500 }),
      occurred_at: now,
    });
    await trx('audit_log').insert({
      id: randomUUID(),
      at: now,
      actor: '1001',
      action: 'payment.post',
      entity_type: 'transaction',
      entity_id: id,
      details: JSON.stringify({ amountCents: 2500 }),
      prev_hash: '0'.repeat(64),
      hash: id.replace(/-/g, '').padEnd(64, '0'),
    });
    await trx('counters')
      .insert({ name: 'receipt', value: i })
      .onConflict('name')
      .merge({ value: trx.raw('value + 1') });
  });
}

/**
 * Alternates a real posting and a floor transaction `n` times (which goes first flips every round, so
 * neither always runs on a warmer cache) and reports both and their ratio at p50 and p95.
 */
export async function postingAgainstFloor(
  n: number,
  dir: string,
  accounts: string[],
  post: (accountNumber: string) => Promise<unknown>,
): Promise<Figure[]> {
  const floorDb = await openFloorDb(dir);
  const posting: number[] = [];
  const floor: number[] = [];
  const time = async (fn: () => Promise<unknown>, into: number[]): Promise<void> => {
    const t0 = process.hrtime.bigint();
    await fn();
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  const loadBefore = os.loadavg()[0]!;
  try {
    for (let i = 0; i < n; i++) {
      const account = accounts[i % accounts.length]!;
      const real = () => time(() => post(account), posting);
      const bare = () => time(() => floorPosting(floorDb, i, account), floor);
      if (i % 2 === 0) {
        await real();
        await bare();
      } else {
        await bare();
        await real();
      }
    }
  } finally {
    await floorDb.destroy();
    for (const f of ['floor.db', 'floor.db-wal', 'floor.db-shm'])
      fs.rmSync(path.join(dir, f), { force: true });
  }
  const load = round((loadBefore + os.loadavg()[0]!) / 2, 2);
  const figures: Figure[] = [];
  for (const p of [50, 95]) {
    const a = percentile(posting, p);
    const b = percentile(floor, p);
    figures.push(
      { name: `post a payment (postPayment, synchronous=FULL), p${p}`, value: round(a, 3), unit: 'ms', load },
      {
        name: `  floor: bare 8-insert SQLite transaction, same driver, p${p}`,
        value: round(b, 3),
        unit: 'ms',
        load,
      },
      {
        name: `  posting / floor, p${p}`,
        value: round(a / b, 2),
        unit: 'x',
        budget: '<= 2x (design goal)',
        ok: a / b <= 2,
        load,
      },
    );
  }
  return figures;
}
