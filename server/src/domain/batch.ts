/**
 * One push batch, applied as a unit of work inside ONE database transaction: appliers read and change
 * in-memory state (accounts locked and loaded once, their open items, new rows to insert) and the batch
 * writes it all in a handful of bulk statements at the end, then the change log under the version lock.
 * An applier that finds a rule broken throws a Rejection BEFORE it changes anything, so a rejected
 * event leaves no trace but its own review record.
 */
import type { Knex } from 'knex';

import type { Allocation, AllocationPolicy, OpenItem } from '../../../shared/domain/allocation.js';
import { addCents, subCents } from '../../../shared/money.js';
import type { ReplicaEntity } from '../../../shared/sync/protocol.js';
import type { Dialect } from '../db/connection.js';
import { forUpdate, insertChunked, upsertChunked } from '../db/util.js';
import {
  accountData,
  headVersion,
  openItemData,
  writeChanges,
  type AccountRow,
  type OpenItemRow,
  type PendingChange,
} from './changes.js';
import { loadPolicy } from './policies.js';

/** A broken server rule: the event is recorded as rejected (with this code and message), never applied. */
export class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

export type TerminalRow = {
  id: string;
  code: string;
  name: string;
  branch: string;
  token_hash: string;
  first_seq: number;
  last_applied_seq: number;
  enrolled_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
};

export type AccountState = {
  row: AccountRow;
  items: OpenItemRow[];
  dirty: boolean;
};

export type StoredAllocation = {
  transaction_id: string;
  item_id: string;
  account_number: string;
  bill_id: string | null;
  category: string;
  due_date: string;
  cents: number;
};

const ALLOCATION_COLUMNS = [
  'transaction_id',
  'item_id',
  'account_number',
  'bill_id',
  'category',
  'due_date',
  'cents',
] as const;

/** An allocation row as the batch writes it: exactly its columns, whatever the source object carried. */
function storedAllocation(a: StoredAllocation): StoredAllocation {
  return {
    transaction_id: a.transaction_id,
    item_id: a.item_id,
    account_number: a.account_number,
    bill_id: a.bill_id,
    category: a.category,
    due_date: a.due_date,
    cents: Number(a.cents),
  };
}

const INSERT_ORDER = [
  'transactions',
  'transaction_tenders',
  'journal_lines',
  'allocations',
  'account_payments',
  'receipt_reprints',
  'till_closings',
];

export class Batch {
  private readonly accounts = new Map<string, AccountState>();
  private readonly missingAccounts = new Set<string>();
  private readonly knownTransactions = new Set<string>();
  private readonly checkedTransactions = new Set<string>();
  private readonly batchAllocations = new Map<string, StoredAllocation[]>();
  private readonly inserts = new Map<string, Record<string, unknown>[]>();
  private readonly dirtyItems = new Map<string, OpenItemRow>();
  private readonly deletedItems = new Set<string>();
  private readonly changes = new Map<string, PendingChange>();
  private policy: AllocationPolicy | null = null;

  constructor(
    readonly trx: Knex.Transaction,
    readonly dialect: Dialect,
    readonly terminal: TerminalRow,
    readonly now: string,
  ) {}

