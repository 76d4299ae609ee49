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
import { REBUILD_ACCOUNT_INDEX_SQL } from '../db/account-index.js';
import { applyDepositChanges } from '../deposits/records.js';
import { applyEquipmentChanges } from '../equipment/replica.js';

/** Rows per statement for deletes (knex `whereIn`). */
const CHUNK = 400;
/** SQLite takes at most 32,766 bound parameters per statement. */
const MAX_PARAMS = 32_000;

/** Plain inserts of many rows in few statements (one multi-row VALUES list per statement). */
async function insertMany(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const slice = rows.slice(i, i + perStatement);
    const values: Knex.RawBinding[] = [];
    for (const row of slice) for (const c of columns) values.push((row[c] ?? null) as Knex.RawBinding);
    await trx.raw(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${slice.map(() => tuple).join(', ')}`,
      values,
    );
  }
}

/**
 * Insert-or-update many rows in few statements: one multi-row VALUES list per statement (knex writes a
 * compound SELECT for SQLite, capped at 500 rows and slower to parse), parameters bound, names quoted.
 */
async function upsert(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  key: string,
  merge: string[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const quoted = columns.map((c) => `"${c}"`).join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const update = merge.map((c) => `"${c}" = excluded."${c}"`).join(', ');
  for (let i = 0; i < rows.length; i += perStatement) {
    const slice = rows.slice(i, i + perStatement);
    const values: Knex.RawBinding[] = [];
    for (const row of slice) for (const c of columns) values.push((row[c] ?? null) as Knex.RawBinding);
    await trx.raw(
      `INSERT INTO "${table}" (${quoted}) VALUES ${slice.map(() => tuple).join(', ')} ON CONFLICT("${key}") DO UPDATE SET ${update}`,
      values,
    );
  }
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
  await insertMany(trx, 'bill_lines', lines);

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
        not_disconnectable: o.notDisconnectable ? 1 : 0,
      };
    }),
    'id',
    ['account_number', 'bill_id', 'category', 'due_date', 'open_cents', 'not_disconnectable'],
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
      return { id: c.id, name: c.name, role: c.role, pin_hash: c.pinVerifier, active: c.active ? 1 : 0 };
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

  await applyEquipmentChanges(trx, p);
  await applyDepositChanges(trx, p.deposit);

  await remove(trx, 'open_items', 'id', p.open_item.deletes);
  await remove(trx, 'account_payments', 'id', p.account_payment.deletes);
  await remove(trx, 'bills', 'id', p.bill.deletes);
  await remove(trx, 'policies', 'key', p.policy.deletes);
  if (p.cashier.deletes.length) await trx('cashiers').whereIn('id', p.cashier.deletes).update({ active: 0 });
  await remove(trx, 'accounts', 'account_number', p.account.deletes);

  return { policiesChanged: p.policy.upserts.length + p.policy.deletes.length > 0 };
}

/** Builds the account search index from scratch (after a first pull that deferred it) and lifts the deferral. */
export async function rebuildAccountIndex(trx: Knex.Transaction): Promise<void> {
  for (const sql of REBUILD_ACCOUNT_INDEX_SQL) await trx.raw(sql);
  await trx('settings').where('key', 'replica.ftsDeferred').delete();
}
