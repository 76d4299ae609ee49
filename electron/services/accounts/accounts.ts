/**
 * Account lookup over the replica: exact account number (primary key), phone and name/address
 * prefixes through SQLite FTS5 (never a LIKE '%…%' scan), and the account view with what this
 * terminal has taken but the server has not confirmed yet.
 */
import type { Knex } from 'knex';

import { CounterError } from '../../../shared/api/errors.js';
import type { AccountDetail, AccountSummary, Bill } from '../../../shared/api/schemas.js';
import { ageItems, pastDue, type OpenItem } from '../../../shared/domain/allocation.js';

type AccountRow = {
  account_number: string;
  name: string;
  class: 'residential' | 'commercial';
  status: 'active' | 'suspended' | 'collections' | 'closed';
  service_address: string;
  phone: string;
  cash_only: number;
  cash_only_reason: string | null;
  balance_cents: number;
  deposit_held_cents: number;
  /** The server change-log version of this replica row (0 when seeded locally). */
  version: number;
  as_of: string;
};

const SUMMARY_COLUMNS = ['account_number', 'name', 'class', 'status', 'service_address', 'phone'] as const;

function toSummary(r: Pick<AccountRow, (typeof SUMMARY_COLUMNS)[number]>): AccountSummary {
  return {
    accountNumber: r.account_number,
    name: r.name,
    class: r.class,
    status: r.status,
    serviceAddress: r.service_address,
    phone: r.phone,
  };
}

/** Builds an FTS5 query: every word a prefix term, all words required. Quotes keep user text literal. */
export function ftsQuery(text: string, column?: 'name' | 'address' | 'phone'): string | null {
  const words = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 6);
  if (words.length === 0) return null;
  const terms = words.map((w) => `"${w.replaceAll('"', '')}"*`);
  return column ? `${column} : (${terms.join(' AND ')})` : terms.join(' AND ');
}

export async function searchAccounts(
  db: Knex,
  query: string,
  limit: number,
): Promise<{ results: AccountSummary[]; exact: boolean }> {
  const q = query.trim();
  const digits = q.replace(/[\s().-]/g, '');
  if (/^\d+$/.test(digits)) {
    if (digits.length === 10) {
      const exact = (await db('accounts').select(SUMMARY_COLUMNS).where('account_number', digits).first()) as
        AccountRow | undefined;
      if (exact) return { results: [toSummary(exact)], exact: true };
    }
    if (digits.length < 3) return { results: [], exact: false };
    // Account-number prefix (primary-key range) and phone prefix (FTS), merged.
    const upper = digits.length >= 10 ? digits : digits + '\uffff';
    const byNumber = (await db('accounts')
      .select(SUMMARY_COLUMNS)
      .where('account_number', '>=', digits)
      .andWhere('account_number', '<', upper)
      .orderBy('account_number')
      .limit(limit)) as AccountRow[];
    // The last 4 or 7 digits are tokens of their own in the index (db/account-index.ts): those match
    // exactly ("0142" must not find 0142xxx); any other length is the start of the full number.
    const phoneMatch =
      digits.length === 4
        ? `phone : "${digits}"`
        : digits.length === 7
          ? `phone : ("${digits}" OR "${digits}"*)`
          : ftsQuery(digits, 'phone');
    const byPhone = (await db.raw(
      `SELECT a.account_number, a.name, a.class, a.status, a.service_address, a.phone
         FROM accounts_fts f JOIN accounts a ON a.rowid = f.rowid
        WHERE accounts_fts MATCH ? LIMIT ?`,
      [phoneMatch, limit],
    )) as AccountRow[];
    const seen = new Set<string>();
    const merged = [...byNumber, ...byPhone].filter(
      (r) => !seen.has(r.account_number) && seen.add(r.account_number),
    );
    return { results: merged.slice(0, limit).map(toSummary), exact: false };
  }
  if (q.length < 2) return { results: [], exact: false };
  const match = ftsQuery(q);
  if (!match) return { results: [], exact: false };
  const rows = (await db.raw(
    `SELECT a.account_number, a.name, a.class, a.status, a.service_address, a.phone
       FROM accounts_fts f JOIN accounts a ON a.rowid = f.rowid
      WHERE accounts_fts MATCH ? LIMIT ?`,
    [`{name address} : (${match})`, limit],
  )) as AccountRow[];
  rows.sort((a, b) => a.name.localeCompare(b.name));
  return { results: rows.map(toSummary), exact: false };
}

