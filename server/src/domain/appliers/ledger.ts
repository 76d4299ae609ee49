/**
 * `ledger.posted`: till and correction transactions (opening float, drops, paid-outs, voids, refunds,
 * the closing journal). The balanced journal is the truth: the lines on `ar:<account>` move that
 * account's balance; a void gives back what the voided payment took off the open items.
 */
import { allocatePayment } from '../../../../shared/domain/allocation.js';
import { journalBalances } from '../../../../shared/domain/tenders.js';
import { addCents } from '../../../../shared/money.js';
import { LedgerPostedSchema, type LedgerPosted } from '../../../../shared/sync/events.js';
import { Rejection } from '../batch.js';
import { accountPaymentData } from '../changes.js';
import { checkKindAccounts, checkOrigin, checkReversal, checkTendersAgree } from './origin.js';
import { applier, insertTendersAndJournal } from './types.js';

export const ledgerPosted = applier<LedgerPosted>({
  schema: LedgerPostedSchema,
  accounts: (p) => (p.accountNumber ? [p.accountNumber] : []),
  transactionIds: (p) => [p.transactionId, ...(p.reversesId ? [p.reversesId] : [])],
  async apply(batch, event, p) {
    if (await batch.hasTransaction(p.transactionId))
      throw new Rejection(
        'DUPLICATE_TRANSACTION',
        `Transaction ${p.transactionId} is already on the server.`,
      );
    if (!journalBalances(p.journal))
      throw new Rejection('UNBALANCED', `The ${p.kind} journal of ${p.transactionId} does not sum to zero.`);
    await checkOrigin(batch, p, `The ${p.kind} ${p.transactionId}`);
    checkKindAccounts(p.kind, p.journal, p.accountNumber);
    checkTendersAgree(p.kind, p.tenders, p.journal);
    if (p.kind === 'void' && !p.reversesId)
      throw new Rejection('NOT_A_REVERSAL', `The void ${p.transactionId} names no transaction to reverse.`);
    const arLines = p.journal.filter((l) => l.ledgerAccount.startsWith('ar:'));
    if (arLines.some((l) => l.ledgerAccount !== `ar:${p.accountNumber ?? ''}`))
      throw new Rejection(
        'INCONSISTENT_ACCOUNT',
        `The ${p.kind} ${p.transactionId} posts to another account's receivable.`,
      );
    const arCents = addCents(...arLines.map((l) => l.cents));
    const account = p.accountNumber ? batch.account(p.accountNumber) : undefined;
    if (p.accountNumber && !account)
      throw new Rejection(
        'UNKNOWN_ACCOUNT',
        `Account ${p.accountNumber} is not on the server: the ${p.kind} was not applied.`,
      );
    let original: Record<string, unknown> | undefined;
    if (p.kind === 'void' && p.reversesId) {
      original = await batch.transactionRow(p.reversesId);
      if (!original)
        throw new Rejection(
          'UNKNOWN_ORIGINAL',
          `The void of ${p.reversesId}: that transaction is not on the server (was it rejected?).`,
        );
      if (original.account_number !== (p.accountNumber ?? null))
        throw new Rejection('INCONSISTENT_ACCOUNT', `The void of ${p.reversesId} names another account.`);
      await checkReversal(batch, p.reversesId, original, p.journal);
    }

    // ---- apply ----
    let unapplied = 0;
    if (account) {
      if (original) {
        batch.restore(account, p.transactionId, await batch.allocationsOf(p.reversesId as string));
        // The replica's payment history shows the void as a negative payment next to the original.
        const row = {
          id: p.transactionId,
          account_number: account.row.account_number,
          paid_on: p.businessDate,
          amount_cents: Number(original.ar_cents ?? 0),
          method: 'void',
          channel: `counter ${p.terminalCode}`.slice(0, 32),
        };
        batch.insert('account_payments', row);
        batch.change('account_payment', row.id, 'upsert', accountPaymentData(row));
      } else if (arCents < 0) {
        const allocation = allocatePayment(
          -arCents,
          batch.openItems(account),
          await batch.allocationPolicy(),
          { asOf: p.businessDate },
        );
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
      change_cents: 0,
      credit_cents: 0,
      unapplied_cents: unapplied,
      reverses_id: p.reversesId,
      receipt_number: p.receiptNumber,
      cashier_id: p.cashierId,
      approved_by: p.approvedBy,
      business_date: p.businessDate,
      created_at: p.createdAt,
      applied_at: batch.now,
    });
    insertTendersAndJournal(batch, p.transactionId, p.tenders, p.journal);
    return account ? { account: account.row.account_number } : {};
  },
});
