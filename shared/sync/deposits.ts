/**
 * Security deposits on the wire between a counter and the server (issue 6): the replicated deposit
 * record (the server publishes each deposit with its dated movements and interest credits, so any
 * counter can compute its interest) and the outbox events a counter pushes (a deposit collected,
 * interest credited, refunded or applied to a final bill; policies and rates saved by a supervisor).
 * Money is integer cents; dates are YYYY-MM-DD.
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, IsoDate, TenderSchema } from '../api/schemas.js';

const Cents0 = CentsSchema.min(0);

export const DepositMovementDataSchema = z.object({
  id: z.string().min(1),
  date: IsoDate,
  kind: z.enum(['payment', 'refund', 'applied']),
  amountCents: CentsSchema.positive(),
  /** Interest credited earlier that was paid out together with this principal. */
  interestOutCents: Cents0,
  transactionId: z.string().nullable(),
});
export type DepositMovementData = z.infer<typeof DepositMovementDataSchema>;

export const DepositCreditDataSchema = z.object({
  id: z.string().min(1),
  creditDate: IsoDate,
  kind: z.enum(['anniversary', 'closing']),
  from: IsoDate,
  to: IsoDate,
  days: z.number().int().min(0),
  amountCents: CentsSchema.positive(),
  transactionId: z.string().nullable(),
});
export type DepositCreditData = z.infer<typeof DepositCreditDataSchema>;

export const InstallmentDataSchema = z.object({
  dueWith: z.string().regex(/^(now|bill \d+)$/),
  amountCents: Cents0,
});

/** The deposit header: who, under which policy, how much was required and how it is to be paid. */
export const DepositHeaderSchema = z.object({
  id: z.string().min(1),
  accountNumber: AccountNumberSchema,
  policyId: z.string().min(1),
  requiredCents: Cents0,
  schedule: z.array(InstallmentDataSchema).min(1),
  requestedOn: IsoDate,
});
export type DepositHeader = z.infer<typeof DepositHeaderSchema>;

/** Replica entity `deposit` (key: the deposit id). */
export const DepositDataSchema = DepositHeaderSchema.extend({
  movements: z.array(DepositMovementDataSchema),
  credits: z.array(DepositCreditDataSchema),
});
export type DepositData = z.infer<typeof DepositDataSchema>;

const JournalLine = z.object({ ledgerAccount: z.string(), cents: CentsSchema, memo: z.string() });

/**
 * `deposit.posted`: one deposit transaction, as balanced journal lines plus what the deposit record
 * gains (a movement, interest credits). kind: collect (tenders in), interest (an anniversary credit),
 * refund (principal and interest out by cash, check request or account credit), apply (final bill).
 */
export const DepositPostedSchema = z.object({
  transactionId: z.string(),
  requestId: z.string(),
  kind: z.enum(['collect', 'interest', 'refund', 'apply']),
  accountNumber: AccountNumberSchema,
  deposit: DepositHeaderSchema,
  movement: DepositMovementDataSchema.nullable(),
  credits: z.array(DepositCreditDataSchema),
  /** collect: the deposit amount; refund/apply: everything paid out; interest: the credit. */
  amountCents: Cents0,
  tenders: z.array(TenderSchema),
  changeCents: Cents0,
  creditCents: Cents0,
  method: z.enum(['cash', 'check_request', 'account_credit']).nullable(),
  appliedToBillCents: Cents0,
  refundCents: Cents0,
  journal: z.array(JournalLine),
  receiptNumber: z.string().nullable(),
  cashierId: z.string(),
  approvedBy: z.string().nullable(),
  terminalCode: z.string(),
  branch: z.string(),
  tillId: z.string().nullable(),
  businessDate: IsoDate,
  createdAt: z.string(),
});
export type DepositPosted = z.infer<typeof DepositPostedSchema>;

/** `deposit.settings_saved`: a supervisor saved the deposit policies and the rate table (JSON as stored under the policy keys). */
export const DepositSettingsSavedSchema = z.object({
  policies: z.string(),
  rates: z.string(),
  savedBy: z.string(),
  savedAt: z.string(),
  terminalCode: z.string(),
  branch: z.string(),
});
export type DepositSettingsSaved = z.infer<typeof DepositSettingsSavedSchema>;
