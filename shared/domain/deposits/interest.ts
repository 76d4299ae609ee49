/**
 * Interest on a deposit: accrued per calendar year (simple or compounded yearly, with the grace period),
 * and the credits due on each anniversary and at the close.
 */
import { z } from 'zod';

import { CounterError } from '../../api/errors.js';
import { addCents, subCents, type Cents } from '../../money.js';
import {
  anniversaryDay,
  dayOf,
  isoOf,
  MS_PER_DAY,
  notAfterToday,
  parseDate,
  parseInput,
  parseToday,
  roundDiv,
  toCents,
  yearOfDay,
} from './internal.js';
import { closingDay, heldAfter, prepareDeposit, type PreparedDeposit } from './movements.js';
import { appliedRate, validateRateTable } from './policies.js';
import {
  CreditedPeriodSchema,
  DepositPolicySchema,
  InterestRateTableSchema,
  type DepositPolicy,
  type DepositRecord,
  type InterestRateTable,
  type InterestRule,
} from './schemas.js';

export type InterestSegment = { from: string; to: string; days: number; principalCents: Cents };

export type InterestYear = {
  /** The calendar year whose rate applies. */
  year: number;
  /** First and last day counted (inclusive). */
  from: string;
  to: string;
  days: number;
  /** The divisor of the day count: 365 under actual/365 (leap years too); the year's length under actual/actual. */
  daysInYear: number;
  ratePercentPublished: string;
  rateApplied: string;
  /** The interest-bearing balance on `from` (principal, plus interest already compounded). */
  principalCents: Cents;
  /** Stretches of constant balance inside the row (more than one when money moved mid-year). */
  segments: InterestSegment[];
  /** Σ balance × days × rate ÷ (100 × daysInYear), rounded half-up to the cent once for the row. */
  interestCents: Cents;
  /** compound_annual: this row's interest (with any earlier uncompounded rows) joined the principal at its end. */
  compounded: boolean;
};

export type AccruedInterest = {
  totalCents: Cents;
  years: InterestYear[];
  /** The deposit was paid out within the grace period: no interest at all. */
  graceApplied: boolean;
  /** Last day a refund earns no interest. */
  graceEndsOn: string;
  depositDate: string;
  /** The day the principal held fell to zero (refunded or applied), if on or before asOf. */
  closedOn: string | null;
  principalHeldCents: Cents;
  /** compound_annual: interest added to the principal so far. */
  compoundedCents: Cents;
};

type AccrualContext = {
  rule: InterestRule;
  table: InterestRateTable;
  deposit: PreparedDeposit;
};

/** Interest accrued from the deposit day up to (not including) `endDay`, movements after it ignored. */
function accrue(ctx: AccrualContext, endDay: number): AccruedInterest {
  const { rule, table, deposit } = ctx;
  const moves = deposit.moves.filter((m) => m.day <= endDay);
  const closeDay = closingDay(moves);
  const principalHeldCents = heldAfter(moves);
  const base = {
    graceEndsOn: isoOf(deposit.depositDay + rule.graceDays),
    depositDate: deposit.depositDate,
    closedOn: closeDay === null ? null : isoOf(closeDay),
    principalHeldCents,
  };
  if (closeDay !== null && closeDay - deposit.depositDay <= rule.graceDays)
    return { ...base, totalCents: 0, years: [], graceApplied: true, compoundedCents: 0 };

  const end = closeDay === null ? endDay : Math.min(endDay, closeDay);
  if (end > deposit.depositDay) validateRateTable(table, yearOfDay(deposit.depositDay), yearOfDay(end - 1));
  const compound = rule.method === 'compound_annual';
  const years: InterestYear[] = [];
  let paid = 0;
  let compoundedCents = 0;
  let pending = 0;
  let mi = 0;
  let t = deposit.depositDay;
  while (t < end) {
    const year = yearOfDay(t);
    const nextJan1 = Date.UTC(year + 1, 0, 1) / MS_PER_DAY;
    let rowEnd = Math.min(nextJan1, end);
    let compoundsAt = compound && rule.compoundOn === 'dec31' ? nextJan1 : null;
    if (compound && rule.compoundOn === 'anniversary') {
      let k = 1;
      while (anniversaryDay(deposit.depositDate, k) <= t) k += 1;
      compoundsAt = anniversaryDay(deposit.depositDate, k);
      rowEnd = Math.min(rowEnd, compoundsAt);
    }
    const segments: InterestSegment[] = [];
    let balanceDays = 0n;
    let s = t;
    while (s < rowEnd) {
      for (; mi < moves.length && (moves[mi]?.day ?? Infinity) <= s; mi += 1) {
        const m = moves[mi];
        if (m) paid = m.kind === 'payment' ? addCents(paid, m.amountCents) : subCents(paid, m.amountCents);
      }
      const nextMove = moves[mi]?.day ?? Infinity;
      const segEnd = Math.min(rowEnd, nextMove);
      const balance = addCents(paid, compoundedCents);
      segments.push({ from: isoOf(s), to: isoOf(segEnd - 1), days: segEnd - s, principalCents: balance });
      balanceDays += BigInt(balance) * BigInt(segEnd - s);
      s = segEnd;
    }
    // A row never crosses Jan 1, so actual/actual (ISDA) divides by its own calendar year's length.
    const daysInYear = rule.dayCount === 'actual/actual' ? nextJan1 - Date.UTC(year, 0, 1) / MS_PER_DAY : 365;
    const rate = appliedRate(table, year);
    const interestCents = toCents(
      roundDiv(balanceDays * rate.ratio.n, rate.ratio.d * 100n * BigInt(daysInYear), 'half_up'),
      'deposit',
    );
    pending = addCents(pending, interestCents);
    const compounded = compoundsAt !== null && rowEnd === compoundsAt;
    if (compounded) {
      compoundedCents = addCents(compoundedCents, pending);
      pending = 0;
    }
    years.push({
      year,
      from: isoOf(t),
      to: isoOf(rowEnd - 1),
      days: rowEnd - t,
      daysInYear,
      ratePercentPublished: rate.ratePercentPublished,
      rateApplied: rate.rateApplied,
      principalCents: segments[0]?.principalCents ?? 0,
      segments,
      interestCents,
      compounded,
    });
    t = rowEnd;
  }
  return {
    ...base,
    totalCents: addCents(...years.map((y) => y.interestCents)),
    years,
    graceApplied: false,
    compoundedCents,
  };
}

