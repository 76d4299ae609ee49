/**
 * Outbox events: what a terminal pushes to the server. Each is written to the outbox in the same
 * SQLite transaction as the ledger lines it describes, and numbered 1, 2, 3 … per terminal (`seq`).
 */
import { z } from 'zod';

import { CentsSchema } from '../api/schemas.js';
import { DepositSettingsSavedSchema } from './deposits.js';
import { EquipmentTicketSchema } from './equipment.js';
import { LedgerPostedSchema } from './ledger.js';
import { CashOnlyLiftedSchema } from './returns.js';

export const ReceiptReprintedSchema = z.object({
  receiptNumber: z.string(),
  transactionId: z.string(),
  cashierId: z.string(),
  at: z.string(),
});

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

/**
 * What a counter queues. Every ledger transaction is a `ledger.posted` envelope (ledger.ts); the other
 * types are not ledger transactions. Older counters may still have `payment.posted`, `deposit.posted`,
 * `equipment.posted` or a detail-less `ledger.posted` queued (legacy.ts): the server translates them.
 */
export const OutboxEventTypes = {
  'ledger.posted': LedgerPostedSchema,
  'receipt.reprinted': ReceiptReprintedSchema,
  'till.closed': TillClosedSchema,
  'equipment.ticket': EquipmentTicketSchema,
  'deposit.settings_saved': DepositSettingsSavedSchema,
  'cash_only.lifted': CashOnlyLiftedSchema,
} as const;
export type OutboxEventType = keyof typeof OutboxEventTypes;
export type OutboxPayload<T extends OutboxEventType> = z.infer<(typeof OutboxEventTypes)[T]>;
