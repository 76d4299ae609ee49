/**
 * Security deposits (DESIGN.md §6): the required amount and its installments, interest, anniversary
 * credits, refund eligibility and application to a final bill, as pure functions over policy data.
 *
 * Nothing here knows a state's rule. Every multiple, window, cap, default, grace period, rate and
 * rounding rule comes from a `DepositPolicy` (per account class, effective-dated) or an
 * `InterestRateTable` (one published rate per calendar year) that a supervisor maintains.
 *
 * Conventions, fixed here so that every figure can be checked by hand:
 * - Money is an integer number of cents. Multiples and percents are exact decimals written as text
 *   ("2", "2.5", "3.25"; a multiple may also be a fraction such as "5/2") and are held as a BigInt
 *   numerator and denominator: no binary float ever touches an amount.
 * - Rounding to the cent is **half-up** (amounts here are never negative, so this is also half away
 *   from zero) and happens once per figure: the average bill, the required amount, the down payment
 *   (rounded up: the odd cent is collected now), and each interest row.
 * - Dates are ISO `YYYY-MM-DD`, months `YYYY-MM`. A policy's `effectiveTo` is the last day it is in
 *   force (inclusive); the next policy of the class must start the day after.
 * - Interest counts the days the money is held: the deposit day counts, the refund (or as-of) day does
 *   not. A deposit paid 2025-01-01 and refunded 2025-01-30 was held 29 days.
 * - Day count `actual/365`: one day earns principal × rate ÷ 365, in leap years too, so a whole leap
 *   year held earns 366/365 of the year's rate.
 */
import { z } from 'zod';

import { CounterError } from '../api/errors.js';
import { addCents, formatCents, subCents, type Cents } from '../money.js';

// ---------------------------------------------------------------------------------------------------
// Dates and months (integer day numbers; no time zones)

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function isIsoMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  if (!m) return false;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return y >= 1900 && mo >= 1 && mo <= 12;
}

/** Days since 1970-01-01 of a valid ISO date (an exact integer: Date.UTC is whole milliseconds). */
function dayOf(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const mo = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return Date.UTC(y, mo - 1, d) / MS_PER_DAY;
}

function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOfDay(day: number): number {
  return Number(isoOf(day).slice(0, 4));
}

/** Month index (year × 12 + month − 1) of 'YYYY-MM' or of the month of 'YYYY-MM-DD'. */
function monthIndex(isoMonthOrDate: string): number {
  return Number(isoMonthOrDate.slice(0, 4)) * 12 + Number(isoMonthOrDate.slice(5, 7)) - 1;
}

