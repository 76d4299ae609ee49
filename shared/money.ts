/**
 * Money is an integer number of cents everywhere: in storage, on the wire and in the ledger.
 * currency.js does the arithmetic and the display; nothing here ever holds a float amount.
 */
import currency from 'currency.js';

/** An integer amount of cents (may be negative for credits). */
export type Cents = number;

const CENTS = { fromCents: true, precision: 2 } as const;

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function money(value: Cents): currency {
  if (!isCents(value)) throw new TypeError(`not an integer number of cents: ${String(value)}`);
  return currency(value, CENTS);
}

export function addCents(...values: Cents[]): Cents {
  return values.reduce<currency>((acc, v) => acc.add(money(v)), currency(0, CENTS)).intValue;
}

export function subCents(a: Cents, ...rest: Cents[]): Cents {
  return rest.reduce<currency>((acc, v) => acc.subtract(money(v)), money(a)).intValue;
}

export function sumCents(values: Iterable<Cents>): Cents {
  return addCents(...values);
}

/** Multiplies cents by a plain factor (rates, multiples) and rounds half away from zero to the cent. */
export function mulCents(value: Cents, factor: number): Cents {
  // Not currency.js's multiply: it rounds the raw binary product with Math.round (half towards +∞), so
  // -2.5 became -2 and 100 × 1.005 (100.49999999999999 in binary) became 100. Round the product as the
  // decimal it stands for (15 significant digits), half away from zero, and never return -0.
  if (!Number.isFinite(factor)) throw new TypeError(`not a finite factor: ${String(factor)}`);
  const product = Number((money(value).intValue * factor).toPrecision(15));
  const rounded = Math.sign(product) * Math.round(Math.abs(product));
  return rounded === 0 ? 0 : rounded;
}

/** "1,234.56" (no symbol) or "$1,234.56" with `symbol`. Negative amounts show as "-1.00". */
export function formatCents(value: Cents, opts: { symbol?: boolean } = {}): string {
  return money(value).format({ symbol: opts.symbol ? '$' : '', negativePattern: '-!#' });
}

/** "$1,234.56": an amount as a CSR reads it out (negative as "-$1.00"). */
export function formatMoney(value: Cents): string {
  return formatCents(value, { symbol: true });
}

export type AmountParse = { ok: true; cents: Cents } | { ok: false; message: string };

/** Largest amount a counter accepts in one field: $999,999.99. */
export const MAX_AMOUNT_CENTS = 99_999_999;

/**
 * Parses what a CSR types into an amount field: "100", "100.5", "100.50", "$1,234.56", ".75".
 * Refuses, with a sentence a CSR can read out, anything that is not a positive amount with at most
 * two decimals.
 */
export function parseAmount(input: string, opts: { allowZero?: boolean } = {}): AmountParse {
  const raw = input
    .trim()
    .replace(/^\$/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  if (raw === '') return { ok: false, message: 'Enter an amount.' };
  if (raw.startsWith('-')) return { ok: false, message: 'The amount cannot be negative.' };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw))
    return { ok: false, message: `"${input.trim()}" is not an amount.` };
  const decimals = raw.includes('.') ? raw.length - raw.indexOf('.') - 1 : 0;
  if (decimals > 2) return { ok: false, message: 'Use at most two decimals (cents).' };
  const cents = currency(raw, { precision: 2, errorOnInvalid: true }).intValue;
  if (cents === 0 && !opts.allowZero) return { ok: false, message: 'The amount must be more than zero.' };
  if (cents > MAX_AMOUNT_CENTS) return { ok: false, message: 'The amount is too large for the counter.' };
  return { ok: true, cents };
}

/** Cents to the plain "123.45" a CSR types, for pre-filling amount fields. */
export function centsToInput(value: Cents): string {
  return money(value).format({ symbol: '', separator: '' });
}
