/**
 * The change log behind pull. Every replicated entity has one row in `change_log`, moved to a new,
 * higher version each time it changes (so a first pull brings each entity once, not its history).
 *
 * Versions are handed out by one counter row, updated at the end of the writing transaction: the row
 * lock is held until commit, so versions become visible in the order they were allocated and a reader
 * can never see version N+1 committed while N is still in flight (no version is ever skipped).
 */
import type { Knex } from 'knex';

import type {
  AccountData,
  AccountPaymentData,
  BillData,
  CashierData,
  OpenItemData,
  PolicyData,
  ReplicaEntity,
} from '../../../shared/sync/protocol.js';
import { deriveVerifier } from '../../../shared/node/pin-verifier.js';
import { rawRows, upsertChunked } from '../db/util.js';

export type PendingChange = { entity: ReplicaEntity; key: string; op: 'upsert' | 'delete'; data: unknown };

/** Moves the version counter by `n` (locking it until commit); returns the first of the n versions. */
export async function allocateVersions(trx: Knex.Transaction, n: number): Promise<number> {
  const rows = await rawRows<{ value: number | string }>(
    trx,
    `UPDATE sync_state SET value = value + ? WHERE name = 'change_version' RETURNING value`,
    [n],
  );
  const last = Number(rows[0]?.value);
  if (!Number.isSafeInteger(last)) throw new Error('change_version counter missing');
  return last - n + 1;
}

export async function headVersion(db: Knex | Knex.Transaction): Promise<number> {
  const row = (await db('sync_state').where('name', 'change_version').first('value')) as
    { value: number | string } | undefined;
  return Number(row?.value ?? 0);
}

/**
 * Writes `changes` (in the given order) under freshly allocated versions; returns the version given to
 * each `entity:key`. Call it last in the transaction: it takes the counter lock.
 */
export async function writeChanges(
  trx: Knex.Transaction,
  changes: PendingChange[],
  now: string,
): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  if (changes.length === 0) return versions;
  const first = await allocateVersions(trx, changes.length);
  const rows = changes.map((c, i) => {
    versions.set(`${c.entity}:${c.key}`, first + i);
    return {
      entity: c.entity,
      entity_key: c.key,
      version: first + i,
      op: c.op,
      data: c.op === 'delete' ? null : JSON.stringify(c.data),
      changed_at: now,
    };
  });
  await upsertChunked(
    trx,
    'change_log',
    rows,
    ['entity', 'entity_key'],
    ['version', 'op', 'data', 'changed_at'],
  );
  return versions;
}

// ---- rows -> wire data ----

export type AccountRow = {
  account_number: string;
  name: string;
  class: string;
  status: string;
  service_address: string;
  phone: string;
  phone_digits: string;
  cash_only: boolean | number;
  cash_only_reason: string | null;
  balance_cents: number;
  deposit_held_cents: number;
  opening_balance_cents: number;
  updated_at: string;
};

export function accountData(r: AccountRow): AccountData {
  return {
    accountNumber: r.account_number,
    name: r.name,
    class: r.class as AccountData['class'],
    status: r.status as AccountData['status'],
    serviceAddress: r.service_address,
    phone: r.phone,
    phoneDigits: r.phone_digits,
    cashOnly: Boolean(r.cash_only),
    cashOnlyReason: r.cash_only_reason,
    balanceCents: Number(r.balance_cents),
    depositHeldCents: Number(r.deposit_held_cents),
  };
}

export type OpenItemRow = {
  id: string;
  account_number: string;
  bill_id: string | null;
  category: string;
  due_date: string;
  open_cents: number;
  not_disconnectable?: boolean | number;
};

export function openItemData(r: OpenItemRow): OpenItemData {
  return {
    id: r.id,
    accountNumber: r.account_number,
    billId: r.bill_id,
    category: r.category,
    dueDate: r.due_date,
    openCents: Number(r.open_cents),
    ...(r.not_disconnectable ? { notDisconnectable: true } : {}),
  };
}

