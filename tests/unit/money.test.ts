import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  addCents,
  centsToInput,
  formatCents,
  isCents,
  MAX_AMOUNT_CENTS,
  mulCents,
  parseAmount,
  subCents,
  sumCents,
} from '../../shared/money.js';

describe('parseAmount', () => {
  it.each([
    ['100', 10_000],
    ['100.5', 10_050],
    ['100.50', 10_050],
    ['.75', 75],
    ['$1,234.56', 123_456],
    ['1,234', 123_400],
    ['12,345.6', 1_234_560],
    ['  7 ', 700],
    ['1.', 100],
    ['0.01', 1],
    ['999999.99', 99_999_999],
    ['$999,999.99', 99_999_999],
  ])('reads %j as %i cents', (input, cents) => {
    expect(parseAmount(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', 'Enter an amount.'],
    ['   ', 'Enter an amount.'],
    ['$', 'Enter an amount.'],
    ['-5', 'The amount cannot be negative.'],
    ['$-5', 'The amount cannot be negative.'],
    ['abc', '"abc" is not an amount.'],
    ['1e3', '"1e3" is not an amount.'],
    ['1,23', '"1,23" is not an amount.'],
    ['1.2.3', '"1.2.3" is not an amount.'],
    ['0', 'The amount must be more than zero.'],
    ['0.00', 'The amount must be more than zero.'],
    ['10.123', 'Use at most two decimals (cents).'],
    // One cent over the counter's limit of $999,999.99, and a clearly too large one.
    ['1000000', 'The amount is too large for the counter.'],
    ['1,000,000.00', 'The amount is too large for the counter.'],
    ['12345678901', 'The amount is too large for the counter.'],
  ])('refuses %j with a sentence a CSR can read out', (input, message) => {
    expect(parseAmount(input)).toEqual({ ok: false, message });
  });

  it('accepts zero only when asked to', () => {
    expect(parseAmount('0', { allowZero: true })).toEqual({ ok: true, cents: 0 });
    expect(parseAmount('0.00', { allowZero: true })).toEqual({ ok: true, cents: 0 });
    expect(parseAmount('-0', { allowZero: true }).ok).toBe(false);
  });

  it('the limit is exactly $999,999.99', () => {
    expect(MAX_AMOUNT_CENTS).toBe(99_999_999);
  });

  it('parseAmount(centsToInput(c)) === c for every amount the counter accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (c) => {
        expect(parseAmount(centsToInput(c))).toEqual({ ok: true, cents: c });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a formatted amount (with $ and thousands separators) back to the same cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (c) => {
        expect(parseAmount(formatCents(c, { symbol: true }))).toEqual({ ok: true, cents: c });
        expect(parseAmount(formatCents(c))).toEqual({ ok: true, cents: c });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatCents', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [100, '1.00'],
    [7_345, '73.45'],
    [123_456, '1,234.56'],
    [99_999_999, '999,999.99'],
    [-5, '-0.05'],
    [-100, '-1.00'],
    [-123_456, '-1,234.56'],
  ])('formats %i as %j', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it.each([
    [2_655, '$26.55'],
    [123_456, '$1,234.56'],
    [-100, '-$1.00'],
    [-123_456, '-$1,234.56'],
  ])('formats %i with the symbol as %j', (cents, text) => {
    expect(formatCents(cents, { symbol: true })).toBe(text);
  });

  it('refuses anything that is not whole cents', () => {
    expect(() => formatCents(1.5)).toThrow(TypeError);
    expect(() => formatCents(Number.NaN)).toThrow(TypeError);
  });
});

describe('centsToInput', () => {
  it.each([
    [5, '0.05'],
    [100, '1.00'],
    [7_345, '73.45'],
    [123_456, '1234.56'],
    [99_999_999, '999999.99'],
  ])('pre-fills %i as %j (no separator, no symbol)', (cents, text) => {
    expect(centsToInput(cents)).toBe(text);
  });
});

describe('cents arithmetic', () => {
  it('adds and subtracts whole cents exactly', () => {
    // 0.10 + 0.20 is 0.30 here, not 0.30000000000000004.
    expect(addCents(10, 20)).toBe(30);
    expect(addCents()).toBe(0);
    expect(addCents(2_495, 1_250, 2_999, 601)).toBe(7_345);
    expect(subCents(10_000, 7_345)).toBe(2_655);
    expect(subCents(1_000, 250, 750)).toBe(0);
    expect(subCents(100, 250)).toBe(-150);
    expect(sumCents([1, 2, 3, -6])).toBe(0);
    expect(sumCents(new Set([100, 200]))).toBe(300);
  });

  it('refuses fractional cents instead of rounding them silently', () => {
    expect(() => addCents(0.1, 1)).toThrow(TypeError);
    expect(() => subCents(100, 0.5)).toThrow(TypeError);
    expect(() => mulCents(10.5, 2)).toThrow(TypeError);
    expect(() => mulCents(100, Number.NaN)).toThrow(TypeError);
    expect(() => mulCents(100, Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(isCents(1)).toBe(true);
    expect(isCents(-1)).toBe(true);
    expect(isCents(1.5)).toBe(false);
    expect(isCents('1')).toBe(false);
    expect(isCents(2 ** 53)).toBe(false);
  });

  it.each([
    // value × factor = exact decimal product → rounded half away from zero
    [7_345, 2, 14_690], // 14690 exactly
    [1_234, 0.0825, 102], // 101.805 → 102
    [1_000, 0.0825, 83], // 82.5 → 83 (half up)
    [1_212, 0.0825, 100], // 99.99 → 100
    [5, 0.5, 3], // 2.5 → 3
    [15, 0.5, 8], // 7.5 → 8
    [10, 1 / 3, 3], // 3.333… → 3
    [20, 1 / 3, 7], // 6.666… → 7
    [100, 1.005, 101], // 100.5 → 101 (binary 100 * 1.005 is 100.49999999999999)
    [-5, 0.5, -3], // -2.5 → -3 (away from zero, not towards +∞)
    [-15, 0.5, -8], // -7.5 → -8
    [-1_000, 0.0825, -83], // -82.5 → -83
    [-1_234, 0.0825, -102], // -101.805 → -102
    [-4, 0.5, -2], // -2 exactly
    [-20, 1 / 3, -7], // -6.666… → -7
  ])('mulCents(%i, %d) === %i', (value, factor, expected) => {
    expect(mulCents(value, factor)).toBe(expected);
  });

  it('never returns negative zero', () => {
    // 100 × -0.001 = -0.1 → 0 (a -0 would print as "-0.00" in some places and fail Object.is checks)
    expect(Object.is(mulCents(100, -0.001), 0)).toBe(true);
    expect(Object.is(mulCents(0, -3), 0)).toBe(true);
  });

  it('mulCents is symmetric around zero (half away from zero)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (value, factorTenThousandths) => {
          const factor = factorTenThousandths / 10_000;
          const up = mulCents(value, factor);
          expect(mulCents(-value, factor)).toBe(up === 0 ? 0 : -up);
          // Exact reference in integers: value × f / 10000, rounded half up for a non-negative product.
          const exact = Math.floor((value * factorTenThousandths + 5_000) / 10_000);
          expect(up).toBe(exact);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
