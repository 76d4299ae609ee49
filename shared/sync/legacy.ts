/**
 * The ledger events counters sent before the `ledger.posted` envelope (ledger.ts), one type per
 * capability. A counter in the field may still have them queued: the server translates each into the
 * envelope and applies it like any other (server/src/domain/legacy.ts). No counter queues them now.
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, IsoDate, TenderSchema } from '../api/schemas.js';
import { DepositCreditDataSchema, DepositHeaderSchema, DepositMovementDataSchema } from './deposits.js';
import {
  EquipmentKindSchema,
  HandedOverUnitSchema,
  ReceivedStockSchema,
  ReturnedUnitSchema,
} from './equipment.js';
import { JournalLineSchema } from './ledger.js';
import { TillKindSchema } from './till.js';

const Cents0 = CentsSchema.min(0);
const NetTender = z.object({ type: z.string(), amountCents: CentsSchema, netCents: CentsSchema });
/** Who posted, where and when: every older ledger type carried these alike. */
const Posted = {
  transactionId: z.string(),
  requestId: z.string(),
  cashierId: z.string(),
  terminalCode: z.string(),
  branch: z.string(),
  createdAt: z.string(),
};

/** `payment.posted`: a bill payment, its tenders as the customer handed them over. */
export const PaymentPostedSchema = z.object({
  ...Posted,
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
  tillId: z.string().nullable(),
  businessDate: z.string(),
});
export type PaymentPosted = z.infer<typeof PaymentPostedSchema>;

/** The detail-less `ledger.posted` of till and correction transactions (no `detail`, no `posting`). */
export const LegacyLedgerPostedSchema = z.object({
  ...Posted,
  kind: TillKindSchema,
  accountNumber: AccountNumberSchema.nullable(),
  amountCents: CentsSchema,
  journal: z.array(JournalLineSchema),
  tenders: z.array(NetTender),
  allocations: z.array(z.object({ itemId: z.string().nullable(), category: z.string(), cents: CentsSchema })),
  reversesId: z.string().nullable(),
  reason: z.string().nullable(),
  approvedBy: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  tillId: z.string(),
  businessDate: z.string(),
});
export type LegacyLedgerPosted = z.infer<typeof LegacyLedgerPostedSchema>;

/**
 * `deposit.posted`: kind collect (tenders in), interest (an anniversary credit), refund (principal and
 * interest out by cash, check request or account credit), apply (final bill). `amountCents` is what
 * was collected, paid out in all, or credited.
 */
export const DepositPostedSchema = z.object({
  ...Posted,
  kind: z.enum(['collect', 'interest', 'refund', 'apply']),
  accountNumber: AccountNumberSchema,
  deposit: DepositHeaderSchema,
  movement: DepositMovementDataSchema.nullable(),
  credits: z.array(DepositCreditDataSchema),
  amountCents: Cents0,
  tenders: z.array(TenderSchema),
  changeCents: Cents0,
  creditCents: Cents0,
  method: z.enum(['cash', 'check_request', 'account_credit']).nullable(),
  appliedToBillCents: Cents0,
  refundCents: Cents0,
  journal: z.array(JournalLineSchema),
  receiptNumber: z.string().nullable(),
  approvedBy: z.string().nullable(),
  tillId: z.string().nullable(),
  businessDate: IsoDate,
});
export type DepositPosted = z.infer<typeof DepositPostedSchema>;

/** `equipment.posted`: an order handed over, a return, an exchange or stock received. */
export const EquipmentPostedSchema = z.object({
  ...Posted,
  kind: EquipmentKindSchema,
  accountNumber: AccountNumberSchema.nullable(),
  orderId: z.string().nullable(),
  handovers: z.array(HandedOverUnitSchema),
  returns: z.array(ReturnedUnitSchema),
  received: z.array(ReceivedStockSchema),
  amountCents: CentsSchema,
  journal: z.array(JournalLineSchema),
  tenders: z.array(NetTender),
  changeCents: CentsSchema,
  receiptNumber: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  reason: z.string().nullable(),
  approvedBy: z.string().nullable(),
  tillId: z.string().nullable(),
  businessDate: z.string(),
});
export type EquipmentPosted = z.infer<typeof EquipmentPostedSchema>;
