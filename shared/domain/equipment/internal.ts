/**
 * Helpers the equipment rules share: ISO dates as day numbers, exact percents (BigInt ratios, half-up
 * to the cent), input parsing that names the field, masking an account number.
 */
import type { z } from 'zod';

import { CounterError, parseInput } from '../../api/errors.js';
import type { Cents } from '../../money.js';
import { dayOf, isIsoDate, isoOf, parseDate } from '../dates.js';

export { dayOf, isIsoDate, parseDate, parseInput };

// Dates (integer day numbers; no time zones)

export function addDays(iso: string, days: number): string {
  return isoOf(dayOf(iso) + days);
}

// Exact percents

type Ratio = { n: bigint; d: bigint };

/** "8.25" → 825/100. The schemas only let plain decimals through. */
export function parseDecimal(text: string): Ratio {
  const [whole = '0', decimals = ''] = text.split('.');
  return { n: BigInt(whole + decimals), d: 10n ** BigInt(decimals.length) };
}

function toCents(value: bigint, field: string): Cents {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CounterError('INVALID_INPUT', 'The amount is too large.', field);
  return n;
}

/** `cents` × `percent` ÷ 100, rounded half-up to the cent (`cents` ≥ 0). */
export function percentOf(cents: Cents, percent: string, field: string): Cents {
  const r = parseDecimal(percent);
  const n = BigInt(cents) * r.n;
  const d = r.d * 100n;
  return toCents((2n * n + d) / (2n * d), field);
}

export function times(cents: Cents, quantity: number, field: string): Cents {
  return toCents(BigInt(cents) * BigInt(quantity), field);
}

/** Splits `total` into `parts` amounts that differ by at most a cent, the larger ones first. */
export function splitEvenly(total: Cents, parts: number): Cents[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => (i < extra ? base + 1 : base));
}

// Input checks

export function parseList<T>(schema: z.ZodType<T>, value: unknown, field: string, what: string): T[] {
  if (!Array.isArray(value)) throw new CounterError('INVALID_INPUT', `${what} must be a list.`, field);
  return value.map((v, i) => parseInput(schema, v, `${field}.${String(i)}`));
}

/** "1000042517" → "******2517": only the last 4 characters show (of 4 or fewer, only the last). */
export function maskAccount(accountNumber: string): string {
  const a = accountNumber.trim();
  const shown = a.length > 4 ? 4 : Math.min(1, a.length);
  return '*'.repeat(a.length - shown) + a.slice(a.length - shown);
}

/** GS1 comparison key: every UPC-A, EAN-13 and EAN-8 as 14 digits. */
export function gtin14(code: string): string {
  return code.padStart(14, '0');
}

export function unitWord(n: number, one: string, many = `${one}s`): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}
