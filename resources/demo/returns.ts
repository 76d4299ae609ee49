/**
 * Demo returned-check policy (identical text on the server and the counter): Texas-style tiers with a
 * percentage floor and a statutory cap, no fee for a bank's own error, and cash only for 12 months
 * at 2 points within 12 months (an account-closed or stop-payment return counts 2 on its own).
 */
import type { ReturnsPolicy } from '../../shared/domain/returns/rules.js';

export const RETURNS_POLICY_KEY = 'returns';

export const DEMO_RETURNS_POLICY: ReturnsPolicy = {
  jurisdiction: 'TX',
  reasons: [
    { code: 'nsf', label: 'Insufficient funds (NSF)', points: 1 },
    { code: 'account_closed', label: 'Account closed', points: 2 },
    { code: 'stop_payment', label: 'Stop payment', points: 2 },
    { code: 'stolen', label: 'Reported stolen', points: 0 },
    { code: 'bank_error', label: 'Bank error', points: 0 },
    { code: 'other', label: 'Other', points: 1 },
  ],
  feeSchedules: [
    {
      id: 'TX-2025',
      jurisdiction: 'TX',
      effectiveFrom: '2025-01-01',
      effectiveTo: '2026-01-01',
      tiers: [{ minCents: 0, maxCents: null, feeCents: 2500 }],
      percent: null,
      capCents: null,
      capPercent: null,
      noFeeReasons: ['bank_error'],
      citation: 'Tariff NSF-1 (2025): a fixed $25.00 fee.',
    },
    {
      id: 'TX-2026',
      jurisdiction: 'TX',
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
      tiers: [
        { minCents: 0, maxCents: 5000, feeCents: 2500 },
        { minCents: 5001, maxCents: 30000, feeCents: 3000 },
        { minCents: 30001, maxCents: null, feeCents: 3500 },
      ],
      percent: '5',
      capCents: 4000,
      capPercent: null,
      noFeeReasons: ['bank_error'],
      citation:
        'Tariff NSF-2 (2026): tier fee or 5% of the check, whichever is greater; state law caps it at $40.00.',
    },
  ],
  cashOnly: { pointsExpireMonths: 12, threshold: 2, cashOnlyMonths: 12 },
};

export function demoReturnsPolicyRows(): { key: string; value: string }[] {
  return [{ key: RETURNS_POLICY_KEY, value: JSON.stringify(DEMO_RETURNS_POLICY) }];
}
