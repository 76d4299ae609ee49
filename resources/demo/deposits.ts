/**
 * Demo deposit data: residential and commercial deposit policies (effective-dated, as a supervisor
 * would keep them), the yearly interest-rate table as a regulator publishes it, and the deposit record
 * behind every demo account that holds a deposit (date paid and amount, so interest can be computed),
 * plus a few deposits requested for new service and one paid in part. This is data, not rules: the
 * counter and the server read it from the replicated policy keys like any other policy.
 */
import {
  accountHistory,
  DEPOSIT_POLICIES_KEY,
  DEPOSIT_RATES_KEY,
  type BillOnRecord,
  type PaymentOnRecord,
} from '../../shared/domain/deposit-ledger.js';
import { requiredDeposit, type DepositPolicy, type InterestRateTable } from '../../shared/domain/deposits.js';
import type { DepositData } from '../../shared/sync/deposits.js';

const BASE = {
  roundTo: { unitCents: 1, mode: 'half_up' as const },
  roundingOrder: 'exact' as const,
  interest: {
    method: 'simple' as const,
    compoundOn: 'dec31' as const,
    graceDays: 30,
    dayCount: 'actual/365' as const,
  },
};

/** Residential and commercial policies since 2018; the current ones have no end date. */
export const DEMO_DEPOSIT_POLICIES: DepositPolicy[] = [
  {
    id: 'RES-2018',
    accountClass: 'residential',
    effectiveFrom: '2018-01-01',
    effectiveTo: '2023-12-31',
    basis: 'average',
    multiple: '2',
    lookbackMonths: 6,
    minimumHistoryMonths: 3,
    newServiceDefaultCents: 12_500,
    capCents: 40_000,
    ...BASE,
    installments: null,
    refund: { consecutiveMonths: 12, maxLatePayments: 2 },
  },
  {
    id: 'RES-2024',
    accountClass: 'residential',
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
    basis: 'average',
    multiple: '2',
    lookbackMonths: 12,
    minimumHistoryMonths: 3,
    newServiceDefaultCents: {
      'Internet only': 10_000,
      'Phone + internet': 15_000,
      'Phone + TV + internet': 20_000,
    },
    capCents: 50_000,
    ...BASE,
    installments: { allowed: true, downPaymentPercent: '50', count: 2, interval: 'monthly bill' },
    refund: { consecutiveMonths: 12, maxLatePayments: 2 },
  },
  {
    id: 'COM-2018',
    accountClass: 'commercial',
    effectiveFrom: '2018-01-01',
    effectiveTo: '2023-12-31',
    basis: 'average',
    multiple: '3',
    lookbackMonths: 12,
    minimumHistoryMonths: 6,
    newServiceDefaultCents: 40_000,
    capCents: 200_000,
    roundTo: { unitCents: 100, mode: 'up' },
    roundingOrder: 'exact',
    installments: null,
    interest: { method: 'compound_annual', compoundOn: 'dec31', graceDays: 30, dayCount: 'actual/365' },
    refund: { consecutiveMonths: 24, maxLatePayments: 1 },
  },
  {
    id: 'COM-2024',
    accountClass: 'commercial',
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
    basis: 'highest',
    multiple: '2.5',
    lookbackMonths: 12,
    minimumHistoryMonths: 6,
    newServiceDefaultCents: 50_000,
    capCents: 250_000,
    roundTo: { unitCents: 100, mode: 'up' },
    roundingOrder: 'exact',
    installments: null,
    interest: { method: 'compound_annual', compoundOn: 'dec31', graceDays: 30, dayCount: 'actual/365' },
    refund: { consecutiveMonths: 24, maxLatePayments: 1 },
  },
];

/** Rates as published (percent a year), used to the nearest tenth of a percent, never below 0.5 %. */
const PUBLISHED: [number, string][] = [
  [2018, '1.83'],
  [2019, '2.06'],
  [2020, '0.37'],
  [2021, '0.09'],
  [2022, '1.12'],
  [2023, '4.71'],
  [2024, '5.02'],
  [2025, '4.26'],
  [2026, '3.85'],
];

