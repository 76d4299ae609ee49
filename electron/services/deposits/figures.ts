/**
 * A deposit's figures over the pure rules in shared/domain/deposits.ts: interest accrued and credited,
 * the anniversary credits reached but not made, what paying it out on a day takes, and how those
 * figures read on a receipt.
 */
import { CounterError } from '../../../shared/api/errors.js';
import { depositBalances } from '../../../shared/domain/deposit-ledger.js';
import {
  accruedInterest,
  interestCreditsDue,
  type DepositPolicy,
  type DepositRecord,
  type Installment,
  type InterestCredit,
  type InterestRateTable,
} from '../../../shared/domain/deposits.js';
import { addCents, formatMoney, subCents, type Cents } from '../../../shared/money.js';
import { wrapText } from '../receipts/wrap.js';
import type { DepositRow } from './records.js';

function engineRecord(d: DepositRow, extra: DepositRecord['movements'] = []): DepositRecord {
  return {
    movements: [
      ...d.movements.map((m) => ({ date: m.date, kind: m.kind, amountCents: m.amountCents })),
      ...extra,
    ],
  };
}

export type InterestState = {
  accrued: ReturnType<typeof accruedInterest> | null;
  creditedCents: Cents;
  uncreditedCents: Cents;
  creditsDue: InterestCredit[];
};

/** Interest accrued to asOf, credited so far, and the anniversary credits reached but not made. */
export function interestState(
  d: DepositRow,
  policy: DepositPolicy,
  rates: InterestRateTable,
  asOf: string,
): InterestState {
  const creditedCents = addCents(...d.credits.map((c) => c.amountCents));
  const firstPaid = d.movements.find((m) => m.kind === 'payment')?.date;
  if (!firstPaid || asOf < firstPaid)
    return { accrued: null, creditedCents, uncreditedCents: 0, creditsDue: [] };
  const record = engineRecord(d);
  const accrued = accruedInterest(policy, record, rates, asOf);
  const due = interestCreditsDue(
    policy,
    record,
    rates,
    asOf,
    d.credits.map((c) => ({ creditDate: c.creditDate })),
  );
  return {
    accrued,
    creditedCents,
    uncreditedCents: Math.max(0, subCents(accrued.totalCents, creditedCents)),
    creditsDue: due.credits.filter((c) => c.kind === 'anniversary'),
  };
}

export type Payout = {
  principalOutCents: Cents;
  /** Interest credited now (anniversaries not yet credited, and the closing credit). */
  newCredits: InterestCredit[];
  interestCents: Cents;
  /** Everything that leaves the fund: principal + interest credited before + interest credited now. */
  paidOutCents: Cents;
  interestOutCents: Cents;
  closing: ReturnType<typeof accruedInterest> | null;
};

/** What paying the deposit out on `date` takes: all of it (principal + every interest credit), or part of the principal. */
export function payoutOf(
  d: DepositRow,
  policy: DepositPolicy,
  rates: InterestRateTable,
  date: string,
  kind: 'refund' | 'applied',
  partCents?: Cents,
): Payout {
  const b = depositBalances(d);
  if (partCents !== undefined && partCents > b.principalHeldCents)
    throw new CounterError(
      'INVALID_INPUT',
      `A refund of ${formatMoney(partCents)} is more than the ${formatMoney(b.principalHeldCents)} deposit held.`,
      'amountCents',
    );
  const full = partCents === undefined || partCents === b.principalHeldCents;
  if (!full)
    return {
      principalOutCents: partCents,
      newCredits: [],
      interestCents: 0,
      paidOutCents: partCents,
      interestOutCents: 0,
      closing: null,
    };
  const record = engineRecord(d, [{ date, kind, amountCents: b.principalHeldCents }]);
  const due = interestCreditsDue(
    policy,
    record,
    rates,
    date,
    d.credits.map((c) => ({ creditDate: c.creditDate })),
  );
  const paidOutCents = addCents(b.heldCents, due.totalCents);
  return {
    principalOutCents: b.principalHeldCents,
    newCredits: due.credits,
    interestCents: due.totalCents,
    paidOutCents,
    interestOutCents: subCents(paidOutCents, b.principalHeldCents),
    closing: accruedInterest(policy, record, rates, date),
  };
}

/** "now $44.87, with bill 1 $22.44, …": installments as a CSR reads them out. */
export function dueWords(parts: readonly Installment[]): string {
  return parts
    .map((i) => `${i.dueWith === 'now' ? 'now' : `with ${i.dueWith}`} ${formatMoney(i.amountCents)}`)
    .join(', ');
}

/** The interest of a payout by calendar year, as receipt lines (each stretch at its own balance). */
export function interestLines(
  closing: ReturnType<typeof accruedInterest> | null,
  graceDays: number,
): string[] {
  if (!closing) return [];
  if (closing.graceApplied)
    return wrapText(
      `No interest: paid out within the ${String(graceDays)}-day grace period (to ${closing.graceEndsOn}).`,
    );
  return closing.years.flatMap((y) =>
    y.segments.length <= 1
      ? [
          `  ${String(y.year)}: ${String(y.days)} days x ${formatMoney(y.principalCents)} at ${y.rateApplied}% = ${formatMoney(y.interestCents)}`,
        ]
      : [
          `  ${String(y.year)}: ${String(y.days)} days at ${y.rateApplied}% = ${formatMoney(y.interestCents)}`,
          ...y.segments.map(
            (g) =>
              `    ${String(g.days)} days x ${formatMoney(g.principalCents)} (${g.from.slice(5)} to ${g.to.slice(5)})`,
          ),
        ],
  );
}
