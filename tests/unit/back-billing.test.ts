/**
 * Back-billing plans (shared/domain/back-billing.ts), worked by hand. Today is 2026-11-25 and the
 * first installment falls due on 2026-12-20 unless a case says otherwise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  addMonthsClamped,
  backBillPlan,
  checkInstallmentsSum,
  type BackBillCharge,
  type BackBillPolicy,
} from '../../shared/domain/back-billing.js';
import { addCents } from '../../shared/money.js';

const BASE: BackBillPolicy = {
  jurisdiction: 'NY',
  label: 'Test rules',
  maxAgeMonths: 24,
  waiveAgeWhenCustomerCaused: true,
  minLength: { span: true, age: false },
  cap: null,
  maxInstallments: 60,
  ledgerAccount: 'back_billed_revenue',
  notDisconnectable: true,
  noLateFees: true,
};
const CTX = { today: '2026-11-25', bills: { sumCents: 8000, count: 1 }, firstDueDate: '2026-12-20' };

const charge = (
  fromMonth: string,
  toMonth: string,
  cents: number,
  customerCaused = false,
): BackBillCharge => ({
  description: 'Second meter never billed',
  category: 'basic_local',
  fromMonth,
  toMonth,
  amountPerPeriodCents: cents,
  customerCaused,
});

function planOf(
  policy: BackBillPolicy,
  charges: BackBillCharge[],
  ctx: Partial<typeof CTX> & { currentBillCents?: number } = {},
) {
  const r = backBillPlan(policy, charges, { ...CTX, ...ctx });
  if (!r.ok) throw new Error(`${r.rule}: ${r.message}`);
  return r.plan;
}

describe('plan length', () => {
  it.each([
    // Span: Jun–Sep × 25.00 = 100.00 and Aug–Oct × 3.33 = 9.99 → 109.99 over the 5 months Jun..Oct.
    // 10999 ÷ 5 = 2199 r 4 → the first four carry a cent: 22.00 ×4 + 21.99.
    {
      name: 'from the span (two charges overlapping)',
      policy: BASE,
      charges: [charge('2026-06', '2026-09', 2500), charge('2026-08', '2026-10', 333)],
      from: 'span',
      amounts: [2200, 2200, 2200, 2200, 2199],
    },
    // Age: Nov 2025 – Jan 2026 × 20.00 = 60.00 spans 3 months, but the oldest is 12 months old
    // (2025-11 → 2026-11): 12 installments of 5.00.
    {
      name: 'from the age of the oldest charge',
      policy: { ...BASE, minLength: { span: true, age: true } },
      charges: [charge('2025-11', '2026-01', 2000)],
      from: 'age',
      amounts: Array<number>(12).fill(500),
    },
    // Cap on the installment: 50 % of 80.00 = 40.00. May–Jul × 100.00 = 300.00 spans 3 months;
    // 300.00 ÷ 40.00 = 7.5 → 8 installments of 37.50.
    {
      name: 'from the cap (installment ≤ 50 % of the average bill)',
      policy: { ...BASE, cap: { percentOfAverageBill: '50', basis: 'installment' as const } },
      charges: [charge('2026-05', '2026-07', 10000)],
      from: 'cap',
      amounts: Array<number>(8).fill(3750),
    },
    // Cap on bill + installment: 150 % of 80.00 = 120.00, less the 95.00 bill = 25.00;
    // 300.00 ÷ 25.00 = 12 installments of 25.00.
    {
      name: 'from the cap on bill + installment',
      policy: { ...BASE, cap: { percentOfAverageBill: '150', basis: 'bill_plus_installment' as const } },
      charges: [charge('2026-05', '2026-07', 10000)],
      ctx: { currentBillCents: 9500 },
      from: 'cap',
      amounts: Array<number>(12).fill(2500),
    },
    // The average is not rounded before the cap: three bills of 33.33, 33.34, 33.34 = 100.01.
    // Exact: 10001 ÷ 3 × 50 ÷ 100 = 500050 ÷ 300 = 1666.83… → 16.66 (rounded down once). Rounding the
    // average first (33.34) would give 16.67, and Oct × 50.01 ÷ 16.67 = 3 exactly; ÷ 16.66 = 3.0018 → 4
    // installments: 5001 ÷ 4 = 1250 r 1, the extra cent on the first.
    {
      name: 'from a cap on the exact average of several bills (rounded once, at the cap)',
      policy: { ...BASE, cap: { percentOfAverageBill: '50', basis: 'installment' as const } },
      charges: [charge('2026-10', '2026-10', 5001)],
      ctx: { bills: { sumCents: 10001, count: 3 } },
      from: 'cap',
      amounts: [1251, 1250, 1250, 1250],
    },
    // Bill + installment on the exact average: 150 % of (10001 ÷ 3) less the 30.00 bill
    // = (10001 × 150 − 3000 × 300) ÷ 300 = (1500150 − 900000) ÷ 300 = 2000.5 → 20.00 (down once).
    // Oct × 60.01 ÷ 20.00 = 3.0005 → 4 installments: 6001 ÷ 4 = 1500 r 1.
    {
      name: 'from the cap on bill + installment, exact average, rounded once',
      policy: { ...BASE, cap: { percentOfAverageBill: '150', basis: 'bill_plus_installment' as const } },
      charges: [charge('2026-10', '2026-10', 6001)],
      ctx: { bills: { sumCents: 10001, count: 3 }, currentBillCents: 3000 },
      from: 'cap',
      amounts: [1501, 1500, 1500, 1500],
    },
    // Cap rounded down once: 33.3 % of 77.77 = 7777 × 333 ÷ 1000 = 2589.741 → 25.89.
    // 100.00 (Oct × 100.00, span 1) ÷ 25.89 = 3.86 → 4 installments of 25.00.
    {
      name: 'from a cap with an inexact percentage',
      policy: { ...BASE, cap: { percentOfAverageBill: '33.3', basis: 'installment' as const } },
      charges: [charge('2026-10', '2026-10', 10000)],
      ctx: { bills: { sumCents: 7777, count: 1 } },
      from: 'cap',
      amounts: [2500, 2500, 2500, 2500],
    },
    // No length rule: one installment. Oct × 12.34.
    {
      name: 'single installment when no rule asks for more',
      policy: { ...BASE, minLength: { span: false, age: false } },
      charges: [charge('2026-08', '2026-10', 1234)],
      from: 'single',
      amounts: [3702],
    },
  ])('$name', ({ policy, charges, ctx, from, amounts }) => {
    const plan = planOf(policy, charges, ctx ?? {});
    expect(plan.lengthFrom).toBe(from);
    expect(plan.installments.map((i) => i.cents)).toEqual(amounts);
    expect(addCents(...plan.installments.map((i) => i.cents))).toBe(plan.totalCents);
    expect(plan.installments.every((i) => i.working.length > 0)).toBe(true);
  });

  it('dates: monthly on the same day, the month end when shorter', () => {
    const plan = planOf(BASE, [charge('2026-08', '2026-10', 1000)], { firstDueDate: '2027-01-31' });
    expect(plan.installments.map((i) => i.dueDate)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);
    expect(addMonthsClamped('2027-12-31', 2)).toBe('2028-02-29');
  });

  it('names the remainder in the working', () => {
    const plan = planOf(BASE, [charge('2026-08', '2026-10', 1000), charge('2026-10', '2026-10', 1)]);
    // 30.01 over 3 months: 1000 r 1 → 10.01, 10.00, 10.00.
    expect(plan.installments.map((i) => i.cents)).toEqual([1001, 1000, 1000]);
    expect(plan.installments[0]?.working).toMatch(/remainder 1¢: \+1¢/);
  });
});

describe('refusals name the rule', () => {
  it.each([
    // 2024-10 → 2026-11 is 25 months: over 24.
    { name: 'older than the maximum age', charges: [charge('2024-10', '2024-12', 1000)], rule: 'max_age' },
    { name: 'a future month', charges: [charge('2026-10', '2026-12', 1000)], rule: 'future' },
    { name: 'zero periods', charges: [charge('2026-05', '2026-04', 1000)], rule: 'no_periods' },
    { name: 'no charges', charges: [], rule: 'no_charges' },
  ])('$name', ({ charges, rule }) => {
    const r = backBillPlan(BASE, charges, CTX);
    expect(r.ok ? null : r.rule).toBe(rule);
  });

  it('exactly the maximum age is allowed; the customer at fault waives it where the policy says so', () => {
    expect(backBillPlan(BASE, [charge('2024-11', '2024-12', 1000)], CTX).ok).toBe(true);
    expect(backBillPlan(BASE, [charge('2024-10', '2024-12', 1000, true)], CTX).ok).toBe(true);
    const strict = { ...BASE, waiveAgeWhenCustomerCaused: false };
    const r = backBillPlan(strict, [charge('2024-10', '2024-12', 1000, true)], CTX);
    expect(r.ok ? null : r.rule).toBe('max_age');
  });

  it('a cap that leaves no room (the bill alone reaches it)', () => {
    const policy = { ...BASE, cap: { percentOfAverageBill: '100', basis: 'bill_plus_installment' as const } };
    const r = backBillPlan(policy, [charge('2026-05', '2026-07', 1000)], { ...CTX, currentBillCents: 8000 });
    expect(r.ok ? null : r.rule).toBe('cap');
  });

  it('a cap that would need more installments than the policy allows', () => {
    // 1 % of 80.00 = 0.80; 300.00 ÷ 0.80 = 375 installments > 60.
    const policy = { ...BASE, cap: { percentOfAverageBill: '1', basis: 'installment' as const } };
    const r = backBillPlan(policy, [charge('2026-05', '2026-07', 10000)], CTX);
    expect(r.ok ? null : r.message).toMatch(/375 installments, more than the 60/);
  });

  it('installments that do not sum to the total', () => {
    expect(checkInstallmentsSum([{ cents: 500 }, { cents: 499 }], 1000)).toMatch(
      /add up to \$9\.99, not the \$10\.00/,
    );
    expect(checkInstallmentsSum([{ cents: 500 }, { cents: 500 }], 1000)).toBeNull();
  });
});

describe('properties', () => {
  const month = fc.integer({ min: 0, max: 22 }).map((back) => {
    const m = 2026 * 12 + 10 - back;
    return `${String(Math.floor(m / 12))}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
  const chargeArb = fc
    .tuple(month, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 500_000 }))
    .map(([from, len, cents]) => {
      const m = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1 + len;
      const to = Math.min(m, 2026 * 12 + 10);
      return charge(from, `${String(Math.floor(to / 12))}-${String((to % 12) + 1).padStart(2, '0')}`, cents);
    });
  it('every plan sums exactly to its total, installments differ by at most a cent and keep under the cap', () => {
    fc.assert(
      fc.property(
        fc.array(chargeArb, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 200 })),
        fc.integer({ min: 100, max: 100_000 }),
        (charges, age, pct, avg) => {
          const policy: BackBillPolicy = {
            ...BASE,
            minLength: { span: true, age },
            cap: pct === null ? null : { percentOfAverageBill: String(pct), basis: 'installment' },
          };
          const r = backBillPlan(policy, charges, { ...CTX, bills: { sumCents: avg, count: 1 } });
          if (!r.ok) return r.rule === 'cap' || r.rule === 'max_length';
          const cents = r.plan.installments.map((i) => i.cents);
          expect(addCents(...cents)).toBe(r.plan.totalCents);
          expect(Math.max(...cents) - Math.min(...cents)).toBeLessThanOrEqual(1);
          if (r.plan.capCents !== null) expect(Math.max(...cents)).toBeLessThanOrEqual(r.plan.capCents);
          expect(r.plan.installments.length).toBeGreaterThanOrEqual(
            Math.min(r.plan.spanMonths, r.plan.totalCents),
          );
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
