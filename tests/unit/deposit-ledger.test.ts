/**
 * Deposits on the books (shared/domain/deposit-ledger.ts): bills and payments into the billing history
 * and on-time record, a deposit's status and installments outstanding, the balanced journal of each
 * deposit transaction, and the check of policies + rate table before a save. Worked by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { counterError } from '../support/errors.js';
import {
  accountHistory,
  depositBalances,
  depositCollectJournal,
  depositInterestJournal,
  depositPayoutJournal,
  depositsHeldDelta,
  depositStatus,
  installmentsOutstanding,
  serviceMonthOf,
  validateDepositSettings,
  type DepositOnRecord,
} from '../../shared/domain/deposit-ledger.js';
import { journalBalances, settleTenders } from '../../shared/domain/tenders.js';
import { COMMERCIAL, RATES, RESIDENTIAL, RESIDENTIAL_2020 } from '../fixtures/deposit-policies.js';

describe('billing history from bills and payments', () => {
  it('a bill is for the month before its bill date', () => {
    expect(serviceMonthOf('2026-03-15')).toBe('2026-02');
    expect(serviceMonthOf('2026-01-01')).toBe('2025-12');
    expect(serviceMonthOf('2024-12-31')).toBe('2024-11');
  });

  it('adds up bills of one month, and a bill is late when the payments by its due date do not cover every bill so far', () => {
    const bills = [
      { billDate: '2026-01-15', dueDate: '2026-02-04', totalCents: 7_345 },
      { billDate: '2026-02-15', dueDate: '2026-03-07', totalCents: 7_345 },
      { billDate: '2026-02-20', dueDate: '2026-03-12', totalCents: 1_000 }, // a second bill for 2026-01
      { billDate: '2026-03-15', dueDate: '2026-04-04', totalCents: 7_345 },
      { billDate: '2026-04-15', dueDate: '2026-05-05', totalCents: 7_345 }, // due after asOf: not late yet
      { billDate: '2026-05-15', dueDate: '2026-06-04', totalCents: 7_345 }, // after asOf: not on record
    ];
    const payments = [
      { paidOn: '2026-01-10', amountCents: 9_999 }, // before the first bill on record: an older bill's
      { paidOn: '2026-01-25', amountCents: 7_345 }, // bill 1 on time
      { paidOn: '2026-03-10', amountCents: 7_345 }, // after bill 2's due date (03-07): bill 2 late
      { paidOn: '2026-03-30', amountCents: 8_345 }, // by 04-04: 7,345 + 7,345 + 8,345 = 23,035 = bills 1-4 (7,345 × 3 + 1,000): on time
    ];
    const h = accountHistory(bills, payments, '2026-04-20');
    expect(h.billed).toEqual([
      { month: '2025-12', billedCents: 7_345 },
      { month: '2026-01', billedCents: 8_345 },
      { month: '2026-02', billedCents: 7_345 },
      { month: '2026-03', billedCents: 7_345 },
    ]);
    expect(h.payments).toEqual([
      { month: '2025-12', late: false },
      { month: '2026-01', late: true },
      { month: '2026-02', late: false },
      { month: '2026-03', late: false },
    ]);
  });

  it('keeps a negative (credit) bill as it is, so the deposit rules can refuse it', () => {
    const h = accountHistory(
      [{ billDate: '2026-02-15', dueDate: '2026-03-07', totalCents: -500 }],
      [],
      '2026-03-20',
    );
    expect(h.billed).toEqual([{ month: '2026-01', billedCents: -500 }]);
  });
});

const dep = (
  required: number,
  moves: [string, 'payment' | 'refund' | 'applied', number, number?][],
  credits: [string, 'anniversary' | 'closing', number][] = [],
): DepositOnRecord => ({
  requiredCents: required,
  movements: moves.map(([date, kind, amountCents, interestOutCents = 0]) => ({
    date,
    kind,
    amountCents,
    interestOutCents,
  })),
  credits: credits.map(([creditDate, kind, amountCents]) => ({ creditDate, kind, amountCents })),
});

/** A deposit paid, credited interest on its anniversary, then refunded with all its interest. */
const REFUNDED = dep(
  10_000,
  [
    ['2024-01-02', 'payment', 10_000],
    ['2025-06-01', 'refund', 10_000, 600],
  ],
  [
    ['2025-01-02', 'anniversary', 412],
    ['2025-06-01', 'closing', 188],
  ],
);

