import type { z } from 'zod';

import type { Batch } from '../batch.js';

export type EventMeta = { id: string; seq: number; type: string; occurredAt: string };

export type ApplyOutcome = {
  /** The account whose replica row carries this event's effect (its version is acked to the terminal). */
  account?: string;
};

/** Applies one event type. Throws a Rejection (before changing anything) when a server rule is broken. */
export type Applier<T> = {
  schema: z.ZodType<T>;
  /** Accounts the event touches: locked and loaded for the whole batch before anything is applied. */
  accounts?(payload: T): string[];
  /** Transaction ids the event refers to, looked up for the whole batch at once. */
  transactionIds?(payload: T): string[];
  apply(batch: Batch, event: EventMeta, payload: T): Promise<ApplyOutcome>;
};

/** Identity helper that keeps the payload type of each applier. */
export function applier<T>(a: Applier<T>): Applier<T> {
  return a;
}

export type TenderRow = { type: string; amountCents: number; netCents: number; reference?: string | null };
export type JournalRow = { ledgerAccount: string; cents: number; memo: string };

/** The tender rows and balanced journal lines of an applied transaction, as every applier records them. */
export function insertTendersAndJournal(
  batch: Batch,
  transactionId: string,
  tenders: TenderRow[],
  journal: JournalRow[],
): void {
  tenders.forEach((t, i) =>
    batch.insert('transaction_tenders', {
      transaction_id: transactionId,
      position: i,
      type: t.type,
      amount_cents: t.amountCents,
      net_cents: t.netCents,
      reference: t.reference ?? null,
    }),
  );
  for (const l of journal) {
    batch.insert('journal_lines', {
      transaction_id: transactionId,
      ledger_account: l.ledgerAccount,
      cents: l.cents,
      memo: l.memo,
    });
  }
}

type Line = { ledgerAccount: string; cents: number };

/** The same journal lines (account and cents), in any order; memos aside. */
export function sameJournal(a: Line[], b: Line[]): boolean {
  const key = (l: Line): string => `${l.ledgerAccount}\u0000${l.cents}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
}
