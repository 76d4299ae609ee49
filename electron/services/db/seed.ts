/**
 * Loads the deterministic demo data into the counter's replica tables (what a first pull from the
 * server would bring): accounts, bills with lines, open items, payments, cashiers, policies.
 */
import type { Knex } from 'knex';

import {
  DEFAULT_ALLOCATION_POLICY,
  DEMO_CASHIERS,
  demoAccounts,
  type DemoAccountBundle,
  type DemoOptions,
} from '../../../resources/demo/generate.js';
import { demoPolicyRows } from '../../../resources/demo/policies.js';
import { writeDepositRecords } from '../deposits/records.js';
import { newVerifier } from '../auth/pin.js';
import { seedEquipmentDemo } from '../equipment/replica.js';

const CHUNK = 500;

async function insertChunked(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
}

async function writeBundles(
  trx: Knex.Transaction,
  bundles: DemoAccountBundle[],
  asOf: string,
): Promise<void> {
  await insertChunked(
    trx,
    'accounts',
    bundles.map(({ account: a }) => ({
      account_number: a.accountNumber,
      name: a.name,
      class: a.class,
      status: a.status,
      service_address: a.serviceAddress,
      phone: a.phone,
      phone_digits: a.phoneDigits,
      cash_only: a.cashOnly,
      cash_only_reason: a.cashOnlyReason,
      balance_cents: a.balanceCents,
      deposit_held_cents: a.depositHeldCents,
      version: 1,
      as_of: asOf,
    })),
  );
  await insertChunked(
    trx,
    'bills',
    bundles.flatMap((b) =>
      b.bills.map((bill) => ({
        id: bill.id,
        account_number: bill.accountNumber,
        bill_date: bill.billDate,
        due_date: bill.dueDate,
        total_cents: bill.totalCents,
      })),
    ),
  );
  await insertChunked(
    trx,
    'bill_lines',
    bundles.flatMap((b) =>
      b.bills.flatMap((bill) =>
        bill.lines.map((l) => ({
          bill_id: bill.id,
          category: l.category,
          description: l.description,
          amount_cents: l.amountCents,
        })),
      ),
    ),
  );
  await insertChunked(
    trx,
    'open_items',
    bundles.flatMap((b) =>
      b.openItems.map((o) => ({
        id: o.id,
        account_number: o.accountNumber,
        bill_id: o.billId,
        category: o.category,
        due_date: o.dueDate,
        open_cents: o.openCents,
      })),
    ),
  );
  await insertChunked(
    trx,
    'account_payments',
    bundles.flatMap((b) =>
      b.payments.map((p) => ({
        id: p.id,
        account_number: p.accountNumber,
        paid_on: p.paidOn,
        amount_cents: p.amountCents,
        method: p.method,
        channel: p.channel,
      })),
    ),
  );
  await writeDepositRecords(
    trx,
    bundles.flatMap((b) => b.deposits),
    0,
  );
}

/** The demo cashiers with verifiers for this terminal (what a pull from the server would bring). */
export async function seedCashiers(db: Knex, terminalCode: string): Promise<void> {
  const rows = await Promise.all(
    DEMO_CASHIERS.map(async (c) => ({
      id: c.id,
      name: c.name,
      role: c.role,
      pin_hash: await newVerifier(c.pin, terminalCode, c.id),
    })),
  );
  await db('cashiers').insert(rows).onConflict('id').ignore();
}

/** Seeds the replica when it is empty. Returns the number of accounts written (0 if it had data). */
export async function seedDemoIfEmpty(
  db: Knex,
  opts: DemoOptions,
  asOf: Date,
  terminalCode: string,
): Promise<number> {
  const existing = (await db('accounts').count({ n: '*' }).first()) as { n: number };
  if (Number(existing.n) > 0) return 0;
  await seedCashiers(db, terminalCode);
  await db('policies')
    .insert({ key: 'allocation', value: JSON.stringify(DEFAULT_ALLOCATION_POLICY) })
    .onConflict('key')
    .merge();
  await db('policies').insert(demoPolicyRows(opts.today)).onConflict('key').merge();
  let batch: DemoAccountBundle[] = [];
  let written = 0;
  const flush = async (): Promise<void> => {
    const chunk = batch;
    batch = [];
    await db.transaction((trx) => writeBundles(trx, chunk, asOf.toISOString()));
    written += chunk.length;
  };
  for (const bundle of demoAccounts(opts)) {
    batch.push(bundle);
    if (batch.length >= 5_000) await flush();
  }
  if (batch.length) await flush();
  await seedEquipmentDemo(db, { today: opts.today, count: opts.count });
  return written;
}
