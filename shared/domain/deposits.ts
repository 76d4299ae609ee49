/**
 * Security deposits (DESIGN.md §6): the required amount and its installments, interest, anniversary
 * credits, refund eligibility and application to a final bill, as pure functions over policy data.
 *
 * Nothing here knows a state's rule. Every multiple, window, cap, default, grace period, rate and
 * rounding rule comes from a `DepositPolicy` (per account class, effective-dated) or an
 * `InterestRateTable` (one published rate per calendar year) that a supervisor maintains.
 *
 * Conventions, fixed here so that every figure can be checked by hand:
 * - Money is an integer number of cents. Multiples and percents are exact decimals written as text
 *   ("2", "2.5", "3.25"; a multiple may also be a fraction such as "5/2") and are held as a BigInt
 *   numerator and denominator: no binary float ever touches an amount.
 * - Rounding to the cent is **half-up** (amounts here are never negative, so this is also half away
 *   from zero) and happens once per figure: the required amount (multiple × the exact average, unless
 *   the policy's `roundingOrder` is 'average_first'), the down payment (rounded up: the odd cent is
 *   collected now), and each interest row.
 * - Dates are ISO `YYYY-MM-DD`, months `YYYY-MM`. A policy's `effectiveTo` is the last day it is in
 *   force (inclusive); the next policy of the class must start the day after.
 * - Interest counts the days the money is held: the deposit day counts, the refund (or as-of) day does
 *   not. A deposit paid 2025-01-01 and refunded 2025-01-30 was held 29 days.
 * - Day count, per policy: `actual/365`: one day earns principal × rate ÷ 365, in leap years too, so a
 *   whole leap year held earns 366/365 of the year's rate; `actual/actual` (ISDA): a day earns
 *   principal × rate ÷ the length of its calendar year (365 or 366), so a whole year earns exactly
 *   the year's rate.
 */
export {
  IsoDateSchema,
  IsoMonthSchema,
  AccountClassSchema,
  InstallmentPlanSchema,
  InterestRuleSchema,
  DepositPolicySchema,
  RateRoundingSchema,
  YearRateSchema,
  InterestRateTableSchema,
  BilledMonthSchema,
  DepositMovementSchema,
  DepositRecordSchema,
  PaymentRecordSchema,
  CreditedPeriodSchema,
  DAY_COUNTS,
  ROUNDING_ORDERS,
} from './deposits/schemas.js';
export type {
  DepositAccountClass,
  InstallmentPlan,
  InterestRule,
  DepositPolicy,
  InterestRateTable,
  BilledMonth,
  DepositMovement,
  DepositRecord,
  PaymentRecord,
  DayCount,
  RoundingOrder,
} from './deposits/schemas.js';
export { validatePolicies, policyInForce, validateRateTable, ratePercentFor } from './deposits/policies.js';
export type { AppliedRate } from './deposits/policies.js';
export { splitInstallments, requiredDeposit } from './deposits/required.js';
export type { DueWith, Installment, RequiredDepositOptions, RequiredDeposit } from './deposits/required.js';
export { depositHeld } from './deposits/movements.js';
export { accruedInterest, interestCreditsDue } from './deposits/interest.js';
export type { InterestSegment, InterestYear, AccruedInterest, InterestCredit } from './deposits/interest.js';
export { refundEligibility } from './deposits/refund.js';
export type { RefundEligibility } from './deposits/refund.js';
export { finalBillApplication } from './deposits/final-bill.js';
export type { FinalBillApplication } from './deposits/final-bill.js';