function monthOf(index: number): string {
  const y = Math.floor(index / 12);
  return `${String(y)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function firstDayOfMonth(index: number): string {
  return `${monthOf(index)}-01`;
}

/**
 * The k-th anniversary of `date`. A deposit paid on 29 February has its anniversary on 28 February in
 * common years (it never moves into the next month).
 */
function anniversaryDay(date: string, k: number): number {
  const y = Number(date.slice(0, 4)) + k;
  const mo = Number(date.slice(5, 7));
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, mo));
  return Date.UTC(y, mo - 1, d) / MS_PER_DAY;
}

// ---------------------------------------------------------------------------------------------------
// Exact ratios

type Ratio = { n: bigint; d: bigint };
type RoundMode = 'half_up' | 'up' | 'down';

const DECIMAL_RE = /^\d+(\.\d+)?$/;
const FRACTION_RE = /^(\d+)\/(\d+)$/;

function parseRatio(text: string): Ratio {
  const frac = FRACTION_RE.exec(text);
  if (frac) return { n: BigInt(frac[1] ?? '0'), d: BigInt(frac[2] ?? '1') };
  const [whole = '0', decimals = ''] = text.split('.');
  return { n: BigInt(whole + decimals), d: 10n ** BigInt(decimals.length) };
}

/** n ÷ d rounded to an integer; n ≥ 0, d > 0. */
function roundDiv(n: bigint, d: bigint, mode: RoundMode): bigint {
  if (n < 0n || d <= 0n) throw new RangeError('roundDiv expects n >= 0 and d > 0');
  switch (mode) {
    case 'down':
      return n / d;
    case 'up':
      return (n + d - 1n) / d;
    case 'half_up':
      return (2n * n + d) / (2n * d);
  }
}

function lessThan(a: Ratio, b: Ratio): boolean {
  return a.n * b.d < b.n * a.d;
}

/** A ratio whose denominator is a power of ten, written as a plain decimal ("3", "3.3", "0.25"). */
function decimalText(r: Ratio): string {
  let d = r.d;
  let places = 0;
  while (d % 10n === 0n) {
    d /= 10n;
    places += 1;
  }
  if (d !== 1n) return `${r.n.toString()}/${r.d.toString()}`;
  const digits = r.n.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

function toCents(value: bigint, field: string): Cents {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CounterError('INVALID_INPUT', 'The amount is too large.', field);
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Schemas

export const IsoDateSchema = z.string().refine(isIsoDate, 'Use a real calendar date written YYYY-MM-DD.');
export const IsoMonthSchema = z.string().refine(isIsoMonth, 'Use a month written YYYY-MM.');

const AmountCents = z
  .number()
  .int('Amounts are whole cents.')
  .safe('The amount is too large.')
  .min(0, 'Amounts cannot be negative.');
const WholeNumber = (what: string, min: number) =>
  z
    .number()
    .int(`${what} must be a whole number.`)
    .min(min, min === 0 ? `${what} cannot be negative.` : `${what} must be at least ${String(min)}.`);

/** Exact decimal text ("2", "2.5", "3.25"), optionally a fraction ("5/2"). */
const DecimalText = (what: string, opts: { fraction?: boolean; positive?: boolean; max?: number } = {}) =>
  z.string().superRefine((s, ctx) => {
    const problem = ((): string | null => {
      if (s.trim().startsWith('-')) return `${what} cannot be negative.`;
      const frac = FRACTION_RE.exec(s);
      if (opts.fraction && frac) {
        if (BigInt(frac[2] ?? '0') === 0n) return `${what} "${s}" divides by zero.`;
      } else if (!DECIMAL_RE.test(s)) {
        return `${what} must be written as a decimal number such as "2" or "2.5"${opts.fraction ? ' (or a fraction such as "5/2")' : ''}, not "${s}".`;
      }
      const r = parseRatio(s);
      if (opts.positive && r.n === 0n) return `${what} must be more than zero.`;
      if (opts.max !== undefined && r.n > BigInt(opts.max) * r.d)
        return `${what} cannot be more than ${String(opts.max)}.`;
      return null;
    })();
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const AccountClassSchema = z.enum(['residential', 'commercial']);
export type DepositAccountClass = z.infer<typeof AccountClassSchema>;

export const InstallmentPlanSchema = z.object({
  allowed: z.boolean(),
  /** Share of the deposit collected now, in percent ("50"). */
  downPaymentPercent: DecimalText('The down payment percent', { max: 100 }),
  /** Number of monthly bills the rest is spread over (after the down payment). */
  count: WholeNumber('The number of installments', 1),
  interval: z.literal('monthly bill'),
});
export type InstallmentPlan = z.infer<typeof InstallmentPlanSchema>;

export const InterestRuleSchema = z.object({
  method: z.enum(['simple', 'compound_annual']),
  /** When compound_annual adds the interest to the principal: each Dec 31, or each deposit anniversary. */
  compoundOn: z.enum(['anniversary', 'dec31']),
  /** No interest at all when the deposit is refunded (or applied) within this many days of payment. */
  graceDays: WholeNumber('The grace period', 0).max(364, 'The grace period must be shorter than a year.'),
  dayCount: z.literal('actual/365'),
});
export type InterestRule = z.infer<typeof InterestRuleSchema>;

export const DepositPolicySchema = z
  .object({
    id: z.string().min(1, 'A policy needs an id.'),
    accountClass: AccountClassSchema,
    effectiveFrom: IsoDateSchema,
    /** Last day in force (inclusive); null = until replaced. */
    effectiveTo: IsoDateSchema.nullable(),
    basis: z.enum(['average', 'highest']),
    multiple: DecimalText('The multiple', { fraction: true, positive: true }),
    lookbackMonths: WholeNumber('The look-back window', 1),
    /** Fewer billed months than this in the window: the new-service default applies. */
    minimumHistoryMonths: WholeNumber('The minimum history', 0),
    /** One amount, or an amount per service bundle, for new service or too little history. */
    newServiceDefaultCents: z.union([AmountCents, z.record(z.string().min(1), AmountCents)], {
      error:
        'The new-service deposit must be an amount in whole cents, not negative, or one such amount per bundle.',
    }),
    capCents: AmountCents.nullable(),
    roundTo: z.object({
      /** 1 = to the cent, 100 = whole dollars, 500 = $5 steps. */
      unitCents: WholeNumber('The rounding unit', 1),
      mode: z.enum(['half_up', 'up', 'down']),
    }),
    installments: InstallmentPlanSchema.nullable(),
    interest: InterestRuleSchema,
    refund: z.object({
      consecutiveMonths: WholeNumber('The months of on-time payment', 1),
      maxLatePayments: WholeNumber('The late payments allowed', 0),
    }),
  })
  .superRefine((p, ctx) => {
    if (p.effectiveTo !== null && p.effectiveTo < p.effectiveFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `Policy ${p.id} ends (${p.effectiveTo}) before it starts (${p.effectiveFrom}).`,
      });
    if (p.minimumHistoryMonths > p.lookbackMonths)
      ctx.addIssue({
        code: 'custom',
        path: ['minimumHistoryMonths'],
        message: `Policy ${p.id} needs ${String(p.minimumHistoryMonths)} months of history but looks back only ${String(p.lookbackMonths)}.`,
      });
  });
export type DepositPolicy = z.infer<typeof DepositPolicySchema>;

export const RateRoundingSchema = z.object({
  /** How the published rate is rounded before use: nearest whole or tenth of a percent, half-up. */
  mode: z.enum(['none', 'whole_percent', 'tenth_percent']),
  /** The applied rate is never below this (percent), when set. */
  floorPercent: DecimalText('The floor rate').nullable(),
});
export const YearRateSchema = z.object({
  year: z.number().int('A year is a whole number.').min(1900).max(9999),
  /** The rate exactly as published for that calendar year, in percent ("3.25"). */
  ratePercent: DecimalText('The interest rate'),
});
export const InterestRateTableSchema = z.object({
  rounding: RateRoundingSchema,
  rates: z.array(YearRateSchema),
});
export type InterestRateTable = z.infer<typeof InterestRateTableSchema>;

export const BilledMonthSchema = z.object({ month: IsoMonthSchema, billedCents: z.number() });
export type BilledMonth = z.infer<typeof BilledMonthSchema>;

export const DepositMovementSchema = z.object({
  date: IsoDateSchema,
  /** payment adds to the principal held; refund and applied (to a final bill) take it out. */
  kind: z.enum(['payment', 'refund', 'applied']),
  amountCents: AmountCents.positive('A deposit movement must be more than zero.'),
});
export type DepositMovement = z.infer<typeof DepositMovementSchema>;
export const DepositRecordSchema = z.object({
  movements: z.array(DepositMovementSchema).min(1, 'The deposit has no payment.'),
});
export type DepositRecord = z.infer<typeof DepositRecordSchema>;

export const PaymentRecordSchema = z.object({ month: IsoMonthSchema, late: z.boolean() });
export type PaymentRecord = z.infer<typeof PaymentRecordSchema>;

export const CreditedPeriodSchema = z.object({ creditDate: IsoDateSchema });

function parseInput<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    field: [field, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
  const first = details[0] ?? { field, message: 'Invalid input.' };
  throw new CounterError('INVALID_INPUT', first.message, first.field, details);
}

function parseDate(value: string, field: string): string {
  if (typeof value !== 'string' || !isIsoDate(value))
    throw new CounterError(
      'INVALID_INPUT',
      `"${String(value)}" is not a date: use YYYY-MM-DD, e.g. 2025-03-01.`,
      field,
    );
  return value;
}

function notAfterToday(date: string, today: string | undefined, field: string, what: string): void {
  if (today === undefined) return;
  if (date > today)
    throw new CounterError('INVALID_INPUT', `${what} ${date} is in the future (today is ${today}).`, field);
}

function parseToday(today: string | undefined): string | undefined {
  return today === undefined ? undefined : parseDate(today, 'today');
}

const money = (cents: Cents): string => formatCents(cents, { symbol: true });

// ---------------------------------------------------------------------------------------------------
// Policy and rate table validation

/**
 * Checks a full set of deposit policies: each is well formed (no negative amounts or counts, a multiple
 * above zero, an end not before its start) and, per account class, their effective dates follow each
 * other with no gap and no overlap. Returns the policies as parsed; throws CounterError INVALID_INPUT
 * naming the field (`policies.<i>.<field>`) otherwise.
 *
 * @example
 * validatePolicies([
 *   { id: 'R-2020', accountClass: 'residential', effectiveFrom: '2020-01-01', effectiveTo: '2023-12-31', … },
 *   { id: 'R-2024', accountClass: 'residential', effectiveFrom: '2024-01-01', effectiveTo: null, … },
 * ]); // ok
 * // With R-2024 starting 2024-02-01 instead: "Gap in the residential deposit policies: none is in force
 * // from 2024-01-01 to 2024-01-31 (between R-2020 and R-2024)." field policies.1.effectiveFrom
 */
export function validatePolicies(policies: readonly DepositPolicy[]): DepositPolicy[] {
  if (!Array.isArray(policies))
    throw new CounterError('INVALID_INPUT', 'Policies must be a list.', 'policies');
  const parsed = policies.map((p, i) => parseInput(DepositPolicySchema, p, `policies.${String(i)}`));
  const seen = new Map<string, number>();
  parsed.forEach((p, i) => {
    const before = seen.get(p.id);
    if (before !== undefined)
      throw new CounterError(
        'INVALID_INPUT',
        `Two policies share the id ${p.id}: give each its own.`,
        `policies.${String(i)}.id`,
      );
    seen.set(p.id, i);
  });
  for (const accountClass of AccountClassSchema.options) {
    const ofClass = parsed
      .map((policy, index) => ({ policy, index }))
      .filter((x) => x.policy.accountClass === accountClass)
      .sort((a, b) => a.policy.effectiveFrom.localeCompare(b.policy.effectiveFrom));
    for (let k = 1; k < ofClass.length; k += 1) {
      const prev = ofClass[k - 1];
      const next = ofClass[k];
      if (!prev || !next) continue;
      const a = prev.policy;
      const b = next.policy;
      const field = `policies.${String(next.index)}.effectiveFrom`;
      if (a.effectiveTo === null)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${accountClass} deposit policies overlap: ${a.id} has no end date but ${b.id} starts on ${b.effectiveFrom}. End ${a.id} on ${isoOf(dayOf(b.effectiveFrom) - 1)}.`,
          field,
        );
      const expected = dayOf(a.effectiveTo) + 1;
      const starts = dayOf(b.effectiveFrom);
      if (starts < expected)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${accountClass} deposit policies overlap: ${a.id} runs to ${a.effectiveTo} but ${b.id} starts on ${b.effectiveFrom}.`,
          field,
        );
      if (starts > expected)
        throw new CounterError(
          'INVALID_INPUT',
          `Gap in the ${accountClass} deposit policies: none is in force from ${isoOf(expected)} to ${isoOf(starts - 1)} (between ${a.id} and ${b.id}).`,
          field,
        );
    }
  }
  return parsed;
}

/**
 * The policy of `accountClass` in force on `date` from a validated set.
 *
 * @example
 * policyInForce(policies, 'residential', '2024-06-01').id; // 'R-2024' (in force 2024-01-01 onwards)
 */
export function policyInForce(
  policies: readonly DepositPolicy[],
  accountClass: DepositAccountClass,
  date: string,
): DepositPolicy {
  parseDate(date, 'date');
  const found = validatePolicies(policies).find(
    (p) =>
      p.accountClass === accountClass &&
      p.effectiveFrom <= date &&
      (p.effectiveTo === null || date <= p.effectiveTo),
  );
  if (!found)
    throw new CounterError(
      'NOT_FOUND',
      `No ${accountClass} deposit policy is in force on ${date}: ask a supervisor to set one up.`,
      'policy',
    );
  return found;
}

/**
 * Checks a rate table: well formed, no negative rate, and exactly one rate for every calendar year
 * from `fromYear` to `toYear` (a year listed twice is refused as an overlap). Returns the parsed table.
 *
 * @example
 * validateRateTable({ rounding: { mode: 'none', floorPercent: null },
 *   rates: [{ year: 2023, ratePercent: '4' }, { year: 2025, ratePercent: '3.5' }] }, 2023, 2025);
 * // CounterError INVALID_INPUT, field 'rates': "No interest rate for 2024 in the rate table: enter the
 * // rate published for 2024."
 */
export function validateRateTable(
  table: InterestRateTable,
  fromYear: number,
  toYear: number,
): InterestRateTable {
  const parsed = parseInput(InterestRateTableSchema, table, 'rates');
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear)
    throw new CounterError(
      'INVALID_INPUT',
      `The years to check must run forwards (from ${String(fromYear)} to ${String(toYear)}).`,
      'years',
    );
  const years = new Set<number>();
  parsed.rates.forEach((r, i) => {
    if (years.has(r.year))
      throw new CounterError(
        'INVALID_INPUT',
        `${String(r.year)} appears twice in the rate table: keep only the rate published for ${String(r.year)}.`,
        `rates.rates.${String(i)}.year`,
      );
    years.add(r.year);
  });
  for (let y = fromYear; y <= toYear; y += 1) {
    if (!years.has(y))
      throw new CounterError(
        'INVALID_INPUT',
        `No interest rate for ${String(y)} in the rate table: enter the rate published for ${String(y)}.`,
        'rates',
      );
  }
  return parsed;
}

export type AppliedRate = { year: number; ratePercentPublished: string; rateApplied: string };

function appliedRate(table: InterestRateTable, year: number): AppliedRate & { ratio: Ratio } {
  const entry = table.rates.find((r) => r.year === year);
  if (!entry)
    throw new CounterError(
      'INVALID_INPUT',
      `No interest rate for ${String(year)} in the rate table: enter the rate published for ${String(year)}.`,
      'rates',
    );
  const published = parseRatio(entry.ratePercent);
  let ratio: Ratio;
  switch (table.rounding.mode) {
    case 'none':
      ratio = published;
      break;
    case 'whole_percent':
      ratio = { n: roundDiv(published.n, published.d, 'half_up'), d: 1n };
      break;
    case 'tenth_percent':
      ratio = { n: roundDiv(published.n * 10n, published.d, 'half_up'), d: 10n };
      break;
  }
  if (table.rounding.floorPercent !== null) {
    const floor = parseRatio(table.rounding.floorPercent);
    if (lessThan(ratio, floor)) ratio = floor;
  }
  return { year, ratePercentPublished: entry.ratePercent, rateApplied: decimalText(ratio), ratio };
}

/**
 * The rate used for `year`: the published rate rounded per the table's rule (half-up to the nearest
 * whole or tenth of a percent), then raised to the floor if below it.
 *
 * @example
 * // rounding { mode: 'whole_percent', floorPercent: '1' }
 * ratePercentFor(table, 2021); // published '0.4' → rounds to 0 → floor → { rateApplied: '1' }
 * ratePercentFor(table, 2023); // published '2.5' → { rateApplied: '3' } (half-up)
 */
export function ratePercentFor(table: InterestRateTable, year: number): AppliedRate {
  const { ratio: _ratio, ...rest } = appliedRate(parseInput(InterestRateTableSchema, table, 'rates'), year);
  return rest;
}

// ---------------------------------------------------------------------------------------------------
// Required deposit

export type DueWith = 'now' | `bill ${number}`;
export type Installment = { dueWith: DueWith; amountCents: Cents };

export type RequiredDepositOptions = {
  /** The day the deposit is calculated; the window is the `lookbackMonths` full months before its month. */
  asOf: string;
  /** Refuse an `asOf` after this date. */
  today?: string;
  /** The service bundle, needed when the policy's new-service default is set per bundle. */
  bundle?: string;
  /** The customer pays in installments (refused when the policy does not allow it). */
  installments?: boolean;
};

export type RequiredDeposit = {
  amountCents: Cents;
  working: {
    policyId: string;
    /** First and last month of the look-back window. */
    windowFrom: string;
    windowTo: string;
    /** Billed months inside the window, oldest first. */
    monthsUsed: { month: string; billedCents: Cents }[];
    basis: 'average' | 'highest';
    /** Sum of the months used. */
    totalCents: Cents;
    /** The average (rounded half-up to the cent) or the highest month; null when the default applied. */
    averageOrHighestCents: Cents | null;
    multiple: string;
    beforeCapCents: Cents;
    capCents: Cents | null;
    capped: boolean;
    usedDefault: boolean;
    bundle: string | null;
    reason: string;
  };
  installments: Installment[];
};

function roundingWords(unitCents: number, mode: RoundMode): string {
  const unit =
    unitCents === 1 ? 'cent' : unitCents === 100 ? 'whole dollar' : `multiple of ${money(unitCents)}`;
  return mode === 'up'
    ? `rounded up to the next ${unit}`
    : mode === 'down'
      ? `rounded down to the ${unit}`
      : `rounded to the nearest ${unit}`;
}

/**
 * Splits a deposit into the policy's installments: the down payment is `downPaymentPercent` of the
 * amount rounded **up** to the cent (the odd cent is collected now); the rest is spread evenly over
 * `count` monthly bills, and the cents that do not divide evenly go one each to the earliest bills.
 * Bills that would carry $0.00 are left out. The parts always sum to the amount.
 *
 * @example
 * splitInstallments(10_003, { allowed: true, downPaymentPercent: '50', count: 2, interval: 'monthly bill' });
 * // 50 % of 100.03 = 50.015 → now 50.02; rest 50.01 → bill 1 25.01, bill 2 25.00
 * // [{ dueWith: 'now', amountCents: 5_002 }, { dueWith: 'bill 1', amountCents: 2_501 },
 * //  { dueWith: 'bill 2', amountCents: 2_500 }]
 */
export function splitInstallments(amountCents: Cents, plan: InstallmentPlan): Installment[] {
  const p = parseInput(InstallmentPlanSchema, plan, 'installments');
  const amount = parseInput(AmountCents, amountCents, 'amountCents');
  const pct = parseRatio(p.downPaymentPercent);
  const down = toCents(roundDiv(BigInt(amount) * pct.n, pct.d * 100n, 'up'), 'amountCents');
  const rest = subCents(amount, down);
  const each = Math.floor(rest / p.count);
  const extra = rest - each * p.count;
  const parts: Installment[] = [{ dueWith: 'now', amountCents: down }];
  for (let k = 1; k <= p.count; k += 1) {
    const cents = each + (k <= extra ? 1 : 0);
    if (cents > 0) parts.push({ dueWith: `bill ${k}`, amountCents: cents });
  }
  return parts;
}

/**
 * The deposit an account must pay under `policy`, with the working the CSR can read out.
 *
 * The window is the `lookbackMonths` full calendar months before the month of `asOf` (a bill for the
 * month of `asOf` is accepted but not used: that month is not over). With at least
 * `minimumHistoryMonths` billed months (and at least one) in the window, the amount is `multiple` ×
 * (the average of those months, rounded half-up to the cent, or the highest of them), rounded per
 * `roundTo`; otherwise it is the new-service default (per bundle when the policy says so). The cap,
 * when set, is applied last. Refuses negative bills, months after `asOf`, a month given twice, an
 * `asOf` outside the policy's effective dates, and installments the policy does not allow.
 *
 * @example
 * // Residential: 2 × the 12-month average, to the cent, cap $500.00; asOf 2025-01-15.
 * // Bills 2024-01 … 2024-12 total $1,001.00 → average 1,001.00 ÷ 12 = 83.4166… → $83.42
 * requiredDeposit(residential, history, { asOf: '2025-01-15' });
 * // { amountCents: 16_684, working: { averageOrHighestCents: 8_342, multiple: '2', capped: false, … },
 * //   installments: [{ dueWith: 'now', amountCents: 16_684 }] }
 */
export function requiredDeposit(
  policy: DepositPolicy,
  history: readonly BilledMonth[],
  opts: RequiredDepositOptions,
): RequiredDeposit {
  const p = parseInput(DepositPolicySchema, policy, 'policy');
  const asOf = parseDate(opts.asOf, 'asOf');
  notAfterToday(asOf, parseToday(opts.today), 'asOf', 'The calculation date');
  if (asOf < p.effectiveFrom || (p.effectiveTo !== null && asOf > p.effectiveTo))
    throw new CounterError(
      'INVALID_INPUT',
      `Policy ${p.id} is in force from ${p.effectiveFrom}${p.effectiveTo ? ` to ${p.effectiveTo}` : ''}: it does not apply on ${asOf}.`,
      'policy',
    );
  const bills = parseInput(z.array(BilledMonthSchema), history, 'history');
  const asOfMonth = monthIndex(asOf);
  const seen = new Set<string>();
  bills.forEach((b, i) => {
    const field = `history.${String(i)}`;
    if (!Number.isSafeInteger(b.billedCents))
      throw new CounterError(
        'INVALID_INPUT',
        `The bill for ${b.month} is not a whole number of cents.`,
        `${field}.billedCents`,
      );
    if (b.billedCents < 0)
      throw new CounterError(
        'INVALID_INPUT',
        `The bill for ${b.month} is negative (${money(b.billedCents)}): a billing history cannot have negative months.`,
        `${field}.billedCents`,
      );
    if (monthIndex(b.month) > asOfMonth)
      throw new CounterError(
        'INVALID_INPUT',
        `The billing history has a bill for ${b.month}, after ${asOf}: months in the future are not history.`,
        `${field}.month`,
      );
    if (seen.has(b.month))
      throw new CounterError(
        'INVALID_INPUT',
        `The billing history has ${b.month} twice: keep one bill per month.`,
        `${field}.month`,
      );
    seen.add(b.month);
  });

  const firstIdx = asOfMonth - p.lookbackMonths;
  const lastIdx = asOfMonth - 1;
  const windowFrom = monthOf(firstIdx);
  const windowTo = monthOf(lastIdx);
  const monthsUsed = bills
    .filter((b) => monthIndex(b.month) >= firstIdx && monthIndex(b.month) <= lastIdx)
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((b) => ({ month: b.month, billedCents: b.billedCents }));
  const totalCents = addCents(...monthsUsed.map((m) => m.billedCents));
  const usedDefault = monthsUsed.length === 0 || monthsUsed.length < p.minimumHistoryMonths;
  const windowWords = `${String(p.lookbackMonths)} months ${windowFrom} to ${windowTo}`;

  let beforeCapCents: Cents;
  let averageOrHighestCents: Cents | null = null;
  let bundle: string | null = null;
  let reason: string;
  if (usedDefault) {
    const defaults = p.newServiceDefaultCents;
    const why =
      monthsUsed.length === 0
        ? `No bills in the ${windowWords}`
        : `Only ${String(monthsUsed.length)} billed month${monthsUsed.length === 1 ? '' : 's'} in the ${windowWords} (the policy needs ${String(p.minimumHistoryMonths)})`;
    if (typeof defaults === 'number') {
      beforeCapCents = defaults;
      reason = `${why}: the new-service deposit of ${money(defaults)} applies.`;
    } else {
      const names = Object.keys(defaults).sort();
      if (opts.bundle === undefined)
        throw new CounterError(
          'INVALID_INPUT',
          `${why}: the deposit depends on the service bundle. Choose one of: ${names.join(', ')}.`,
          'bundle',
        );
      const amount = defaults[opts.bundle];
      if (amount === undefined)
        throw new CounterError(
          'INVALID_INPUT',
          `Policy ${p.id} has no new-service deposit for bundle "${opts.bundle}". Bundles: ${names.join(', ')}.`,
          'bundle',
        );
      bundle = opts.bundle;
      beforeCapCents = amount;
      reason = `${why}: the new-service deposit for ${bundle} of ${money(amount)} applies.`;
    }
  } else {
    const multiple = parseRatio(p.multiple);
    let base: Cents;
    let baseWords: string;
    if (p.basis === 'average') {
      base = toCents(roundDiv(BigInt(totalCents), BigInt(monthsUsed.length), 'half_up'), 'history');
      baseWords = `the average of ${String(monthsUsed.length)} monthly bill${monthsUsed.length === 1 ? '' : 's'} ${windowFrom} to ${windowTo} (${money(totalCents)} ÷ ${String(monthsUsed.length)} = ${money(base)})`;
    } else {
      base = Math.max(...monthsUsed.map((m) => m.billedCents));
      const top = monthsUsed.find((m) => m.billedCents === base);
      baseWords = `the highest monthly bill ${windowFrom} to ${windowTo} (${top?.month ?? ''}: ${money(base)})`;
    }
    averageOrHighestCents = base;
    const unit = BigInt(p.roundTo.unitCents);
    beforeCapCents = toCents(
      roundDiv(BigInt(base) * multiple.n, multiple.d * unit, p.roundTo.mode) * unit,
      'history',
    );
    reason = `${p.multiple} × ${baseWords} = ${money(beforeCapCents)}${p.roundTo.unitCents === 1 && p.roundTo.mode === 'half_up' ? '' : `, ${roundingWords(p.roundTo.unitCents, p.roundTo.mode)}`}.`;
  }
  const capped = p.capCents !== null && beforeCapCents > p.capCents;
  const amountCents = capped && p.capCents !== null ? p.capCents : beforeCapCents;
  if (capped) reason += ` Capped at ${money(amountCents)} by policy ${p.id}.`;

  let installments: Installment[] = [{ dueWith: 'now', amountCents }];
  if (opts.installments) {
    if (!p.installments?.allowed)
      throw new CounterError(
        'INVALID_INPUT',
        `Policy ${p.id} does not allow installments: collect the full ${money(amountCents)} now.`,
        'installments',
      );
    installments = splitInstallments(amountCents, p.installments);
  }

  return {
    amountCents,
    working: {
      policyId: p.id,
      windowFrom,
      windowTo,
      monthsUsed,
      basis: p.basis,
      totalCents,
      averageOrHighestCents,
      multiple: p.multiple,
      beforeCapCents,
      capCents: p.capCents,
      capped,
      usedDefault,
      bundle,
      reason,
    },
    installments,
  };
}

// ---------------------------------------------------------------------------------------------------
// Deposit movements

type Move = DepositMovement & { day: number };

type PreparedDeposit = {
  moves: Move[];
  depositDate: string;
  depositDay: number;
};

/** Validates and orders the movements (same day: payments first); refuses a refund above what is held. */
function prepareDeposit(deposit: DepositRecord, today: string | undefined): PreparedDeposit {
  const record = parseInput(DepositRecordSchema, deposit, 'deposit');
  const moves = record.movements
    .map((m, index) => ({ ...m, day: dayOf(m.date), index }))
    .sort((a, b) => a.day - b.day || rankKind(a.kind) - rankKind(b.kind) || a.index - b.index);
  let held = 0;
  let closedOn: string | null = null;
  for (const m of moves) {
    const field = `deposit.movements.${String(m.index)}`;
    notAfterToday(m.date, today, `${field}.date`, `The deposit ${m.kind} dated`);
    if (m.kind === 'payment') {
      if (closedOn !== null)
        throw new CounterError(
          'INVALID_INPUT',
          `This deposit was paid out on ${closedOn}: record the payment of ${m.date} as a new deposit.`,
          `${field}.date`,
        );
      held = addCents(held, m.amountCents);
    } else {
      if (m.amountCents > held)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${m.kind === 'refund' ? 'refund' : 'amount applied to the bill'} of ${money(m.amountCents)} on ${m.date} is more than the ${money(held)} deposit held.`,
          `${field}.amountCents`,
        );
      held = subCents(held, m.amountCents);
      if (held === 0) closedOn = m.date;
    }
  }
  const first = moves[0];
  if (!first) throw new CounterError('INVALID_INPUT', 'The deposit has no payment.', 'deposit.movements');
  return {
    moves: moves.map(({ index: _index, ...m }) => m),
    depositDate: first.date,
    depositDay: first.day,
  };
}