/** The replica row; with `withPending`, also the AR effect of transactions not yet in the replica (one query). */
export async function getAccountRow(
  db: Knex,
  accountNumber: string,
  opts: { withPending?: boolean; openTillOf?: { terminalCode: string; cashierId: string } } = {},
): Promise<AccountRow & { pending_cents?: number; open_till_id?: string | null }> {
  // One statement: the row, the last pull time, and (for postings) what this terminal has pending on
  // the account and the cashier's open till. Posting is the hot path: every statement counts.
  const pending = opts.withPending ? `, (${PENDING_AR_SQL}) AS pending_cents` : '';
  const till = opts.openTillOf
    ? `, (SELECT id FROM tills WHERE terminal_code = ? AND cashier_id = ? AND status = 'open') AS open_till_id`
    : '';
  const bindings = [
    ...(opts.withPending ? [`ar:${accountNumber}`] : []),
    ...(opts.openTillOf ? [opts.openTillOf.terminalCode, opts.openTillOf.cashierId] : []),
    accountNumber,
  ];
  const row = (
    (await db.raw(
      `SELECT a.*, (SELECT value FROM settings WHERE key = 'sync.lastPullAt') AS last_pull_at${pending}${till}
         FROM accounts a WHERE a.account_number = ?`,
      bindings,
    )) as (AccountRow & {
      last_pull_at: string | null;
      pending_cents?: number;
      open_till_id?: string | null;
    })[]
  )[0];
  if (!row)
    throw new CounterError(
      'NOT_FOUND',
      `No account ${accountNumber}. Check the number on the bill.`,
      'accountNumber',
    );
  // Every pull is complete, so the whole replica is the server's state as of the last pull.
  if (row.last_pull_at && row.last_pull_at > row.as_of) row.as_of = row.last_pull_at;
  return row;
}

/**
 * "Pending" = taken here and not yet in the replica: the server has not applied it (server_version
 * NULL, queued or rejected), or it applied it at a change-log version newer than the replica's row of
 * that account (acked, not pulled yet). Counted exactly once either way: never twice, never dropped.
 */
const NOT_IN_REPLICA = (accountSql: string): string =>
  `(t.server_version IS NULL OR t.server_version > COALESCE((SELECT ra.version FROM accounts ra WHERE ra.account_number = ${accountSql}), 0))`;

/**
 * Open items with what this terminal already allocated to them (not yet confirmed by the server), and
 * the items a posting here created (`addPendingOpenItems`) until the replica has them: any capability
 * can add an item (a debit on the account, charges billed in installments) that is payable at once.
 */
export async function effectiveOpenItems(db: Knex, accountNumber: string): Promise<OpenItem[]> {
  const taken = `COALESCE((SELECT SUM(al.cents) FROM allocations al JOIN transactions t ON t.id = al.transaction_id
          WHERE al.item_id = o.id AND ${NOT_IN_REPLICA('o.account_number')}), 0)`;
  const rows = (await db.raw(
    `SELECT o.id, o.category, o.due_date, o.open_cents - ${taken} AS open_cents
       FROM open_items o WHERE o.account_number = ?
     UNION ALL
     SELECT o.id, o.category, o.due_date, o.open_cents - ${taken} AS open_cents
       FROM pending_open_items o JOIN transactions t ON t.id = o.transaction_id
      WHERE o.account_number = ? AND NOT EXISTS (SELECT 1 FROM open_items r WHERE r.id = o.id)
        AND ${NOT_IN_REPLICA('o.account_number')}`,
    [accountNumber, accountNumber],
  )) as { id: string; category: string; due_date: string; open_cents: number }[];
  return rows.map((r) => ({ id: r.id, category: r.category, dueDate: r.due_date, openCents: r.open_cents }));
}

export type NewOpenItem = OpenItem & { notDisconnectable?: boolean };

/**
 * Open items a posting creates, written in its transaction: payable here at once (effectiveOpenItems),
 * until the replica holds the server's copy of them.
 */
export async function addPendingOpenItems(
  trx: Knex.Transaction,
  transactionId: string,
  accountNumber: string,
  items: readonly NewOpenItem[],
): Promise<void> {
  if (items.length === 0) return;
  await trx('pending_open_items').insert(
    items.map((i) => ({
      id: i.id,
      transaction_id: transactionId,
      account_number: accountNumber,
      category: i.category,
      due_date: i.dueDate,
      open_cents: i.openCents,
      not_disconnectable: i.notDisconnectable ? 1 : 0,
    })),
  );
}

/** The account's open items (replica or pending) that are not grounds for disconnection, and which items are still pending. */
export async function openItemFlags(
  db: Knex,
  accountNumber: string,
): Promise<{ notDisconnectable: Set<string>; inReplica: Set<string> }> {
  const replica = (await db('open_items')
    .where('account_number', accountNumber)
    .select('id', 'not_disconnectable')) as { id: string; not_disconnectable: number }[];
  const pending = (await db('pending_open_items')
    .where({ account_number: accountNumber, not_disconnectable: 1 })
    .select('id')) as { id: string }[];
  const inReplica = new Set(replica.map((r) => r.id));
  return {
    notDisconnectable: new Set([
      ...replica.filter((r) => r.not_disconnectable === 1).map((r) => r.id),
      ...pending.filter((r) => !inReplica.has(r.id)).map((r) => r.id),
    ]),
    inReplica,
  };
}

