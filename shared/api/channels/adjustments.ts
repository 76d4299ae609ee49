/**
 * Bill adjustments (credits and debits with a reason code, approval limits by role and reason, outage
 * credits) and back billing (a supervisor's plan under the jurisdiction's rules, its letter, and the
 * installments as open items on the account).
 */
import { z } from 'zod';

import { AdjustmentDirection, AdjustmentPolicySchema } from '../../domain/adjustments.js';
import { BackBillChargeSchema, BackBillPolicySchema } from '../../domain/back-billing.js';
import type { ChannelGroup } from '../channel.js';
import {
  AccountNumberSchema,
  CentsSchema,
  IsoDate,
  PositiveCentsSchema,
  ReceiptSchema,
  SafeText,
} from '../schemas.js';
import { ApprovalSchema } from './till.js';

const Memo = SafeText(200).pipe(z.string().trim().min(3, 'Write a memo: what was wrong, in a few words.'));

export const OutageRequestSchema = z
  .object({
    /** The bill line of the affected service: its amount is the monthly rate. */
    billLineId: z.string().max(80),
    daysOut: z.number().int('Days are whole days.').min(1, 'At least one day out of service.').max(31),
    month: z.string().regex(/^\d{4}-\d{2}$/, 'The month is YYYY-MM.'),
  })
  .strict();

const BackBillInput = {
  accountNumber: AccountNumberSchema,
  jurisdiction: z.string().max(16),
  charges: z.array(BackBillChargeSchema).min(1, 'Enter at least one under-billed charge.').max(20),
  /** The first installment's due date; a month from today when absent. */
  firstDueDate: IsoDate.optional(),
};

export const PlanSchema = z.object({
  jurisdiction: z.string(),
  totalCents: CentsSchema,
  periods: z.array(
    z.object({ description: z.string(), category: z.string(), month: z.string(), cents: CentsSchema }),
  ),
  spanMonths: z.number().int(),
  ageMonths: z.number().int(),
  capCents: CentsSchema.nullable(),
  lengthFrom: z.enum(['span', 'age', 'cap', 'single']),
  installments: z.array(
    z.object({ number: z.number().int(), dueDate: z.string(), cents: CentsSchema, working: z.string() }),
  ),
  notDisconnectable: z.boolean(),
  noLateFees: z.boolean(),
  rule: z.string(),
  working: z.array(z.string()),
});
export type PlanView = z.infer<typeof PlanSchema>;

export const AdjustmentViewSchema = z.object({
  transactionId: z.string(),
  receiptNumber: z.string().nullable(),
  accountNumber: z.string(),
  accountName: z.string(),
  direction: AdjustmentDirection,
  reasonCode: z.string(),
  reasonLabel: z.string(),
  amountCents: CentsSchema,
  memo: z.string(),
  itemId: z.string().nullable(),
  outageWorking: z.string().nullable(),
  cashierId: z.string(),
  approvedBy: z.string().nullable(),
  createdAt: z.string(),
  /** The server has not confirmed it yet (queued, or applied but not pulled). */
  pending: z.boolean(),
});
export type AdjustmentView = z.infer<typeof AdjustmentViewSchema>;

export const InstallmentViewSchema = z.object({
  itemId: z.string(),
  number: z.number().int(),
  dueDate: z.string(),
  cents: CentsSchema,
  openCents: CentsSchema,
  notDisconnectable: z.boolean(),
  pending: z.boolean(),
});

export const BackBillViewSchema = z.object({
  transactionId: z.string(),
  jurisdiction: z.string(),
  totalCents: CentsSchema,
  createdAt: z.string(),
  pending: z.boolean(),
  letterFile: z.string().nullable(),
  plan: PlanSchema,
  installments: z.array(InstallmentViewSchema),
});
export type BackBillView = z.infer<typeof BackBillViewSchema>;

const Refusal = z.object({
  ok: z.literal(false),
  rule: z.string(),
  message: z.string(),
  working: z.array(z.string()),
});

export const adjustmentChannels = {
  /** What the adjustment screen needs for an account: reasons, its bill lines and open items, what was adjusted. */
  'adjustments.account': {
    input: z.object({ accountNumber: AccountNumberSchema }).strict(),
    output: z.object({
      policy: AdjustmentPolicySchema,
      backBillPolicies: z.array(BackBillPolicySchema),
      billLines: z.array(
        z.object({
          id: z.string(),
          category: z.string(),
          description: z.string(),
          amountCents: CentsSchema,
          billDate: z.string(),
        }),
      ),
      openItems: z.array(
        z.object({
          id: z.string(),
          category: z.string(),
          dueDate: z.string(),
          openCents: CentsSchema,
          notDisconnectable: z.boolean(),
          pending: z.boolean(),
        }),
      ),
      averageMonthlyBillCents: CentsSchema,
      adjustments: z.array(AdjustmentViewSchema),
      backBills: z.array(BackBillViewSchema),
      today: z.string(),
    }),
    access: 'signedIn',
  },
  'adjustments.post': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        direction: AdjustmentDirection,
        reasonCode: z.string().max(32),
        /** The amount; absent for an outage credit, which the counter computes. */
        amountCents: PositiveCentsSchema.optional(),
        outage: OutageRequestSchema.optional(),
        /** The open item (bill line) the adjustment corrects. */
        itemId: z.string().max(80).nullable(),
        memo: Memo,
        approval: ApprovalSchema.optional(),
        /** The amount the CSR saw: refused if the computation gives another. */
        expectedCents: PositiveCentsSchema.optional(),
      })
      .strict(),
    output: z.object({
      adjustment: AdjustmentViewSchema,
      receipt: ReceiptSchema.nullable(),
      working: z.string(),
    }),
    access: ['csr', 'supervisor'],
  },
  /** The day's adjustments on this terminal with totals by reason (supervisor). */
  'adjustments.report': {
    input: z.object({ businessDate: IsoDate.optional() }).strict(),
    output: z.object({
      businessDate: z.string(),
      adjustments: z.array(AdjustmentViewSchema),
      byReason: z.array(
        z.object({
          reasonCode: z.string(),
          reasonLabel: z.string(),
          count: z.number().int(),
          creditCents: CentsSchema,
          debitCents: CentsSchema,
        }),
      ),
      totals: z.object({ count: z.number().int(), creditCents: CentsSchema, debitCents: CentsSchema }),
    }),
    access: ['supervisor'],
  },
  'backBilling.preview': {
    input: z.object(BackBillInput).strict(),
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), plan: PlanSchema, averageMonthlyBillCents: CentsSchema }),
      Refusal,
    ]),
    access: ['supervisor'],
  },
  'backBilling.post': {
    input: z
      .object({
        ...BackBillInput,
        requestId: z.uuid(),
        /** The installments the supervisor saw and the customer agreed to (cents, in order). */
        installments: z.array(PositiveCentsSchema).min(1).max(360),
      })
      .strict(),
    output: z.object({
      backBill: BackBillViewSchema,
      letter: z.object({ file: z.string(), lines: z.array(z.string()) }),
    }),
    access: ['supervisor'],
  },
  'backBilling.letter': {
    input: z.object({ transactionId: z.string().max(80) }).strict(),
    output: z.object({ file: z.string(), lines: z.array(z.string()) }),
    access: ['csr', 'supervisor'],
  },
} as const satisfies ChannelGroup;