export function accountPaymentData(r: {
  id: string;
  account_number: string;
  paid_on: string;
  amount_cents: number;
  method: string;
  channel: string;
}): AccountPaymentData {
  return {
    id: r.id,
    accountNumber: r.account_number,
    paidOn: r.paid_on,
    amountCents: Number(r.amount_cents),
    method: r.method,
    channel: r.channel,
  };
}

export function billData(
  r: { id: string; account_number: string; bill_date: string; due_date: string; total_cents: number },
  lines: { category: string; description: string; amount_cents: number }[],
): BillData {
  return {
    id: r.id,
    accountNumber: r.account_number,
    billDate: r.bill_date,
    dueDate: r.due_date,
    totalCents: Number(r.total_cents),
    lines: lines.map((l) => ({
      category: l.category,
      description: l.description,
      amountCents: Number(l.amount_cents),
    })),
  };
}

/** A cashier as the change log keeps it: no PIN material (each pull adds that terminal's verifier). */
export type StoredCashierData = Omit<CashierData, 'pinVerifier'>;

export function cashierData(r: {
  id: string;
  name: string;
  role: string;
  active: boolean | number;
}): StoredCashierData {
  return { id: r.id, name: r.name, role: r.role as CashierData['role'], active: Boolean(r.active) };
}

/**
 * Cashier rows of a pull page, rewritten for the terminal pulling: the PIN hash (older change-log rows
 * carried it) is dropped and that terminal's own verifier added, derived from the stored hash.
 */
export async function cashierDataFor(
  db: Knex,
  rows: ChangeLogRow[],
  terminalCode: string,
): Promise<Map<string, string>> {
  const ids = rows.filter((r) => r.entity === 'cashier' && r.data !== null).map((r) => r.entity_key);
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const hashes = new Map(
    (
      (await db('cashiers').whereIn('id', ids).select('id', 'pin_hash')) as { id: string; pin_hash: string }[]
    ).map((c) => [c.id, c.pin_hash]),
  );
  await Promise.all(
    rows
      .filter((r) => r.entity === 'cashier' && r.data !== null)
      .map(async (r) => {
        const { pinHash: _dropped, ...data } = JSON.parse(r.data!) as StoredCashierData & {
          pinHash?: string;
        };
        const hash = hashes.get(r.entity_key);
        // A cashier row without a hash here cannot sign in anywhere: send an empty verifier.
        const pinVerifier = hash ? await deriveVerifier(hash, terminalCode, r.entity_key) : '';
        out.set(r.entity_key, JSON.stringify({ ...data, pinVerifier }));
      }),
  );
  return out;
}

export function policyData(r: { key: string; value: string }): PolicyData {
  return { key: r.key, value: r.value };
}

// ---- pull ----

export type ChangeLogRow = {
  version: number;
  entity: string;
  entity_key: string;
  op: string;
  data: string | null;
};

/**
 * One page of the change log after `cursor`, as the JSON text of a PullResponse. The stored data is
 * our own JSON.stringify output, so it is spliced in as is (a first pull of a million rows does not
 * parse and re-serialise each one).
 */
export async function pullPage(
  db: Knex,
  cursor: number,
  limit: number,
  terminalCode: string,
): Promise<{ body: string; count: number; cursor: number; hasMore: boolean }> {
  const head = await headVersion(db);
  const rows = (await db('change_log')
    .where('version', '>', cursor)
    .orderBy('version')
    .limit(limit + 1)
    .select('version', 'entity', 'entity_key', 'op', 'data')) as ChangeLogRow[];
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const next = page.length ? Number(page[page.length - 1]!.version) : cursor;
  const cashiers = await cashierDataFor(db, page, terminalCode);
  const parts = page.map(
    (r) =>
      `{"version":${Number(r.version)},"entity":${JSON.stringify(r.entity)},"key":${JSON.stringify(r.entity_key)},"op":${JSON.stringify(r.op)},"data":${(r.entity === 'cashier' ? cashiers.get(r.entity_key) : null) ?? r.data ?? 'null'}}`,
  );
  const body = `{"changes":[${parts.join(',')}],"cursor":${next},"hasMore":${hasMore},"head":${Math.max(head, next)}}`;
  return { body, count: page.length, cursor: next, hasMore };
}
