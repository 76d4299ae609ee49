/**
 * ISO calendar dates as integer day numbers (no time zones), and the date check every rule runs on its
 * input. The deposit and equipment rules both count days this way.
 */
import { CounterError } from '../api/errors.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const MS_PER_DAY = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** A real calendar date written YYYY-MM-DD, from 1900 on. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Days since 1970-01-01 of a valid ISO date (an exact integer: Date.UTC is whole milliseconds). */
export function dayOf(iso: string): number {
  return (
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY
  );
}

export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `value` as an ISO date, or INVALID_INPUT naming `field`. */
export function parseDate(value: unknown, field: string): string {
  if (!isIsoDate(value))
    throw new CounterError(
      'INVALID_INPUT',
      `"${String(value)}" is not a date: use YYYY-MM-DD, e.g. 2025-03-01.`,
      field,
    );
  return value;
}
