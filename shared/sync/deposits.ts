/**
 * Security deposits on the wire between a counter and the server (issue 6): the replicated deposit
 * record (the server publishes each deposit with its dated movements and interest credits, so any
 * counter can compute its interest), a deposit transaction's detail in the ledger envelope (a deposit
 * collected, interest credited, refunded or applied to a final bill) and the policies and rates a
 * supervisor saved.
 * Money is integer cents; dates are YYYY-MM-DD.
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, IsoDate } from '../api/schemas.js';

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

export const DepositMethodSchema = z.enum(['cash', 'check_request', 'account_credit']);

/**
 * A deposit transaction's detail in the `ledger.posted` envelope (shared/sync/ledger.ts): what the
 * deposit record gains (a movement, interest credits). By the envelope's kind: `deposit` (collected,
 * tenders in), `deposit_interest` (anniversary credits), `deposit_refund` (principal and interest out
 * by cash, check request or account credit), `deposit_apply` (to the final bill, the rest refunded).
 */
export const DepositDetailSchema = z.object({
  capability: z.literal('deposit'),
  deposit: DepositHeaderSchema,
  movement: DepositMovementDataSchema.nullable(),
  credits: z.array(DepositCreditDataSchema),
  /** How a payout left: null for a collection or interest. */
  method: DepositMethodSchema.nullable(),
  /** A payout: everything paid out (to the bill and refunded); 0 otherwise. */
  paidOutCents: Cents0,
  appliedToBillCents: Cents0,
  refundCents: Cents0,
});
export type DepositDetail = z.infer<typeof DepositDetailSchema>;

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
