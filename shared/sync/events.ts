/**
 * Outbox events: what a terminal pushes to the server. Each is written to the outbox in the same
 * SQLite transaction as the ledger lines it describes, and numbered 1, 2, 3 … per terminal (`seq`).
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, TenderSchema } from '../api/schemas.js';

export const JournalLineSchema = z.object({
  ledgerAccount: z.string(),
  cents: CentsSchema,
  memo: z.string(),
});

export const PaymentPostedSchema = z.object({
  transactionId: z.string(),
  requestId: z.string(),
  accountNumber: AccountNumberSchema,
  amountCents: CentsSchema,
  appliedCents: CentsSchema,
  changeCents: CentsSchema,
  creditCents: CentsSchema,
  tenders: z.array(TenderSchema),
  allocations: z.array(z.object({ itemId: z.string(), category: z.string(), cents: CentsSchema })),
  unappliedCents: CentsSchema,
  journal: z.array(JournalLineSchema),
  receiptNumber: z.string(),
  cashierId: z.string(),
  terminalCode: z.string(),
  branch: z.string(),
  tillId: z.string().nullable(),
  businessDate: z.string(),
  createdAt: z.string(),
});
export type PaymentPosted = z.infer<typeof PaymentPostedSchema>;

export const ReceiptReprintedSchema = z.object({
  receiptNumber: z.string(),
  transactionId: z.string(),
  cashierId: z.string(),
  at: z.string(),
});

export const OutboxEventTypes = {
  'payment.posted': PaymentPostedSchema,
  'receipt.reprinted': ReceiptReprintedSchema,
} as const;
export type OutboxEventType = keyof typeof OutboxEventTypes;
export type OutboxPayload<T extends OutboxEventType> = z.infer<(typeof OutboxEventTypes)[T]>;
