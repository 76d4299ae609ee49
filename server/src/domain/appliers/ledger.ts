/**
 * `ledger.posted`: every ledger transaction a counter posts (payments, till slips and corrections,
 * deposits, equipment …) in one envelope. This applier checks what every ledger transaction carries,
 * once, before anything is applied: the account, a transaction not applied before, a balanced journal,
 * the origin (terminal, till, cashier, approver), the accounts its kind may post to, receivables of no
 * other account, tenders that agree with the journal, and a reversal that exactly negates what it
 * reverses (a capability whose transactions reverse part of one checks that part itself). The capability's detail applier (details/index.ts) checks its own detail in between. Then
 * it writes the transaction, tenders and journal, moves the account's balance (a credit is allocated
 * over the open items; a reversal gives back what the original took), and lets the capability write its
 * own tables. Nothing is written on a rejection.
 *
 * Counters that still have a detail-less `ledger.posted` queued (or a `payment.posted`, `deposit.posted`,
 * `equipment.posted`) are translated into the envelope first (../legacy.ts).
 */
import { z } from 'zod';

import { allocatePayment } from '../../../../shared/domain/allocation.js';
import { journalBalances } from '../../../../shared/domain/tenders.js';
import { addCents } from '../../../../shared/money.js';
import type { Capability } from '../../../../shared/sync/details.js';
import { LegacyLedgerPostedSchema } from '../../../../shared/sync/legacy.js';
import { LedgerPostedSchema, tenderReference, type LedgerPosted } from '../../../../shared/sync/ledger.js';
import { Rejection, type Batch } from '../batch.js';
import { fromLegacyLedger } from '../legacy.js';
import { details } from './details/index.js';
import type { DetailApplier } from './details/types.js';
import { checkKindAccounts, checkOrigin, checkReversal, checkTendersAgree } from './origin.js';
import { applier, insertTendersAndJournal, type Applier, type EventMeta } from './types.js';

const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

