/**
 * Deposits on the books (pure, shared by the counter and the server): where the policies and rate table
 * live in the replicated policy data, how an account's bills and payments become the billing history and
 * the on-time record the deposit rules take, a deposit's status and installments outstanding, and the
 * balanced journal of each deposit transaction (collect, interest credit, refund, final bill).
 *
 * The rules themselves (required amount, interest, eligibility) are in ./deposits.ts.
 */
import { z } from 'zod';

import { CounterError } from '../api/errors.js';
import { addCents, formatCents, subCents, type Cents } from '../money.js';
import {
  DepositPolicySchema,
  InterestRateTableSchema,
  policyInForce,
  validatePolicies,
  validateRateTable,
  type BilledMonth,
  type DepositPolicy,
  type Installment,
  type InterestRateTable,
  type PaymentRecord,
} from './deposits.js';
import { tenderDebits, type JournalLine, type Settlement } from './tenders.js';

/** Policy keys of the replicated policy data (server `policies` table, counter replica). */
export const DEPOSIT_POLICIES_KEY = 'deposit.policies';
export const DEPOSIT_RATES_KEY = 'deposit.rates';

export const DepositPolicyListSchema = z.array(DepositPolicySchema);
export type DepositSettings = { policies: DepositPolicy[]; rates: InterestRateTable };

/** Ledger accounts of the deposit fund. */
export const DEPOSIT_INTEREST_EXPENSE = 'deposit_interest_expense';
export const REFUNDS_PAYABLE = 'refunds_payable';
export const depositsHeldAccount = (accountNumber: string): string => `deposits_held:${accountNumber}`;

const money = (c: Cents): string => formatCents(c, { symbol: true });

// ---------------------------------------------------------------------------------------------------
// Settings

/**
 * Checks a set of deposit policies and the rate table before they are saved: the policies follow each
 * other with no gap or overlap per class (validatePolicies), each class has a policy in force on
 * `today`, and the rate table has exactly one rate for every year from the first policy's start to the
 * year of `today`. Throws CounterError INVALID_INPUT naming the problem; returns the parsed settings.
 *
 * @example
 * validateDepositSettings({ policies: [RES_2024, COM_2024], rates }, '2026-11-25');
 * // rates without 2025: "No interest rate for 2025 in the rate table: enter the rate published for 2025."
 */
export function validateDepositSettings(settings: DepositSettings, today: string): DepositSettings {
  const policies = validatePolicies(settings.policies);
  for (const accountClass of ['residential', 'commercial'] as const) {
    try {
      policyInForce(policies, accountClass, today);
    } catch {
      throw new CounterError(
        'INVALID_INPUT',
        `No ${accountClass} deposit policy is in force today (${today}): every account class needs one.`,
        'policies',
      );
    }
  }
  const parsedRates = InterestRateTableSchema.safeParse(settings.rates);
  if (!parsedRates.success)
    throw new CounterError(
      'INVALID_INPUT',
      parsedRates.error.issues[0]?.message ?? 'The rate table is not valid.',
      `rates.${parsedRates.error.issues[0]?.path.map(String).join('.') ?? ''}`,
    );
  const firstYear = Math.min(...policies.map((p) => Number(p.effectiveFrom.slice(0, 4))));
  const rates = validateRateTable(parsedRates.data, firstYear, Number(today.slice(0, 4)));
  return { policies, rates };
}

// ---------------------------------------------------------------------------------------------------
// Billing history from bills and payments

export type BillOnRecord = { billDate: string; dueDate: string; totalCents: Cents };
export type PaymentOnRecord = { paidOn: string; amountCents: Cents };

/**
 * The month a bill is for: the month before its bill date (a bill issued on 2026-03-15 bills the
 * service of February into March, and one issued 2026-03-01 bills February).
 */