function accrualContext(
  policy: DepositPolicy,
  deposit: DepositRecord,
  rates: InterestRateTable,
  today: string | undefined,
): AccrualContext {
  const p = parseInput(DepositPolicySchema, policy, 'policy');
  const table = parseInput(InterestRateTableSchema, rates, 'rates');
  return { rule: p.interest, table, deposit: prepareDeposit(deposit, today) };
}

/**
 * Interest accrued on a deposit up to `asOf` (days held up to the day before `asOf`), per the policy's
 * method, with one row per calendar year (and, for compounding on anniversaries, per stretch between
 * anniversaries). Each row is Σ balance × days × rate ÷ (100 × the day count's year: 365 under
 * actual/365; 365 or 366, the row's calendar year, under actual/actual), computed exactly with BigInt
 * and rounded half-up to the cent once. The rate of each calendar year is the published rate after the
 * table's rounding rule and floor.
 *
 * - simple: the balance is the principal held (each payment accrues from its own date; refunds and
 *   amounts applied stop accruing on their date).
 * - compound_annual: at each Dec 31 (or each anniversary), the interest since the last compounding is
 *   added to the balance.
 * - grace: if the principal is paid out (refunded/applied) within `graceDays` of the deposit date
 *   (days held ≤ graceDays), there is no interest at all; otherwise interest runs from the deposit
 *   date. While the deposit is still held, interest shows from the deposit date.
 *
 * Movements dated after `asOf` are ignored. Refuses an `asOf` before the deposit date, dates after
 * `opts.today`, a refund above what is held, and a year with no rate.
 *
 * @example
 * // $200.00 paid 2023-03-17, refunded 2025-06-10, simple, rates 2023 4 %, 2024 5 %, 2025 3.5 %:
 * // 2023: 290 days × 200.00 × 4 % ÷ 365   =  6.3561… →  $6.36
 * // 2024: 366 days × 200.00 × 5 % ÷ 365   = 10.0273… → $10.03  (leap year, still ÷ 365)
 * // 2025: 160 days × 200.00 × 3.5 % ÷ 365 =  3.0684… →  $3.07
 * accruedInterest(policy, deposit, rates, '2025-06-10').totalCents; // 1_946
 * // Under actual/actual the 2024 row is 366 × 200.00 × 5 % ÷ 366 = $10.00 exactly: total $19.43.
 */
export function accruedInterest(
  policy: DepositPolicy,
  deposit: DepositRecord,
  rates: InterestRateTable,
  asOf: string,
  opts: { today?: string } = {},
): AccruedInterest {
  const today = parseToday(opts.today);
  const date = parseDate(asOf, 'asOf');
  notAfterToday(date, today, 'asOf', 'The as-of date');
  const ctx = accrualContext(policy, deposit, rates, today);
  if (date < ctx.deposit.depositDate)
    throw new CounterError(
      'INVALID_INPUT',
      `The as-of date ${date} is before the deposit was paid (${ctx.deposit.depositDate}).`,
      'asOf',
    );
  return accrue(ctx, dayOf(date));
}

