/**
 * Security deposits (issue 6): an account's deposits with interest to today and refund eligibility,
 * the required-amount calculation with its working, collecting (full or an installment, through the
 * payment screen's tenders), refunds, application to a final bill, the supervisor's yearly interest
 * batch, the deposit fund report, and the policies and rate table.
 */
import { z } from 'zod';

import { DepositStatusSchema, RefundMethodSchema } from '../../domain/deposit-ledger.js';
import { DepositPolicySchema, InterestRateTableSchema } from '../../domain/deposits.js';
import type { ChannelGroup } from '../channel.js';
import {
  AccountDetailSchema,
  AccountNumberSchema,
  CentsSchema,
  IsoDate,
  PaymentSummarySchema,
  PositiveCentsSchema,
  ReceiptSchema,
  SafeText,
  TenderSchema,
} from '../schemas.js';
import { ApprovalSchema } from './till.js';

const Cents0 = CentsSchema.min(0);

/** Same shape as payments.post's reply, so the payment screen treats a deposit like any payment. */
const PostPaymentOutputSchema = z.object({
  payment: PaymentSummarySchema,
  receipt: ReceiptSchema,
  account: AccountDetailSchema,
  drawerOpened: z.boolean(),
});
const Reason = SafeText(200).pipe(z.string().trim().min(3, 'Give a reason (a few words).'));
const AsOf = IsoDate.optional();

export const InstallmentSchema = z.object({ dueWith: z.string(), amountCents: Cents0 });

export const InterestYearSchema = z.object({
  year: z.number().int(),
  from: IsoDate,
  to: IsoDate,
  days: z.number().int(),
  ratePercentPublished: z.string(),
  rateApplied: z.string(),
  /** Balance at the start of the row, and at its end (they differ when money moved mid-year). */
  principalCents: Cents0,
  lastPrincipalCents: Cents0,
  interestCents: Cents0,
  compounded: z.boolean(),
});

export const DepositViewSchema = z.object({
  id: z.string(),
  policyId: z.string(),
  status: DepositStatusSchema,
  statusWords: z.string(),
  requiredCents: Cents0,
  requestedOn: IsoDate,
  /** First payment; null while only requested. */
  datePaid: IsoDate.nullable(),
  paidCents: Cents0,
  principalHeldCents: Cents0,
  /** What the fund owes on it now: principal held + interest credited (not yet paid out). */
  heldCents: Cents0,
  schedule: z.array(InstallmentSchema),
  outstanding: z.array(InstallmentSchema),
  movements: z.array(
    z.object({
      date: IsoDate,
      kind: z.enum(['payment', 'refund', 'applied']),
      amountCents: Cents0,
      interestOutCents: Cents0,
    }),
  ),
  /** Interest accrued to asOf (null while nothing was paid). */
  interest: z
    .object({
      asOf: IsoDate,
      method: z.enum(['simple', 'compound_annual']),
      totalCents: Cents0,
      years: z.array(InterestYearSchema),
      graceApplied: z.boolean(),
      graceEndsOn: IsoDate,
      graceDays: z.number().int(),
    })
    .nullable(),
  creditedCents: Cents0,
  credits: z.array(
    z.object({ creditDate: IsoDate, kind: z.enum(['anniversary', 'closing']), amountCents: Cents0 }),
  ),
  /** Accrued to asOf and not credited yet (what a refund today would credit first). */
  uncreditedCents: Cents0,
  /** Anniversary credits reached and not yet made by the batch. */
  creditsDue: z.array(z.object({ creditDate: IsoDate, amountCents: Cents0 })),
  refund: z.object({
    eligible: z.boolean(),
    reason: z.string(),
    nextPossibleDate: IsoDate.nullable(),
    /** Principal + interest a full refund would pay today. */
    availableCents: Cents0,
  }),
  terms: z.array(z.string()),
});
export type DepositView = z.infer<typeof DepositViewSchema>;

export const DepositAccountSchema = z.object({
  accountNumber: AccountNumberSchema,
  accountName: z.string(),
  accountClass: z.enum(['residential', 'commercial']),
  accountStatus: z.string(),
  balanceCents: CentsSchema,
  /** deposits_held on the account: the replica plus what this counter posted and the server has not confirmed. */
  heldCents: CentsSchema,
  asOf: IsoDate,
  deposits: z.array(DepositViewSchema),
  /** The deposit collections and refunds act on: requested, partially paid, paid or credited. */
  openDepositId: z.string().nullable(),
});
export type DepositAccount = z.infer<typeof DepositAccountSchema>;

export const PolicySummarySchema = z.object({
  id: z.string(),
  accountClass: z.enum(['residential', 'commercial']),
  effectiveFrom: IsoDate,
  effectiveTo: IsoDate.nullable(),
  words: z.array(z.string()),
  installmentsAllowed: z.boolean(),
  bundles: z.array(z.string()),
});

