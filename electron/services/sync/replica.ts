/**
 * Applies pulled changes to the counter's replica tables (accounts, bills + lines, open items,
 * payments seen by the server, cashiers, policies), inside the caller's transaction, which also moves
 * the pull cursor: after a crash the replica and the cursor are either both at the page or both before.
 */
import type { Knex } from 'knex';

import {
  ReplicaDataSchemas,
  type AccountData,
  type AccountPaymentData,
  type BillData,
  type CashierData,
  type Change,
  type OpenItemData,
  type PolicyData,
  type ReplicaEntity,
} from '../../../shared/sync/protocol.js';

/** knex writes a multi-row insert for SQLite as a compound SELECT, which SQLite caps at 500 terms. */
const CHUNK = 400;

async function upsert(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  key: string,
  merge: string[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx(table)
      .insert(rows.slice(i, i + CHUNK))
      .onConflict(key)
      .merge(merge);
}

async function remove(trx: Knex.Transaction, table: string, key: string, values: string[]): Promise<void> {
  for (let i = 0; i < values.length; i += CHUNK)
    await trx(table)
      .whereIn(key, values.slice(i, i + CHUNK))
      .delete();
}

type Parsed = { [E in ReplicaEntity]: { upserts: { version: number; data: unknown }[]; deletes: string[] } };

/** Checks every change's data against its entity's schema; a bad one stops the page (never half-applied). */
export function parseChanges(changes: Change[]): Parsed {
  const out = Object.fromEntries(
    Object.keys(ReplicaDataSchemas).map((e) => [e, { upserts: [], deletes: [] }]),
  ) as unknown as Parsed;
  for (const c of changes) {
    if (c.op === 'delete') {
      out[c.entity].deletes.push(c.key);
      continue;
    }
    const parsed = ReplicaDataSchemas[c.entity].safeParse(c.data);
    if (!parsed.success)
      throw new Error(
        `pulled ${c.entity} ${c.key} (version ${c.version}) is not valid: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    out[c.entity].upserts.push({ version: c.version, data: parsed.data });
  }
  return out;
}

export type AppliedSummary = { policiesChanged: boolean };

export async function applyChanges(
  trx: Knex.Transaction,
  changes: Change[],
  asOf: string,
): Promise<AppliedSummary> {
  const p = parseChanges(changes);

  await upsert(
    trx,
    'accounts',
    p.account.upserts.map(({ version, data }) => {
      const a = data as AccountData;
      return {
        account_number: a.accountNumber,
        name: a.name,
        class: a.class,
        status: a.status,
        service_address: a.serviceAddress,
        phone: a.phone,
        phone_digits: a.phoneDigits,
        cash_only: a.cashOnly ? 1 : 0,
        cash_only_reason: a.cashOnlyReason,
        balance_cents: a.balanceCents,
        deposit_held_cents: a.depositHeldCents,
        version,
        as_of: asOf,
      };
    }),
    'account_number',
    [
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
      'version',
      'as_of',
    ],
  );

  const bills = p.bill.upserts.map(({ data }) => data as BillData);
  await upsert(
    trx,
    'bills',
    bills.map((b) => ({
      id: b.id,
      account_number: b.accountNumber,
      bill_date: b.billDate,
      due_date: b.dueDate,
      total_cents: b.totalCents,
    })),
    'id',
    ['account_number', 'bill_date', 'due_date', 'total_cents'],
  );
  await remove(
    trx,
    'bill_lines',
    'bill_id',
    bills.map((b) => b.id),
  );
  const lines = bills.flatMap((b) =>
    b.lines.map((l) => ({
      bill_id: b.id,
      category: l.category,
      description: l.description,
      amount_cents: l.amountCents,
    })),
  );
  for (let i = 0; i < lines.length; i += CHUNK) await trx('bill_lines').insert(lines.slice(i, i + CHUNK));

  await upsert(
    trx,
    'open_items',
    p.open_item.upserts.map(({ data }) => {
      const o = data as OpenItemData;
      return {
        id: o.id,
        account_number: o.accountNumber,
        bill_id: o.billId,
        category: o.category,
        due_date: o.dueDate,
        open_cents: o.openCents,
      };
    }),
    'id',
    ['account_number', 'bill_id', 'category', 'due_date', 'open_cents'],
  );
  await upsert(
    trx,
    'account_payments',
    p.account_payment.upserts.map(({ data }) => {
      const x = data as AccountPaymentData;
      return {
        id: x.id,
        account_number: x.accountNumber,
        paid_on: x.paidOn,
        amount_cents: x.amountCents,
        method: x.method,
        channel: x.channel,
      };
    }),
    'id',
    ['account_number', 'paid_on', 'amount_cents', 'method', 'channel'],
  );
  // Sign-in state (failed attempts, lockout) stays the terminal's own.
  await upsert(
    trx,
    'cashiers',
    p.cashier.upserts.map(({ data }) => {
      const c = data as CashierData;
      return { id: c.id, name: c.name, role: c.role, pin_hash: c.pinHash, active: c.active ? 1 : 0 };
    }),
    'id',
    ['name', 'role', 'pin_hash', 'active'],
  );
  await upsert(
    trx,
    'policies',
    p.policy.upserts.map(({ data }) => {
      const x = data as PolicyData;
      return { key: x.key, value: x.value };
    }),
    'key',
    ['value'],
  );

  await remove(trx, 'open_items', 'id', p.open_item.deletes);
  await remove(trx, 'account_payments', 'id', p.account_payment.deletes);
  await remove(trx, 'bills', 'id', p.bill.deletes);
  await remove(trx, 'policies', 'key', p.policy.deletes);
  if (p.cashier.deletes.length) await trx('cashiers').whereIn('id', p.cashier.deletes).update({ active: 0 });
  await remove(trx, 'accounts', 'account_number', p.account.deletes);

  return { policiesChanged: p.policy.upserts.length + p.policy.deletes.length > 0 };
}
