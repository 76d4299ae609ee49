/**
 * Bill adjustments: a credit or debit to an account's receivable, with a reason code from policy data.
 *
 * - Every reason names the ledger account the other side of the journal posts to (an outage credit is
 *   an expense of the network, a billing error corrects revenue), the directions it allows, and the
 *   approval limit of each role. At or under the cashier's own limit the adjustment posts; over it a
 *   supervisor approves up to the supervisor's limit; over that nobody at the counter may post it.
 * - An outage credit is the daily rate of the affected service times the days out of service, computed
 *   exactly (integer cents × days ÷ day basis) and rounded once, by the policy's rounding.
 */
import { z } from 'zod';

import { formatCents, type Cents } from '../money.js';
import { daysInMonth } from './dates.js';
import { isIsoMonth, roundDiv, type RoundMode } from './deposits/internal.js';
import type { JournalLine } from './tenders.js';

export const AdjustmentDirection = z.enum(['credit', 'debit']);
export type AdjustmentDirection = z.infer<typeof AdjustmentDirection>;

const LimitCents = z.number().int().min(0);

export const AdjustmentReasonSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/),
  label: z.string().min(1).max(60),
  /** The other side of the journal: `adjustments:<something>` or a revenue account. */
  ledgerAccount: z.string().regex(/^[a-z_]+(:[a-z0-9_]+)?$/),
  directions: z.array(AdjustmentDirection).min(1),
  /** The most each role may post without another's approval, in cents. */
  limits: z.object({ csr: LimitCents, supervisor: LimitCents }),
  /** The amount is computed as an outage credit (days out × daily rate). */
  outage: z.boolean().default(false),
});
export type AdjustmentReason = z.infer<typeof AdjustmentReasonSchema>;

/**
 * How a day of service is valued: the month's own length (a day of February is worth more than a day of
 * March), a 30-day month, or a year of 365 days (monthly × 12 ÷ 365).
 */
export const OutageDayBasis = z.enum(['days_in_month', 'thirty', 'actual_365']);
export type OutageDayBasis = z.infer<typeof OutageDayBasis>;

export const AdjustmentPolicySchema = z.object({
  reasons: z.array(AdjustmentReasonSchema).min(1),
  outage: z.object({
    dayBasis: OutageDayBasis,
    rounding: z.enum(['half_up', 'down', 'up']),
  }),
});
export type AdjustmentPolicy = z.infer<typeof AdjustmentPolicySchema>;

export type Role = 'csr' | 'supervisor' | 'admin';

/** What a role may do with an amount under a reason. */
export type LimitDecision =
  | { kind: 'within'; limitCents: Cents; working: string }
  | { kind: 'needs_supervisor'; limitCents: Cents; supervisorLimitCents: Cents; working: string }
  | { kind: 'refused'; message: string; working: string };

const money = (c: Cents): string => formatCents(c, { symbol: true });

/**
 * The approval a posting needs. An admin sets up devices and never adjusts money: a limit of zero.
 * `approverRole` is the role of the person approving (a supervisor), checked against their own limit.
 */
export function adjustmentLimit(reason: AdjustmentReason, role: Role, amountCents: Cents): LimitDecision {
  const own = role === 'admin' ? 0 : reason.limits[role];
  const sup = reason.limits.supervisor;
  if (amountCents <= own)
    return {
      kind: 'within',
      limitCents: own,
      working: `${money(amountCents)} is within the ${role.toUpperCase()} limit of ${money(own)} for ${reason.label}.`,
    };
  if (role !== 'supervisor' && amountCents <= sup)
    return {
      kind: 'needs_supervisor',
      limitCents: own,
      supervisorLimitCents: sup,
      working: `${money(amountCents)} is over the ${role.toUpperCase()} limit of ${money(own)} for ${reason.label}: a supervisor approves (their limit ${money(sup)}).`,
    };
  return {
    kind: 'refused',
    message: `${money(amountCents)} is over the supervisor limit of ${money(sup)} for ${reason.label}: it cannot be posted at the counter. Refer it to billing.`,
    working: `${money(amountCents)} > supervisor limit ${money(sup)}.`,
  };
}

/** Days in a month given as 'YYYY-MM'. */
export function daysInMonthOf(month: string): number {
  return daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
}

export type OutageInput = {
  /** The affected service's monthly rate (a line of the bill). */
  monthlyRateCents: Cents;
  /** Whole days out of service. */
  daysOut: number;
  /** The month the outage fell in ('YYYY-MM'): its length is the day basis under `days_in_month`. */
  month: string;
};

export type OutageCredit = { cents: Cents; working: string };

