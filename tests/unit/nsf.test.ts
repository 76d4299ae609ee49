/** The NSF fee and the returned-check rules, by hand-worked examples (the working is in each comment). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CounterError } from '../../shared/api/errors.js';
import {
  nsfFee,
  percentOfCents,
  scheduleFor,
  validateFeeSchedule,
  type NsfFeeSchedule,
} from '../../shared/domain/nsf.js';
import { addMonths, cashOnlyState, tenderSlice } from '../../shared/domain/returns/rules.js';
import { DEMO_RETURNS_POLICY } from '../../resources/demo/returns.js';

/** The demo 2026 schedule: tiers $0–$50 $25, $50.01–$300 $30, $300.01 up $35; or 5 % if greater; capped at $40; none for a bank error. */
const tiered = DEMO_RETURNS_POLICY.feeSchedules.find((s) => s.id === 'TX-2026') as NsfFeeSchedule;
const fixed: NsfFeeSchedule = {
  ...tiered,
  id: 'F',
  tiers: [{ minCents: 0, maxCents: null, feeCents: 2500 }],
  percent: null,
  capCents: null,
};

describe('nsfFee', () => {
  it.each([
    // [schedule, face, reason, fee, decidedBy]
    // Fixed: $25.00 whatever the face.
    [fixed, 1, 'nsf', 2500, 'tier'],
    [fixed, 9_999_999, 'nsf', 2500, 'tier'],
    // $50.00 is the top of tier 1 (inclusive): tier $25.00; 5% = 250.00 cents → $2.50; greater = $25.00.
    [tiered, 5000, 'nsf', 2500, 'tier'],
    // $50.01 is the bottom of tier 2: $30.00; 5% of 5001 = 250.05 → 250 (half up, .05 < .5); $30.00.
    [tiered, 5001, 'nsf', 3000, 'tier'],
    // $300.00 top of tier 2: $30.00; 5% = 1500 → $15.00; $30.00.
    [tiered, 30000, 'nsf', 3000, 'tier'],
    // $300.01 bottom of tier 3: $35.00; 5% of 30001 = 1500.05 → 1500; $35.00.
    [tiered, 30001, 'nsf', 3500, 'tier'],
    // $750.00: tier $35.00; 5% = 3750 → $37.50 is greater: the percentage decides.
    [tiered, 75000, 'nsf', 3750, 'percent'],
    // $790.10: 5% = 3950.5 exactly → half up → 3951 ($39.51), under the $40 cap.
    [tiered, 79010, 'nsf', 3951, 'percent'],
    // $1,000.00: 5% = $50.00 > tier; the legal cap $40.00 limits it.
    [tiered, 100000, 'nsf', 4000, 'cap'],
    // A bank error carries no fee whatever the face.
    [tiered, 100000, 'bank_error', 0, 'no_fee'],
  ] as const)('%#: face %i for %s → %i (%s)', (schedule, face, reason, fee, decidedBy) => {
    const w = nsfFee(schedule, face, reason);
    expect(w.feeCents).toBe(fee);
    expect(w.decidedBy).toBe(decidedBy);
    expect(w.steps.length).toBeGreaterThan(0);
  });

  it('percentages are exact ratios rounded once, half up', () => {
    // 2.5% of $41.00 = 4100 × 25/1000 = 102.5 → 103.
    expect(percentOfCents(4100, '2.5')).toBe(103);
    // 2.5% of $40.99 = 102.475 → 102 (one rounding: no 102.48 → 102.5 → 103 double rounding).
    expect(percentOfCents(4099, '2.5')).toBe(102);
    // 12.75% of $1.00 = 12.75 → 13.
    expect(percentOfCents(100, '12.75')).toBe(13);
  });

  it('a percentage cap limits the contracted fee', () => {
    // $100.00 check: tier 2 $30.00; cap 20% of face = $20.00 → $20.00.
    const w = nsfFee({ ...tiered, capCents: null, capPercent: '20' }, 10000, 'nsf');
    expect(w.feeCents).toBe(2000);
    expect(w.decidedBy).toBe('cap');
  });

  it.each([
    [
      'overlapping tiers',
      {
        tiers: [
          { minCents: 0, maxCents: 5000, feeCents: 2500 },
          { minCents: 5000, maxCents: null, feeCents: 3000 },
        ],
      },
      /overlap/,
    ],
    ['a negative fee', { tiers: [{ minCents: 0, maxCents: null, feeCents: -1 }] }, /negative/],
    [
      'a gap',
      {
        tiers: [
          { minCents: 0, maxCents: 5000, feeCents: 2500 },
          { minCents: 6000, maxCents: null, feeCents: 3000 },
        ],
      },
      /no tier covers/,
    ],
    ['a negative cap', { capCents: -5 }, /cap cannot be negative/],
  ])('refuses a schedule with %s', (_name, change, message) => {
    const bad = { ...tiered, ...change } as NsfFeeSchedule;
    expect(() => validateFeeSchedule(bad)).toThrow(message);
    expect(() => nsfFee(bad, 1000, 'nsf')).toThrow(CounterError);
  });

  it('picks the schedule in force by jurisdiction and date', () => {
    const s = DEMO_RETURNS_POLICY.feeSchedules;
    expect(scheduleFor(s, 'TX', '2025-12-31').id).toBe('TX-2025');
    expect(scheduleFor(s, 'TX', '2026-01-01').id).toBe('TX-2026');
    expect(() => scheduleFor(s, 'OK', '2026-01-01')).toThrow(/No NSF fee schedule/);
  });

  it('the fee never exceeds a cap and is never negative (any face)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (face) => {
        const w = nsfFee(tiered, face, 'nsf');
        expect(w.feeCents).toBeGreaterThanOrEqual(0);
        expect(w.feeCents).toBeLessThanOrEqual(4000);
      }),
    );
  });
});

