/**
 * Adjustment rules (shared/domain/adjustments.ts), worked by hand: approval limits by role and reason,
 * outage credits (exact, rounded once), and the balanced journal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  adjustmentJournal,
  adjustmentLimit,
  DEMO_ADJUSTMENT_POLICY,
  outageCredit,
  type AdjustmentReason,
} from '../../shared/domain/adjustments.js';
import { journalBalances } from '../../shared/domain/tenders.js';

const reason = (code: string): AdjustmentReason => {
  const r = DEMO_ADJUSTMENT_POLICY.reasons.find((x) => x.code === code);
  if (!r) throw new Error(code);
  return r;
};

describe('approval limits by role and reason', () => {
  it.each([
    // Outage: CSR up to 25.00, supervisor up to 200.00.
    ['outage_credit', 'csr', 2500, 'within'],
    ['outage_credit', 'csr', 2501, 'needs_supervisor'],
    ['outage_credit', 'supervisor', 2501, 'within'],
    ['outage_credit', 'csr', 20000, 'needs_supervisor'],
    ['outage_credit', 'csr', 20001, 'refused'],
    ['outage_credit', 'supervisor', 20001, 'refused'],
    // Fee waiver: a CSR has no limit of their own (0), a supervisor 100.00.
    ['fee_waiver', 'csr', 1, 'needs_supervisor'],
    ['fee_waiver', 'supervisor', 10000, 'within'],
    // Billing error: CSR up to 50.00.
    ['billing_error', 'csr', 5000, 'within'],
    ['billing_error', 'csr', 5001, 'needs_supervisor'],
    // An admin has no limit of their own (the channel refuses admins before this anyway).
    ['goodwill', 'admin', 1, 'needs_supervisor'],
  ] as const)('%s by %s for %i cents: %s', (code, role, cents, kind) => {
    expect(adjustmentLimit(reason(code), role, cents).kind).toBe(kind);
  });

  it('the refusal says why in words', () => {
    const d = adjustmentLimit(reason('outage_credit'), 'csr', 25000);
    expect(d.kind === 'refused' ? d.message : '').toMatch(/over the supervisor limit of \$200\.00/);
  });
});

describe('outage credit', () => {
  const P = DEMO_ADJUSTMENT_POLICY.outage;
  it.each([
    // 59.99 × 3 ÷ 30 (November) = 17997 ÷ 30 = 599.9 → 6.00.
    [{ monthlyRateCents: 5999, daysOut: 3, month: '2026-11' }, P, 600],
    // 45.00 × 7 ÷ 31 (October) = 31500 ÷ 31 = 1016.13 → 10.16.
    [{ monthlyRateCents: 4500, daysOut: 7, month: '2026-10' }, P, 1016],
    // 30.00 × 10 ÷ 29 (February 2028, leap) = 30000 ÷ 29 = 1034.48 → 10.34.
    [{ monthlyRateCents: 3000, daysOut: 10, month: '2028-02' }, P, 1034],
    // Same in 2027 (28 days): 30000 ÷ 28 = 1071.43 → 10.71.
    [{ monthlyRateCents: 3000, daysOut: 10, month: '2027-02' }, P, 1071],
    // 30-day basis: 45.00 × 7 ÷ 30 = 1050 exactly.
    [
      { monthlyRateCents: 4500, daysOut: 7, month: '2026-10' },
      { dayBasis: 'thirty', rounding: 'half_up' },
      1050,
    ],
    // 30-day basis, 31 days out: 31 ÷ 30 of a month → capped at the month's rate.
    [
      { monthlyRateCents: 4500, daysOut: 31, month: '2026-10' },
      { dayBasis: 'thirty', rounding: 'half_up' },
      4500,
    ],
    // Year basis: 49.99 × 12 × 5 ÷ 365 = 299940 ÷ 365 = 821.75 → down: 8.21.
    [
      { monthlyRateCents: 4999, daysOut: 5, month: '2026-10' },
      { dayBasis: 'actual_365', rounding: 'down' },
      821,
    ],
  ] as const)('%o under %o = %i cents', (input, policy, cents) => {
    const c = outageCredit(input, policy);
    expect(c.cents).toBe(cents);
    expect(c.working).toMatch(/ = \$/);
  });

  it('shows its formula', () => {
    expect(outageCredit({ monthlyRateCents: 5999, daysOut: 3, month: '2026-11' }, P).working).toBe(
      '$59.99 × 3 days ÷ 30 days in 2026-11 = $6.00 (rounded to the nearest cent, once)',
    );
  });

  it.each([0, 31, 2.5])('refuses %d days out in November', (days) => {
    expect(() => outageCredit({ monthlyRateCents: 5999, daysOut: days, month: '2026-11' }, P)).toThrow(
      /Days out of service/,
    );
  });
});

describe('journal', () => {
  it('a credit lowers the receivable against the reason account', () => {
    expect(adjustmentJournal('1000042517', 'credit', 600, reason('outage_credit'))).toEqual([
      { ledgerAccount: 'ar:1000042517', cents: -600, memo: 'credit adjustment: Service outage credit' },
      { ledgerAccount: 'adjustments:outage', cents: 600, memo: 'credit adjustment: Service outage credit' },
    ]);
  });
  it('every adjustment balances (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DEMO_ADJUSTMENT_POLICY.reasons),
        fc.constantFrom('credit' as const, 'debit' as const),
        fc.integer({ min: 1, max: 99_999_999 }),
        (r, dir, cents) => journalBalances(adjustmentJournal('1000000001', dir, cents, r)),
      ),
    );
  });
});