describe('a deposit’s status and balances', () => {
  it.each([
    [dep(10_000, []), 'requested'],
    [dep(10_000, [['2026-01-02', 'payment', 5_000]]), 'partially_paid'],
    [dep(10_000, [['2026-01-02', 'payment', 10_000]]), 'paid'],
    [dep(10_000, [['2024-01-02', 'payment', 10_000]], [['2025-01-02', 'anniversary', 412]]), 'credited'],
    [REFUNDED, 'refunded'],
    [
      dep(10_000, [
        ['2024-01-02', 'payment', 10_000],
        ['2025-06-01', 'applied', 10_000],
      ]),
      'applied',
    ],
    [
      dep(10_000, [
        ['2024-01-02', 'payment', 10_000],
        ['2025-06-01', 'refund', 4_000],
      ]),
      'paid',
    ],
  ] as const)('%# → %s', (d, status) => {
    expect(depositStatus(d)).toBe(status);
  });

  it('holds principal + interest credited, less what was paid out', () => {
    // Paid 100.00, credited 4.12 on the anniversary; refunded 100.00 principal with 6.00 interest (4.12 + 1.88 closing).
    expect(depositBalances(REFUNDED)).toEqual({
      paidCents: 10_000,
      principalHeldCents: 0,
      creditedCents: 600,
      heldCents: 0,
    });
  });

  it('installments outstanding take what was paid off the earliest parts', () => {
    const plan = [
      { dueWith: 'now' as const, amountCents: 8_342 },
      { dueWith: 'bill 1' as const, amountCents: 4_171 },
      { dueWith: 'bill 2' as const, amountCents: 4_171 },
    ];
    expect(installmentsOutstanding(plan, 0)).toEqual(plan);
    expect(installmentsOutstanding(plan, 8_342)).toEqual(plan.slice(1));
    expect(installmentsOutstanding(plan, 10_000)).toEqual([
      { dueWith: 'bill 1', amountCents: 2_513 },
      { dueWith: 'bill 2', amountCents: 4_171 },
    ]);
    expect(installmentsOutstanding(plan, 16_684)).toEqual([]);
  });

  it('property: outstanding + paid = the schedule total, whatever was paid', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 500_000 }),
        (parts, paid) => {
          const schedule = parts.map((amountCents, i) => ({
            dueWith: i === 0 ? ('now' as const) : (`bill ${i}` as const),
            amountCents,
          }));
          const total = parts.reduce((a, b) => a + b, 0);
          const rest = installmentsOutstanding(schedule, paid).reduce((a, p) => a + p.amountCents, 0);
          expect(rest).toBe(Math.max(0, total - paid));
        },
      ),
    );
  });
});