describe('cash-only points', () => {
  const policy = { pointsExpireMonths: 12, threshold: 2, cashOnlyMonths: 6 };

  it('adds calendar months, clamping to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-25', 12)).toBe('2027-11-25');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('one point is not enough; a second within 12 months starts 6 months of cash only', () => {
    // 2026-01-10 (1 point, counts to 2027-01-10) + 2026-11-25 (1 point): 2 >= 2 on 2026-11-25 → until 2027-05-25.
    const one = cashOnlyState([{ date: '2026-01-10', points: 1 }], policy, '2026-11-25');
    expect(one).toMatchObject({ points: 1, active: false, period: null });
    const two = cashOnlyState(
      [
        { date: '2026-01-10', points: 1 },
        { date: '2026-11-25', points: 1 },
      ],
      policy,
      '2026-11-25',
    );
    expect(two).toMatchObject({
      points: 2,
      active: true,
      period: { from: '2026-11-25', until: '2027-05-25' },
    });
    // The last day of the period is 2027-05-24; on 2027-05-25 checks are fine again.
    expect(
      cashOnlyState(
        [
          { date: '2026-01-10', points: 1 },
          { date: '2026-11-25', points: 1 },
        ],
        policy,
        '2027-05-24',
      ).active,
    ).toBe(true);
    expect(
      cashOnlyState(
        [
          { date: '2026-01-10', points: 1 },
          { date: '2026-11-25', points: 1 },
        ],
        policy,
        '2027-05-25',
      ).active,
    ).toBe(false);
  });

  it('an expired point does not count', () => {
    // 2025-11-25 expires 2026-11-25 (exclusive): on 2026-11-25 only the new point is active.
    const s = cashOnlyState(
      [
        { date: '2025-11-25', points: 1 },
        { date: '2026-11-25', points: 1 },
      ],
      policy,
      '2026-11-25',
    );
    expect(s).toMatchObject({ points: 1, active: false });
    // A day earlier the first one still counted.
    const t = cashOnlyState(
      [
        { date: '2025-11-26', points: 1 },
        { date: '2026-11-25', points: 1 },
      ],
      policy,
      '2026-11-25',
    );
    expect(t).toMatchObject({ points: 2, active: true });
  });

  it('a lift ends the period; the next return that keeps the points at the threshold starts a new one', () => {
    const h = [{ date: '2026-03-01', points: 2 }];
    expect(cashOnlyState(h, policy, '2026-04-01', ['2026-03-15'])).toMatchObject({
      active: false,
      period: { until: '2026-03-15' },
    });
    const again = cashOnlyState([...h, { date: '2026-05-01', points: 1 }], policy, '2026-05-01', [
      '2026-03-15',
    ]);
    expect(again).toMatchObject({ active: true, period: { from: '2026-05-01', until: '2026-11-01' } });
  });
});

describe('tenderSlice', () => {
  const alloc = [
    { itemId: 'A', category: 'basic', cents: 7000 },
    { itemId: 'B', category: 'tv', cents: 3000 },
  ];
  it('a check after cash paid the tail of the allocation', () => {
    // $60 cash then $40 check over A $70, B $30: cash paid A 0–60; check paid A 60–70 ($10) and B ($30).
    expect(tenderSlice(alloc, 0, [{ netCents: 6000 }, { netCents: 4000 }], 1)).toEqual([
      { itemId: 'A', category: 'basic', cents: 1000 },
      { itemId: 'B', category: 'tv', cents: 3000 },
    ]);
  });
  it('a check first paid the head, and unapplied credit comes last', () => {
    expect(tenderSlice(alloc, 500, [{ netCents: 2000 }, { netCents: 8500 }], 0)).toEqual([
      { itemId: 'A', category: 'basic', cents: 2000 },
    ]);
    expect(tenderSlice(alloc, 500, [{ netCents: 2000 }, { netCents: 8500 }], 1)).toEqual([
      { itemId: 'A', category: 'basic', cents: 5000 },
      { itemId: 'B', category: 'tv', cents: 3000 },
      { itemId: null, category: 'unapplied_credit', cents: 500 },
    ]);
  });
});
