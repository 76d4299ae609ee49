/**
 * Writing a ledger transaction: the row, its balanced journal lines (refused if they do not sum to
 * zero), and the next gap-free receipt number. Callers run these inside their own SQLite transaction
 * together with the outbox event and the audit entry.
 */
import type { Knex } from 'knex';

import type { Tender } from '../../../shared/api/schemas.js';
import {
  journalBalances,
  TENDER_LABEL,
  type JournalLine,
  type Settlement,
} from '../../../shared/domain/tenders.js';
import { receiptPrefix, type ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import type { ReceiptModel } from '../receipts/compose.js';
import { checkTenderColumns } from './sensitive.js';

export type TransactionRow = {
  id: string;
  request_id: string;
  kind: string;
  account_number: string | null;
  amount_cents: number;
  applied_cents: number;
  change_cents?: number;
  credit_cents?: number;
  cashier_id: string;
  approved_by?: string | null;
  terminal_code: string;
  till_id: string | null;
  receipt_number: string | null;
  business_date: string;
  created_at: string;
  reverses_id?: string | null;
  reason?: string | null;
};

export async function insertTransaction(
  trx: Knex.Transaction,
  row: TransactionRow,
  journal: JournalLine[],
): Promise<void> {
  if (!journalBalances(journal)) throw new Error(`invariant: ${row.kind} journal does not balance`);
  await trx('transactions').insert(row);
  if (journal.length) {
    await trx('journal_lines').insert(
      journal.map((l) => ({
        transaction_id: row.id,
        ledger_account: l.ledgerAccount,
        cents: l.cents,
        memo: l.memo,
      })),
    );
  }
}

/** Next number of a gap-free counter (receipt numbers), moved inside the caller's transaction. */
export async function nextCounter(trx: Knex.Transaction, name: string): Promise<number> {
  const rows = (await trx.raw(
    'INSERT INTO counters(name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
    [name],
  )) as { value: number }[];
  const value = rows[0]?.value;
  if (value === undefined) throw new Error(`counter ${name} did not move`);
  return value;
}

export async function nextReceiptNumber(
  trx: Knex.Transaction,
  ctx: Pick<ServiceContext, 'terminal'>,
): Promise<string> {
  return `${receiptPrefix(ctx.terminal)}-${String(await nextCounter(trx, 'receipt')).padStart(6, '0')}`;
}

/** A request id seen before (unique index on transactions.request_id): the caller answers with the first result. */
export function isDuplicateRequest(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed: transactions\.request_id/.test(err.message);
}

/** The tender rows of a transaction paid with `tenders` (net of change, from the settlement). */
export async function insertTenders(
  trx: Knex.Transaction,
  transactionId: string,
  tenders: Tender[],
  settlement: Settlement,
): Promise<void> {
  await trx('tenders').insert(
    tenders.map((t, i) => ({
      id: newId(),
      transaction_id: transactionId,
      position: i,
      type: t.type,
      amount_cents: t.amountCents,
      net_cents: settlement.net[i]?.cents ?? 0,
      check_number: t.type === 'check' ? t.checkNumber : null,
      ...checkTenderColumns(trx, t, transactionId, i),
      card_brand: t.type === 'card' ? t.brand : null,
      card_last4: t.type === 'card' ? t.last4 : null,
      auth_code: t.type === 'card' ? t.authCode : null,
      money_order_serial: t.type === 'money_order' ? t.serial : null,
    })),
  );
}

/** How a tender reads on a receipt: check number, card brand + last 4 + auth code, money order serial. */
export function tenderReference(t: Tender): string {
  switch (t.type) {
    case 'cash':
      return '';
    case 'check':
      return `Check #${t.checkNumber}`;
    case 'card':
      return `${t.brand} ****${t.last4} auth ${t.authCode}`;
    case 'money_order':
      return `Money order ${t.serial}`;
  }
}

/** The tender lines of a receipt. */
export function receiptTenders(tenders: Tender[]): ReceiptModel['tenders'] {
  return tenders.map((t) => ({
    label: t.type === 'cash' ? 'Cash tendered' : TENDER_LABEL[t.type],
    amountCents: t.amountCents,
    ...(tenderReference(t) ? { detail: tenderReference(t) } : {}),
  }));
}
