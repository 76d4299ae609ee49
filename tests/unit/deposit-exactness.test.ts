/**
 * "Exact first, round once" in the deposit rules, by hand-worked examples: the required amount takes
 * the multiple of the exact average (the policy may ask for the average rounded first), and the
 * actual/actual day count gives a full year exactly the yearly rate, leap years included.
 */
import { describe, expect, it } from 'vitest';

import {
  accruedInterest,
  requiredDeposit,
  type DepositPolicy,
  type DepositRecord,
} from '../../shared/domain/deposits.js';
import { bills, COMMERCIAL, RATES, RESIDENTIAL } from '../fixtures/deposit-policies.js';

describe('requiredDeposit: rounding order', () => {
  // Every row looks back 6 months (2024-07 … 2024-12 for asOf 2025-01-15), no cap.
  const base: DepositPolicy = {
    ...RESIDENTIAL,
    lookbackMonths: 6,
    minimumHistoryMonths: 1,
    capCents: null,
  };
  const asOf = '2025-01-15';
  const NEAREST_DOLLAR = { unitCents: 100, mode: 'half_up' } as const;
  const NEAREST_5 = { unitCents: 500, mode: 'half_up' } as const;
  // [name, multiple, rounding (null: to the cent), the six bills 2024-07 … 2024-12, exact, average first]
  type Row = [string, string, DepositPolicy['roundTo'] | null, number[], number, number];
  const rows: Row[] = [
    // 75.00 × 5 + 75.03 = 450.03; exact average 450.03 ÷ 6 = 75.005.
    // exact: 4 × 75.005 = 300.02 exactly. average first: 75.005 → 75.01 (half-up) × 4 = 300.04,
    // two cents above what four times the average bill allows.
    [
      '4 × six bills totalling $450.03',
      '4',
      null,
      [7_500, 7_500, 7_500, 7_500, 7_500, 7_503],
      30_002,
      30_004,
    ],
    // 83.33 × 5 + 83.36 = 416.65 + 83.36 = 500.01; exact average 500.01 ÷ 6 = 83.335.
    // exact: 2 × 83.335 = 166.67. average first: 83.335 → 83.34 × 2 = 166.68.
    [
      '2 × six bills totalling $500.01',
      '2',
      null,
      [8_333, 8_333, 8_333, 8_333, 8_333, 8_336],
      16_667,
      16_668,
    ],
    // 5/2 × (100.01 + 100.00 + 100.00 + 0 + 0 + 0) ÷ 6 = 5 × 300.01 ÷ 12 = 1,500.05 ÷ 12 = 125.004166…
    // → 125.00. average first: 300.01 ÷ 6 = 50.001666… → 50.00 × 2.5 = 125.00 (the same here).
    [
      'a fraction multiple where both orders agree',
      '5/2',
      null,
      [10_001, 10_000, 10_000, 0, 0, 0],
      12_500,
      12_500,
    ],
    // To the nearest whole dollar. 50.00 × 5 + 50.27 = 300.27; exact average 300.27 ÷ 6 = 50.045.
    // exact: 10 × 50.045 = 500.45 → 500.00. average first: 50.045 → 50.05 × 10 = 500.50 → 501.00.
    [
      '10 × the average to the nearest dollar',
      '10',
      NEAREST_DOLLAR,
      [5_000, 5_000, 5_000, 5_000, 5_000, 5_027],
      50_000,
      50_100,
    ],
    // To the nearest $5. 600.03 ÷ 6 = 100.005. exact: 6 × 100.005 = 600.03 → 600.00.
    // average first: 100.01 × 6 = 600.06 → 600.00: the coarse unit hides the difference.
    [
      '6 × the average to the nearest $5: both agree',
      '6',
      NEAREST_5,
      [10_000, 10_000, 10_000, 10_000, 10_000, 10_003],
      60_000,
      60_000,
    ],
    // Six bills of 41.67 = 250.02; the average is 41.67 exactly; 2 × 41.67 = 83.34 in both orders.
    [
      'an average of whole cents: both agree',
      '2',
      null,
      [4_167, 4_167, 4_167, 4_167, 4_167, 4_167],
      8_334,
      8_334,
    ],
  ];

  it.each(rows)('%s', (_name, multiple, roundTo, amounts, exact, averageFirst) => {
    const policy: DepositPolicy = { ...base, multiple, ...(roundTo ? { roundTo } : {}) };
    const history = bills('2024-07', amounts);
    expect(requiredDeposit({ ...policy, roundingOrder: 'exact' }, history, { asOf }).amountCents).toBe(exact);
    expect(
      requiredDeposit({ ...policy, roundingOrder: 'average_first' }, history, { asOf }).amountCents,
    ).toBe(averageFirst);
  });

  /** The first row's bills: 450.03 over six months. */
  const history450 = bills('2024-07', [7_500, 7_500, 7_500, 7_500, 7_500, 7_503]);

  it('exact is the default: a policy saved before the order was a choice reads as exact', () => {
    const { roundingOrder: _order, ...older } = { ...base, multiple: '4' };
    // The policy data as stored before: no roundingOrder at all → 300.02, not 300.04.
    expect(requiredDeposit(older as DepositPolicy, history450, { asOf }).amountCents).toBe(30_002);
  });

  it('the cap is never passed by rounding the average first when the exact multiple is at the cap', () => {
    // A regulator's maximum of 4 × the average bill: for 450.03 over six months that is 300.02. A cap
    // of 300.02 leaves the exact figure as is (not capped); the average-first figure, 300.04, is cut
    // back to the cap and says so.
    const capped = { ...base, multiple: '4', capCents: 30_002 };
    const exact = requiredDeposit({ ...capped, roundingOrder: 'exact' }, history450, { asOf });
    expect(exact.working).toMatchObject({ beforeCapCents: 30_002, capped: false });
    const first = requiredDeposit({ ...capped, roundingOrder: 'average_first' }, history450, { asOf });
    expect(first.working).toMatchObject({ beforeCapCents: 30_004, capped: true });
    expect(first.amountCents).toBe(30_002);
  });

  it('the working says which order was used', () => {
    const policy = { ...base, multiple: '4' };
    expect(
      requiredDeposit({ ...policy, roundingOrder: 'exact' }, history450, { asOf }).working,
    ).toMatchObject({
      roundingOrder: 'exact',
      averageOrHighestCents: 7_501,
      reason: '4 × the average of 6 monthly bills 2024-07 to 2024-12 ($450.03 ÷ 6 = $75.005) = $300.02.',
    });
    expect(
      requiredDeposit({ ...policy, roundingOrder: 'average_first' }, history450, { asOf }).working,
    ).toMatchObject({
      roundingOrder: 'average_first',
      averageOrHighestCents: 7_501,
      reason:
        '4 × the average of 6 monthly bills 2024-07 to 2024-12 ($450.03 ÷ 6 = $75.005, rounded to $75.01 first) = $300.04.',
    });
  });

  it('the highest month is whole cents already: the order changes nothing', () => {
    // 2.5 × 432.17 = 1,080.425 → up to 1,081.00 in both orders.
    const history = bills('2024-02', [30_000, 43_217, 29_999, 35_500, 41_000, 39_999]);
    for (const roundingOrder of ['exact', 'average_first'] as const)
      expect(
        requiredDeposit({ ...COMMERCIAL, roundingOrder, minimumHistoryMonths: 6 }, history, {
          asOf: '2024-09-01',
        }).amountCents,
      ).toBe(108_100);
  });
});

