import type { Capability, DetailOf } from '../../../../../shared/sync/details.js';
import type { LedgerPosted } from '../../../../../shared/sync/ledger.js';
import type { AccountState, Batch } from '../../batch.js';

/** What the ledger applier found and wrote before the capability's own rows. */
export type Applied = {
  /** The transaction this one reverses (its server row), when it reverses one. */
  original: Record<string, unknown> | undefined;
  /** The account's receivable moved by this transaction (its `ar:<account>` lines). */
  arCents: number;
};

/** Writes a capability's own tables, after the ledger applier wrote the transaction, tenders and journal. */
export type DetailWrite = (applied: Applied) => Promise<void>;

/**
 * A capability's part in applying a `ledger.posted` envelope. The ledger applier (../ledger.ts) checks
 * and writes everything the envelope carries; the capability checks its detail against the envelope and
 * the server's records, and writes ONLY its own tables (deposits, equipment units, payment history …).
 */
export type DetailApplier<C extends Capability> = {
  /** The transaction kinds this capability posts; any other kind is refused. */
  kinds: readonly string[];
  /** Every transaction of this capability is on an account. */
  needsAccount: boolean;
  /**
   * Its transactions reverse PART of the transaction they name (one tender of it, with a charge of
   * their own), so they do not negate its journal line for line: the ledger applier leaves the
   * reversal's checks, and giving back what the part had paid, to the capability's `check` and write.
   * The original counts as reversed from then on: it can no longer be voided.
   */
  partialReversal?: boolean;
  /** The transaction in the words of a review message, mid-sentence ("payment T-12", "the drop …"). */
  what(p: LedgerPosted): string;
  /** The message when the envelope's account is not on the server. */
  unknownAccount(p: LedgerPosted): string;
  /**
   * Checks the detail (throws a Rejection; changes nothing) after the envelope's own checks, and
   * returns the write of the capability's rows.
   */
  check(
    batch: Batch,
    p: LedgerPosted,
    detail: DetailOf<C>,
    account: AccountState | undefined,
  ): Promise<DetailWrite>;
};

/** Identity helper that keeps the capability's detail type. */
export function detailApplier<C extends Capability>(a: DetailApplier<C>): DetailApplier<C> {
  return a;
}