/** The rate table through the year of `today` (a later demo year carries the last published rate). */
export function demoDepositRates(today: string): InterestRateTable {
  const lastYear = Math.max(Number(today.slice(0, 4)), 2026);
  const rates = PUBLISHED.map(([year, ratePercent]) => ({ year, ratePercent }));
  for (let y = 2027; y <= lastYear; y++) rates.push({ year: y, ratePercent: '3.85' });
  return { rounding: { mode: 'tenth_percent', floorPercent: '0.5' }, rates };
}

/** The two policy rows as stored under their keys (identical text on the server and the counter). */
export function demoDepositPolicyRows(today: string): { key: string; value: string }[] {
  return [
    { key: DEPOSIT_POLICIES_KEY, value: JSON.stringify(DEMO_DEPOSIT_POLICIES) },
    { key: DEPOSIT_RATES_KEY, value: JSON.stringify(demoDepositRates(today)) },
  ];
}

/** The demo policy of a class on a date (the demo list is known to be valid: no need to check it again per account). */
function demoPolicyOn(accountClass: 'residential' | 'commercial', date: string): DepositPolicy {
  const found = DEMO_DEPOSIT_POLICIES.find(
    (p) =>
      p.accountClass === accountClass &&
      p.effectiveFrom <= date &&
      (p.effectiveTo === null || date <= p.effectiveTo),
  );
  if (!found) throw new Error(`no demo ${accountClass} deposit policy on ${date}`);
  return found;
}

function isoAddDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export type DemoDepositKind = 'held' | 'requested' | 'partial' | 'none';

/**
 * The deposit record of one demo account. `held`: paid in full `daysAgo` days before today (principal =
 * the amount held; no interest credited yet, so the supervisor's first interest batch has work);
 * `requested`: required for new service (calculated by the policy from the account's bills), not paid;
 * `partial`: requested 40 days ago under the installment plan, the down payment paid.
 */
export function demoDeposit(args: {
  accountNumber: string;
  accountClass: 'residential' | 'commercial';
  kind: DemoDepositKind;
  heldCents: number;
  daysAgo: number;
  today: string;
  bills: BillOnRecord[];
  payments: PaymentOnRecord[];
}): DepositData | null {
  const { accountNumber, today } = args;
  const id = `DEP${accountNumber}`;
  if (args.kind === 'none') return null;
  if (args.kind === 'held') {
    const date = isoAddDays(today, -args.daysAgo);
    const policy = demoPolicyOn(args.accountClass, date);
    return {
      id,
      accountNumber,
      policyId: policy.id,
      requiredCents: args.heldCents,
      schedule: [{ dueWith: 'now', amountCents: args.heldCents }],
      requestedOn: date,
      movements: [
        {
          id: `${id}-M1`,
          date,
          kind: 'payment',
          amountCents: args.heldCents,
          interestOutCents: 0,
          transactionId: null,
        },
      ],
      credits: [],
    };
  }
  const requestedOn = args.kind === 'partial' ? isoAddDays(today, -40) : isoAddDays(today, -3);
  const policy = demoPolicyOn(args.accountClass, requestedOn);
  const history = accountHistory(args.bills, args.payments, requestedOn);
  const required = requiredDeposit(policy, history.billed, {
    asOf: requestedOn,
    installments: Boolean(policy.installments?.allowed),
    bundle: 'Phone + internet',
  });
  const down = required.installments[0]?.amountCents ?? required.amountCents;
  return {
    id,
    accountNumber,
    policyId: policy.id,
    requiredCents: required.amountCents,
    schedule: required.installments.map((i) => ({ dueWith: i.dueWith, amountCents: i.amountCents })),
    requestedOn,
    movements:
      args.kind === 'partial' && down > 0
        ? [
            {
              id: `${id}-M1`,
              date: requestedOn,
              kind: 'payment',
              amountCents: down,
              interestOutCents: 0,
              transactionId: null,
            },
          ]
        : [],
    credits: [],
  };
}