async function applyLedger(batch: Batch, event: EventMeta, p: LedgerPosted): Promise<{ account?: string }> {
  const d = details[p.detail.capability] as DetailApplier<Capability> | undefined;
  if (!d)
    throw new Rejection(
      'UNKNOWN_CAPABILITY',
      `The server does not apply ${p.detail.capability} transactions yet; kept for review.`,
    );
  const what = d.what(p);
  if (!d.kinds.includes(p.kind))
    throw new Rejection('INVALID_PAYLOAD', `A ${p.detail.capability} transaction is never a ${p.kind}.`);
  if (d.needsAccount && !p.accountNumber)
    throw new Rejection('INVALID_PAYLOAD', `${sentence(what)} names no account.`);
  const account = p.accountNumber ? batch.account(p.accountNumber) : undefined;
  if (p.accountNumber && !account) throw new Rejection('UNKNOWN_ACCOUNT', d.unknownAccount(p));
  if (await batch.hasTransaction(p.transactionId))
    throw new Rejection(
      'DUPLICATE_TRANSACTION',
      `Transaction ${p.transactionId} is already on the server (another event carried it); not applied twice.`,
    );
  if (!journalBalances(p.journal))
    throw new Rejection('UNBALANCED', `The journal of ${what} does not sum to zero.`);
  await checkOrigin(batch, p, sentence(what));
  checkKindAccounts(p.kind, p.journal, p.accountNumber);
  for (const l of p.journal) {
    const [prefix, owner] = l.ledgerAccount.split(':');
    if ((prefix === 'ar' || prefix === 'deposits_held') && owner !== (p.accountNumber ?? ''))
      throw new Rejection('INCONSISTENT_ACCOUNT', `${sentence(what)} posts to another account's ${prefix}.`);
  }
  const write = await d.check(batch, p, p.detail, account);
  checkTendersAgree(p.kind, p.tenders, p.journal);
  let original: Record<string, unknown> | undefined;
  if (p.reversesId) {
    original = await batch.transactionRow(p.reversesId);
    if (!original)
      throw new Rejection(
        'UNKNOWN_ORIGINAL',
        `The ${p.kind} of ${p.reversesId}: that transaction is not on the server (was it rejected?).`,
      );
    if (original.account_number !== (p.accountNumber ?? null))
      throw new Rejection('INCONSISTENT_ACCOUNT', `The ${p.kind} of ${p.reversesId} names another account.`);
    if (!d.partialReversal) await checkReversal(batch, p.reversesId, original, p.journal);
  }

  // ---- apply (nothing above changed anything) ----
  const arCents = addCents(
    ...p.journal.filter((l) => l.ledgerAccount === `ar:${p.accountNumber ?? ''}`).map((l) => l.cents),
  );
  let unapplied = 0;
  if (account) {
    if (p.reversesId) {
      if (!d.partialReversal)
        batch.restore(account, p.transactionId, await batch.allocationsOf(p.reversesId));
    } else if (arCents < 0) {
      const allocation = allocatePayment(-arCents, batch.openItems(account), await batch.allocationPolicy(), {
        asOf: p.businessDate,
      });
      batch.allocate(account, p.transactionId, allocation.allocations);
      unapplied = allocation.unappliedCents;
    }
    if (arCents !== 0) batch.moveBalance(account, arCents);
  }
  batch.insert('transactions', {
    id: p.transactionId,
    kind: p.kind,
    event_id: event.id,
    terminal_id: batch.terminal.id,
    terminal_code: p.terminalCode,
    branch: p.branch,
    till_id: p.tillId,
    account_number: p.accountNumber,
    amount_cents: p.amountCents,
    ar_cents: arCents,
    change_cents: p.changeCents,
    credit_cents: p.creditCents,
    unapplied_cents: unapplied,
    reverses_id: p.reversesId,
    receipt_number: p.receiptNumber,
    cashier_id: p.cashierId,
    approved_by: p.approvedBy,
    business_date: p.businessDate,
    created_at: p.createdAt,
    applied_at: batch.now,
  });
  insertTendersAndJournal(
    batch,
    p.transactionId,
    p.tenders.map((t) => ({ ...t, reference: tenderReference(t) })),
    p.journal,
  );
  await write({ original, arCents });
  return account ? { account: account.row.account_number } : {};
}

/**
 * The envelope, or the detail-less `ledger.posted` an older counter queued (no `detail`), translated.
 * Each is validated by its own schema, so a bad payload names the field that is wrong.
 */
const LedgerEventSchema = z.unknown().transform((v, ctx): LedgerPosted => {
  const enveloped = typeof v === 'object' && v !== null && 'detail' in v;
  const r = enveloped ? LedgerPostedSchema.safeParse(v) : LegacyLedgerPostedSchema.safeParse(v);
  if (r.success) return enveloped ? (r.data as LedgerPosted) : fromLegacyLedger(r.data as never);
  for (const issue of r.error.issues)
    ctx.addIssue({
      code: 'custom',
      message: issue.message,
      path: issue.path.map((k) => k as string | number),
    });
  return z.NEVER;
});

const ledgerApplier = {
  accounts: (p: LedgerPosted) => (p.accountNumber ? [p.accountNumber] : []),
  transactionIds: (p: LedgerPosted) => [p.transactionId, ...(p.reversesId ? [p.reversesId] : [])],
  apply: applyLedger,
};

export const ledgerPosted = applier<LedgerPosted>({ schema: LedgerEventSchema, ...ledgerApplier });

/** A ledger event type an older counter may still have queued: translated, then applied as the envelope. */
export function legacyLedger<T>(
  schema: z.ZodType<T>,
  translate: (p: T) => LedgerPosted,
): Applier<LedgerPosted> {
  return applier<LedgerPosted>({ schema: schema.transform(translate), ...ledgerApplier });
}
