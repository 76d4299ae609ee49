/**
 * Equipment on the wire between a counter and the server (issue 7): the replica entities the server
 * publishes (branch stock by serial, stock levels of items without serials, the units on each account)
 * and the outbox events a counter pushes (orders handed over, returns, exchanges, stock received,
 * trouble tickets). Money is integer cents; serials are normalized (`normalizeSerial`).
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, IsoDate } from '../api/schemas.js';
import { ItemConditionSchema, OrderModeSchema, StockStatusSchema } from '../domain/equipment.js';

/** The policy keys the equipment policy data is replicated under (values are JSON). */
export const EQUIPMENT_POLICY_KEYS = {
  catalog: 'equipment.catalog',
  bundles: 'equipment.bundles',
  taxRules: 'equipment.taxRules',
  fees: 'equipment.fees',
} as const;

// ---- replica entities (server -> counter) ----

/** One serialized unit: where it is and, when assigned, whose it is. Key: the serial. */
export const EquipmentStockDataSchema = z.object({
  serial: z.string().min(1),
  sku: z.string().min(1),
  branch: z.string().min(1),
  status: StockStatusSchema,
  accountNumber: AccountNumberSchema.nullable(),
  /** The assignment (unit on an account) while status is 'assigned'. */
  assignmentId: z.string().nullable(),
  receivedAt: z.string(),
  updatedAt: z.string(),
});
export type EquipmentStockData = z.infer<typeof EquipmentStockDataSchema>;

/** Units on hand of an item without serials at a branch. Key: `<branch>:<sku>`. */
export const EquipmentStockLevelDataSchema = z.object({
  branch: z.string().min(1),
  sku: z.string().min(1),
  onHand: z.number().int(),
});
export type EquipmentStockLevelData = z.infer<typeof EquipmentStockLevelDataSchema>;

export function stockLevelKey(branch: string, sku: string): string {
  return `${branch}:${sku}`;
}

const Cents0 = CentsSchema.min(0);

/** One unit handed over to an account (sold or leased), and its return once it came back. Key: its id. */
export const EquipmentAssignmentDataSchema = z.object({
  id: z.string().min(1),
  accountNumber: AccountNumberSchema,
  sku: z.string().min(1),
  serial: z.string().nullable(),
  mode: OrderModeSchema,
  handedOverOn: IsoDate,
  pricePaidCents: Cents0,
  taxPaidCents: Cents0,
  leaseDepositCents: Cents0,
  /** The monthly charge billed for a leased unit, tax included when taxed (0 for a sale). */
  monthlyCents: Cents0,
  returnedOn: IsoDate.nullable(),
  returnCondition: ItemConditionSchema.nullable(),
  orderId: z.string().nullable(),
  lineIndex: z.number().int().min(0).nullable(),
  receiptNumber: z.string().nullable(),
  terminalCode: z.string().nullable(),
  branch: z.string(),
});
export type EquipmentAssignmentData = z.infer<typeof EquipmentAssignmentDataSchema>;

// ---- outbox events (counter -> server) ----

export const HandedOverUnitSchema = z.object({
  assignmentId: z.string().min(1),
  lineIndex: z.number().int().min(0),
  unitIndex: z.number().int().min(0),
  sku: z.string().min(1),
  serial: z.string().nullable(),
  mode: OrderModeSchema,
  handedOverOn: IsoDate,
  pricePaidCents: Cents0,
  taxPaidCents: Cents0,
  leaseDepositCents: Cents0,
  monthlyCents: Cents0,
});
export type HandedOverUnit = z.infer<typeof HandedOverUnitSchema>;

export const ReturnedUnitSchema = z.object({
  returnId: z.string().min(1),
  assignmentId: z.string().min(1),
  sku: z.string().min(1),
  serial: z.string().nullable(),
  mode: OrderModeSchema,
  condition: ItemConditionSchema,
  returnedOn: IsoDate,
  refundCents: Cents0,
  restockingFeeCents: Cents0,
  feeCents: Cents0,
  depositReleaseCents: Cents0,
  stopMonthlyCents: Cents0,
  /** Where the unit goes: back for inspection (returned) or set aside (defective). */
  toStatus: z.enum(['returned', 'defective']),
});
export type ReturnedUnit = z.infer<typeof ReturnedUnitSchema>;

export const ReceivedStockSchema = z.object({
  sku: z.string().min(1),
  /** A serialized unit (quantity 1), or null for a quantity of an item without serials. */
  serial: z.string().nullable(),
  quantity: z.number().int().min(1),
});
export type ReceivedStock = z.infer<typeof ReceivedStockSchema>;

export const EquipmentKindSchema = z.enum(['eq_order', 'eq_return', 'eq_exchange', 'eq_receive']);
export type EquipmentKind = z.infer<typeof EquipmentKindSchema>;

/**
 * An equipment transaction's detail in the `ledger.posted` envelope (shared/sync/ledger.ts): an order
 * handed over and paid, a return, an exchange (a return and a handover in one), or stock received. The
 * balanced journal in the envelope is the money; the units are the stock: the server refuses the whole
 * transaction when a serial is not in this branch's stock as the counter believed (e.g. handed over at
 * another counter first), so nothing is ever silently overwritten.
 */
export const EquipmentDetailSchema = z.object({
  capability: z.literal('equipment'),
  orderId: z.string().nullable(),
  handovers: z.array(HandedOverUnitSchema),
  returns: z.array(ReturnedUnitSchema),
  received: z.array(ReceivedStockSchema),
  invoiceNumber: z.string().nullable(),
});
export type EquipmentDetail = z.infer<typeof EquipmentDetailSchema>;

export const TestKindSchema = z.enum(['line', 'device'], { error: 'Choose a line test or a device test.' });
export const TestResultSchema = z.enum(['no_fault', 'line_fault', 'device_fault'], {
  error: 'Record the result: no fault found, line fault or device fault.',
});

/** A trouble ticket (line or device test) for the technical department: opened, then its result. */
export const EquipmentTicketSchema = z.object({
  ticketId: z.string(),
  action: z.enum(['opened', 'result']),
  accountNumber: AccountNumberSchema,
  assignmentId: z.string().nullable(),
  serial: z.string().nullable(),
  sku: z.string().nullable(),
  testKind: TestKindSchema,
  symptom: z.string(),
  result: TestResultSchema.nullable(),
  resultNote: z.string().nullable(),
  cashierId: z.string(),
  terminalCode: z.string(),
  branch: z.string(),
  at: z.string(),
});
export type EquipmentTicket = z.infer<typeof EquipmentTicketSchema>;