export const CalculationSchema = z.object({
  accountNumber: AccountNumberSchema,
  asOf: IsoDate,
  policy: PolicySummarySchema,
  amountCents: Cents0,
  working: z.object({
    windowFrom: z.string(),
    windowTo: z.string(),
    monthsUsed: z.array(z.object({ month: z.string(), billedCents: CentsSchema })),
    basis: z.enum(['average', 'highest']),
    totalCents: CentsSchema,
    averageOrHighestCents: CentsSchema.nullable(),
    multiple: z.string(),
    beforeCapCents: Cents0,
    capCents: Cents0.nullable(),
    capped: z.boolean(),
    usedDefault: z.boolean(),
    bundle: z.string().nullable(),
    reason: z.string(),
  }),
  installments: z.array(InstallmentSchema),
  /** Sentences a CSR can read out, in order. */
  explanation: z.array(z.string()),
  /** The open deposit on the account, if any: what collecting now would take. */
  open: z
    .object({
      depositId: z.string(),
      requiredCents: Cents0,
      paidCents: Cents0,
      outstanding: z.array(InstallmentSchema),
    })
    .nullable(),
  /** What the Collect keys would take now: everything outstanding, or the next installment (null: not allowed). */
  collectFullCents: Cents0,
  collectInstallmentCents: Cents0.nullable(),
});
export type Calculation = z.infer<typeof CalculationSchema>;

const CalcInput = z
  .object({
    accountNumber: AccountNumberSchema,
    asOf: AsOf,
    bundle: SafeText(60).optional(),
  })
  .strict();

export const FundReportSchema = z.object({
  asOf: IsoDate,
  businessDate: IsoDate,
  /** Σ deposits_held over all accounts (replica + pending here). */
  totalHeldCents: CentsSchema,
  deposits: z.number().int(),
  /** Interest accrued to asOf and not yet credited: what the fund owes on top of what it holds. */
  accruedInterestCents: Cents0,
  /** Anniversary credits reached and not credited (the batch would credit these). */
  creditsDue: z.object({ count: z.number().int(), cents: Cents0 }),
  today: z.object({
    collected: z.object({ count: z.number().int(), cents: Cents0 }),
    refunded: z.object({ count: z.number().int(), cents: Cents0 }),
    applied: z.object({ count: z.number().int(), cents: Cents0 }),
    interestCredited: z.object({ count: z.number().int(), cents: Cents0 }),
  }),
  byClass: z.array(
    z.object({ accountClass: z.string(), deposits: z.number().int(), heldCents: CentsSchema }),
  ),
  /** Deposits whose record and the account's deposits held differ (should be none). */
  differences: z.array(
    z.object({ accountNumber: z.string(), heldCents: CentsSchema, recordCents: CentsSchema }),
  ),
});
export type FundReport = z.infer<typeof FundReportSchema>;

const SlipOutput = z.object({
  transactionId: z.string(),
  receipt: ReceiptSchema,
  drawerOpened: z.boolean(),
  paidOutCents: Cents0,
});

export const depositChannels = {
  'deposits.forAccount': {
    input: z.object({ accountNumber: AccountNumberSchema, asOf: AsOf }).strict(),
    output: DepositAccountSchema,
    access: 'signedIn',
  },
  'deposits.calculate': {
    input: CalcInput,
    output: CalculationSchema,
    access: ['csr', 'supervisor'],
  },
  'deposits.collect': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        part: z.enum(['full', 'installment']),
        /** What the screen showed; refused if the counter now computes another amount. */
        amountCents: PositiveCentsSchema,
        tenders: z.array(TenderSchema).min(1, 'Add a tender: cash, check, card or money order.').max(8),
        confirmOvertenderCredit: z.boolean().default(false),
        bundle: SafeText(60).optional(),
      })
      .strict(),
    output: PostPaymentOutputSchema,
    access: ['csr', 'supervisor'],
  },
  'deposits.refund': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        depositId: z.string().min(1).max(64),
        method: RefundMethodSchema,
        /** Part of the principal only; absent = everything (principal + interest). */
        amountCents: PositiveCentsSchema.optional(),
        reason: Reason,
        approval: ApprovalSchema.optional(),
      })
      .strict(),
    output: SlipOutput,
    access: ['csr', 'supervisor'],
  },
  'deposits.applyFinal': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        depositId: z.string().min(1).max(64),
        /** How any remainder after the final balance is refunded. */
        method: z.enum(['cash', 'check_request']),
        approval: ApprovalSchema.optional(),
      })
      .strict(),
    output: SlipOutput.extend({ appliedToBillCents: Cents0, refundCents: Cents0 }),
    access: ['csr', 'supervisor'],
  },
  'deposits.creditInterestBatch': {
    input: z.object({ asOf: AsOf, dryRun: z.boolean().default(false) }).strict(),
    output: z.object({
      asOf: IsoDate,
      dryRun: z.boolean(),
      credited: z.array(
        z.object({
          accountNumber: z.string(),
          depositId: z.string(),
          creditDate: IsoDate,
          amountCents: Cents0,
        }),
      ),
      count: z.number().int(),
      totalCents: Cents0,
      alreadyCredited: z.number().int(),
    }),
    access: ['supervisor'],
  },
  'deposits.fundReport': {
    input: z.object({ asOf: AsOf }).strict(),
    output: FundReportSchema,
    access: ['supervisor'],
  },
  'deposits.policies': {
    input: z.object({}).strict(),
    output: z.object({
      policies: z.array(DepositPolicySchema),
      rates: InterestRateTableSchema,
      appliedRates: z.array(
        z.object({ year: z.number().int(), ratePercentPublished: z.string(), rateApplied: z.string() }),
      ),
      inForce: z.array(PolicySummarySchema),
    }),
    access: 'signedIn',
  },
  'deposits.savePolicies': {
    input: z
      .object({
        policies: z.array(z.unknown()).max(100),
        rates: z.unknown(),
      })
      .strict(),
    output: z.object({ saved: z.boolean(), policies: z.number().int(), rateYears: z.number().int() }),
    access: ['supervisor'],
  },
} as const satisfies ChannelGroup;
