/**
 * Loads the deterministic demo data (resources/demo/generate.ts) as the server's system of record,
 * with a change-log entry for every row so that a new terminal's first pull brings it all.
 */
import { hashPin } from '../../../shared/node/pin-verifier.js';

import {
  DEFAULT_ALLOCATION_POLICY,
  DEMO_CASHIERS,
  demoAccounts,
  type DemoAccountBundle,
  type DemoOptions,
} from '../../../resources/demo/generate.js';
import { demoPolicyRows } from '../../../resources/demo/policies.js';
import type { ServerDb } from '../db/connection.js';
import { insertChunked } from '../db/util.js';
import { seedEquipment } from './equipment.js';
import {
  accountData,
  accountPaymentData,
  billData,
  cashierData,
  openItemData,
  policyData,
  writeChanges,
  type AccountRow,
  type PendingChange,
} from './changes.js';
import { insertDepositRecords } from './deposits.js';

async function writeBundles(db: ServerDb, bundles: DemoAccountBundle[], now: string): Promise<void> {
  await db.knex.transaction(async (trx) => {
    const accounts: AccountRow[] = bundles.map(({ account: a }) => ({
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
      opening_balance_cents: a.balanceCents,
      updated_at: now,
    }));
    const bills = bundles.flatMap((b) =>
      b.bills.map((bill) => ({
        id: bill.id,
        account_number: bill.accountNumber,
        bill_date: bill.billDate,
        due_date: bill.dueDate,
        total_cents: bill.totalCents,
      })),
    );
    const lines = bundles.flatMap((b) =>
      b.bills.flatMap((bill) =>
        bill.lines.map((l, i) => ({
          bill_id: bill.id,
          position: i,
          category: l.category,
          description: l.description,
          amount_cents: l.amountCents,
        })),
      ),
    );
    const items = bundles.flatMap((b) =>
      b.openItems.map((o) => ({
        id: o.id,
        account_number: o.accountNumber,
        bill_id: o.billId,
        category: o.category,
        due_date: o.dueDate,
        open_cents: o.openCents,
      })),
    );
    const payments = bundles.flatMap((b) =>
      b.payments.map((p) => ({
        id: p.id,
        account_number: p.accountNumber,
        paid_on: p.paidOn,
        amount_cents: p.amountCents,
        method: p.method,
        channel: p.channel,
      })),
    );
    await insertChunked(trx, 'accounts', accounts, 400);
    await insertChunked(trx, 'bills', bills, 800);
    await insertChunked(trx, 'bill_lines', lines, 800);
    await insertChunked(trx, 'open_items', items, 800);
    await insertChunked(trx, 'account_payments', payments, 800);
    const depositChanges = await insertDepositRecords(
      trx,
      bundles.flatMap((b) => b.deposits),
      now,
    );
    const changes: PendingChange[] = [
      ...depositChanges,
      ...bundles.flatMap((b) =>
        b.bills.map((bill): PendingChange => ({
          entity: 'bill',
          key: bill.id,
          op: 'upsert',
          data: billData(
            {
              id: bill.id,
              account_number: bill.accountNumber,
              bill_date: bill.billDate,
              due_date: bill.dueDate,
              total_cents: bill.totalCents,
            },
            bill.lines.map((l) => ({
              category: l.category,
              description: l.description,
              amount_cents: l.amountCents,
            })),
          ),
        })),
      ),
      ...items.map((o): PendingChange => ({
        entity: 'open_item',
        key: o.id,
        op: 'upsert',
        data: openItemData(o),
      })),
      ...payments.map((p): PendingChange => ({
        entity: 'account_payment',
        key: p.id,
        op: 'upsert',
        data: accountPaymentData(p),
      })),
      ...accounts.map((a): PendingChange => ({
        entity: 'account',
        key: a.account_number,
        op: 'upsert',
        data: accountData(a),
      })),
    ];
    await writeChanges(trx, changes, now);
  });
}

/** Seeds the server when it has no accounts; returns the number of accounts written (0 if it had data). */
export async function seedDemo(db: ServerDb, opts: DemoOptions, now = new Date()): Promise<number> {
  const existing = (await db.knex('accounts').count({ n: '*' }).first()) as { n: number | string };
  if (Number(existing.n) > 0) return 0;
  const at = now.toISOString();
  await db.knex.transaction(async (trx) => {
    const cashiers = await Promise.all(
      DEMO_CASHIERS.map(async (c) => ({
        id: c.id,
        name: c.name,
        role: c.role,
        pin_hash: await hashPin(c.pin),
        active: true,
      })),
    );
    await trx('cashiers').insert(cashiers);
    const policy = { key: 'allocation', value: JSON.stringify(DEFAULT_ALLOCATION_POLICY) };
    await trx('policies').insert(policy);
    const demoPolicies = demoPolicyRows(opts.today);
    await trx('policies').insert(demoPolicies);
    await writeChanges(
      trx,
      [
        ...cashiers.map((c): PendingChange => ({
          entity: 'cashier',
          key: c.id,
          op: 'upsert',
          data: cashierData(c),
        })),
        { entity: 'policy', key: policy.key, op: 'upsert', data: policyData(policy) },
        ...demoPolicies.map((r): PendingChange => ({
          entity: 'policy',
          key: r.key,
          op: 'upsert',
          data: policyData(r),
        })),
      ],
      at,
    );
  });
  let batch: DemoAccountBundle[] = [];
  let written = 0;
  for (const bundle of demoAccounts(opts)) {
    batch.push(bundle);
    if (batch.length >= 2_000) {
      await writeBundles(db, batch, at);
      written += batch.length;
      batch = [];
    }
  }
  if (batch.length) {
    await writeBundles(db, batch, at);
    written += batch.length;
  }
  await db.knex.transaction((trx) => seedEquipment(trx, { today: opts.today, count: opts.count }, at));
  return written;
}
