import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { counterError } from '../support/errors.js';
import {
  accruedInterest,
  depositHeld,
  finalBillApplication,
  interestCreditsDue,
  policyInForce,
  ratePercentFor,
  refundEligibility,
  requiredDeposit,
  splitInstallments,
  validatePolicies,
  validateRateTable,
  type BilledMonth,
  type DepositMovement,
  type DepositPolicy,
  type DepositRecord,
  type InstallmentPlan,
  type InterestRateTable,
  type PaymentRecord,
} from '../../shared/domain/deposits.js';
import {
  COMMERCIAL,
  COMMERCIAL_ANNIVERSARY,
  RATES,
  RATES_TENTH_PERCENT,
  RATES_WHOLE_PERCENT_FLOOR_1,
  RESIDENTIAL,
  RESIDENTIAL_2020,
  bills,
  monthName,
} from '../fixtures/deposit-policies.js';

// ---------------------------------------------------------------------------------------------------
// helpers

/** Consecutive payment records from `first`; `lateMonths` lists the late ones. */
function payments(first: string, count: number, lateMonths: string[] = []): PaymentRecord[] {
  const start = Number(first.slice(0, 4)) * 12 + Number(first.slice(5, 7)) - 1;
  return Array.from({ length: count }, (_, i) => {
    const month = monthName(start + i);
    return { month, late: lateMonths.includes(month) };
  });
}

function deposit(...moves: [string, DepositMovement['kind'], number][]): DepositRecord {
  return { movements: moves.map(([date, kind, amountCents]) => ({ date, kind, amountCents })) };
}

const paidOn = (date: string, cents: number): DepositRecord => deposit([date, 'payment', cents]);

const DAY_MS = 86_400_000;
const BASE_DAY = Date.UTC(2020, 0, 1) / DAY_MS;
const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------------
// required deposit

