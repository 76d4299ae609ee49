/**
 * Paying more than the account owes. The difference is credit on the account, never change: change
 * comes only from the cash tender (cash handed over minus what is paid). A CSR who types the cash
 * handed over in "Amount to pay" would otherwise turn the customer's change into a credit balance
 * without anyone noticing, so both cases need an explicit act that the host checks before it writes:
 *
 * - amount above what is owed: `confirmCreditBalance`, after the screen said "credit on the account,
 *   not change";
 * - the account owes nothing (zero or credit balance): a reason for paying ahead.
 */
import { z } from 'zod';

import { CounterError } from '../api/errors.js';
import { formatCents, subCents, type Cents } from '../money.js';

export const PREPAY_REASONS = {
  next_bill: 'Paying ahead of the next bill',
  unbilled_charges: 'Covering charges not billed yet',
  customer_request: 'Customer asked to keep a credit',
} as const;
export const PrepayReasonSchema = z.enum(Object.keys(PREPAY_REASONS) as [keyof typeof PREPAY_REASONS]);
export type PrepayReason = z.infer<typeof PrepayReasonSchema>;

export type OverpayAnswers = { confirmCreditBalance?: boolean; prepayReason?: PrepayReason | undefined };

const money = (c: Cents): string => formatCents(c, { symbol: true });

/** The words the screen shows (and the host refuses with) for paying above what is owed. */
export function creditBalanceMessage(amountCents: Cents, owedCents: Cents): string {
  const credit = subCents(amountCents, Math.max(0, owedCents));
  return `${money(amountCents)} is ${money(credit)} more than the ${money(Math.max(0, owedCents))} due. The ${money(credit)} is credit on the account, not change. For change, type the cash handed over in the Cash tender.`;
}

export const PREPAY_REASON_MESSAGE =
  'This account owes nothing: the whole payment is credit on the account, not change. Choose why the customer is paying ahead.';

/**
 * Throws when the payment needs an answer it does not have. `owedCents` is the balance the payment
 * is checked against (positive = the customer owes).
 */
export function checkOverpay(amountCents: Cents, owedCents: Cents, answers: OverpayAnswers): void {
  if (owedCents <= 0) {
    if (!answers.prepayReason)
      throw new CounterError('PREPAY_NEEDS_REASON', PREPAY_REASON_MESSAGE, 'prepayReason');
    return;
  }
  if (amountCents > owedCents && !answers.confirmCreditBalance) {
    throw new CounterError(
      'CREDIT_NEEDS_CONFIRMATION',
      creditBalanceMessage(amountCents, owedCents),
      'amountCents',
    );
  }
}