export function serviceMonthOf(billDate: string): string {
  const y = Number(billDate.slice(0, 4));
  const m = Number(billDate.slice(5, 7));
  const idx = y * 12 + m - 2;
  return `${String(Math.floor(idx / 12))}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/**
 * An account's billing history (one amount per service month, bills of the same month added up) and
 * its on-time record, from the bills and payments on record up to `asOf`. A bill is paid late when the
 * payments made from the first bill on record up to its due date do not cover every bill up to and
 * including it (oldest first); a bill not yet due is not late.
 *
 * @example
 * accountHistory([{ billDate: '2026-01-15', dueDate: '2026-02-04', totalCents: 7_345 },
 *                 { billDate: '2026-02-15', dueDate: '2026-03-07', totalCents: 7_345 }],
 *                [{ paidOn: '2026-01-25', amountCents: 7_345 }], '2026-03-20');
 * // billed: [{ month: '2025-12', billedCents: 7345 }, { month: '2026-01', billedCents: 7345 }]
 * // payments: [{ month: '2025-12', late: false }, { month: '2026-01', late: true }]
 */
export function accountHistory(
  bills: readonly BillOnRecord[],
  payments: readonly PaymentOnRecord[],
  asOf: string,
): { billed: BilledMonth[]; payments: PaymentRecord[] } {
  const onRecord = bills
    .filter((b) => b.billDate <= asOf)
    .sort((a, b) => a.billDate.localeCompare(b.billDate));
  const first = onRecord[0]?.billDate;
  const paid = payments
    .filter((p) => first !== undefined && p.paidOn >= first && p.paidOn <= asOf)
    .sort((a, b) => a.paidOn.localeCompare(b.paidOn));
  const billed = new Map<string, Cents>();
  const late = new Map<string, boolean>();
  let billedSoFar = 0;
  for (const b of onRecord) {
    const month = serviceMonthOf(b.billDate);
    billed.set(month, addCents(billed.get(month) ?? 0, b.totalCents));
    billedSoFar = addCents(billedSoFar, b.totalCents);
    const dueOver = b.dueDate < asOf;
    const paidByDue = addCents(...paid.filter((p) => p.paidOn <= b.dueDate).map((p) => p.amountCents));
    const wasLate = dueOver && paidByDue < billedSoFar;
    late.set(month, (late.get(month) ?? false) || wasLate);
  }
  return {
    billed: [...billed].map(([month, billedCents]) => ({ month, billedCents })),
    payments: [...late].map(([month, l]) => ({ month, late: l })),
  };
}

// ---------------------------------------------------------------------------------------------------
// A deposit's state

export const DepositStatusSchema = z.enum([
  'requested',
  'partially_paid',
  'paid',
  'credited',
  'refunded',
  'applied',
]);
export type DepositStatus = z.infer<typeof DepositStatusSchema>;

export const STATUS_WORDS: Record<DepositStatus, string> = {
  requested: 'Requested',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  credited: 'Paid, interest credited',
  refunded: 'Refunded',
  applied: 'Applied to final bill',
};

export type MovementOnRecord = {
  date: string;
  kind: 'payment' | 'refund' | 'applied';
  /** Principal in (payment) or out (refund, applied). */
  amountCents: Cents;
  /** Interest credited earlier that left with this movement (paid out with the principal). */
  interestOutCents: Cents;
};
export type CreditOnRecord = { creditDate: string; kind: 'anniversary' | 'closing'; amountCents: Cents };

export type DepositOnRecord = {
  requiredCents: Cents;
  movements: readonly MovementOnRecord[];
  credits: readonly CreditOnRecord[];
};

/** Principal paid in, principal still held, and what the deposit fund owes on it (principal + interest credited, less what was paid out). */
export function depositBalances(d: DepositOnRecord): {
  paidCents: Cents;
  principalHeldCents: Cents;
  creditedCents: Cents;
  heldCents: Cents;
} {
  const paidCents = addCents(...d.movements.filter((m) => m.kind === 'payment').map((m) => m.amountCents));
  const outCents = addCents(...d.movements.filter((m) => m.kind !== 'payment').map((m) => m.amountCents));
  const interestOut = addCents(...d.movements.map((m) => m.interestOutCents));
  const creditedCents = addCents(...d.credits.map((c) => c.amountCents));
  const principalHeldCents = subCents(paidCents, outCents);
  return {
    paidCents,
    principalHeldCents,
    creditedCents,
    heldCents: subCents(addCents(principalHeldCents, creditedCents), interestOut),
  };
}

/**
 * Status of a deposit: requested (nothing paid), partially paid (less than required), paid, credited
 * (paid, and interest credited on an anniversary), refunded or applied (to a final bill: nothing held).
 *
 * @example
 * depositStatus({ requiredCents: 16_684, movements: [{ date: '2026-11-25', kind: 'payment',
 *   amountCents: 8_342, interestOutCents: 0 }], credits: [] }); // 'partially_paid'
 */
export function depositStatus(d: DepositOnRecord): DepositStatus {
  const b = depositBalances(d);
  if (b.paidCents === 0) return 'requested';
  if (b.principalHeldCents === 0) {
    const last = [...d.movements]
      .filter((m) => m.kind !== 'payment')
      .sort((a, c) => a.date.localeCompare(c.date))
      .at(-1);
    return last?.kind === 'applied' ? 'applied' : 'refunded';
  }
  if (b.paidCents < d.requiredCents) return 'partially_paid';
  return d.credits.some((c) => c.kind === 'anniversary') ? 'credited' : 'paid';
}

/**
 * The installments still to pay: the schedule set when the deposit was requested, less what has been
 * paid (applied to the earliest parts first).
 *
 * @example
 * installmentsOutstanding([{ dueWith: 'now', amountCents: 8_342 }, { dueWith: 'bill 1', amountCents: 4_171 },
 *   { dueWith: 'bill 2', amountCents: 4_171 }], 8_342);
 * // [{ dueWith: 'bill 1', amountCents: 4_171 }, { dueWith: 'bill 2', amountCents: 4_171 }]
 */
export function installmentsOutstanding(schedule: readonly Installment[], paidCents: Cents): Installment[] {
  let left = paidCents;
  const out: Installment[] = [];
  for (const part of schedule) {
    const covered = Math.min(left, part.amountCents);
    left = subCents(left, covered);
    const rest = subCents(part.amountCents, covered);
    if (rest > 0) out.push({ dueWith: part.dueWith, amountCents: rest });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Journals (positive = debit, negative = credit; each sums to zero)

/** Deposit collected with tenders: the tenders' debits; deposits held credited; a confirmed non-cash over-tender goes to the account as credit. */
export function depositCollectJournal(
  accountNumber: string,
  amountCents: Cents,
  settlement: Settlement,
): JournalLine[] {
  const credit = subCents(settlement.appliedCents, amountCents);
  return [
    ...tenderDebits(settlement, 'deposit received'),
    { ledgerAccount: depositsHeldAccount(accountNumber), cents: -amountCents, memo: 'security deposit' },
    ...(credit > 0
      ? [{ ledgerAccount: `ar:${accountNumber}`, cents: -credit, memo: 'over-tender credit' }]
      : []),
  ];
}

/** Interest credited to the deposit: interest expense debited, deposits held credited. */
export function depositInterestJournal(accountNumber: string, cents: Cents, memo: string): JournalLine[] {
  if (cents <= 0) return [];
  return [
    { ledgerAccount: DEPOSIT_INTEREST_EXPENSE, cents, memo },
    { ledgerAccount: depositsHeldAccount(accountNumber), cents: -cents, memo },
  ];
}

export const RefundMethodSchema = z.enum(['cash', 'check_request', 'account_credit']);
export type RefundMethod = z.infer<typeof RefundMethodSchema>;

export const REFUND_METHOD_WORDS: Record<RefundMethod, string> = {
  cash: 'Cash from the drawer',
  check_request: 'Check mailed by head office',
  account_credit: 'Credit to the account',
};

function payoutAccount(accountNumber: string, method: RefundMethod): string {
  return method === 'cash'
    ? 'drawer:cash'
    : method === 'check_request'
      ? REFUNDS_PAYABLE
      : `ar:${accountNumber}`;
}

/**
 * Paying a deposit out: interest still due is credited first (interest expense / deposits held), then
 * deposits held is debited for everything that leaves, credited to the final bill's receivable
 * (`appliedToBillCents`) and to the refund method (`refundCents`).
 *
 * @example
 * depositPayoutJournal('1000042517', { interestCents: 214, paidOutCents: 15_214, appliedToBillCents: 0,
 *   refundCents: 15_214, method: 'cash' });
 * // expense +2.14, deposits_held -2.14, deposits_held +152.14, drawer:cash -152.14
 */
export function depositPayoutJournal(
  accountNumber: string,
  p: {
    interestCents: Cents;
    paidOutCents: Cents;
    appliedToBillCents: Cents;
    refundCents: Cents;
    method: RefundMethod;
  },
): JournalLine[] {
  if (addCents(p.appliedToBillCents, p.refundCents) !== p.paidOutCents)
    throw new Error('invariant: applied + refunded must equal what is paid out');
  const held = depositsHeldAccount(accountNumber);
  return [
    ...depositInterestJournal(accountNumber, p.interestCents, 'deposit interest to payout'),
    { ledgerAccount: held, cents: p.paidOutCents, memo: 'deposit paid out' },
    ...(p.appliedToBillCents > 0
      ? [
          {
            ledgerAccount: `ar:${accountNumber}`,
            cents: -p.appliedToBillCents,
            memo: 'deposit applied to final bill',
          },
        ]
      : []),
    ...(p.refundCents > 0
      ? [
          {
            ledgerAccount: payoutAccount(accountNumber, p.method),
            cents: -p.refundCents,
            memo: 'deposit refund',
          },
        ]
      : []),
  ];
}

/** Net change of `deposits_held:<account>` in a journal (positive = more held). */
export function depositsHeldDelta(
  accountNumber: string,
  journal: readonly { ledgerAccount: string; cents: Cents }[],
): Cents {
  return (
    -addCents(
      ...journal.filter((l) => l.ledgerAccount === depositsHeldAccount(accountNumber)).map((l) => l.cents),
    ) || 0
  );
}

/** Words for the deposit terms printed on receipts and shown on screen. */
export function depositTerms(policy: DepositPolicy): string[] {
  const i = policy.interest;
  const method =
    i.method === 'simple'
      ? 'simple interest'
      : `interest compounded yearly (${i.compoundOn === 'dec31' ? 'Dec 31' : 'on the anniversary'})`;
  return [
    `Deposit terms (policy ${policy.id}): ${method} at the rate set for each calendar year, credited each year on the anniversary of payment.`,
    `No interest if refunded within ${String(i.graceDays)} days.`,
    `Refundable after ${String(policy.refund.consecutiveMonths)} consecutive months with at most ${String(policy.refund.maxLatePayments)} late payment${policy.refund.maxLatePayments === 1 ? '' : 's'}; applied to the final bill when service ends.`,
  ];
}

/** A short sentence with an amount for messages. */
export function amountWords(cents: Cents): string {
  return money(cents);
}
