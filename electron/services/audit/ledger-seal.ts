/**
 * The seal of a posted transaction: a hash of its row and its journal and tender lines, written into
 * the posting's audit entry. The audit chain then covers the ledger itself: a row edited in the
 * database file (an amount, an account, a tender) no longer matches the seal its audit entry carries,
 * even if whoever edited it also recomputed the audit chain's hashes without the seal.
 */
import { createHash } from 'node:crypto';

import type { Knex } from 'knex';

/** The columns a posting writes once and nothing changes later (voids and sync mark other columns). */
export const SEALED_COLUMNS = [
  'id',
  'kind',
  'account_number',
  'amount_cents',
  'applied_cents',
  'change_cents',
  'credit_cents',
  'cashier_id',
  'approved_by',
  'till_id',
  'receipt_number',
  'business_date',
  'created_at',
  'reverses_id',
] as const;

export type SealedRow = Record<(typeof SEALED_COLUMNS)[number], string | number | null>;
type Line = { ledgerAccount: string; cents: number; memo: string };
type TenderLine = { type: string; amountCents: number; netCents: number };

export function ledgerSeal(row: SealedRow, journal: Line[], tenders: TenderLine[]): string {
  const canonical = JSON.stringify([
    SEALED_COLUMNS.map((c) => row[c] ?? null),
    journal
      .map((l) => [l.ledgerAccount, Number(l.cents), l.memo])
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    tenders.map((t) => [t.type, Number(t.amountCents), Number(t.netCents)]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The seal of a transaction as its rows stand in the database now; null when the row is gone. */
export async function sealOf(db: Knex, transactionId: string): Promise<string | null> {
  const row = (await db('transactions')
    .where('id', transactionId)
    .first(...SEALED_COLUMNS)) as SealedRow | undefined;
  if (!row) return null;
  const journal = (await db('journal_lines')
    .where('transaction_id', transactionId)
    .select('ledger_account', 'cents', 'memo')) as { ledger_account: string; cents: number; memo: string }[];
  const tenders = (await db('tenders')
    .where('transaction_id', transactionId)
    .orderBy('position')
    .select('type', 'amount_cents', 'net_cents')) as {
    type: string;
    amount_cents: number;
    net_cents: number;
  }[];
  return ledgerSeal(
    row,
    journal.map((l) => ({ ledgerAccount: l.ledger_account, cents: l.cents, memo: l.memo })),
    tenders.map((t) => ({ type: t.type, amountCents: t.amount_cents, netCents: t.net_cents })),
  );
}
