/**
 * Outbox events: what a terminal pushes to the server. Each is written to the outbox in the same
 * SQLite transaction as the ledger lines it describes, and numbered 1, 2, 3 … per terminal (`seq`).
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, TenderSchema } from '../api/schemas.js';
import { DepositPostedSchema, DepositSettingsSavedSchema } from './deposits.js';
import { EquipmentPostedSchema, EquipmentTicketSchema } from './equipment.js';

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

/**
 * Till and correction transactions (float, drop, paid-out, void, refund, close) in one general shape:
 * the balanced journal is the truth; the server applies the lines that touch `ar:<account>` to balances.
 */
export const LedgerPostedSchema = z.object({
  transactionId: z.string(),
  requestId: z.string(),
  kind: z.enum(['till_open', 'drop', 'paid_out', 'void', 'refund', 'till_close']),
  accountNumber: AccountNumberSchema.nullable(),
  amountCents: CentsSchema,
  journal: z.array(JournalLineSchema),
  tenders: z.array(z.object({ type: z.string(), amountCents: CentsSchema, netCents: CentsSchema })),
  allocations: z.array(z.object({ itemId: z.string().nullable(), category: z.string(), cents: CentsSchema })),
  reversesId: z.string().nullable(),
  reason: z.string().nullable(),
  approvedBy: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  cashierId: z.string(),
  terminalCode: z.string(),
  branch: z.string(),
  tillId: z.string(),
  businessDate: z.string(),
  createdAt: z.string(),
});
export type LedgerPosted = z.infer<typeof LedgerPostedSchema>;

const Tally = z.object({ count: z.number().int(), cents: CentsSchema });

/** Day-end closing of a till: its totals per tender, for the server's reconciliation. */
export const TillClosedSchema = z.object({
  tillId: z.string(),
  cashierId: z.string(),
  terminalCode: z.string(),
  branch: z.string(),
  businessDate: z.string(),
  openedAt: z.string(),
  closedAt: z.string(),
  floatCents: CentsSchema,
  /** What the till's own transactions add up to, per tender (payments net of voids). */
  totals: z.array(z.object({ type: z.string(), count: z.number().int(), cents: CentsSchema })),
  expected: z.object({ cashCents: CentsSchema, checks: Tally, moneyOrders: Tally, cardCents: CentsSchema }),
  counted: z.object({
    cashCents: CentsSchema,
    checks: Tally,
    moneyOrders: Tally,
    cardBatchCents: CentsSchema,
  }),
  overShortCents: CentsSchema,
  approvedBy: z.string().nullable(),
  zNumber: z.string(),
  transactionCount: z.number().int(),
});
export type TillClosed = z.infer<typeof TillClosedSchema>;

export const OutboxEventTypes = {
  'payment.posted': PaymentPostedSchema,
  'receipt.reprinted': ReceiptReprintedSchema,
  'ledger.posted': LedgerPostedSchema,
  'till.closed': TillClosedSchema,
  'equipment.posted': EquipmentPostedSchema,
  'equipment.ticket': EquipmentTicketSchema,
  'deposit.posted': DepositPostedSchema,
  'deposit.settings_saved': DepositSettingsSavedSchema,
} as const;
export type OutboxEventType = keyof typeof OutboxEventTypes;
export type OutboxPayload<T extends OutboxEventType> = z.infer<(typeof OutboxEventTypes)[T]>;
