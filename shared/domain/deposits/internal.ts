/**
 * Helpers the deposit rules share: ISO dates and months as integer day and month numbers, exact
 * ratios (BigInt numerator and denominator, rounded once), the zod building blocks of the schemas, and
 * input parsing that names the field.
 */
import { z } from 'zod';

import { CounterError, parseInput } from '../../api/errors.js';
import { formatCents, type Cents } from '../../money.js';
import { dayOf, daysInMonth, isIsoDate, isoOf, MS_PER_DAY, parseDate } from '../dates.js';

export { dayOf, isIsoDate, isoOf, MS_PER_DAY, parseDate, parseInput };

// ---------------------------------------------------------------------------------------------------
// Dates and months (integer day numbers; no time zones)

const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function isIsoMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  if (!m) return false;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return y >= 1900 && mo >= 1 && mo <= 12;
}

export function yearOfDay(day: number): number {
  return Number(isoOf(day).slice(0, 4));
}

/** Month index (year × 12 + month − 1) of 'YYYY-MM' or of the month of 'YYYY-MM-DD'. */
export function monthIndex(isoMonthOrDate: string): number {
  return Number(isoMonthOrDate.slice(0, 4)) * 12 + Number(isoMonthOrDate.slice(5, 7)) - 1;
}

export function monthOf(index: number): string {
  const y = Math.floor(index / 12);
  return `${String(y)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function firstDayOfMonth(index: number): string {
  return `${monthOf(index)}-01`;
}

/**
 * The k-th anniversary of `date`. A deposit paid on 29 February has its anniversary on 28 February in
 * common years (it never moves into the next month).
 */
export function anniversaryDay(date: string, k: number): number {
  const y = Number(date.slice(0, 4)) + k;
  const mo = Number(date.slice(5, 7));
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, mo));
  return Date.UTC(y, mo - 1, d) / MS_PER_DAY;
}

// ---------------------------------------------------------------------------------------------------
// Exact ratios

export type Ratio = { n: bigint; d: bigint };
export type RoundMode = 'half_up' | 'up' | 'down';

const DECIMAL_RE = /^\d+(\.\d+)?$/;
const FRACTION_RE = /^(\d+)\/(\d+)$/;

export function parseRatio(text: string): Ratio {
  const frac = FRACTION_RE.exec(text);
  if (frac) return { n: BigInt(frac[1] ?? '0'), d: BigInt(frac[2] ?? '1') };
  const [whole = '0', decimals = ''] = text.split('.');
  return { n: BigInt(whole + decimals), d: 10n ** BigInt(decimals.length) };
}

/** n ÷ d rounded to an integer; n ≥ 0, d > 0. */
export function roundDiv(n: bigint, d: bigint, mode: RoundMode): bigint {
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

export function lessThan(a: Ratio, b: Ratio): boolean {
  return a.n * b.d < b.n * a.d;
}

/** A ratio whose denominator is a power of ten, written as a plain decimal ("3", "3.3", "0.25"). */
export function decimalText(r: Ratio): string {
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

export function toCents(value: bigint, field: string): Cents {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CounterError('INVALID_INPUT', 'The amount is too large.', field);
  return n;
}

export const AmountCents = z
  .number()
  .int('Amounts are whole cents.')
  .safe('The amount is too large.')
  .min(0, 'Amounts cannot be negative.');
export const WholeNumber = (what: string, min: number) =>
  z
    .number()
    .int(`${what} must be a whole number.`)
    .min(min, min === 0 ? `${what} cannot be negative.` : `${what} must be at least ${String(min)}.`);

/** Exact decimal text ("2", "2.5", "3.25"), optionally a fraction ("5/2"). */
export const DecimalText = (
  what: string,
  opts: { fraction?: boolean; positive?: boolean; max?: number } = {},
) =>
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

export function notAfterToday(date: string, today: string | undefined, field: string, what: string): void {
  if (today === undefined) return;
  if (date > today)
    throw new CounterError('INVALID_INPUT', `${what} ${date} is in the future (today is ${today}).`, field);
}

export function parseToday(today: string | undefined): string | undefined {
  return today === undefined ? undefined : parseDate(today, 'today');
}

export const money = (cents: Cents): string => formatCents(cents, { symbol: true });
