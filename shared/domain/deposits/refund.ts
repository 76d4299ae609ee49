/**
 * Whether a deposit can be refunded: enough consecutive months of payment history with few enough late
 * payments, and if not yet, the earliest day it can be.
 */
import { z } from 'zod';

import { CounterError } from '../../api/errors.js';
import {
  firstDayOfMonth,
  monthIndex,
  monthOf,
  notAfterToday,
  parseDate,
  parseInput,
  parseToday,
} from './internal.js';
import {
  DepositPolicySchema,
  PaymentRecordSchema,
  type DepositPolicy,
  type PaymentRecord,
} from './schemas.js';

export type RefundEligibility = {
  eligible: boolean;
  reason: string;
  /** The months of the window (the N full months before asOf's month) that are on record, oldest first. */
  monthsConsidered: string[];
  latePayments: number;
  lateMonths: string[];
  /** When eligible: the first day of the current unbroken run of eligibility. */
  firstEligibleDate: string | null;
  /** When not eligible: the earliest day it can be, if every bill from now on is paid on time. */
  nextPossibleDate: string | null;
};

/**
 * Whether the deposit can be refunded: the `refund.consecutiveMonths` (N) full calendar months before
 * the month of `asOf` must all be on record (one record per billed month; a missing month breaks the
 * run) with at most `refund.maxLatePayments` (K) of them paid late. Refuses months after `asOf` and a
 * month given twice.
 *
 * @example
 * // N = 12, K = 2; 2024-01 … 2024-12 on record, late in 2024-03 and 2024-08; asOf 2025-01-10
 * refundEligibility(residential, history, '2025-01-10');
 * // { eligible: true, latePayments: 2, firstEligibleDate: '2025-01-01', nextPossibleDate: null,
 * //   reason: 'Eligible for refund: 12 consecutive months 2024-01 to 2024-12 with 2 late payments (at most 2 allowed).', … }
 */
export function refundEligibility(
  policy: DepositPolicy,
  paymentHistory: readonly PaymentRecord[],
  asOf: string,
  opts: { today?: string } = {},
): RefundEligibility {
  const p = parseInput(DepositPolicySchema, policy, 'policy');
  const date = parseDate(asOf, 'asOf');
  notAfterToday(date, parseToday(opts.today), 'asOf', 'The as-of date');
  const records = parseInput(z.array(PaymentRecordSchema), paymentHistory, 'paymentHistory');
  const asOfMonth = monthIndex(date);
  const late = new Map<number, boolean>();
  records.forEach((r, i) => {
    const idx = monthIndex(r.month);
    if (idx > asOfMonth)
      throw new CounterError(
        'INVALID_INPUT',
        `The payment history has ${r.month}, after ${date}: months in the future are not history.`,
        `paymentHistory.${String(i)}.month`,
      );
    if (late.has(idx))
      throw new CounterError(
        'INVALID_INPUT',
        `The payment history has ${r.month} twice: keep one record per month.`,
        `paymentHistory.${String(i)}.month`,
      );
    late.set(idx, r.late);
  });
  const n = p.refund.consecutiveMonths;
  const k = p.refund.maxLatePayments;
  const last = asOfMonth - 1;
  /** Does the window ending at `end` qualify? Months after `assumeAfter` with no record count as on time. */
  const qualifies = (end: number, assumeAfter = Infinity): boolean => {
    let lateCount = 0;
    for (let i = end - n + 1; i <= end; i += 1) {
      const wasLate = late.get(i) ?? (i > assumeAfter ? false : undefined);
      if (wasLate === undefined) return false;
      if (wasLate) lateCount += 1;
    }
    return lateCount <= k;
  };
  const windowMonths = Array.from({ length: n }, (_, i) => last - n + 1 + i);
  const monthsConsidered = windowMonths.filter((i) => late.has(i)).map(monthOf);
  const lateMonths = windowMonths.filter((i) => late.get(i) === true).map(monthOf);
  const missing = windowMonths.filter((i) => !late.has(i)).map(monthOf);
  const span = `${monthOf(last - n + 1)} to ${monthOf(last)}`;
  const lateWords = `${String(lateMonths.length)} late payment${lateMonths.length === 1 ? '' : 's'} (at most ${String(k)} allowed)`;
  const eligible = qualifies(last);

  let firstEligibleDate: string | null = null;
  let nextPossibleDate: string | null = null;
  let reason: string;
  if (eligible) {
    let m = last;
    while (qualifies(m - 1)) m -= 1;
    firstEligibleDate = firstDayOfMonth(m + 1);
    reason = `Eligible for refund: ${String(n)} consecutive months ${span} with ${lateWords}.`;
  } else {
    for (let ahead = 1; ahead <= n + 1; ahead += 1) {
      if (qualifies(last + ahead, last)) {
        nextPossibleDate = firstDayOfMonth(last + ahead + 1);
        break;
      }
    }
    const when = nextPossibleDate
      ? ` Earliest refund, if every bill is paid on time: ${nextPossibleDate}.`
      : '';
    reason =
      missing.length > 0
        ? `Not eligible yet: only ${String(monthsConsidered.length)} of the ${String(n)} months ${span} are on record (missing ${missing.length > 3 ? `${missing.slice(0, 3).join(', ')} and ${String(missing.length - 3)} more` : missing.join(', ')}).${when}`
        : `Not eligible yet: ${lateWords} in the ${String(n)} months ${span}.${when}`;
  }
  return {
    eligible,
    reason,
    monthsConsidered,
    latePayments: lateMonths.length,
    lateMonths,
    firstEligibleDate,
    nextPossibleDate,
  };
}