  /** Locks (PostgreSQL: in account-number order, so concurrent batches never deadlock) and loads accounts. */
  async loadAccounts(numbers: Iterable<string>): Promise<void> {
    const wanted = [...new Set(numbers)]
      .filter((n) => !this.accounts.has(n) && !this.missingAccounts.has(n))
      .sort();
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const rows = (await forUpdate(
        this.trx('accounts').whereIn('account_number', chunk).orderBy('account_number'),
        this.dialect,
      )) as AccountRow[];
      const items = (await this.trx('open_items')
        .whereIn('account_number', chunk)
        .orderBy('id')) as OpenItemRow[];
      for (const row of rows) {
        this.accounts.set(row.account_number, {
          row: {
            ...row,
            balance_cents: Number(row.balance_cents),
            deposit_held_cents: Number(row.deposit_held_cents),
          },
          items: items
            .filter((it) => it.account_number === row.account_number)
            .map((it) => ({ ...it, open_cents: Number(it.open_cents) })),
          dirty: false,
        });
      }
      for (const n of chunk) if (!this.accounts.has(n)) this.missingAccounts.add(n);
    }
  }

  /** The account's open items in the shape the shared allocation rule takes. */
  openItems(state: AccountState): OpenItem[] {
    return state.items.map((i) => ({
      id: i.id,
      category: i.category,
      dueDate: i.due_date,
      openCents: i.open_cents,
    }));
  }

  account(accountNumber: string): AccountState | undefined {
    return this.accounts.get(accountNumber);
  }

  /** Loads which of these transaction ids the server already has. */
  async loadTransactionIds(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.checkedTransactions.has(id));
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const rows = (await this.trx('transactions').whereIn('id', chunk).select('id')) as { id: string }[];
      for (const r of rows) this.knownTransactions.add(r.id);
      for (const id of chunk) this.checkedTransactions.add(id);
    }
  }

  async hasTransaction(id: string): Promise<boolean> {
    if (!this.checkedTransactions.has(id)) await this.loadTransactionIds([id]);
    return this.knownTransactions.has(id);
  }

  async transactionRow(id: string): Promise<Record<string, unknown> | undefined> {
    const inBatch = this.inserts.get('transactions')?.find((r) => r.id === id);
    if (inBatch) return inBatch;
    return (await this.trx('transactions').where('id', id).first()) as Record<string, unknown> | undefined;
  }

  /** Whether a transaction was reversed already, on the server or earlier in this batch. */
  async isReversed(id: string): Promise<boolean> {
    if (this.inserts.get('transactions')?.some((r) => r.reverses_id === id)) return true;
    return !!(await this.trx('transactions').where('reverses_id', id).first('id'));
  }

  /** A transaction's journal lines, from this batch or the server. */
  async journalOf(transactionId: string): Promise<{ ledgerAccount: string; cents: number }[]> {
    const inBatch = this.inserts.get('journal_lines')?.filter((r) => r.transaction_id === transactionId);
    const rows = (
      inBatch?.length
        ? inBatch
        : await this.trx('journal_lines')
            .where('transaction_id', transactionId)
            .select('ledger_account', 'cents')
    ) as { ledger_account: string; cents: number | string }[];
    return rows.map((r) => ({ ledgerAccount: r.ledger_account, cents: Number(r.cents) }));
  }

  async allocationsOf(transactionId: string): Promise<StoredAllocation[]> {
    const inBatch = this.batchAllocations.get(transactionId);
    if (inBatch) return inBatch;
    const rows = (await this.trx('allocations')
      .where('transaction_id', transactionId)
      .select(ALLOCATION_COLUMNS)) as StoredAllocation[];
    return rows.map(storedAllocation);
  }

  async allocationPolicy(): Promise<AllocationPolicy> {
    this.policy ??= await loadPolicy(this.trx);
    return this.policy;
  }

  insert(table: string, row: Record<string, unknown>): void {
    let rows = this.inserts.get(table);
    if (!rows) this.inserts.set(table, (rows = []));
    rows.push(row);
    if (table === 'transactions') {
      this.knownTransactions.add(row.id as string);
      this.checkedTransactions.add(row.id as string);
    }
  }

  /** Records a replica change; a later change of the same entity replaces it and moves to the end. */
  change(entity: ReplicaEntity, key: string, op: 'upsert' | 'delete', data: unknown): void {
    const k = `${entity}:${key}`;
    this.changes.delete(k);
    this.changes.set(k, { entity, key, op, data });
  }

  /** Moves the account's receivable by `cents` (payments negative). */
  moveBalance(state: AccountState, cents: number): void {
    state.row.balance_cents = addCents(state.row.balance_cents, cents);
    state.row.updated_at = this.now;
    state.dirty = true;
  }

  /** Moves what the deposit fund holds for the account by `cents` (collected / interest positive, paid out negative). */
  moveDeposit(state: AccountState, cents: number): void {
    state.row.deposit_held_cents = addCents(state.row.deposit_held_cents, cents);
    state.row.updated_at = this.now;
    state.dirty = true;
  }

  /** Takes allocated amounts off the account's open items; an item paid in full leaves the replica. */
  allocate(state: AccountState, transactionId: string, allocations: Allocation[]): void {
    const stored: StoredAllocation[] = [];
    for (const a of allocations) {
      const item = state.items.find((it) => it.id === a.itemId);
      if (!item) throw new Error(`invariant: allocation to unknown item ${a.itemId}`);
      item.open_cents = subCents(item.open_cents, a.cents);
      stored.push({
        transaction_id: transactionId,
        item_id: item.id,
        account_number: item.account_number,
        bill_id: item.bill_id,
        category: item.category,
        due_date: item.due_date,
        cents: a.cents,
      });
      this.touchItem(state, item);
    }
    this.recordAllocations(transactionId, stored);
  }

  /**
   * A new open item on the account, written with the batch's open items: any capability can add one
   * (a debit on the account, charges billed in installments); payments allocate to it like a bill's.
   */
  addItem(state: AccountState, item: OpenItemRow): void {
    if (state.items.some((it) => it.id === item.id))
      throw new Error(`invariant: open item ${item.id} exists`);
    state.items.push(item);
    this.touchItem(state, item);
  }

  /** Gives back what a transaction took off open items (a void); items paid in full come back. */
  restore(state: AccountState, transactionId: string, original: StoredAllocation[]): void {
    const stored: StoredAllocation[] = [];
    for (const a of original) {
      let item = state.items.find((it) => it.id === a.item_id);
      if (!item) {
        item = {
          id: a.item_id,
          account_number: a.account_number,
          bill_id: a.bill_id,
          category: a.category,
          due_date: a.due_date,
          open_cents: 0,
        };
        state.items.push(item);
      }
      item.open_cents = addCents(item.open_cents, a.cents);
      // Named columns only: the original's own row id (or any other stored column) must not be copied.
      stored.push(storedAllocation({ ...a, transaction_id: transactionId, cents: -a.cents }));
      this.touchItem(state, item);
    }
    this.recordAllocations(transactionId, stored);
  }

  private recordAllocations(transactionId: string, stored: StoredAllocation[]): void {
    this.batchAllocations.set(transactionId, stored);
    for (const s of stored) this.insert('allocations', s);
  }

  private touchItem(state: AccountState, item: OpenItemRow): void {
    if (item.open_cents === 0) {
      state.items = state.items.filter((it) => it !== item);
      this.dirtyItems.delete(item.id);
      this.deletedItems.add(item.id);
      this.change('open_item', item.id, 'delete', null);
    } else {
      this.deletedItems.delete(item.id);
      this.dirtyItems.set(item.id, item);
      this.change('open_item', item.id, 'upsert', openItemData(item));
    }
    state.dirty = true;
  }

  /** Writes the rows queued so far (an applier about to query them, e.g. a till reconciliation). */
  async flushInserts(): Promise<void> {
    for (const table of [...INSERT_ORDER, ...this.inserts.keys()]) {
      const rows = this.inserts.get(table);
      if (!rows?.length) continue;
      this.inserts.delete(table);
      await insertChunked(this.trx, table, rows, 400);
    }
  }

  /**
   * Writes everything, then the change log: each account's change comes after its open items and
   * payments, so the version acked for an event (its account's) is the highest of its changes and a
   * replica holding that account version holds all of the event's effect.
   */
  async finish(): Promise<{ versions: Map<string, number>; head: number }> {
    await this.flushInserts();
    if (this.dirtyItems.size) {
      // An item brought back from an allocation (a reversal reopening it) has no flag of its own: it is
      // an ordinary item. Every row of one statement must name the same columns (SQLite would write NULL).
      const rows = [...this.dirtyItems.values()].map((it) => ({
        ...it,
        not_disconnectable: it.not_disconnectable ?? false,
      }));
      await upsertChunked(this.trx, 'open_items', rows, ['id'], ['open_cents'], 400);
    }
    if (this.deletedItems.size) {
      const ids = [...this.deletedItems];
      for (let i = 0; i < ids.length; i += 500)
        await this.trx('open_items')
          .whereIn('id', ids.slice(i, i + 500))
          .delete();
    }
    const dirtyAccounts = [...this.accounts.values()].filter((a) => a.dirty);
    if (dirtyAccounts.length)
      await upsertChunked(
        this.trx,
        'accounts',
        dirtyAccounts.map((a) => a.row),
        ['account_number'],
        ['balance_cents', 'deposit_held_cents', 'updated_at'],
        200,
      );
    const ordered = [
      ...[...this.changes.values()].filter((c) => c.entity !== 'account'),
      ...[...this.changes.values()].filter((c) => c.entity === 'account'),
    ];
    for (const a of dirtyAccounts) {
      if (this.changes.has(`account:${a.row.account_number}`)) continue;
      ordered.push({
        entity: 'account',
        key: a.row.account_number,
        op: 'upsert',
        data: accountData(a.row),
      });
    }
    const versions = await writeChanges(this.trx, ordered, this.now);
    let head = 0;
    for (const v of versions.values()) head = Math.max(head, v);
    if (head === 0) head = await headVersion(this.trx);
    return { versions, head };
  }
}
