/**
 * Returned checks (NSF): find the payment a returned check paid, record the return (a new transaction
 * dated today that reverses the check's part and posts the fee), the customer's notice letter, and the
 * account's cash-only status with the supervisor's lift.
 */
import { z } from 'zod';

import { ReturnsPolicySchema } from '../../domain/returns/rules.js';
import { ReturnItemTypeSchema } from '../../sync/returns.js';
import type { ChannelGroup } from '../channel.js';
import {
  AccountDetailSchema,
  AccountNumberSchema,
  CentsSchema,
  IsoDate,
  ReceiptSchema,
  SafeText,
} from '../schemas.js';

const Reason = SafeText(200).pipe(z.string().trim().min(3, 'Give a reason (a few words).'));

/** One check tender of a payment on this counter, and whether it can still be returned. */
export const ReturnableCheckSchema = z.object({
  transactionId: z.string(),
  receiptNumber: z.string(),
  accountNumber: AccountNumberSchema,
  accountName: z.string(),
  paidOn: IsoDate,
  paymentCents: CentsSchema,
  tenderPosition: z.number().int().min(0),
  checkNumber: z.string(),
  faceCents: CentsSchema,
  /** Other tenders of the same payment (cash, card …): they stay paid. */
  otherTenders: z.array(z.object({ type: z.string(), amountCents: CentsSchema })),
  /** Why it cannot be returned (already returned, voided), or null. */
  blocked: z.string().nullable(),
});
export type ReturnableCheck = z.infer<typeof ReturnableCheckSchema>;

export const CashOnlyStatusSchema = z.object({
  accountNumber: AccountNumberSchema,
  active: z.boolean(),
  reason: z.string().nullable(),
  until: IsoDate.nullable(),
  points: z.number().int(),
  threshold: z.number().int(),
  expiring: z.array(z.object({ date: IsoDate, points: z.number().int(), expiresOn: IsoDate })),
});
export type CashOnlyStatus = z.infer<typeof CashOnlyStatusSchema>;

export const ReturnRecordedSchema = z.object({
  transactionId: z.string(),
  receipt: ReceiptSchema,
  faceCents: CentsSchema,
  feeCents: CentsSchema,
  feeSteps: z.array(z.string()),
  feeRule: z.string(),
  reopened: z.array(z.object({ itemId: z.string().nullable(), category: z.string(), cents: CentsSchema })),
  cashOnly: CashOnlyStatusSchema,
  reinstatedNotices: z.array(z.object({ noticeId: z.string(), noticeDate: IsoDate })),
  letterPath: z.string(),
  account: AccountDetailSchema,
});
export type ReturnRecorded = z.infer<typeof ReturnRecordedSchema>;

const STAFF = ['csr', 'supervisor'] as const;

export const returnsChannels = {
  'returns.policy': { input: z.object({}).strict(), output: ReturnsPolicySchema, access: 'signedIn' },
  /** By account number, receipt number (typed or scanned) or check number. */
  'returns.find': {
    input: z
      .object({
        query: SafeText(40).pipe(z.string().trim().min(1, 'Type an account, receipt or check number.')),
      })
      .strict(),
    output: z.object({ checks: z.array(ReturnableCheckSchema) }),
    access: STAFF,
  },
  'returns.record': {
    input: z
      .object({
        transactionId: z.string().min(1).max(64),
        tenderPosition: z.number().int().min(0).max(7),
        reasonCode: z.string().regex(/^[a-z_]{2,32}$/, 'Pick a return reason.'),
        itemType: ReturnItemTypeSchema.default('check'),
        note: SafeText(200).optional(),
      })
      .strict(),
    output: ReturnRecordedSchema,
    access: STAFF,
  },
  /** The notice letter again (a PDF in the data folder). */
  'returns.letter': {
    input: z.object({ transactionId: z.string().min(1).max(64) }).strict(),
    output: z.object({ letterPath: z.string() }),
    access: STAFF,
  },
  'returns.cashOnly': {
    input: z.object({ accountNumber: AccountNumberSchema }).strict(),
    output: CashOnlyStatusSchema,
    access: 'signedIn',
  },
  'returns.liftCashOnly': {
    input: z.object({ accountNumber: AccountNumberSchema, reason: Reason }).strict(),
    output: CashOnlyStatusSchema,
    access: ['supervisor'],
  },
} as const satisfies ChannelGroup;