describe('accruedInterest: actual/actual (ISDA: each calendar year\u2019s days over that year\u2019s length)', () => {
  const actualActual: DepositPolicy = {
    ...RESIDENTIAL,
    interest: { ...RESIDENTIAL.interest, dayCount: 'actual/actual' },
  };
  const held = (from: string, to: string, cents: number): DepositRecord => ({
    movements: [
      { date: from, kind: 'payment', amountCents: cents },
      { date: to, kind: 'refund', amountCents: cents },
    ],
  });
  type Row = {
    name: string;
    from: string;
    to: string;
    cents: number;
    /** [year, days, divisor, interest cents] per row under actual/actual. */
    years: [number, number, number, number][];
    total: number;
    /** The same deposit under actual/365, for contrast. */
    total365: number;
  };
  // RATES: 2023 4 %, 2024 5 %, 2025 3.5 %.
  const rows: Row[] = [
    {
      // All of 2024 (leap): 366 days ÷ 366 × 5 % × 1,000.00 = 50.00 exactly.
      // actual/365: 366 ÷ 365 × 50.00 = 50.1369… → 50.14.
      name: 'a full leap year earns exactly the yearly rate',
      from: '2024-01-01',
      to: '2025-01-01',
      cents: 100_000,
      years: [[2024, 366, 366, 5_000]],
      total: 5_000,
      total365: 5_014,
    },
    {
      // All of 2025 (common): 365 ÷ 365 × 3.5 % × 1,000.00 = 35.00 under both counts.
      name: 'a full common year earns the yearly rate under both counts',
      from: '2025-01-01',
      to: '2026-01-01',
      cents: 100_000,
      years: [[2025, 365, 365, 3_500]],
      total: 3_500,
      total365: 3_500,
    },
    {
      // $5,000.00 from 2024-10-01 to 2025-03-01, across Dec 31 of a leap year.
      // 2024: Oct 31 + Nov 30 + Dec 31 = 92 days: 500000 × 5 × 92 / (100 × 366) = 2,300,000 / 366
      //       = 6,284.15… → 6,284 (actual/365: 2,300,000 / 365 = 6,301.36… → 6,301)
      // 2025: Jan 31 + Feb 28 = 59 days: 500000 × 3.5 × 59 / (100 × 365) = 1,032,500 / 365
      //       = 2,828.76… → 2,829 (the same under both)
      // Total 6,284 + 2,829 = 9,113 (actual/365: 6,301 + 2,829 = 9,130).
      name: 'a period across Dec 31 of a leap year is split at the year boundary',
      from: '2024-10-01',
      to: '2025-03-01',
      cents: 500_000,
      years: [
        [2024, 92, 366, 6_284],
        [2025, 59, 365, 2_829],
      ],
      total: 9_113,
      total365: 9_130,
    },
    {
      // $1,000.00 from 2024-03-01 to 2024-09-01: Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31
      // = 184 days: 100000 × 5 × 184 / (100 × 366) = 920,000 / 366 = 2,513.66… → 2,514
      // (actual/365: 920,000 / 365 = 2,520.54… → 2,521).
      name: 'a partial period inside a leap year',
      from: '2024-03-01',
      to: '2024-09-01',
      cents: 100_000,
      years: [[2024, 184, 366, 2_514]],
      total: 2_514,
      total365: 2_521,
    },
    {
      // $1,000.00 from 2025-03-01 to 2025-09-01: 184 days in a common year:
      // 100000 × 3.5 × 184 / 36500 = 644,000 / 365 = 1,764.38… → 1,764 under both counts.
      name: 'a partial period inside a common year',
      from: '2025-03-01',
      to: '2025-09-01',
      cents: 100_000,
      years: [[2025, 184, 365, 1_764]],
      total: 1_764,
      total365: 1_764,
    },
  ];

  it.each(rows)('$name', ({ from, to, cents, years, total, total365 }) => {
    const r = accruedInterest(actualActual, held(from, to, cents), RATES, to);
    expect(r.years.map((y) => [y.year, y.days, y.daysInYear, y.interestCents])).toEqual(years);
    expect(r.totalCents).toBe(total);
    expect(accruedInterest(RESIDENTIAL, held(from, to, cents), RATES, to).totalCents).toBe(total365);
  });

  it('compounding on the anniversary keeps each row inside one calendar year and its length', () => {
    // $500.00 paid 2023-07-01, compounded on the anniversary, actual/actual, asOf 2024-07-01.
    // 2023-07-01 … 2023-12-31: 184 d at 4 % ÷ 365: 50000 × 4 × 184 / 36500 = 1,008.21… → 1,008
    // 2024-01-01 … 2024-06-30: 182 d at 5 % ÷ 366: 50000 × 5 × 182 / 36600 = 1,243.17… → 1,243
    //   anniversary 2024-07-01: 10.08 + 12.43 = 22.51 joins the principal.
    const policy: DepositPolicy = {
      ...COMMERCIAL,
      interest: { ...COMMERCIAL.interest, compoundOn: 'anniversary', dayCount: 'actual/actual' },
    };
    const r = accruedInterest(
      policy,
      { movements: [{ date: '2023-07-01', kind: 'payment', amountCents: 50_000 }] },
      RATES,
      '2024-07-01',
    );
    expect(r.years.map((y) => [y.from, y.days, y.daysInYear, y.interestCents, y.compounded])).toEqual([
      ['2023-07-01', 184, 365, 1_008, false],
      ['2024-01-01', 182, 366, 1_243, true],
    ]);
    expect(r.compoundedCents).toBe(2_251);
  });
});
