/**
 * Returned checks on the wire: the capability's `detail` in the `ledger.posted` envelope (the kernel
 * fills in the ledger fields), and `cash_only.lifted`, a supervisor's lift that moves no money.
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, IsoDate } from '../api/schemas.js';

export const ReturnItemTypeSchema = z.enum(['check', 'echeck']);

export const ReturnedCheckDetailSchema = z.object({
  capability: z.literal('returned_check'),
  originalTransactionId: z.string(),
  originalReceiptNumber: z.string().nullable(),
  tenderPosition: z.number().int().min(0),
  itemType: ReturnItemTypeSchema,
  checkNumber: z.string(),
  faceCents: CentsSchema.positive(),
  reasonCode: z.string(),
  feeCents: CentsSchema.min(0),
  feeScheduleId: z.string(),
  feeSteps: z.array(z.string()),
  points: z.number().int().min(0),
  /** Open items the check had paid, reopened in the original allocation order. */
  reopened: z.array(z.object({ itemId: z.string().nullable(), category: z.string(), cents: CentsSchema })),
  /** The cash-only period this return started, if it did. */
  cashOnlyUntil: IsoDate.nullable(),
  /** Notices the returned payment had stopped, active again (the collections capability fills this). */
  reinstatedNotices: z.array(z.object({ noticeId: z.string(), noticeDate: IsoDate })),
});
export type ReturnedCheckDetail = z.infer<typeof ReturnedCheckDetailSchema>;

/** A supervisor lifted an account's cash-only flag (no money moves). */
export const CashOnlyLiftedSchema = z.object({
  id: z.string(),
  accountNumber: AccountNumberSchema,
  liftedOn: IsoDate,
  reason: z.string().min(3),
  liftedBy: z.string(),
  terminalCode: z.string(),
  at: z.string(),
});
export type CashOnlyLifted = z.infer<typeof CashOnlyLiftedSchema>;
