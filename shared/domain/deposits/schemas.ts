/**
 * Deposit policies, interest rate tables and the records the rules read (billed months, deposit
 * movements, payment history), as zod schemas with the sentences a supervisor or CSR sees.
 */
import { z } from 'zod';

import { AmountCents, DecimalText, isIsoDate, isIsoMonth, WholeNumber } from './internal.js';

export const IsoDateSchema = z.string().refine(isIsoDate, 'Use a real calendar date written YYYY-MM-DD.');
export const IsoMonthSchema = z.string().refine(isIsoMonth, 'Use a month written YYYY-MM.');

export const AccountClassSchema = z.enum(['residential', 'commercial']);
export type DepositAccountClass = z.infer<typeof AccountClassSchema>;

export const InstallmentPlanSchema = z.object({
  allowed: z.boolean(),
  /** Share of the deposit collected now, in percent ("50"). */
  downPaymentPercent: DecimalText('The down payment percent', { max: 100 }),
  /** Number of monthly bills the rest is spread over (after the down payment). */
  count: WholeNumber('The number of installments', 1),
  interval: z.literal('monthly bill'),
});
export type InstallmentPlan = z.infer<typeof InstallmentPlanSchema>;

export const DAY_COUNTS = ['actual/365', 'actual/actual'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

/**
 * exact: the multiple is taken of the exact average and the result rounded once (the average shown
 * in the working is only for reading). average_first: the average is rounded to the cent, then
 * multiplied — what some tariffs print, and able to land a cent or two above multiple × average.
 */
export const ROUNDING_ORDERS = ['exact', 'average_first'] as const;
export type RoundingOrder = (typeof ROUNDING_ORDERS)[number];

export const InterestRuleSchema = z.object({
  method: z.enum(['simple', 'compound_annual']),
  /** When compound_annual adds the interest to the principal: each Dec 31, or each deposit anniversary. */
  compoundOn: z.enum(['anniversary', 'dec31']),
  /** No interest at all when the deposit is refunded (or applied) within this many days of payment. */
  graceDays: WholeNumber('The grace period', 0).max(364, 'The grace period must be shorter than a year.'),
  /**
   * actual/365: each day held earns rate ÷ 365, in leap years too (a full leap year earns 366/365 of
   * the rate). actual/actual: each day earns rate ÷ the length of its calendar year (ISDA), so a full
   * year earns exactly the yearly rate.
   */
  dayCount: z.enum(DAY_COUNTS, {
    error: `The day count must be one of: ${DAY_COUNTS.join(', ')}.`,
  }),
});
export type InterestRule = z.infer<typeof InterestRuleSchema>;

export const DepositPolicySchema = z
  .object({
    id: z.string().min(1, 'A policy needs an id.'),
    accountClass: AccountClassSchema,
    effectiveFrom: IsoDateSchema,
    /** Last day in force (inclusive); null = until replaced. */
    effectiveTo: IsoDateSchema.nullable(),
    basis: z.enum(['average', 'highest']),
    multiple: DecimalText('The multiple', { fraction: true, positive: true }),
    lookbackMonths: WholeNumber('The look-back window', 1),
    /** Fewer billed months than this in the window: the new-service default applies. */
    minimumHistoryMonths: WholeNumber('The minimum history', 0),
    /** One amount, or an amount per service bundle, for new service or too little history. */
    newServiceDefaultCents: z.union([AmountCents, z.record(z.string().min(1), AmountCents)], {
      error:
        'The new-service deposit must be an amount in whole cents, not negative, or one such amount per bundle.',
    }),
    capCents: AmountCents.nullable(),
    roundTo: z.object({
      /** 1 = to the cent, 100 = whole dollars, 500 = $5 steps. */
      unitCents: WholeNumber('The rounding unit', 1),
      mode: z.enum(['half_up', 'up', 'down']),
    }),
    /** Policies saved before the order was a choice read as exact. */
    roundingOrder: z
      .enum(ROUNDING_ORDERS, { error: `The rounding order must be one of: ${ROUNDING_ORDERS.join(', ')}.` })
      .default('exact'),
    installments: InstallmentPlanSchema.nullable(),
    interest: InterestRuleSchema,
    refund: z.object({
      consecutiveMonths: WholeNumber('The months of on-time payment', 1),
      maxLatePayments: WholeNumber('The late payments allowed', 0),
    }),
  })
  .superRefine((p, ctx) => {
    if (p.effectiveTo !== null && p.effectiveTo < p.effectiveFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `Policy ${p.id} ends (${p.effectiveTo}) before it starts (${p.effectiveFrom}).`,
      });
    if (p.minimumHistoryMonths > p.lookbackMonths)
      ctx.addIssue({
        code: 'custom',
        path: ['minimumHistoryMonths'],
        message: `Policy ${p.id} needs ${String(p.minimumHistoryMonths)} months of history but looks back only ${String(p.lookbackMonths)}.`,
      });
  });
export type DepositPolicy = z.infer<typeof DepositPolicySchema>;

export const RateRoundingSchema = z.object({
  /** How the published rate is rounded before use: nearest whole or tenth of a percent, half-up. */
  mode: z.enum(['none', 'whole_percent', 'tenth_percent']),
  /** The applied rate is never below this (percent), when set. */
  floorPercent: DecimalText('The floor rate').nullable(),
});
export const YearRateSchema = z.object({
  year: z.number().int('A year is a whole number.').min(1900).max(9999),
  /** The rate exactly as published for that calendar year, in percent ("3.25"). */
  ratePercent: DecimalText('The interest rate'),
});
export const InterestRateTableSchema = z.object({
  rounding: RateRoundingSchema,
  rates: z.array(YearRateSchema),
});
export type InterestRateTable = z.infer<typeof InterestRateTableSchema>;

export const BilledMonthSchema = z.object({ month: IsoMonthSchema, billedCents: z.number() });
export type BilledMonth = z.infer<typeof BilledMonthSchema>;

export const DepositMovementSchema = z.object({
  date: IsoDateSchema,
  /** payment adds to the principal held; refund and applied (to a final bill) take it out. */
  kind: z.enum(['payment', 'refund', 'applied']),
  amountCents: AmountCents.positive('A deposit movement must be more than zero.'),
});
export type DepositMovement = z.infer<typeof DepositMovementSchema>;
export const DepositRecordSchema = z.object({
  movements: z.array(DepositMovementSchema).min(1, 'The deposit has no payment.'),
});
export type DepositRecord = z.infer<typeof DepositRecordSchema>;

export const PaymentRecordSchema = z.object({ month: IsoMonthSchema, late: z.boolean() });
export type PaymentRecord = z.infer<typeof PaymentRecordSchema>;

export const CreditedPeriodSchema = z.object({ creditDate: IsoDateSchema });
