/**
 * The payment form's draft: what the CSR has typed, as strings, and its conversion into tenders the
 * contract accepts. Field errors are worded for the CSR; the host checks everything again.
 */
import type { Tender, TenderType } from '../../../../shared/api/schemas.js';
import { checkOverpay, type OverpayAnswers } from '../../../../shared/domain/overpay.js';
import { settleTenders, type Settlement } from '../../../../shared/domain/tenders.js';
import { addCents, parseAmount, subCents, type Cents } from '../../../../shared/money.js';
import { isValidRoutingNumber } from '../../../../shared/validators/aba.js';
import { containsCardNumber } from '../../../../shared/validators/luhn.js';

export type TenderDraft = {
  key: number;
  type: TenderType;
  amount: string;
  checkNumber: string;
  routingNumber: string;
  bankAccount: string;
  brand: string;
  last4: string;
  authCode: string;
  serial: string;
};

export type FieldErrors = Record<string, string>;

let nextKey = 1;
export function newTenderDraft(type: TenderType, amount: string): TenderDraft {
  return {
    key: nextKey++,
    type,
    amount,
    checkNumber: '',
    routingNumber: '',
    bankAccount: '',
    brand: 'Visa',
    last4: '',
    authCode: '',
    serial: '',
  };
}

const CARD_MESSAGE = 'Never type a full card number here. Use the card terminal.';

export function parseTender(d: TenderDraft, i: number, errors: FieldErrors): Tender | null {
  const at = (f: string): string => `tenders.${i}.${f}`;
  const amount = parseAmount(d.amount);
  if (!amount.ok) errors[at('amountCents')] = amount.message;
  for (const [field, value] of Object.entries({
    checkNumber: d.checkNumber,
    bankAccount: d.bankAccount,
    authCode: d.authCode,
    serial: d.serial,
    amountCents: d.amount,
  })) {
    if (containsCardNumber(value)) errors[at(field)] = CARD_MESSAGE;
  }
  const cents = amount.ok ? amount.cents : 0;
  switch (d.type) {
    case 'cash':
      return amount.ok ? { type: 'cash', amountCents: cents } : null;
    case 'check': {
      if (!/^\d{1,10}$/.test(d.checkNumber))
        errors[at('checkNumber')] = 'Type the check number (digits, top right of the check).';
      if (!/^\d{9}$/.test(d.routingNumber))
        errors[at('routingNumber')] = 'The routing number has 9 digits (bottom left of the check).';
      else if (!isValidRoutingNumber(d.routingNumber))
        errors[at('routingNumber')] =
          `Routing number ${d.routingNumber} is not valid. Check the 9 digits at the bottom left of the check.`;
      if (!/^\d{4,17}$/.test(d.bankAccount) && !errors[at('bankAccount')])
        errors[at('bankAccount')] = 'The bank account number is 4 to 17 digits.';
      return {
        type: 'check',
        amountCents: cents,
        checkNumber: d.checkNumber,
        routingNumber: d.routingNumber,
        bankAccount: d.bankAccount,
      };
    }
    case 'card':
      if (!/^\d{4}$/.test(d.last4))
        errors[at('last4')] = 'Last 4 is exactly four digits (from the card terminal slip).';
      if (!/^[A-Za-z0-9]{2,12}$/.test(d.authCode) && !errors[at('authCode')])
        errors[at('authCode')] = 'Type the auth code from the card terminal slip.';
      return {
        type: 'card',
        amountCents: cents,
        brand: d.brand as Extract<Tender, { type: 'card' }>['brand'],
        last4: d.last4,
        authCode: d.authCode.toUpperCase(),
      };
    case 'money_order':
      if (!/^[A-Za-z0-9-]{4,24}$/.test(d.serial) && !errors[at('serial')])
        errors[at('serial')] = 'Type the money order serial number.';
      return { type: 'money_order', amountCents: cents, serial: d.serial };
  }
}

export type DraftEvaluation = {
  amountCents: Cents | null;
  tenders: Tender[];
  errors: FieldErrors;
  tenderedCents: Cents;
  /** Still due (positive) when the tenders do not cover the amount. */
  remainingCents: Cents;
  settlement: Settlement | null;
  settleError: string | null;
  settleCode: string | null;
  /** The amount needs the CSR's answer: above what is owed, or the account owes nothing. */
  overpay: { code: 'CREDIT_NEEDS_CONFIRMATION' | 'PREPAY_NEEDS_REASON'; message: string } | null;
};

/**
 * What a bill payment of `amountCents` still needs when the account owes `owedCents` (null: the
 * payment is for something else, e.g. a deposit, and is not checked against the balance).
 */
export function overpayCheck(
  amountCents: Cents | null,
  owedCents: Cents | null,
  answers: OverpayAnswers,
): DraftEvaluation['overpay'] {
  if (amountCents === null || amountCents <= 0 || owedCents === null) return null;
  try {
    checkOverpay(amountCents, owedCents, answers);
    return null;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'CREDIT_NEEDS_CONFIRMATION' || code === 'PREPAY_NEEDS_REASON')
      return { code, message: (err as Error).message };
    throw err;
  }
}

export function evaluateDraft(
  amountText: string,
  drafts: TenderDraft[],
  cashOnly: boolean,
  confirmCredit: boolean,
  owed: { owedCents: Cents; answers: OverpayAnswers } | null = null,
): DraftEvaluation {
  const errors: FieldErrors = {};
  const amount = parseAmount(amountText);
  if (!amount.ok) errors.amountCents = amount.message;
  if (containsCardNumber(amountText)) errors.amountCents = CARD_MESSAGE;
  const tenders: Tender[] = [];
  drafts.forEach((d, i) => {
    const t = parseTender(d, i, errors);
    if (t) tenders.push(t);
  });
  const tenderedCents = addCents(...tenders.map((t) => t.amountCents));
  const amountCents = amount.ok ? amount.cents : null;
  let settlement: Settlement | null = null;
  let settleError: string | null = null;
  let settleCode: string | null = null;
  if (amountCents !== null && tenders.length === drafts.length && drafts.length > 0) {
    try {
      settlement = settleTenders(amountCents, tenders, { cashOnly, confirmOvertenderCredit: confirmCredit });
    } catch (err) {
      settleError = err instanceof Error ? err.message : String(err);
      settleCode = (err as { code?: string }).code ?? null;
    }
  }
  return {
    amountCents,
    tenders,
    errors,
    tenderedCents,
    remainingCents: amountCents === null ? 0 : Math.max(0, subCents(amountCents, tenderedCents)),
    settlement,
    settleError,
    settleCode,
    overpay: owed ? overpayCheck(amountCents, owed.owedCents, owed.answers) : null,
  };
}
