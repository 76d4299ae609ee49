/**
 * A bill payment's part in `ledger.posted`. The server is the system of record: it checks the payment
 * against the shared tender rules (recomputing change, credit, each tender's net and the balanced
 * journal); the ledger applier then allocates it over ITS open items by ITS policy (the counter's
 * replica may be stale) and moves the balance. The payment adds its line to the account's history.
 */
import { TenderSchema } from '../../../../shared/api/schemas.js';
import { paymentJournal, settleTenders } from '../../../../shared/domain/tenders.js';
import { formatCents } from '../../../../shared/money.js';
import { tenderedOf } from '../../../../shared/sync/ledger.js';
import { Rejection } from '../batch.js';
import { accountPaymentData } from '../changes.js';
import { detailApplier } from './details/types.js';
import { sameJournal } from './types.js';

export const paymentDetail = detailApplier<'payment'>({
  kinds: ['payment'],
  needsAccount: true,
  what: (p) => `payment ${p.receiptNumber ?? p.transactionId}`,
  unknownAccount: (p) =>
    `Account ${p.accountNumber ?? ''} is not on the server: the ${formatCents(p.appliedCents, { symbol: true })} payment (receipt ${p.receiptNumber ?? ''}) was not applied. Find the right account and re-enter it, or refund the customer.`,
  check(batch, p) {
    const receipt = p.receiptNumber ?? '';
    const accountNumber = p.accountNumber ?? '';
    const tendered = TenderSchema.array().safeParse(p.tenders.map(tenderedOf));
    if (!tendered.success)
      throw new Rejection(
        'INVALID_PAYLOAD',
        `Receipt ${receipt}: ${tendered.error.issues.map((i) => `tenders.${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    let settlement;
    try {
      settlement = settleTenders(p.amountCents, tendered.data, {
        cashOnly: false,
        confirmOvertenderCredit: p.creditCents > 0,
      });
    } catch (err) {
      throw new Rejection('INVALID_PAYMENT', err instanceof Error ? err.message : String(err));
    }
    if (
      settlement.appliedCents !== p.appliedCents ||
      settlement.changeCents !== p.changeCents ||
      settlement.creditCents !== p.creditCents ||
      p.tenders.some((t, i) => t.netCents !== settlement.net[i]?.cents)
    )
      throw new Rejection(
        'INCONSISTENT_AMOUNTS',
        `Receipt ${receipt}: applied/change/credit do not follow from the amount and tenders.`,
      );
    if (!sameJournal(paymentJournal(accountNumber, settlement), p.journal))
      throw new Rejection(
        'JOURNAL_MISMATCH',
        `Receipt ${receipt}: the journal lines do not match the tenders and the amount.`,
      );
    return Promise.resolve(() => {
      const payment = {
        id: p.transactionId,
        account_number: accountNumber,
        paid_on: p.businessDate,
        amount_cents: settlement.appliedCents,
        method: [...new Set(p.tenders.map((t) => t.type.replace('_', ' ')))].join(' + '),
        channel: `counter ${p.terminalCode}`.slice(0, 32),
      };
      batch.insert('account_payments', payment);
      batch.change('account_payment', payment.id, 'upsert', accountPaymentData(payment));
      return Promise.resolve();
    });
  },
});
