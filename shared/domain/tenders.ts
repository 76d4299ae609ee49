/**
 * Tender rules for a payment: what each tender may do, how change is given and when an over-tender
 * becomes account credit. Pure: the host calls it before it writes anything, the screen calls it to
 * show the change due as the CSR types.
 */
import { CounterError } from '../api/errors.js';
import type { Tender, TenderType } from '../api/schemas.js';
import { addCents, formatCents, subCents, type Cents } from '../money.js';
import { isValidRoutingNumber } from '../validators/aba.js';

export type TenderContext = {
  /** The account is flagged cash-only (e.g. after an NSF check): checks are refused. */
  cashOnly: boolean;
  /** The CSR confirmed that a non-cash over-tender goes on the account as credit. */
  confirmOvertenderCredit?: boolean;
};

export type Settlement = {
  /** What the payment credits to the account: the amount, plus any confirmed over-tender credit. */
  appliedCents: Cents;
  tenderedCents: Cents;
  changeCents: Cents;
  /** Non-cash over-tender put on the account as credit (needs confirmation). */
  creditCents: Cents;
  /** Net amount each tender leaves in the till/clearing (cash net of change). */
  net: { type: TenderType; cents: Cents }[];
};

/** Tenders that go into the cash drawer (and therefore open it). */
export const DRAWER_TENDERS: readonly TenderType[] = ['cash', 'check', 'money_order'];

export const TENDER_LABEL: Record<TenderType, string> = {
  cash: 'Cash',
  check: 'Check',
  card: 'Card',
  money_order: 'Money order',
};

/**
 * Settles `tenders` against a payment of `amountCents`. Throws a CounterError with the field the CSR
 * must fix; never returns a partial settlement.
 */
export function settleTenders(amountCents: Cents, tenders: Tender[], ctx: TenderContext): Settlement {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) {
    throw new CounterError('INVALID_INPUT', 'The amount must be more than zero.', 'amount');
  }
  if (tenders.length === 0)
    throw new CounterError('TENDER_SHORT', 'Add a tender: cash, check, card or money order.', 'tenders');
  if (tenders.length > 8)
    throw new CounterError('INVALID_INPUT', 'At most 8 tenders on one payment.', 'tenders');

  tenders.forEach((t, i) => {
    if (t.type === 'check') {
      if (ctx.cashOnly) {
        throw new CounterError(
          'CASH_ONLY',
          'This account is cash only: we cannot take a check. Cash, card or money order are fine.',
          `tenders.${i}`,
        );
      }
      if (!isValidRoutingNumber(t.routingNumber)) {
        throw new CounterError(
          'INVALID_INPUT',
          `Routing number ${t.routingNumber} is not valid. Check the 9 digits at the bottom left of the check.`,
          `tenders.${i}.routingNumber`,
        );
      }
    }
  });

  const tenderedCents = addCents(...tenders.map((t) => t.amountCents));
  const cashCents = addCents(...tenders.filter((t) => t.type === 'cash').map((t) => t.amountCents));
  const nonCashCents = subCents(tenderedCents, cashCents);

  if (tenderedCents < amountCents) {
    throw new CounterError(
      'TENDER_SHORT',
      `Tenders cover ${formatCents(tenderedCents, { symbol: true })} of ${formatCents(amountCents, { symbol: true })}: ${formatCents(subCents(amountCents, tenderedCents), { symbol: true })} still due.`,
      'tenders',
    );
  }

  // Non-cash tenders never give change: any part of them above the amount is account credit, and only
  // after the CSR confirms it with the customer.
  const creditCents = Math.max(0, subCents(nonCashCents, amountCents));
  if (creditCents > 0 && !ctx.confirmOvertenderCredit) {
    throw new CounterError(
      'OVERTENDER_NEEDS_CONFIRMATION',
      `The non-cash tenders are ${formatCents(creditCents, { symbol: true })} more than the amount. No change is given on them: confirm to put ${formatCents(creditCents, { symbol: true })} on the account as credit.`,
      'tenders',
    );
  }
  const appliedCents = addCents(amountCents, creditCents);
  const changeCents = subCents(tenderedCents, appliedCents);
  if (changeCents > cashCents) throw new Error('invariant: change exceeds cash tendered');

  // Change comes out of the cash tendered.
  const net = tenders.map((t) => ({ type: t.type, cents: t.amountCents }));
  let changeLeft = changeCents;
  for (const n of net) {
    if (n.type !== 'cash' || changeLeft === 0) continue;
    const take = Math.min(n.cents, changeLeft);
    n.cents = subCents(n.cents, take);
    changeLeft = subCents(changeLeft, take);
  }
  return { appliedCents, tenderedCents, changeCents, creditCents, net };
}

/** Ledger account each tender's net amount is debited to. */
export function tenderLedgerAccount(type: TenderType): string {
  switch (type) {
    case 'cash':
      return 'drawer:cash';
    case 'check':
      return 'drawer:checks';
    case 'money_order':
      return 'drawer:money_orders';
    case 'card':
      return 'card_clearing';
  }
}

export type JournalLine = { ledgerAccount: string; cents: Cents; memo: string };

/**
 * The debit side of anything paid with tenders: what came into the till (net of change) and card
 * clearing, one line per ledger account. The caller adds the credit side (receivable, deposits held,
 * equipment sales …) for `settlement.appliedCents`.
 */
export function tenderDebits(settlement: Settlement, memo = 'payment received'): JournalLine[] {
  const byAccount = new Map<string, Cents>();
  for (const n of settlement.net) {
    if (n.cents === 0) continue;
    const key = tenderLedgerAccount(n.type);
    byAccount.set(key, addCents(byAccount.get(key) ?? 0, n.cents));
  }
  return [...byAccount].map(([ledgerAccount, cents]) => ({ ledgerAccount, cents, memo }));
}

/**
 * Double-entry lines of a bill payment: the tenders' debits, and the customer's receivable credited.
 * Positive = debit, negative = credit; they sum to zero.
 */
export function paymentJournal(accountNumber: string, settlement: Settlement): JournalLine[] {
  return [
    ...tenderDebits(settlement),
    { ledgerAccount: `ar:${accountNumber}`, cents: -settlement.appliedCents, memo: 'bill payment' },
  ];
}

export function journalBalances(lines: { cents: Cents }[]): boolean {
  return addCents(...lines.map((l) => l.cents)) === 0;
}