describe('deposit journals balance and say where the money went', () => {
  it('collect: tender debits, deposits held credited; a confirmed card over-tender is account credit', () => {
    const s = settleTenders(8_342, [{ type: 'cash', amountCents: 10_000 }], { cashOnly: false });
    expect(depositCollectJournal('1000042517', 8_342, s)).toEqual([
      { ledgerAccount: 'drawer:cash', cents: 8_342, memo: 'deposit received' },
      { ledgerAccount: 'deposits_held:1000042517', cents: -8_342, memo: 'security deposit' },
    ]);
    const card = settleTenders(
      8_342,
      [{ type: 'card', amountCents: 9_000, brand: 'Visa', last4: '4242', authCode: 'A1' }],
      {
        cashOnly: false,
        confirmOvertenderCredit: true,
      },
    );
    const j = depositCollectJournal('1000042517', 8_342, card);
    expect(j).toEqual([
      { ledgerAccount: 'card_clearing', cents: 9_000, memo: 'deposit received' },
      { ledgerAccount: 'deposits_held:1000042517', cents: -8_342, memo: 'security deposit' },
      { ledgerAccount: 'ar:1000042517', cents: -658, memo: 'over-tender credit' },
    ]);
    expect(journalBalances(j)).toBe(true);
    expect(depositsHeldDelta('1000042517', j)).toBe(8_342);
  });

  it('interest: expense debited, deposits held credited; nothing for $0.00', () => {
    expect(depositInterestJournal('1000042517', 214, 'x')).toEqual([
      { ledgerAccount: 'deposit_interest_expense', cents: 214, memo: 'x' },
      { ledgerAccount: 'deposits_held:1000042517', cents: -214, memo: 'x' },
    ]);
    expect(depositInterestJournal('1000042517', 0, 'x')).toEqual([]);
  });

  it.each([
    ['cash', 'drawer:cash'],
    ['check_request', 'refunds_payable'],
    ['account_credit', 'ar:1000042517'],
  ] as const)('refund by %s credits %s', (method, account) => {
    const j = depositPayoutJournal('1000042517', {
      interestCents: 406,
      paidOutCents: 17_483,
      appliedToBillCents: 0,
      refundCents: 17_483,
      method,
    });
    expect(j.map((l) => [l.ledgerAccount, l.cents])).toEqual([
      ['deposit_interest_expense', 406],
      ['deposits_held:1000042517', -406],
      ['deposits_held:1000042517', 17_483],
      [account, -17_483],
    ]);
    expect(journalBalances(j)).toBe(true);
  });

  it('final bill: applied to the receivable, the rest refunded; refuses parts that do not add up', () => {
    const j = depositPayoutJournal('1000042517', {
      interestCents: 0,
      paidOutCents: 21_946,
      appliedToBillCents: 15_000,
      refundCents: 6_946,
      method: 'check_request',
    });
    expect(j.map((l) => [l.ledgerAccount, l.cents])).toEqual([
      ['deposits_held:1000042517', 21_946],
      ['ar:1000042517', -15_000],
      ['refunds_payable', -6_946],
    ]);
    expect(() =>
      depositPayoutJournal('1000042517', {
        interestCents: 0,
        paidOutCents: 100,
        appliedToBillCents: 50,
        refundCents: 49,
        method: 'cash',
      }),
    ).toThrow(/invariant/);
  });
});

describe('saving policies and rates', () => {
  const settings = { policies: [RESIDENTIAL_2020, RESIDENTIAL, COMMERCIAL], rates: RATES };

  it('accepts a complete set', () => {
    expect(validateDepositSettings(settings, '2026-06-01').policies.map((p) => p.id)).toEqual([
      'RES-2020',
      'RES-2024',
      'COM-2024',
    ]);
  });

  it('refuses a class with no policy in force today, a gap, and a year without a rate', () => {
    expect(
      counterError(() =>
        validateDepositSettings({ ...settings, policies: [RESIDENTIAL_2020, RESIDENTIAL] }, '2026-06-01'),
      ).message,
    ).toBe('No commercial deposit policy is in force today (2026-06-01): every account class needs one.');
    expect(
      counterError(() =>
        validateDepositSettings(
          {
            ...settings,
            policies: [RESIDENTIAL_2020, { ...RESIDENTIAL, effectiveFrom: '2024-01-02' }, COMMERCIAL],
          },
          '2026-06-01',
        ),
      ).message,
    ).toMatch(/^Gap in the residential deposit policies: none is in force from 2024-01-01 to 2024-01-01/);
    // The first policy starts in 2020: every year 2020 … 2027 needs a rate, and RATES ends in 2026.
    expect(counterError(() => validateDepositSettings(settings, '2027-02-01')).message).toBe(
      'No interest rate for 2027 in the rate table: enter the rate published for 2027.',
    );
    expect(
      counterError(() =>
        validateDepositSettings({ ...settings, rates: { ...RATES, rates: [] } }, '2026-06-01'),
      ).field,
    ).toBe('rates');
  });
});
