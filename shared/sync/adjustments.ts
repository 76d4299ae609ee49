/**
 * Adjustments' part in the `ledger.posted` envelope (shared/sync/ledger.ts): a bill adjustment (kind
 * `adjustment`) or a back-billing plan (kind `back_bill`). The kernel fills in the common fields; this
 * detail carries what only the capability knows, and the server's adjustment detail applier writes it
 * to its own tables.
 */
import { z } from 'zod';

import { CentsSchema } from '../api/schemas.js';
import { AdjustmentDirection } from '../domain/adjustments.js';
import { BackBillChargeSchema } from '../domain/back-billing.js';

export const AdjustmentDetailSchema = z.discriminatedUnion('type', [
  z.object({
    capability: z.literal('adjustment'),
    type: z.literal('adjustment'),
    direction: AdjustmentDirection,
    reasonCode: z.string(),
    reasonLabel: z.string(),
    /** The other side of the journal (the reason's ledger account). */
    ledgerAccount: z.string(),
    amountCents: CentsSchema.positive(),
    memo: z.string(),
    /** The open item (bill line) the adjustment corrects; a credit is taken off it first. */
    itemId: z.string().nullable(),
    /** A debit is a new open item (this id) the customer pays like any bill item. */
    newItem: z.object({ id: z.string(), category: z.string(), dueDate: z.string() }).nullable(),
    outage: z
      .object({
        billLineId: z.string(),
        monthlyRateCents: CentsSchema,
        daysOut: z.number().int(),
        month: z.string(),
        working: z.string(),
      })
      .nullable(),
  }),
  z.object({
    capability: z.literal('adjustment'),
    type: z.literal('back_bill'),
    jurisdiction: z.string(),
    ledgerAccount: z.string(),
    totalCents: CentsSchema.positive(),
    charges: z.array(BackBillChargeSchema).min(1),
    installments: z
      .array(
        z.object({
          itemId: z.string(),
          number: z.number().int(),
          dueDate: z.string(),
          cents: CentsSchema.positive(),
        }),
      )
      .min(1),
    category: z.string(),
    notDisconnectable: z.boolean(),
    noLateFees: z.boolean(),
    lengthFrom: z.string(),
    rule: z.string(),
  }),
]);
export type AdjustmentDetail = z.infer<typeof AdjustmentDetailSchema>;