function rankKind(kind: DepositMovement['kind']): number {
  return kind === 'payment' ? 0 : 1;
}

function heldAfter(moves: readonly Move[]): Cents {
  return moves.reduce(
    (held, m) => (m.kind === 'payment' ? addCents(held, m.amountCents) : subCents(held, m.amountCents)),
    0,
  );
}

/** The day the principal held falls to zero (validated movements never pay in again after it). */
function closingDay(moves: readonly Move[]): number | null {
  let held = 0;
  for (const m of moves) {
    held = m.kind === 'payment' ? addCents(held, m.amountCents) : subCents(held, m.amountCents);
    if (held === 0) return m.day;
  }
  return null;
}

/**
 * The principal held at the end of `asOf` (payments less refunds and amounts applied up to that day).
 *
 * @example
 * depositHeld({ movements: [{ date: '2025-01-02', kind: 'payment', amountCents: 10_000 },
 *   { date: '2025-02-01', kind: 'payment', amountCents: 5_000 }] }, '2025-01-31'); // 10_000
 */
export function depositHeld(deposit: DepositRecord, asOf: string): Cents {
  const day = dayOf(parseDate(asOf, 'asOf'));
  return heldAfter(prepareDeposit(deposit, undefined).moves.filter((m) => m.day <= day));
}