export type InterestCredit = {
  /** anniversary: the yearly credit; closing: the last credit, at refund or application to a final bill. */
  kind: 'anniversary' | 'closing';
  /** The day the credit is due (the anniversary or the closing day); the key that makes it idempotent. */
  creditDate: string;
  /** First and last day of interest it covers (inclusive). */
  from: string;
  to: string;
  days: number;
  amountCents: Cents;
};

/**
 * Interest credits due on a deposit up to `asOf`: one per anniversary of the deposit date reached while
 * it was held, plus a closing credit when it was paid out. The credit for a period is the accrued
 * interest at its end less the accrued interest at its start (`accruedInterest` on those dates), so the
 * credits always add up to the interest accrued at refund. Periods whose `creditDate` is listed in
 * `alreadyCredited` are left out, as are credits of $0.00; the same inputs always give the same list.
 * Refuses an `alreadyCredited` date that is neither an anniversary nor the closing day.
 *
 * @example
 * // $100.00 paid 2023-06-15, simple, rates 2023 4 %, 2024 5 %, 2025 3 %; asOf 2025-07-01, nothing credited.
 * // A(2024-06-15) = 2023: 200 days → 100 × 4 % × 200/365 = 2.1917… → 2.19
 * //               + 2024: 166 days → 100 × 5 % × 166/365 = 2.2739… → 2.27            = 4.46
 * // A(2025-06-15) = 2.19 + 2024: 366 days → 5.0136… → 5.01 + 2025: 165 days → 1.3561… → 1.36 = 8.56
 * // credits: 2024-06-15 $4.46; 2025-06-15 8.56 − 4.46 = $4.10
 * interestCreditsDue(policy, deposit, rates, '2025-07-01', []).credits;
 * // [{ kind: 'anniversary', creditDate: '2024-06-15', amountCents: 446, … },
 * //  { kind: 'anniversary', creditDate: '2025-06-15', amountCents: 410, … }]
 * interestCreditsDue(policy, deposit, rates, '2025-07-01', [{ creditDate: '2024-06-15' }]);
 * // only the 2025-06-15 credit
 */
export function interestCreditsDue(
  policy: DepositPolicy,
  deposit: DepositRecord,
  rates: InterestRateTable,
  asOf: string,
  alreadyCredited: readonly { creditDate: string }[],
  opts: { today?: string } = {},
): { credits: InterestCredit[]; totalCents: Cents } {
  const today = parseToday(opts.today);
  const date = parseDate(asOf, 'asOf');
  notAfterToday(date, today, 'asOf', 'The as-of date');
  const ctx = accrualContext(policy, deposit, rates, today);
  if (date < ctx.deposit.depositDate)
    throw new CounterError(
      'INVALID_INPUT',
      `The as-of date ${date} is before the deposit was paid (${ctx.deposit.depositDate}).`,
      'asOf',
    );
  const done = parseInput(z.array(CreditedPeriodSchema), alreadyCredited, 'alreadyCredited');
  const asOfDay = dayOf(date);
  const closeEver = closingDay(ctx.deposit.moves);
  const possible = (day: number): boolean => {
    if (closeEver !== null && day === closeEver) return true;
    if (closeEver !== null && day > closeEver) return false;
    const years = Number(isoOf(day).slice(0, 4)) - Number(ctx.deposit.depositDate.slice(0, 4));
    return years >= 1 && anniversaryDay(ctx.deposit.depositDate, years) === day;
  };
  const credited = new Set<string>();
  done.forEach((c, i) => {
    if (!possible(dayOf(c.creditDate)))
      throw new CounterError(
        'INVALID_INPUT',
        `Interest credited on ${c.creditDate} matches neither an anniversary of the deposit paid ${ctx.deposit.depositDate} nor its refund.`,
        `alreadyCredited.${String(i)}.creditDate`,
      );
    credited.add(c.creditDate);
  });

  const credits: InterestCredit[] = [];
  const closeDay = closeEver !== null && closeEver <= asOfDay ? closeEver : null;
  let start = ctx.deposit.depositDay;
  let startAccrued = 0;
  const push = (kind: InterestCredit['kind'], endDay: number): void => {
    const endAccrued = accrue(ctx, endDay).totalCents;
    const amountCents = subCents(endAccrued, startAccrued);
    const creditDate = isoOf(endDay);
    if (amountCents !== 0 && !credited.has(creditDate))
      credits.push({
        kind,
        creditDate,
        from: isoOf(start),
        to: isoOf(endDay - 1),
        days: endDay - start,
        amountCents,
      });
    start = endDay;
    startAccrued = endAccrued;
  };
  for (let k = 1; ; k += 1) {
    const ann = anniversaryDay(ctx.deposit.depositDate, k);
    if (ann > asOfDay || (closeDay !== null && ann >= closeDay)) break;
    push('anniversary', ann);
  }
  if (closeDay !== null) push('closing', closeDay);
  return { credits, totalCents: addCents(...credits.map((c) => c.amountCents)) };
}