/** Net effect on an account's receivable (ledger account bound as the first parameter) of transactions taken here and not yet in the replica. */
const PENDING_AR_SQL = `SELECT COALESCE(SUM(j.cents), 0) FROM journal_lines j JOIN transactions t ON t.id = j.transaction_id
      WHERE j.ledger_account = ? AND ${NOT_IN_REPLICA('substr(j.ledger_account, 4)')}`;

export async function pendingArCents(db: Knex, accountNumber: string): Promise<number> {
  const row = (await db.raw(`SELECT (${PENDING_AR_SQL}) AS cents`, [`ar:${accountNumber}`])) as {
    cents: number;
  }[];
  return row[0]?.cents ?? 0;
}

/** Net effect on an account's deposits held (positive = more held) of deposit transactions taken here and not yet in the replica. */
export async function pendingDepositHeldCents(db: Knex, accountNumber: string): Promise<number> {
  const row = (await db.raw(
    `SELECT COALESCE(SUM(j.cents), 0) AS cents FROM journal_lines j JOIN transactions t ON t.id = j.transaction_id
      WHERE j.ledger_account = ? AND ${NOT_IN_REPLICA('substr(j.ledger_account, 15)')}`,
    [`deposits_held:${accountNumber}`],
  )) as { cents: number }[];
  return -(row[0]?.cents ?? 0) || 0;
}

export async function getAccountDetail(
  db: Knex,
  accountNumber: string,
  today: string,
): Promise<AccountDetail> {
  const row = await getAccountRow(db, accountNumber);
  const [items, pending, pendingHeld] = await Promise.all([
    effectiveOpenItems(db, accountNumber),
    pendingArCents(db, accountNumber),
    pendingDepositHeldCents(db, accountNumber),
  ]);
  // Receivable credits are negative journal amounts: a payment of 10.00 is -1000 on ar:<account>.
  const balanceCents = row.balance_cents + pending;
  const aging = ageItems(items, today);
  const billRow = (await db('bills')
    .where('account_number', accountNumber)
    .orderBy('bill_date', 'desc')
    .first()) as { id: string; bill_date: string; due_date: string; total_cents: number } | undefined;
  let lastBill: Bill | null = null;
  if (billRow) {
    const lines = (await db('bill_lines').where('bill_id', billRow.id).orderBy('id')) as {
      category: string;
      description: string;
      amount_cents: number;
    }[];
    lastBill = {
      id: billRow.id,
      billDate: billRow.bill_date,
      dueDate: billRow.due_date,
      totalCents: billRow.total_cents,
      lines: lines.map((l) => ({
        category: l.category,
        description: l.description,
        amountCents: l.amount_cents,
      })),
    };
  }
  const serverPayments = (await db('account_payments')
    .where('account_number', accountNumber)
    .orderBy('paid_on', 'desc')
    .limit(6)) as {
    paid_on: string;
    amount_cents: number;
    method: string;
    channel: string;
  }[];
  const localPayments = (await db('transactions')
    .where({ account_number: accountNumber, kind: 'payment' })
    .where((q) => q.whereNull('server_version').orWhere('server_version', '>', row.version ?? 0))
    .orderBy('created_at', 'desc')
    .limit(6)) as { business_date: string; applied_cents: number; id: string }[];
  const localMethods = localPayments.length
    ? ((await db('tenders')
        .whereIn(
          'transaction_id',
          localPayments.map((p) => p.id),
        )
        .select('transaction_id', 'type')) as { transaction_id: string; type: string }[])
    : [];
  const recentPayments = [
    ...localPayments.map((p) => ({
      date: p.business_date,
      amountCents: p.applied_cents,
      method: [
        ...new Set(
          localMethods.filter((m) => m.transaction_id === p.id).map((m) => m.type.replace('_', ' ')),
        ),
      ].join(' + '),
      where: 'here, pending',
    })),
    ...serverPayments.map((p) => ({
      date: p.paid_on,
      amountCents: p.amount_cents,
      method: p.method,
      where: p.channel,
    })),
  ].slice(0, 6);

  return {
    ...toSummary(row),
    cashOnly: row.cash_only === 1,
    cashOnlyReason: row.cash_only_reason,
    balanceCents,
    amountDueCents: Math.max(0, balanceCents),
    pastDueCents: Math.min(pastDue(items, today), Math.max(0, balanceCents)),
    aging,
    depositHeldCents: row.deposit_held_cents + pendingHeld,
    asOf: row.as_of,
    pendingCents: -pending || 0,
    lastBill,
    recentPayments,
  };
}