// ---------------------------------------------------------------------------------------------------
// Interest

export type InterestSegment = { from: string; to: string; days: number; principalCents: Cents };

export type InterestYear = {
  /** The calendar year whose rate applies. */
  year: number;
  /** First and last day counted (inclusive). */
  from: string;
  to: string;
  days: number;
  /** The divisor of the day count: 365 under actual/365, leap years included. */
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
  const daysInYear = 365; // actual/365, the only day count the schema admits
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
 * anniversaries). Each row is Σ balance × days × rate ÷ (100 × 365), computed exactly with BigInt and
 * rounded half-up to the cent once. The rate of each calendar year is the published rate after the
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

// ---------------------------------------------------------------------------------------------------
// Refund eligibility

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

// ---------------------------------------------------------------------------------------------------
// Final bill

export type FinalBillApplication = {
  /** Deposit plus interest available. */
  availableCents: Cents;
  appliedToBillCents: Cents;
  refundCents: Cents;
  /** What the customer still owes after the deposit is applied (negative = a credit balance remains). */
  remainingBalanceCents: Cents;
};

/**
 * Applies the deposit held and its interest to the final bill: as much as the balance due, the rest
 * refunded. A balance of zero or a credit balance takes nothing (the whole deposit is refunded and the
 * credit stays where it is).
 *
 * @example
 * finalBillApplication(20_000, 1_946, 15_000);
 * // { availableCents: 21_946, appliedToBillCents: 15_000, refundCents: 6_946, remainingBalanceCents: 0 }
 * finalBillApplication(20_000, 1_946, 30_000);
 * // { availableCents: 21_946, appliedToBillCents: 21_946, refundCents: 0, remainingBalanceCents: 8_054 }
 */
export function finalBillApplication(
  depositHeldCents: Cents,
  interestCents: Cents,
  finalBalanceCents: Cents,
): FinalBillApplication {
  const held = parseInput(AmountCents, depositHeldCents, 'depositHeldCents');
  const interest = parseInput(AmountCents, interestCents, 'interestCents');
  const balance = parseInput(
    z.number().int('Amounts are whole cents.').safe('The amount is too large.'),
    finalBalanceCents,
    'finalBalanceCents',
  );
  const availableCents = addCents(held, interest);
  const appliedToBillCents = Math.min(availableCents, Math.max(0, balance));
  return {
    availableCents,
    appliedToBillCents,
    refundCents: subCents(availableCents, appliedToBillCents),
    remainingBalanceCents: subCents(balance, appliedToBillCents),
  };
}
