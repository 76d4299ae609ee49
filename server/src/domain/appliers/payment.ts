/**
 * `payment.posted`: a bill payment taken at a counter. The server is the system of record: it checks
 * the payment against the shared tender rules (recomputing change, credit and the balanced journal),
 * allocates it over ITS open items by ITS policy (the counter's replica may be stale), and moves the
 * account's balance. Everything a payment writes is queued in the batch; nothing is written on a rejection.
 */
import { allocatePayment } from '../../../../shared/domain/allocation.js';
import { journalBalances, paymentJournal, settleTenders } from '../../../../shared/domain/tenders.js';
import { formatCents } from '../../../../shared/money.js';
import { PaymentPostedSchema, type PaymentPosted } from '../../../../shared/sync/events.js';
import type { Tender } from '../../../../shared/api/schemas.js';
import { accountPaymentData } from '../changes.js';
import { Rejection } from '../batch.js';
import { checkOrigin } from './origin.js';
import { applier, insertTendersAndJournal } from './types.js';

function tenderReference(t: Tender): string | null {
  switch (t.type) {
    case 'cash':
      return null;
    case 'check':
      return `check ${t.checkNumber}`;
    case 'card':
      return `${t.brand} ${t.last4} ${t.authCode}`;
    case 'money_order':
      return `money order ${t.serial}`;
  }
}

function sameJournal(
  a: { ledgerAccount: string; cents: number }[],
  b: { ledgerAccount: string; cents: number }[],
): boolean {
  const key = (l: { ledgerAccount: string; cents: number }): string => `${l.ledgerAccount}\u0000${l.cents}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

export const paymentPosted = applier<PaymentPosted>({
  schema: PaymentPostedSchema,
  accounts: (p) => [p.accountNumber],
  transactionIds: (p) => [p.transactionId],
  async apply(batch, event, p) {
    const account = batch.account(p.accountNumber);
    if (!account)
      throw new Rejection(
        'UNKNOWN_ACCOUNT',
        `Account ${p.accountNumber} is not on the server: the ${formatCents(p.appliedCents, { symbol: true })} payment (receipt ${p.receiptNumber}) was not applied. Find the right account and re-enter it, or refund the customer.`,
      );
    if (await batch.hasTransaction(p.transactionId))
      throw new Rejection(
        'DUPLICATE_TRANSACTION',
        `Transaction ${p.transactionId} is already on the server (another event carried it); not applied twice.`,
      );
    if (!journalBalances(p.journal))
      throw new Rejection('UNBALANCED', `The journal of receipt ${p.receiptNumber} does not sum to zero.`);
    await checkOrigin(batch, p, `Payment ${p.receiptNumber}`);
    let settlement;
    try {
      settlement = settleTenders(p.amountCents, p.tenders, {
        cashOnly: false,
        confirmOvertenderCredit: p.creditCents > 0,
      });
    } catch (err) {
      throw new Rejection('INVALID_PAYMENT', err instanceof Error ? err.message : String(err));
    }
    if (
      settlement.appliedCents !== p.appliedCents ||
      settlement.changeCents !== p.changeCents ||
      settlement.creditCents !== p.creditCents
    )
      throw new Rejection(
        'INCONSISTENT_AMOUNTS',
        `Receipt ${p.receiptNumber}: applied/change/credit do not follow from the amount and tenders.`,
      );
    if (!sameJournal(paymentJournal(p.accountNumber, settlement), p.journal))
      throw new Rejection(
        'JOURNAL_MISMATCH',
        `Receipt ${p.receiptNumber}: the journal lines do not match the tenders and the amount.`,
      );

    // ---- apply (nothing above changed anything) ----
    const policy = await batch.allocationPolicy();
    const allocation = allocatePayment(settlement.appliedCents, batch.openItems(account), policy, {
      asOf: p.businessDate,
    });
    batch.allocate(account, p.transactionId, allocation.allocations);
    batch.moveBalance(account, -settlement.appliedCents);
    batch.insert('transactions', {
      id: p.transactionId,
      kind: 'payment',
      event_id: event.id,
      terminal_id: batch.terminal.id,
      terminal_code: p.terminalCode,
      branch: p.branch,
      till_id: p.tillId,
      account_number: p.accountNumber,
      amount_cents: p.amountCents,
      ar_cents: -settlement.appliedCents,
      change_cents: settlement.changeCents,
      credit_cents: settlement.creditCents,
      unapplied_cents: allocation.unappliedCents,
      reverses_id: null,
      receipt_number: p.receiptNumber,
      cashier_id: p.cashierId,
      approved_by: null,
      business_date: p.businessDate,
      created_at: p.createdAt,
      applied_at: batch.now,
    });
    insertTendersAndJournal(
      batch,
      p.transactionId,
      p.tenders.map((t, i) => ({
        type: t.type,
        amountCents: t.amountCents,
        netCents: settlement.net[i]?.cents ?? 0,
        reference: tenderReference(t),
      })),
      p.journal,
    );
    const payment = {
      id: p.transactionId,
      account_number: p.accountNumber,
      paid_on: p.businessDate,
      amount_cents: settlement.appliedCents,
      method: [...new Set(p.tenders.map((t) => t.type.replace('_', ' ')))].join(' + '),
      channel: `counter ${p.terminalCode}`.slice(0, 32),
    };
    batch.insert('account_payments', payment);
    batch.change('account_payment', payment.id, 'upsert', accountPaymentData(payment));
    return { account: p.accountNumber };
  },
});