describe('requiredDeposit', () => {
  // 2024-01 … 2024-12: 80.00 82.50 79.99 81.00 90.00 85.00 88.00 76.00 77.00 83.00 84.50 94.01
  // running sum: 80.00, 162.50, 242.49, 323.49, 413.49, 498.49, 586.49, 662.49, 739.49, 822.49,
  // 906.99, 1,001.00. Average 1,001.00 ÷ 12 = 83.41666… (shown as 83.42, half-up). The multiple is
  // taken of the exact average: 2 × 1,001.00 ÷ 12 = 2,002.00 ÷ 12 = 166.8333… → 166.83 (rounding the
  // average first would give 2 × 83.42 = 166.84).
  const residentialHistory: BilledMonth[] = [
    { month: '2023-12', billedCents: 12_000 }, // before the window: not used
    ...bills('2024-01', [8_000, 8_250, 7_999, 8_100, 9_000, 8_500, 8_800, 7_600, 7_700, 8_300, 8_450, 9_401]),
    { month: '2025-01', billedCents: 50_000 }, // the month of asOf is not over: not used
  ];

  // Commercial window for asOf 2025-02-10: 2024-02 … 2025-01.
  //   2024-02 300.00  03 310.50  04 299.99  05 355.00  06 432.17  07 410.00
  //   2024-08 399.99  09 380.00  10 401.00  11 420.00  12 430.00  2025-01 371.23
  const commercialHistory = bills(
    '2024-02',
    [30_000, 31_050, 29_999, 35_500, 43_217, 41_000, 39_999, 38_000, 40_100, 42_000, 43_000, 37_123],
  );

  type Row = {
    name: string;
    policy: DepositPolicy;
    history: BilledMonth[];
    asOf: string;
    bundle?: string;
    expected: {
      amountCents: number;
      averageOrHighestCents: number | null;
      beforeCapCents: number;
      capped: boolean;
      usedDefault: boolean;
      monthsUsed: number;
      windowFrom: string;
      windowTo: string;
    };
  };

  const rows: Row[] = [
    {
      // Worked above: 2 × 1,001.00 ÷ 12 = 166.83; under the 500.00 cap.
      name: 'residential: 2 × the 12-month average',
      policy: RESIDENTIAL,
      history: residentialHistory,
      asOf: '2025-01-15',
      expected: {
        amountCents: 16_683,
        averageOrHighestCents: 8_342,
        beforeCapCents: 16_683,
        capped: false,
        usedDefault: false,
        monthsUsed: 12,
        windowFrom: '2024-01',
        windowTo: '2024-12',
      },
    },
    {
      // Window 2024-02 … 2025-01. Highest month: 2024-06, 432.17. 2.5 × 432.17 = 1,080.425
      // → up to the next whole dollar: 1,081.00. Cap 2,500.00 not reached.
      name: 'commercial: 2.5 × the highest month, rounded up to the dollar',
      policy: COMMERCIAL,
      history: commercialHistory,
      asOf: '2025-02-10',
      expected: {
        amountCents: 108_100,
        averageOrHighestCents: 43_217,
        beforeCapCents: 108_100,
        capped: false,
        usedDefault: false,
        monthsUsed: 12,
        windowFrom: '2024-02',
        windowTo: '2025-01',
      },
    },
    {
      // Highest 1,234.56 × 2.5 = 3,086.40 → up to 3,087.00 > cap 2,500.00 → 2,500.00.
      name: 'commercial: capped',
      policy: COMMERCIAL,
      history: bills('2024-03', [100_000, 123_456, 90_000, 95_000, 99_000, 101_000]),
      asOf: '2024-09-01',
      expected: {
        amountCents: 250_000,
        averageOrHighestCents: 123_456,
        beforeCapCents: 308_700,
        capped: true,
        usedDefault: false,
        monthsUsed: 6,
        windowFrom: '2023-09',
        windowTo: '2024-08',
      },
    },
    {
      // (300.00 + 260.00 + 250.01) ÷ 3 = 810.01 ÷ 3 = 270.0033… (shown as 270.00);
      // 2 × 810.01 ÷ 3 = 1,620.02 ÷ 3 = 540.0066… → 540.01 > cap 500.00.
      name: 'residential: 3 months (the minimum) averaged, then capped',
      policy: RESIDENTIAL,
      history: bills('2024-10', [30_000, 26_000, 25_001]),
      asOf: '2025-01-02',
      expected: {
        amountCents: 50_000,
        averageOrHighestCents: 27_000,
        beforeCapCents: 54_001,
        capped: true,
        usedDefault: false,
        monthsUsed: 3,
        windowFrom: '2024-01',
        windowTo: '2024-12',
      },
    },
    {
      // No history at all: the triple-play bundle default, 200.00.
      name: 'new service: bundle default',
      policy: RESIDENTIAL,
      history: [],
      asOf: '2025-01-02',
      bundle: 'triple-play',
      expected: {
        amountCents: 20_000,
        averageOrHighestCents: null,
        beforeCapCents: 20_000,
        capped: false,
        usedDefault: true,
        monthsUsed: 0,
        windowFrom: '2024-01',
        windowTo: '2024-12',
      },
    },
    {
      // 2 billed months < the 3 the policy needs: the internet default, 100.00.
      name: 'too little history: bundle default',
      policy: RESIDENTIAL,
      history: bills('2024-11', [4_000, 4_500]),
      asOf: '2025-01-02',
      bundle: 'internet',
      expected: {
        amountCents: 10_000,
        averageOrHighestCents: null,
        beforeCapCents: 10_000,
        capped: false,
        usedDefault: true,
        monthsUsed: 2,
        windowFrom: '2024-01',
        windowTo: '2024-12',
      },
    },
    {
      // Commercial needs 6 months; 5 on record → the single 500.00 default (no bundle needed).
      name: 'commercial: single default',
      policy: COMMERCIAL,
      history: bills('2024-08', [50_000, 60_000, 70_000, 80_000, 90_000]),
      asOf: '2025-01-20',
      expected: {
        amountCents: 50_000,
        averageOrHighestCents: null,
        beforeCapCents: 50_000,
        capped: false,
        usedDefault: true,
        monthsUsed: 5,
        windowFrom: '2024-01',
        windowTo: '2024-12',
      },
    },
    {
      // RES-2020 looks back 6 months: 2023-06 … 2023-11 for asOf 2023-12-05.
      // 50.00 + 51.00 + 52.00 + 53.00 + 54.00 + 55.01 = 315.01; ÷ 6 = 52.50166… → 52.50; × 2 = 105.00.
      name: 'older residential policy: 2 × the 6-month average',
      policy: RESIDENTIAL_2020,
      history: bills('2023-03', [99_999, 99_999, 99_999, 5_000, 5_100, 5_200, 5_300, 5_400, 5_501]),
      asOf: '2023-12-05',
      expected: {
        amountCents: 10_500,
        averageOrHighestCents: 5_250,
        beforeCapCents: 10_500,
        capped: false,
        usedDefault: false,
        monthsUsed: 6,
        windowFrom: '2023-06',
        windowTo: '2023-11',
      },
    },
  ];

  it.each(rows)('$name', ({ policy, history, asOf, bundle, expected }) => {
    const r = requiredDeposit(policy, history, { asOf, ...(bundle ? { bundle } : {}) });
    expect(r.amountCents).toBe(expected.amountCents);
    expect(r.working.averageOrHighestCents).toBe(expected.averageOrHighestCents);
    expect(r.working.beforeCapCents).toBe(expected.beforeCapCents);
    expect(r.working.capped).toBe(expected.capped);
    expect(r.working.usedDefault).toBe(expected.usedDefault);
    expect(r.working.monthsUsed).toHaveLength(expected.monthsUsed);
    expect(r.working.windowFrom).toBe(expected.windowFrom);
    expect(r.working.windowTo).toBe(expected.windowTo);
    expect(r.installments).toEqual([{ dueWith: 'now', amountCents: expected.amountCents }]);
  });

  it('shows the working: months, total, average, multiple, reason', () => {
    const r = requiredDeposit(RESIDENTIAL, residentialHistory, { asOf: '2025-01-15' });
    expect(r.working.monthsUsed[0]).toEqual({ month: '2024-01', billedCents: 8_000 });
    expect(r.working.monthsUsed[11]).toEqual({ month: '2024-12', billedCents: 9_401 });
    expect(r.working.totalCents).toBe(100_100);
    expect(r.working.basis).toBe('average');
    expect(r.working.multiple).toBe('2');
    expect(r.working.policyId).toBe('RES-2024');
    expect(r.working.reason).toBe(
      '2 × the average of 12 monthly bills 2024-01 to 2024-12 ($1,001.00 ÷ 12 = $83.416666…) = $166.83.',
    );
  });

  it('explains the highest month, the rounding and the cap', () => {
    const r = requiredDeposit(
      COMMERCIAL,
      bills('2024-03', [100_000, 123_456, 90_000, 95_000, 99_000, 101_000]),
      {
        asOf: '2024-09-01',
      },
    );
    expect(r.working.reason).toBe(
      '2.5 × the highest monthly bill 2023-09 to 2024-08 (2024-04: $1,234.56) = $3,087.00, rounded up to the next whole dollar. Capped at $2,500.00 by policy COM-2024.',
    );
  });

  it('the commercial history table above has its highest month in 2024-06', () => {
    expect(commercialHistory.find((b) => b.billedCents === 43_217)?.month).toBe('2024-06');
  });

  it('a multiple written as a fraction is exact: 5/2 × 432.17 = 1,080.425 → 1,080.43 (half-up, to the cent)', () => {
    const policy: DepositPolicy = {
      ...COMMERCIAL,
      multiple: '5/2',
      roundTo: { unitCents: 1, mode: 'half_up' },
    };
    expect(requiredDeposit(policy, commercialHistory, { asOf: '2025-02-10' }).amountCents).toBe(108_043);
  });

  it('installments: 50 % down, the rest over 2 monthly bills (the odd cent to bill 1)', () => {
    // 166.83: 50 % = 83.415 → up → 83.42 now; 83.41 over 2 bills = 41.71 + 41.70.
    const r = requiredDeposit(RESIDENTIAL, residentialHistory, { asOf: '2025-01-15', installments: true });
    expect(r.installments).toEqual([
      { dueWith: 'now', amountCents: 8_342 },
      { dueWith: 'bill 1', amountCents: 4_171 },
      { dueWith: 'bill 2', amountCents: 4_170 },
    ]);
  });

  it('installments refused where the policy does not allow them', () => {
    const e = counterError(() =>
      requiredDeposit(COMMERCIAL, commercialHistory, { asOf: '2025-02-10', installments: true }),
    );
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.field).toBe('installments');
    expect(e.message).toBe('Policy COM-2024 does not allow installments: collect the full $1,081.00 now.');
  });

  describe('bad input', () => {
    it('negative history', () => {
      const e = counterError(() =>
        requiredDeposit(RESIDENTIAL, bills('2024-06', [5_000, -1_200, 5_000]), { asOf: '2025-01-15' }),
      );
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.field).toBe('history.1.billedCents');
      expect(e.message).toBe(
        'The bill for 2024-07 is negative (-$12.00): a billing history cannot have negative months.',
      );
    });

    it('a month after asOf', () => {
      const e = counterError(() =>
        requiredDeposit(RESIDENTIAL, bills('2024-12', [5_000, 5_000, 5_000]), { asOf: '2025-01-15' }),
      );
      expect(e.field).toBe('history.2.month');
      expect(e.message).toBe(
        'The billing history has a bill for 2025-02, after 2025-01-15: months in the future are not history.',
      );
    });

    it('asOf after today', () => {
      const e = counterError(() =>
        requiredDeposit(RESIDENTIAL, residentialHistory, { asOf: '2025-01-15', today: '2025-01-14' }),
      );
      expect(e.field).toBe('asOf');
      expect(e.message).toBe('The calculation date 2025-01-15 is in the future (today is 2025-01-14).');
    });

    it('a month twice', () => {
      const e = counterError(() =>
        requiredDeposit(
          RESIDENTIAL,
          [...bills('2024-05', [5_000, 5_100]), { month: '2024-05', billedCents: 1 }],
          {
            asOf: '2025-01-15',
          },
        ),
      );
      expect(e.field).toBe('history.2.month');
      expect(e.message).toBe('The billing history has 2024-05 twice: keep one bill per month.');
    });

    it('fractional cents and malformed months', () => {
      expect(
        counterError(() =>
          requiredDeposit(RESIDENTIAL, [{ month: '2024-05', billedCents: 10.5 }], { asOf: '2025-01-15' }),
        ).field,
      ).toBe('history.0.billedCents');
      expect(
        counterError(() =>
          requiredDeposit(RESIDENTIAL, [{ month: '2024-13', billedCents: 100 }], { asOf: '2025-01-15' }),
        ),
      ).toMatchObject({ field: 'history.0.month', message: 'Use a month written YYYY-MM.' });
    });

    it('no bundle, or an unknown one, when the default is per bundle', () => {
      expect(counterError(() => requiredDeposit(RESIDENTIAL, [], { asOf: '2025-01-02' }))).toMatchObject({
        field: 'bundle',
        message:
          'No bills in the 12 months 2024-01 to 2024-12: the deposit depends on the service bundle. Choose one of: double-play, internet, triple-play.',
      });
      expect(
        counterError(() => requiredDeposit(RESIDENTIAL, [], { asOf: '2025-01-02', bundle: 'quad-play' })),
      ).toMatchObject({
        field: 'bundle',
        message:
          'Policy RES-2024 has no new-service deposit for bundle "quad-play". Bundles: double-play, internet, triple-play.',
      });
    });

    it('asOf outside the policy dates', () => {
      expect(counterError(() => requiredDeposit(RESIDENTIAL_2020, [], { asOf: '2024-01-01' }))).toMatchObject(
        {
          field: 'policy',
          message:
            'Policy RES-2020 is in force from 2020-01-01 to 2023-12-31: it does not apply on 2024-01-01.',
        },
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// installments

describe('splitInstallments (50 % down + 2 monthly bills)', () => {
  const plan: InstallmentPlan = {
    allowed: true,
    downPaymentPercent: '50',
    count: 2,
    interval: 'monthly bill',
  };
  // The down payment rounds UP to the cent (the odd cent is collected now); the rest splits evenly and
  // any cent that does not divide goes to the earliest bill.
  it.each([
    // 100.00: 50.00 now, 50.00 → 25.00 + 25.00
    [10_000, [5_000, 2_500, 2_500]],
    // 100.01: 50.005 → 50.01 now; 50.00 → 25.00 + 25.00
    [10_001, [5_001, 2_500, 2_500]],
    // 100.03: 50.015 → 50.02 now; 50.01 → 25.01 (bill 1) + 25.00 (bill 2)
    [10_003, [5_002, 2_501, 2_500]],
    // 0.03: 0.015 → 0.02 now; 0.01 → bill 1 0.01; bill 2 would be 0.00 and is left out
    [3, [2, 1]],
  ])('%i cents → %j', (amount, parts) => {
    const r = splitInstallments(amount, plan);
    expect(r.map((p) => p.amountCents)).toEqual(parts);
    expect(r.map((p) => p.dueWith)).toEqual(['now', 'bill 1', 'bill 2'].slice(0, parts.length));
    expect(r.reduce((s, p) => s + p.amountCents, 0)).toBe(amount);
  });

  it('3 bills after 25 % down: 100.00 → 25.00 now; 75.00 → 25.00 × 3; 100.02 → 25.01; 75.01 → 25.01, 25.00, 25.00', () => {
    const three: InstallmentPlan = { ...plan, downPaymentPercent: '25', count: 3 };
    expect(splitInstallments(10_000, three).map((p) => p.amountCents)).toEqual([2_500, 2_500, 2_500, 2_500]);
    expect(splitInstallments(10_002, three).map((p) => p.amountCents)).toEqual([2_501, 2_501, 2_500, 2_500]);
  });
});

// ---------------------------------------------------------------------------------------------------
// interest

describe('accruedInterest', () => {
  it('simple: three calendar years, three rates (2023 4 %, 2024 5 % leap, 2025 3.5 %)', () => {
    // $200.00 paid 2023-03-17, refunded 2025-06-10 (the refund day earns nothing).
    // 2023: 03-17 … 12-31 = 15 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 290 days
    //       20000 × 4 × 290 / 36500 = 23,200,000 / 36,500 = 635.616… → 636
    // 2024: 01-01 … 12-31 = 366 days (leap), still ÷ 365 under actual/365
    //       20000 × 5 × 366 / 36500 = 36,600,000 / 36,500 = 1,002.739… → 1,003
    // 2025: 01-01 … 06-09 = 31 + 28 + 31 + 30 + 31 + 9 = 160 days
    //       20000 × 3.5 × 160 / 36500 = 11,200,000 / 36,500 = 306.849… → 307
    // Total 636 + 1,003 + 307 = 1,946 = $19.46
    const r = accruedInterest(
      RESIDENTIAL,
      deposit(['2023-03-17', 'payment', 20_000], ['2025-06-10', 'refund', 20_000]),
      RATES,
      '2025-06-10',
    );
    expect(r.graceApplied).toBe(false);
    expect(r.closedOn).toBe('2025-06-10');
    expect(r.totalCents).toBe(1_946);
    expect(r.years.map(({ segments: _s, ...y }) => y)).toEqual([
      {
        year: 2023,
        from: '2023-03-17',
        to: '2023-12-31',
        days: 290,
        daysInYear: 365,
        ratePercentPublished: '4',
        rateApplied: '4',
        principalCents: 20_000,
        interestCents: 636,
        compounded: false,
      },
      {
        year: 2024,
        from: '2024-01-01',
        to: '2024-12-31',
        days: 366,
        daysInYear: 365,
        ratePercentPublished: '5',
        rateApplied: '5',
        principalCents: 20_000,
        interestCents: 1_003,
        compounded: false,
      },
      {
        year: 2025,
        from: '2025-01-01',
        to: '2025-06-09',
        days: 160,
        daysInYear: 365,
        ratePercentPublished: '3.5',
        rateApplied: '3.5',
        principalCents: 20_000,
        interestCents: 307,
        compounded: false,
      },
    ]);
  });

  it('leap year under actual/365: a whole leap year earns 366/365 of the rate, and 29 February counts', () => {
    // The policy's day count "actual/365" means: count the actual days held (366 in 2024), divide by
    // 365 always. $1,000.00 at 5 % for all of 2024: 100000 × 5 × 366 / 36500 = 5,013.69… → $50.14,
    // not the $50.00 an actual/actual count would give.
    const full = accruedInterest(RESIDENTIAL, paidOn('2024-01-01', 100_000), RATES, '2025-01-01');
    expect(full.years).toHaveLength(1);
    expect(full.years[0]).toMatchObject({ days: 366, daysInYear: 365, interestCents: 5_014 });
    // 2024-02-28 to 2024-03-01: 28 Feb and 29 Feb = 2 days. 100000 × 5 × 2 / 36500 = 27.397… → 27.
    const leapDay = accruedInterest(RESIDENTIAL, paidOn('2024-02-28', 100_000), RATES, '2024-03-01');
    expect(leapDay.years[0]).toMatchObject({
      from: '2024-02-28',
      to: '2024-02-29',
      days: 2,
      interestCents: 27,
    });
    // The same two calendar dates in 2023 are 1 day: 100000 × 4 × 1 / 36500 = 10.958… → 11.
    const common = accruedInterest(RESIDENTIAL, paidOn('2023-02-28', 100_000), RATES, '2023-03-01');
    expect(common.years[0]).toMatchObject({ days: 1, interestCents: 11 });
  });

  it('compound annually on Dec 31: each year-end the interest joins the principal', () => {
    // $500.00 paid 2022-07-01 (commercial, compound on Dec 31), asOf 2024-07-01.
    // 2022: 07-01 … 12-31 = 184 days at 2 %: 50000 × 2 × 184 / 36500 = 18,400,000 / 36,500 = 504.109… → 504
    //       Dec 31: principal 500.00 + 5.04 = 505.04
    // 2023: 365 days at 4 %: 50504 × 4 × 365 / 36500 = 2,020.16 → 2,020; Dec 31: 505.04 + 20.20 = 525.24
    // 2024: 01-01 … 06-30 = 31 + 29 + 31 + 30 + 31 + 30 = 182 days at 5 %:
    //       52524 × 5 × 182 / 36500 = 47,796,840 / 36,500 = 1,309.502… → 1,310
    // Total 504 + 2,020 + 1,310 = 3,834 (simple interest would be 504 + 2,000 + 1,247 = 3,751).
    const r = accruedInterest(COMMERCIAL, paidOn('2022-07-01', 50_000), RATES, '2024-07-01');
    expect(r.years.map((y) => [y.year, y.days, y.principalCents, y.interestCents, y.compounded])).toEqual([
      [2022, 184, 50_000, 504, true],
      [2023, 365, 50_504, 2_020, true],
      [2024, 182, 52_524, 1_310, false],
    ]);
    expect(r.totalCents).toBe(3_834);
    expect(r.compoundedCents).toBe(2_524);
    const simple = accruedInterest(RESIDENTIAL, paidOn('2022-07-01', 50_000), RATES, '2024-07-01');
    expect(simple.years.map((y) => y.interestCents)).toEqual([504, 2_000, 1_247]);
    expect(simple.totalCents).toBe(3_751);
  });

  it('compound annually on the anniversary: rows split at Jan 1 (rate) and at each anniversary (compounding)', () => {
    // $500.00 paid 2022-07-01, asOf 2024-07-01.
    // 2022-07-01 … 2022-12-31: 184 d at 2 % on 500.00 = 504.109… → 504
    // 2023-01-01 … 2023-06-30: 181 d at 4 % on 500.00: 50000 × 4 × 181 / 36500 = 991.78… → 992
    //   anniversary 2023-07-01: 504 + 992 = 14.96 joins → 514.96
    // 2023-07-01 … 2023-12-31: 184 d at 4 %: 51496 × 4 × 184 / 36500 = 37,901,056 / 36,500 = 1,038.38… → 1,038
    // 2024-01-01 … 2024-06-30: 182 d at 5 %: 51496 × 5 × 182 / 36500 = 46,861,360 / 36,500 = 1,283.87… → 1,284
    // Total 504 + 992 + 1,038 + 1,284 = 3,818; on the 2024-07-01 anniversary 23.22 joins too.
    const r = accruedInterest(COMMERCIAL_ANNIVERSARY, paidOn('2022-07-01', 50_000), RATES, '2024-07-01');
    expect(
      r.years.map((y) => [y.from, y.to, y.days, y.principalCents, y.interestCents, y.compounded]),
    ).toEqual([
      ['2022-07-01', '2022-12-31', 184, 50_000, 504, false],
      ['2023-01-01', '2023-06-30', 181, 50_000, 992, true],
      ['2023-07-01', '2023-12-31', 184, 51_496, 1_038, false],
      ['2024-01-01', '2024-06-30', 182, 51_496, 1_284, true],
    ]);
    expect(r.totalCents).toBe(3_818);
    expect(r.compoundedCents).toBe(3_818);
  });

  describe('30-day grace', () => {
    // $100.00 paid 2025-01-01 (residential: simple, grace 30 days). "Day N" = N days after the deposit
    // day = the number of days held: day 29 is 2025-01-30, day 30 is 2025-01-31, day 31 is 2025-02-01.
    const held = (refundOn: string): DepositRecord =>
      deposit(['2025-01-01', 'payment', 10_000], [refundOn, 'refund', 10_000]);

    it.each([
      // day 29: within the grace → nothing
      ['2025-01-30', 29, 0, true],
      // day 30: the last day of the grace → nothing
      ['2025-01-31', 30, 0, true],
      // day 31: past the grace → interest from the deposit day, 31 days: 10000 × 3.5 × 31 / 36500
      //   = 10,850,000 / 365,000 = 29.726… → 30
      ['2025-02-01', 31, 30, false],
    ])('refunded %s (day %i): %i cents', (refundOn, days, cents, grace) => {
      const r = accruedInterest(RESIDENTIAL, held(refundOn), RATES, refundOn);
      expect(r.graceApplied).toBe(grace);
      expect(r.totalCents).toBe(cents);
      expect(r.graceEndsOn).toBe('2025-01-31');
      if (!grace) expect(r.years[0]).toMatchObject({ from: '2025-01-01', to: '2025-01-31', days });
    });

    it('still held inside the grace: interest shows from the deposit day (it is owed unless refunded in time)', () => {
      // 20 days: 10000 × 3.5 × 20 / 36500 = 19.178… → 19
      const r = accruedInterest(RESIDENTIAL, paidOn('2025-01-01', 10_000), RATES, '2025-01-21');
      expect(r).toMatchObject({ graceApplied: false, totalCents: 19, closedOn: null });
    });

    it('applied to a final bill within the grace: no interest either', () => {
      const r = accruedInterest(
        RESIDENTIAL,
        deposit(['2025-01-01', 'payment', 10_000], ['2025-01-20', 'applied', 10_000]),
        RATES,
        '2025-03-01',
      );
      expect(r).toMatchObject({ graceApplied: true, totalCents: 0, closedOn: '2025-01-20', years: [] });
    });
  });

  it('installments accrue from each payment date; a refund stops the accrual on its date', () => {
    // 2024 at 5 %: 83.42 from 2024-03-01; +41.71 on 2024-04-01; +41.71 on 2024-05-01; refunded 2024-11-01.
    //   03-01 … 03-31: 31 d × 8342  =   258,602
    //   04-01 … 04-30: 30 d × 12513 =   375,390
    //   05-01 … 10-31: 184 d × 16684 = 3,069,856
    //   Σ balance × days = 3,703,848; × 5 / 36500 = 18,519,240 / 36,500 = 507.376… → 507
    // One rounding for the year (not per segment: 35.34 + 51.42 + 420.60 would be 507.36 too, but
    // rounding once is the rule).
    const r = accruedInterest(
      RESIDENTIAL,
      deposit(
        ['2024-03-01', 'payment', 8_342],
        ['2024-04-01', 'payment', 4_171],
        ['2024-05-01', 'payment', 4_171],
        ['2024-11-01', 'refund', 16_684],
      ),
      RATES,
      '2025-02-01',
    );
    expect(r.years).toHaveLength(1);
    expect(r.years[0]?.segments).toEqual([
      { from: '2024-03-01', to: '2024-03-31', days: 31, principalCents: 8_342 },
      { from: '2024-04-01', to: '2024-04-30', days: 30, principalCents: 12_513 },
      { from: '2024-05-01', to: '2024-10-31', days: 184, principalCents: 16_684 },
    ]);
    expect(r.totalCents).toBe(507);
    expect(r.closedOn).toBe('2024-11-01');
    expect(r.principalHeldCents).toBe(0);
  });

  it('a partial refund lowers the balance from its date', () => {
    // 2023 at 4 %: 300.00 from 01-01 for 181 days (to 06-30), 100.00 from 07-01 for 184 days.
    // 30000 × 181 + 10000 × 184 = 5,430,000 + 1,840,000 = 7,270,000; × 4 / 36500 = 796.71… → 797
    const r = accruedInterest(
      RESIDENTIAL,
      deposit(['2023-01-01', 'payment', 30_000], ['2023-07-01', 'refund', 20_000]),
      RATES,
      '2024-01-01',
    );
    expect(r.totalCents).toBe(797);
    expect(r.principalHeldCents).toBe(10_000);
    expect(
      depositHeld(deposit(['2023-01-01', 'payment', 30_000], ['2023-07-01', 'refund', 20_000]), '2023-06-30'),
    ).toBe(30_000);
  });

  it('asOf the deposit day: nothing yet', () => {
    expect(accruedInterest(RESIDENTIAL, paidOn('2024-05-05', 10_000), RATES, '2024-05-05')).toMatchObject({
      totalCents: 0,
      years: [],
    });
  });

  it('rates rounded to whole percents with a 1 % floor', () => {
    // $1,000.00 held all of 2021 and 2022:
    // 2021 published 0.4 → 0 (nearest whole) → floor 1 %: 100000 × 1 × 365 / 36500 = 1,000
    // 2022 published 2.6 → 3 %: 100000 × 3 × 365 / 36500 = 3,000 (as published, 2.6 %, it would be 2,600)
    const r = accruedInterest(
      RESIDENTIAL,
      paidOn('2021-01-01', 100_000),
      RATES_WHOLE_PERCENT_FLOOR_1,
      '2023-01-01',
    );
    expect(r.years.map((y) => [y.year, y.ratePercentPublished, y.rateApplied, y.interestCents])).toEqual([
      [2021, '0.4', '1', 1_000],
      [2022, '2.6', '3', 3_000],
    ]);
    expect(r.totalCents).toBe(4_000);
  });

  describe('bad input', () => {
    it('a missing rate year', () => {
      const gap: InterestRateTable = { ...RATES, rates: RATES.rates.filter((r) => r.year !== 2024) };
      const e = counterError(() =>
        accruedInterest(RESIDENTIAL, paidOn('2023-06-01', 10_000), gap, '2025-02-01'),
      );
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.field).toBe('rates');
      expect(e.message).toBe(
        'No interest rate for 2024 in the rate table: enter the rate published for 2024.',
      );
    });

    it('a refund more than held', () => {
      const e = counterError(() =>
        accruedInterest(
          RESIDENTIAL,
          deposit(['2024-01-10', 'payment', 10_000], ['2024-06-01', 'refund', 10_001]),
          RATES,
          '2024-07-01',
        ),
      );
      expect(e.field).toBe('deposit.movements.1.amountCents');
      expect(e.message).toBe('The refund of $100.01 on 2024-06-01 is more than the $100.00 deposit held.');
    });

    it('a refund before anything is paid', () => {
      const e = counterError(() =>
        depositHeld(
          deposit(['2024-06-01', 'payment', 10_000], ['2024-05-01', 'refund', 5_000]),
          '2024-07-01',
        ),
      );
      expect(e.message).toBe('The refund of $50.00 on 2024-05-01 is more than the $0.00 deposit held.');
    });

    it('paying into a deposit already paid out', () => {
      const e = counterError(() =>
        accruedInterest(
          RESIDENTIAL,
          deposit(
            ['2024-01-10', 'payment', 10_000],
            ['2024-06-01', 'refund', 10_000],
            ['2024-07-01', 'payment', 1],
          ),
          RATES,
          '2024-08-01',
        ),
      );
      expect(e.message).toBe(
        'This deposit was paid out on 2024-06-01: record the payment of 2024-07-01 as a new deposit.',
      );
    });

    it('asOf before the deposit date', () => {
      const e = counterError(() =>
        accruedInterest(RESIDENTIAL, paidOn('2024-05-05', 10_000), RATES, '2024-05-04'),
      );
      expect(e.field).toBe('asOf');
      expect(e.message).toBe('The as-of date 2024-05-04 is before the deposit was paid (2024-05-05).');
    });

    it('dates in the future', () => {
      expect(
        counterError(() =>
          accruedInterest(RESIDENTIAL, paidOn('2024-05-05', 10_000), RATES, '2025-01-02', {
            today: '2025-01-01',
          }),
        ),
      ).toMatchObject({
        field: 'asOf',
        message: 'The as-of date 2025-01-02 is in the future (today is 2025-01-01).',
      });
      expect(
        counterError(() =>
          accruedInterest(
            RESIDENTIAL,
            deposit(['2024-05-05', 'payment', 10_000], ['2025-03-01', 'refund', 10_000]),
            RATES,
            '2025-01-01',
            { today: '2025-01-01' },
          ),
        ),
      ).toMatchObject({
        field: 'deposit.movements.1.date',
        message: 'The deposit refund dated 2025-03-01 is in the future (today is 2025-01-01).',
      });
    });

    it('not a date, a zero movement', () => {
      expect(
        counterError(() => accruedInterest(RESIDENTIAL, paidOn('2024-02-30', 1), RATES, '2024-05-01')),
      ).toMatchObject({
        field: 'deposit.movements.0.date',
        message: 'Use a real calendar date written YYYY-MM-DD.',
      });
      expect(
        counterError(() => accruedInterest(RESIDENTIAL, paidOn('2024-02-01', 0), RATES, '2024-05-01')),
      ).toMatchObject({
        field: 'deposit.movements.0.amountCents',
        message: 'A deposit movement must be more than zero.',
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// rates

describe('rate table', () => {
  it.each([
    // whole percent, floor 1: 0.4 → 0 → floor 1; 2.6 → 3; 2.5 → 3 (half-up); 2.49 → 2
    [2021, '0.4', '1', RATES_WHOLE_PERCENT_FLOOR_1],
    [2022, '2.6', '3', RATES_WHOLE_PERCENT_FLOOR_1],
    [2023, '2.5', '3', RATES_WHOLE_PERCENT_FLOOR_1],
    [2024, '2.49', '2', RATES_WHOLE_PERCENT_FLOOR_1],
    // tenth of a percent, no floor: 3.25 → 3.3; 3.24 → 3.2; 0.04 → 0
    [2022, '3.25', '3.3', RATES_TENTH_PERCENT],
    [2023, '3.24', '3.2', RATES_TENTH_PERCENT],
    [2024, '0.04', '0', RATES_TENTH_PERCENT],
    // as published
    [2025, '3.5', '3.5', RATES],
  ])('%i published %s → applied %s', (year, published, applied, table) => {
    expect(ratePercentFor(table, year)).toEqual({
      year,
      ratePercentPublished: published,
      rateApplied: applied,
    });
  });

  it('validateRateTable: every year present once', () => {
    expect(validateRateTable(RATES, 2020, 2026).rates).toHaveLength(7);
    expect(counterError(() => validateRateTable(RATES, 2020, 2027))).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'rates',
      message: 'No interest rate for 2027 in the rate table: enter the rate published for 2027.',
    });
    const twice: InterestRateTable = {
      ...RATES,
      rates: [...RATES.rates, { year: 2023, ratePercent: '4.1' }],
    };
    expect(counterError(() => validateRateTable(twice, 2020, 2026))).toMatchObject({
      field: 'rates.rates.7.year',
      message: '2023 appears twice in the rate table: keep only the rate published for 2023.',
    });
  });

  it('refuses negative or malformed rates and floors', () => {
    const negative: InterestRateTable = { ...RATES, rates: [{ year: 2024, ratePercent: '-1' }] };
    expect(counterError(() => validateRateTable(negative, 2024, 2024))).toMatchObject({
      field: 'rates.rates.0.ratePercent',
      message: 'The interest rate cannot be negative.',
    });
    const text: InterestRateTable = { ...RATES, rates: [{ year: 2024, ratePercent: '3,5' }] };
    expect(counterError(() => validateRateTable(text, 2024, 2024)).message).toBe(
      'The interest rate must be written as a decimal number such as "2" or "2.5", not "3,5".',
    );
    const floor: InterestRateTable = { ...RATES, rounding: { mode: 'whole_percent', floorPercent: '-0.5' } };
    expect(counterError(() => validateRateTable(floor, 2020, 2026))).toMatchObject({
      field: 'rates.rounding.floorPercent',
      message: 'The floor rate cannot be negative.',
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// policies

describe('validatePolicies', () => {
  it('accepts back-to-back effective dates per class', () => {
    expect(validatePolicies([RESIDENTIAL_2020, RESIDENTIAL, COMMERCIAL]).map((p) => p.id)).toEqual([
      'RES-2020',
      'RES-2024',
      'COM-2024',
    ]);
    expect(policyInForce([RESIDENTIAL_2020, RESIDENTIAL, COMMERCIAL], 'residential', '2023-12-31').id).toBe(
      'RES-2020',
    );
    expect(policyInForce([RESIDENTIAL_2020, RESIDENTIAL, COMMERCIAL], 'residential', '2024-01-01').id).toBe(
      'RES-2024',
    );
    expect(counterError(() => policyInForce([COMMERCIAL], 'commercial', '2023-06-01'))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'No commercial deposit policy is in force on 2023-06-01: ask a supervisor to set one up.',
    });
  });

  it.each<[string, DepositPolicy[], string, string]>([
    [
      'gap',
      [RESIDENTIAL_2020, { ...RESIDENTIAL, effectiveFrom: '2024-02-01' }],
      'policies.1.effectiveFrom',
      'Gap in the residential deposit policies: none is in force from 2024-01-01 to 2024-01-31 (between RES-2020 and RES-2024).',
    ],
    [
      'overlap',
      [{ ...RESIDENTIAL, effectiveFrom: '2023-12-01' }, RESIDENTIAL_2020],
      'policies.0.effectiveFrom',
      'The residential deposit policies overlap: RES-2020 runs to 2023-12-31 but RES-2024 starts on 2023-12-01.',
    ],
    [
      'an open-ended policy followed by another',
      [{ ...RESIDENTIAL_2020, effectiveTo: null }, RESIDENTIAL],
      'policies.1.effectiveFrom',
      'The residential deposit policies overlap: RES-2020 has no end date but RES-2024 starts on 2024-01-01. End RES-2020 on 2023-12-31.',
    ],
    [
      'duplicate id',
      [RESIDENTIAL, { ...COMMERCIAL, id: 'RES-2024' }],
      'policies.1.id',
      'Two policies share the id RES-2024: give each its own.',
    ],
    [
      'a multiple of zero',
      [{ ...RESIDENTIAL, multiple: '0' }],
      'policies.0.multiple',
      'The multiple must be more than zero.',
    ],
    [
      'a negative multiple',
      [{ ...RESIDENTIAL, multiple: '-2' }],
      'policies.0.multiple',
      'The multiple cannot be negative.',
    ],
    [
      'a negative cap',
      [{ ...RESIDENTIAL, capCents: -1 }],
      'policies.0.capCents',
      'Amounts cannot be negative.',
    ],
    [
      'a negative default',
      [{ ...RESIDENTIAL, newServiceDefaultCents: { internet: -100 } }],
      'policies.0.newServiceDefaultCents.internet',
      'Amounts cannot be negative.',
    ],
    [
      'negative grace days',
      [{ ...RESIDENTIAL, interest: { ...RESIDENTIAL.interest, graceDays: -1 } }],
      'policies.0.interest.graceDays',
      'The grace period cannot be negative.',
    ],
    [
      'negative late payments',
      [{ ...RESIDENTIAL, refund: { consecutiveMonths: 12, maxLatePayments: -1 } }],
      'policies.0.refund.maxLatePayments',
      'The late payments allowed cannot be negative.',
    ],
    [
      'a down payment over 100 %',
      [
        {
          ...RESIDENTIAL,
          installments: { allowed: true, downPaymentPercent: '150', count: 2, interval: 'monthly bill' },
        },
      ],
      'policies.0.installments.downPaymentPercent',
      'The down payment percent cannot be more than 100.',
    ],
    [
      'ends before it starts',
      [{ ...RESIDENTIAL_2020, effectiveTo: '2019-12-31' }],
      'policies.0.effectiveTo',
      'Policy RES-2020 ends (2019-12-31) before it starts (2020-01-01).',
    ],
  ])('refuses %s', (_name, policies, field, message) => {
    const e = counterError(() => validatePolicies(policies));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.field).toBe(field);
    expect(e.message).toBe(message);
  });
});

// ---------------------------------------------------------------------------------------------------
// anniversary credits

describe('interestCreditsDue', () => {
  const rates: InterestRateTable = {
    rounding: { mode: 'none', floorPercent: null },
    rates: [
      { year: 2023, ratePercent: '4' },
      { year: 2024, ratePercent: '5' },
      { year: 2025, ratePercent: '3' },
    ],
  };
  const held = paidOn('2023-06-15', 10_000);

  it('one credit per anniversary, the difference of the accrued interest at each end', () => {
    // A(2024-06-15): 2023 06-15 … 12-31 = 200 d: 10000 × 4 × 200 / 36500 = 219.17… → 219
    //                2024 01-01 … 06-14 = 166 d: 10000 × 5 × 166 / 36500 = 227.39… → 227   → 446
    // A(2025-06-15): 219 + 2024 all 366 d: 10000 × 5 × 366 / 36500 = 501.36… → 501
    //                + 2025 01-01 … 06-14 = 165 d: 10000 × 3 × 165 / 36500 = 135.61… → 136 → 856
    // credits: 446, then 856 − 446 = 410
    const r = interestCreditsDue(RESIDENTIAL, held, rates, '2025-07-01', []);
    expect(r.credits).toEqual([
      {
        kind: 'anniversary',
        creditDate: '2024-06-15',
        from: '2023-06-15',
        to: '2024-06-14',
        days: 366,
        amountCents: 446,
      },
      {
        kind: 'anniversary',
        creditDate: '2025-06-15',
        from: '2024-06-15',
        to: '2025-06-14',
        days: 365,
        amountCents: 410,
      },
    ]);
    expect(r.totalCents).toBe(856);
  });

  it('is idempotent: the same inputs give the same list, credited periods are left out', () => {
    const first = interestCreditsDue(RESIDENTIAL, held, rates, '2025-07-01', []);
    expect(interestCreditsDue(RESIDENTIAL, held, rates, '2025-07-01', [])).toEqual(first);
    const rest = interestCreditsDue(RESIDENTIAL, held, rates, '2025-07-01', [{ creditDate: '2024-06-15' }]);
    expect(rest.credits.map((c) => [c.creditDate, c.amountCents])).toEqual([['2025-06-15', 410]]);
    expect(
      interestCreditsDue(RESIDENTIAL, held, rates, '2025-07-01', [
        { creditDate: '2024-06-15' },
        { creditDate: '2025-06-15' },
      ]).credits,
    ).toEqual([]);
    // Before the first anniversary nothing is due.
    expect(interestCreditsDue(RESIDENTIAL, held, rates, '2024-06-14', []).credits).toEqual([]);
  });

  it('a closing credit at refund; all credits add up to the interest accrued at refund', () => {
    // Refunded 2025-03-01: closing credit covers 2025-06-15's period up to 2025-02-28:
    // A(2025-03-01) = 219 + 501 + 2025 01-01 … 02-28 = 59 d: 10000 × 3 × 59 / 36500 = 48.49… → 48 = 768
    // closing = 768 − 446 = 322
    const refunded = deposit(['2023-06-15', 'payment', 10_000], ['2025-03-01', 'refund', 10_000]);
    const r = interestCreditsDue(RESIDENTIAL, refunded, rates, '2025-07-01', [{ creditDate: '2024-06-15' }]);
    expect(r.credits).toEqual([
      {
        kind: 'closing',
        creditDate: '2025-03-01',
        from: '2024-06-15',
        to: '2025-02-28',
        days: 259,
        amountCents: 322,
      },
    ]);
    expect(446 + 322).toBe(accruedInterest(RESIDENTIAL, refunded, rates, '2025-03-01').totalCents);
  });

  it('no credits for a deposit refunded within the grace', () => {
    const quick = deposit(['2025-01-01', 'payment', 10_000], ['2025-01-20', 'refund', 10_000]);
    expect(interestCreditsDue(RESIDENTIAL, quick, rates, '2025-07-01', []).credits).toEqual([]);
  });

  it('refuses a credited date that is no anniversary', () => {
    expect(
      counterError(() =>
        interestCreditsDue(RESIDENTIAL, held, rates, '2025-07-01', [{ creditDate: '2024-06-16' }]),
      ),
    ).toMatchObject({
      field: 'alreadyCredited.0.creditDate',
      message:
        'Interest credited on 2024-06-16 matches neither an anniversary of the deposit paid 2023-06-15 nor its refund.',
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// refund eligibility

describe('refundEligibility (residential: 12 consecutive months, at most 2 late)', () => {
  it('eligible after 12 months with 2 late payments', () => {
    // Window for asOf 2025-01-10: 2024-01 … 2024-12, all on record, late in 2024-03 and 2024-08: 2 ≤ 2.
    // The window ending 2024-11 would need 2023-12 (not on record), so eligibility started 2025-01-01.
    const r = refundEligibility(RESIDENTIAL, payments('2024-01', 12, ['2024-03', '2024-08']), '2025-01-10');
    expect(r).toEqual({
      eligible: true,
      reason:
        'Eligible for refund: 12 consecutive months 2024-01 to 2024-12 with 2 late payments (at most 2 allowed).',
      monthsConsidered: payments('2024-01', 12).map((p) => p.month),
      latePayments: 2,
      lateMonths: ['2024-03', '2024-08'],
      firstEligibleDate: '2025-01-01',
      nextPossibleDate: null,
    });
  });

  it('eligible since earlier when the record is longer', () => {
    // 2023-01 … 2024-12 all on time: the window 2023-01 … 2023-12 already qualified, from 2024-01-01.
    const r = refundEligibility(RESIDENTIAL, payments('2023-01', 24), '2025-01-10');
    expect(r).toMatchObject({ eligible: true, latePayments: 0, firstEligibleDate: '2024-01-01' });
  });

  it('three late payments: not yet; eligible once the first late month leaves the window', () => {
    // Late 2024-03, 2024-05, 2024-08. Assuming on-time from 2025-01: the window ending 2025-01 (2024-02 …)
    // has 3 late, ending 2025-02 (2024-03 …) has 3, ending 2025-03 (2024-04 …) has 2 → complete on 2025-04-01.
    const r = refundEligibility(
      RESIDENTIAL,
      payments('2024-01', 12, ['2024-03', '2024-05', '2024-08']),
      '2025-01-10',
    );
    expect(r).toMatchObject({
      eligible: false,
      latePayments: 3,
      firstEligibleDate: null,
      nextPossibleDate: '2025-04-01',
    });
    expect(r.reason).toBe(
      'Not eligible yet: 3 late payments (at most 2 allowed) in the 12 months 2024-01 to 2024-12. Earliest refund, if every bill is paid on time: 2025-04-01.',
    );
  });

  it('too short a record: the missing months break the run', () => {
    // 2024-05 … 2024-12 on record (8 months): the first full window is 2024-05 … 2025-04 → 2025-05-01.
    const r = refundEligibility(RESIDENTIAL, payments('2024-05', 8), '2025-01-10');
    expect(r).toMatchObject({
      eligible: false,
      monthsConsidered: payments('2024-05', 8).map((p) => p.month),
    });
    expect(r.nextPossibleDate).toBe('2025-05-01');
    expect(r.reason).toBe(
      'Not eligible yet: only 8 of the 12 months 2024-01 to 2024-12 are on record (missing 2024-01, 2024-02, 2024-03 and 1 more). Earliest refund, if every bill is paid on time: 2025-05-01.',
    );
  });

  it('refuses future months and months given twice', () => {
    expect(
      counterError(() => refundEligibility(RESIDENTIAL, payments('2024-01', 14), '2025-01-10')),
    ).toMatchObject({
      field: 'paymentHistory.13.month',
      message: 'The payment history has 2025-02, after 2025-01-10: months in the future are not history.',
    });
    expect(
      counterError(() =>
        refundEligibility(
          RESIDENTIAL,
          [...payments('2024-01', 3), { month: '2024-02', late: true }],
          '2025-01-10',
        ),
      ),
    ).toMatchObject({
      field: 'paymentHistory.3.month',
      message: 'The payment history has 2024-02 twice: keep one record per month.',
    });
    expect(
      counterError(() =>
        refundEligibility(RESIDENTIAL, payments('2024-01', 12), '2025-01-10', { today: '2025-01-09' }),
      ),
    ).toMatchObject({ field: 'asOf' });
  });
});

// ---------------------------------------------------------------------------------------------------
// final bill

describe('finalBillApplication', () => {
  it.each([
    // 200.00 + 19.46 = 219.46 against a 150.00 final bill: 150.00 applied, 69.46 refunded.
    [
      20_000,
      1_946,
      15_000,
      { availableCents: 21_946, appliedToBillCents: 15_000, refundCents: 6_946, remainingBalanceCents: 0 },
    ],
    // 219.46 against 300.00: all applied, 80.54 still owed.
    [
      20_000,
      1_946,
      30_000,
      { availableCents: 21_946, appliedToBillCents: 21_946, refundCents: 0, remainingBalanceCents: 8_054 },
    ],
    // exactly the balance
    [
      20_000,
      1_946,
      21_946,
      { availableCents: 21_946, appliedToBillCents: 21_946, refundCents: 0, remainingBalanceCents: 0 },
    ],
    // a credit balance of 5.00: nothing applied, all refunded, the credit stays
    [
      20_000,
      0,
      -500,
      { availableCents: 20_000, appliedToBillCents: 0, refundCents: 20_000, remainingBalanceCents: -500 },
    ],
  ])('held %i + interest %i against %i', (held, interest, balance, expected) => {
    expect(finalBillApplication(held, interest, balance)).toEqual(expected);
  });

  it('refuses negative or fractional amounts', () => {
    expect(counterError(() => finalBillApplication(-1, 0, 100))).toMatchObject({
      field: 'depositHeldCents',
      message: 'Amounts cannot be negative.',
    });
    expect(counterError(() => finalBillApplication(100, 0.5, 100)).field).toBe('interestCents');
  });
});

// ---------------------------------------------------------------------------------------------------
// properties

/** A rate table for 2020 … 2032 from basis points (0 … 15 %), as exact decimal text. */
const rateTableArb = fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 13, maxLength: 13 });
const toTable = (bps: number[]): InterestRateTable => ({
  rounding: { mode: 'none', floorPercent: null },
  rates: bps.map((bp, i) => ({
    year: 2020 + i,
    ratePercent: `${String(Math.floor(bp / 100))}.${String(bp % 100).padStart(2, '0')}`,
  })),
});
const methodArb = fc.constantFrom(RESIDENTIAL, COMMERCIAL, COMMERCIAL_ANNIVERSARY);

describe('properties', () => {
  it('interest is never negative and never decreases as days go by', () => {
    fc.assert(
      fc.property(
        methodArb,
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: 0, max: 1_500 }),
        rateTableArb,
        (policy, cents, start, a, b, bps) => {
          const dep = paidOn(isoDay(BASE_DAY + start), cents);
          const table = toTable(bps);
          const near = accruedInterest(
            policy,
            dep,
            table,
            isoDay(BASE_DAY + start + Math.min(a, b)),
          ).totalCents;
          const far = accruedInterest(
            policy,
            dep,
            table,
            isoDay(BASE_DAY + start + Math.max(a, b)),
          ).totalCents;
          expect(near).toBeGreaterThanOrEqual(0);
          expect(far).toBeGreaterThanOrEqual(near);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('interest never decreases when any year’s rate goes up', () => {
    fc.assert(
      fc.property(
        methodArb,
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 1_800 }),
        rateTableArb,
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 13, maxLength: 13 }),
        (policy, cents, start, held, bps, raise) => {
          const dep = paidOn(isoDay(BASE_DAY + start), cents);
          const asOf = isoDay(BASE_DAY + start + held);
          const low = accruedInterest(policy, dep, toTable(bps), asOf).totalCents;
          const high = accruedInterest(
            policy,
            dep,
            toTable(bps.map((bp, i) => bp + (raise[i] ?? 0))),
            asOf,
          ).totalCents;
          expect(low).toBeGreaterThanOrEqual(0);
          expect(high).toBeGreaterThanOrEqual(low);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('splitting a holding period at any date changes the total by at most 1 cent, and each year row is within ½ cent of exact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: 0, max: 1_800 }),
        fc.integer({ min: 0, max: 1_800 }),
        rateTableArb,
        (cents, start, x, y, bps) => {
          const table = toTable(bps);
          const d0 = BASE_DAY + start;
          const d1 = d0 + Math.min(x, y);
          const d2 = d0 + Math.max(x, y);
          const whole = accruedInterest(RESIDENTIAL, paidOn(isoDay(d0), cents), table, isoDay(d2));
          const before = accruedInterest(
            RESIDENTIAL,
            paidOn(isoDay(d0), cents),
            table,
            isoDay(d1),
          ).totalCents;
          const after = accruedInterest(RESIDENTIAL, paidOn(isoDay(d1), cents), table, isoDay(d2)).totalCents;
          // The split only re-rounds the calendar year that contains d1 (two rows instead of one).
          expect(Math.abs(before + after - whole.totalCents)).toBeLessThanOrEqual(1);
          // Against the exact figure, computed here independently: ± ½ cent per calendar-year row,
          // i.e. ± 1 cent per year boundary crossed.
          let exactNum = 0n;
          const den = 100n * 100n * 365n; // basis points → percent → fraction, ÷ 365
          for (let day = d0; day < d2;) {
            const year = Number(isoDay(day).slice(0, 4));
            const next = Math.min(d2, Date.UTC(year + 1, 0, 1) / DAY_MS);
            exactNum += BigInt(cents) * BigInt(bps[year - 2020] ?? 0) * BigInt(next - day);
            day = next;
          }
          const diff = BigInt(whole.totalCents) * den - exactNum;
          const abs = diff < 0n ? -diff : diff;
          expect(abs * 2n <= BigInt(whole.years.length) * den).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('anniversary credits and the closing credit always add up to the interest accrued at refund', () => {
    fc.assert(
      fc.property(
        methodArb,
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        rateTableArb,
        (policy, cents, start, held, bps) => {
          const table = toTable(bps);
          const dep = deposit(
            [isoDay(BASE_DAY + start), 'payment', cents],
            [isoDay(BASE_DAY + start + held), 'refund', cents],
          );
          const refundDay = isoDay(BASE_DAY + start + held);
          const all = interestCreditsDue(policy, dep, table, refundDay, []);
          expect(all.totalCents).toBe(accruedInterest(policy, dep, table, refundDay).totalCents);
          expect(all.credits.every((c) => c.amountCents > 0)).toBe(true);
          // idempotent: crediting what is listed leaves nothing due
          const again = interestCreditsDue(policy, dep, table, refundDay, all.credits);
          expect(again.credits).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the required deposit never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(RESIDENTIAL, COMMERCIAL),
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 14 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom(1, 100, 500),
        fc.constantFrom('half_up' as const, 'up' as const, 'down' as const),
        (base, amounts, cap, tenths, unitCents, unit, mode) => {
          const policy: DepositPolicy = {
            ...base,
            capCents: cap,
            multiple: `${String(Math.floor(tenths / 10))}.${String(tenths % 10)}`,
            roundTo: { unitCents: unit === 1 ? unitCents : unit, mode },
          };
          const r = requiredDeposit(policy, bills('2024-01', amounts), {
            asOf: '2025-03-01',
            bundle: 'internet',
          });
          expect(r.amountCents).toBeLessThanOrEqual(cap);
          expect(r.amountCents).toBeGreaterThanOrEqual(0);
          expect(r.working.capped).toBe(r.working.beforeCapCents > cap);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('installments always sum to the required amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 12 }),
        (amount, hundredthsPercent, count) => {
          const plan: InstallmentPlan = {
            allowed: true,
            downPaymentPercent: `${String(Math.floor(hundredthsPercent / 100))}.${String(hundredthsPercent % 100).padStart(2, '0')}`,
            count,
            interval: 'monthly bill',
          };
          const parts = splitInstallments(amount, plan);
          expect(parts.reduce((s, p) => s + p.amountCents, 0)).toBe(amount);
          expect(parts[0]?.dueWith).toBe('now');
          expect(parts.length).toBeLessThanOrEqual(count + 1);
          expect(parts.every((p) => Number.isSafeInteger(p.amountCents) && p.amountCents >= 0)).toBe(true);
          // the down payment is at least its share: down × 10000 ≥ amount × hundredthsPercent
          expect(
            BigInt(parts[0]?.amountCents ?? 0) * 10_000n >= BigInt(amount) * BigInt(hundredthsPercent),
          ).toBe(true);
          // the bills differ by at most one cent
          const bills = parts.slice(1).map((p) => p.amountCents);
          if (bills.length > 1) expect(Math.max(...bills) - Math.min(...bills)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('requiredDeposit through installments: the parts sum to the amount', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 3, maxLength: 12 }),
        (amounts) => {
          const r = requiredDeposit(RESIDENTIAL, bills('2024-01', amounts), {
            asOf: '2025-01-05',
            installments: true,
          });
          expect(r.installments.reduce((s, p) => s + p.amountCents, 0)).toBe(r.amountCents);
        },
      ),
    );
  });

  it('final bill: applied + refund = deposit + interest; applied + remaining = balance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: -1_000_000, max: 20_000_000 }),
        (held, interest, balance) => {
          const r = finalBillApplication(held, interest, balance);
          expect(r.appliedToBillCents + r.refundCents).toBe(held + interest);
          expect(r.appliedToBillCents + r.remainingBalanceCents).toBe(balance);
          expect(r.appliedToBillCents).toBeGreaterThanOrEqual(0);
          expect(r.refundCents).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