/**
 * The outage credit: monthly rate × days ÷ days of the basis, exact, rounded once. Never more than a
 * month's rate (30 days out under a 30-day basis in a 31-day month is the whole month, not more).
 */
export function outageCredit(input: OutageInput, policy: AdjustmentPolicy['outage']): OutageCredit {
  const { monthlyRateCents: rate, daysOut, month } = input;
  if (!Number.isSafeInteger(rate) || rate <= 0)
    throw new RangeError('The monthly rate must be more than zero.');
  if (!isIsoMonth(month)) throw new RangeError(`"${month}" is not a month (YYYY-MM).`);
  const dim = daysInMonthOf(month);
  if (!Number.isInteger(daysOut) || daysOut < 1 || daysOut > dim)
    throw new RangeError(`Days out of service must be a whole number from 1 to ${String(dim)} for ${month}.`);
  let n: bigint;
  let d: bigint;
  let how: string;
  switch (policy.dayBasis) {
    case 'days_in_month':
      n = BigInt(rate) * BigInt(daysOut);
      d = BigInt(dim);
      how = `${money(rate)} × ${String(daysOut)} days ÷ ${String(dim)} days in ${month}`;
      break;
    case 'thirty':
      n = BigInt(rate) * BigInt(daysOut);
      d = 30n;
      how = `${money(rate)} × ${String(daysOut)} days ÷ 30`;
      break;
    case 'actual_365':
      n = BigInt(rate) * 12n * BigInt(daysOut);
      d = 365n;
      how = `${money(rate)} × 12 × ${String(daysOut)} days ÷ 365`;
      break;
  }
  const exact = roundDiv(n, d, policy.rounding as RoundMode);
  const cents = Math.min(Number(exact), rate);
  const capped = cents < Number(exact) ? ` (capped at the month's rate)` : '';
  const rounding = { half_up: 'rounded to the nearest cent', down: 'rounded down', up: 'rounded up' }[
    policy.rounding
  ];
  return { cents, working: `${how} = ${money(cents)} (${rounding}, once)${capped}` };
}

/**
 * The balanced journal of an adjustment. A credit lowers what the customer owes (a negative line on
 * `ar:<account>`, as a payment is) against the reason's account; a debit raises it.
 */
export function adjustmentJournal(
  accountNumber: string,
  direction: AdjustmentDirection,
  amountCents: Cents,
  reason: Pick<AdjustmentReason, 'ledgerAccount' | 'label'>,
): JournalLine[] {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0)
    throw new RangeError('An adjustment is a positive number of cents.');
  const ar = direction === 'credit' ? -amountCents : amountCents;
  return [
    { ledgerAccount: `ar:${accountNumber}`, cents: ar, memo: `${direction} adjustment: ${reason.label}` },
    { ledgerAccount: reason.ledgerAccount, cents: -ar, memo: `${direction} adjustment: ${reason.label}` },
  ];
}

/** Signed effect on the receivable: credits negative, debits positive (as the journal's AR line). */
export function signedAdjustment(direction: AdjustmentDirection, amountCents: Cents): Cents {
  return direction === 'credit' ? -amountCents : amountCents;
}

/** Demo policy (demo data and a fresh counter before its first pull); real ones come from the server. */
export const DEMO_ADJUSTMENT_POLICY: AdjustmentPolicy = {
  reasons: [
    {
      code: 'outage_credit',
      label: 'Service outage credit',
      ledgerAccount: 'adjustments:outage',
      directions: ['credit'],
      limits: { csr: 2500, supervisor: 20000 },
      outage: true,
    },
    {
      code: 'billing_error',
      label: 'Billing error',
      ledgerAccount: 'revenue_adjustments:billing_error',
      directions: ['credit', 'debit'],
      limits: { csr: 5000, supervisor: 50000 },
      outage: false,
    },
    {
      code: 'courtesy_credit',
      label: 'Courtesy credit',
      ledgerAccount: 'adjustments:courtesy',
      directions: ['credit'],
      limits: { csr: 1000, supervisor: 10000 },
      outage: false,
    },
    {
      code: 'fee_waiver',
      label: 'Fee waiver',
      ledgerAccount: 'adjustments:fee_waiver',
      directions: ['credit'],
      limits: { csr: 0, supervisor: 10000 },
      outage: false,
    },
    {
      code: 'goodwill',
      label: 'Goodwill',
      ledgerAccount: 'adjustments:goodwill',
      directions: ['credit'],
      limits: { csr: 500, supervisor: 5000 },
      outage: false,
    },
  ],
  outage: { dayBasis: 'days_in_month', rounding: 'half_up' },
};
