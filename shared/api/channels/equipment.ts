/**
 * Equipment channels (issue 7): the catalog, quotes, orders handed over with scanned serials and paid
 * through the tenders, serial look-up, returns, exchanges, trouble tickets, unreturned equipment, the
 * branch stock and receiving a shipment. Every request and reply is checked against these schemas.
 */
import { z } from 'zod';

import {
  CatalogItemSchema,
  HandoverScanSchema,
  ItemConditionSchema,
  MAX_ORDER_LINES,
  OrderLineSchema,
  OrderModeSchema,
  ServiceBundleSchema,
  StockStatusSchema,
} from '../../domain/equipment.js';
import { TestKindSchema, TestResultSchema } from '../../sync/equipment.js';
import type { ChannelGroup } from '../channel.js';
import { ApprovalSchema } from './till.js';
import {
  AccountDetailSchema,
  AccountNumberSchema,
  CentsSchema,
  PaymentSummarySchema,
  ReceiptSchema,
  SafeText,
  TenderSchema,
} from '../schemas.js';

/** A scanned or typed serial (S/N or MAC): normalized by the host. */
const SerialInput = SafeText(64).pipe(
  z.string().trim().min(1, 'Scan the serial number (S/N or MAC) on the label.'),
);
const Lines = z
  .array(OrderLineSchema)
  .min(1, 'Add an item to the order.')
  .max(MAX_ORDER_LINES, `At most ${String(MAX_ORDER_LINES)} lines on one order: split it in two.`);
const Tenders = z.array(TenderSchema).max(8, 'At most 8 tenders on one payment.');
const RefundMethodSchema = z.enum(['cash', 'check_request', 'account'], {
  error: 'Choose how the refund is paid: cash, check request or credit to the account.',
});
export type RefundMethod = z.infer<typeof RefundMethodSchema>;

/** Which unit: its serial (scanned) or, for items without serials, its assignment id. */
const UnitRef = {
  serial: SerialInput.optional(),
  assignmentId: z.string().max(64).optional(),
};

// ---- outputs ----

export const CatalogEntrySchema = z.object({
  item: CatalogItemSchema,
  /** Units this branch can hand over now (serialized: in stock; others: on hand). */
  available: z.number().int(),
  bundles: z.array(z.string()),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

const PricedUnitSchema = z.object({
  priceCents: CentsSchema,
  taxCents: CentsSchema,
  depositCents: CentsSchema,
  monthlyCents: CentsSchema,
});
export const PricedLineSchema = z.object({
  sku: z.string(),
  name: z.string(),
  mode: OrderModeSchema,
  quantity: z.number().int(),
  unitCents: CentsSchema,
  extendedCents: CentsSchema,
  taxCents: CentsSchema,
  depositCents: CentsSchema,
  monthlyCents: CentsSchema,
  monthlyTaxCents: CentsSchema,
  dueNowCents: CentsSchema,
  taxRuleId: z.string(),
  ratePercent: z.string(),
  units: z.array(PricedUnitSchema),
});
export const PricedOrderSchema = z.object({
  lines: z.array(PricedLineSchema),
  subtotalCents: CentsSchema,
  taxCents: CentsSchema,
  depositCents: CentsSchema,
  dueNowCents: CentsSchema,
  newMonthlyCents: CentsSchema,
  newMonthlyTaxCents: CentsSchema,
  taxRules: z.array(
    z.object({ taxClass: z.string(), ruleId: z.string(), ratePercent: z.string(), leaseTaxed: z.boolean() }),
  ),
});
export type PricedOrderView = z.infer<typeof PricedOrderSchema>;

/** A document printed but not kept as a receipt (a quote). */
export const PrintoutSchema = z.object({
  number: z.string(),
  lines: z.array(z.string()),
  printed: z.boolean(),
  printError: z.string().nullable(),
});

export const UnitViewSchema = z.object({
  /** The assignment id (the unit on the account). */
  id: z.string(),
  accountNumber: AccountNumberSchema,
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  serial: z.string().nullable(),
  mode: OrderModeSchema,
  handedOverOn: z.string(),
  pricePaidCents: CentsSchema,
  taxPaidCents: CentsSchema,
  leaseDepositCents: CentsSchema,
  monthlyCents: CentsSchema,
  returnedOn: z.string().nullable(),
  returnCondition: ItemConditionSchema.nullable(),
  orderId: z.string().nullable(),
  lineIndex: z.number().int().nullable(),
  receiptNumber: z.string().nullable(),
  terminalCode: z.string().nullable(),
  /** Taken here and not yet confirmed by the server. */
  pending: z.boolean(),
});
export type UnitView = z.infer<typeof UnitViewSchema>;

/** A unit handed over here that the server refused (e.g. the serial was handed over elsewhere first). */
export const ConflictSchema = z.object({
  assignmentId: z.string(),
  serial: z.string().nullable(),
  accountNumber: AccountNumberSchema,
  receiptNumber: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

export const TicketViewSchema = z.object({
  id: z.string(),
  accountNumber: AccountNumberSchema,
  assignmentId: z.string().nullable(),
  sku: z.string().nullable(),
  name: z.string().nullable(),
  serial: z.string().nullable(),
  testKind: TestKindSchema,
  symptom: z.string(),
  status: z.enum(['open', 'done']),
  result: TestResultSchema.nullable(),
  resultNote: z.string().nullable(),
  openedBy: z.string(),
  openedAt: z.string(),
  resultAt: z.string().nullable(),
});
export type TicketView = z.infer<typeof TicketViewSchema>;

export const StockUnitSchema = z.object({
  serial: z.string(),
  sku: z.string(),
  branch: z.string(),
  status: StockStatusSchema,
  accountNumber: z.string().nullable(),
  assignmentId: z.string().nullable(),
  /** A move made here that the server has not confirmed yet. */
  pending: z.boolean(),
});
export type StockUnit = z.infer<typeof StockUnitSchema>;

const InvoiceLineSchema = z.object({ kind: z.string(), description: z.string(), cents: CentsSchema });

export const ReturnQuoteSchema = z.object({
  sku: z.string(),
  name: z.string(),
  serial: z.string().nullable(),
  mode: OrderModeSchema,
  condition: ItemConditionSchema,
  handedOverOn: z.string(),
  returnedOn: z.string(),
  daysSinceHandover: z.number().int(),
  returnWindowEndsOn: z.string().nullable(),
  withinWindow: z.boolean(),
  refundCents: CentsSchema,
  refundIfApprovedCents: CentsSchema,
  restockingFeeCents: CentsSchema,
  depositReleaseCents: CentsSchema,
  feeCents: CentsSchema,
  stopMonthlyCents: CentsSchema,
  netCents: CentsSchema,
  lines: z.array(InvoiceLineSchema),
  needsSupervisor: z.boolean(),
  reason: z.string(),
});
export type ReturnQuoteView = z.infer<typeof ReturnQuoteSchema>;

export const ExchangeQuoteSchema = z.object({
  oldSku: z.string(),
  newSku: z.string(),
  mode: OrderModeSchema,
  condition: ItemConditionSchema,
  daysSinceHandover: z.number().int(),
  warrantyEndsOn: z.string().nullable(),
  withinWarranty: z.boolean(),
  covered: z.boolean(),
  equivalent: z.boolean(),
  noCharge: z.boolean(),
  creditCents: CentsSchema,
  newPriceCents: CentsSchema,
  newTaxCents: CentsSchema,
  feeCents: CentsSchema,
  depositDueCents: CentsSchema,
  depositReleaseCents: CentsSchema,
  stopMonthlyCents: CentsSchema,
  newMonthlyCents: CentsSchema,
  dueNowCents: CentsSchema,
  refundCents: CentsSchema,
  lines: z.array(InvoiceLineSchema),
  newUnit: z.object({
    sku: z.string(),
    mode: OrderModeSchema,
    handedOverOn: z.string(),
    pricePaidCents: CentsSchema,
    taxPaidCents: CentsSchema,
    leaseDepositCents: CentsSchema,
    monthlyCents: CentsSchema,
  }),
  needsSupervisor: z.boolean(),
  reason: z.string(),
});
export type ExchangeQuoteView = z.infer<typeof ExchangeQuoteSchema>;

export const UnreturnedSchema = z.object({
  asOf: z.string(),
  units: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      serial: z.string().nullable(),
      accountNumber: z.string(),
      handedOverOn: z.string(),
      daysOut: z.number().int(),
      feeCents: CentsSchema,
      feeBasis: z.enum(['sku', 'category']),
      depositHeldCents: CentsSchema,
    }),
  ),
  totalFeeCents: CentsSchema,
  depositsHeldCents: CentsSchema,
  netAfterDepositsCents: CentsSchema,
});
export type UnreturnedView = z.infer<typeof UnreturnedSchema>;

/** What an order, a paid exchange or a return answers: the payment-screen shape plus the documents. */
export const EquipmentPostedOutputSchema = z.object({
  payment: PaymentSummarySchema,
  receipt: ReceiptSchema,
  /** The return-goods invoice (returns and exchanges). */
  invoice: ReceiptSchema.nullable(),
  account: AccountDetailSchema,
  drawerOpened: z.boolean(),
  /** Handed over: the units with their serials. */
  units: z.array(UnitViewSchema),
});
export type EquipmentPostedOutput = z.infer<typeof EquipmentPostedOutputSchema>;

export const equipmentChannels = {
  'equipment.catalog': {
    input: z
      .object({
        /** Name, SKU or UPC (part of it). */
        query: SafeText(80).optional(),
        /** A scanned UPC/EAN: exactly that item (a bad check digit is refused). */
        code: z.string().max(32).optional(),
      })
      .strict(),
    output: z.object({
      items: z.array(CatalogEntrySchema),
      bundles: z.array(ServiceBundleSchema),
      branch: z.string(),
      today: z.string(),
    }),
    access: 'signedIn',
  },
  'equipment.quote': {
    input: z
      .object({
        lines: Lines,
        accountNumber: AccountNumberSchema.optional(),
        /** Print the quote on the receipt printer for the customer. */
        print: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ priced: PricedOrderSchema, printout: PrintoutSchema.nullable() }),
    access: ['csr', 'supervisor'],
  },
  'equipment.checkHandover': {
    input: z.object({ lines: Lines, scans: z.array(HandoverScanSchema).max(500) }).strict(),
    output: z.object({
      ok: z.boolean(),
      /** Each problem with the field it belongs to (`scans.<i>.serial`, `lines.<i>`). */
      problems: z.array(z.object({ field: z.string(), message: z.string() })),
      /** Normalized serial of each scan, in scan order. */
      serials: z.array(z.string()),
    }),
    access: ['csr', 'supervisor'],
  },
  'equipment.order': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        lines: Lines,
        scans: z.array(HandoverScanSchema).max(500),
        /** Empty when nothing is due now (e.g. a lease with no deposit). */
        tenders: Tenders,
        confirmOvertenderCredit: z.boolean().default(false),
        /** The total the customer agreed to: refused if the prices changed since (a pulled catalog). */
        expectedDueCents: CentsSchema.optional(),
      })
      .strict(),
    output: EquipmentPostedOutputSchema,
    access: ['csr', 'supervisor'],
  },
  'equipment.lookupSerial': {
    input: z.object({ serial: SerialInput }).strict(),
    output: z.object({
      serial: z.string(),
      item: CatalogItemSchema.nullable(),
      stock: StockUnitSchema.nullable(),
      /** The unit on an account now (not returned), else the last one that was. */
      unit: UnitViewSchema.nullable(),
      accountName: z.string().nullable(),
      history: z.array(UnitViewSchema),
      tickets: z.array(TicketViewSchema),
      conflicts: z.array(ConflictSchema),
    }),
    access: 'signedIn',
  },
  'equipment.account': {
    input: z.object({ accountNumber: AccountNumberSchema }).strict(),
    output: z.object({
      units: z.array(UnitViewSchema),
      tickets: z.array(TicketViewSchema),
      conflicts: z.array(ConflictSchema),
    }),
    access: 'signedIn',
  },
  'equipment.returnQuote': {
    input: z
      .object({
        accountNumber: AccountNumberSchema,
        ...UnitRef,
        condition: ItemConditionSchema,
        /** Show the refund a supervisor can approve after the window. */
        supervisorOverride: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ quote: ReturnQuoteSchema, unit: UnitViewSchema }),
    access: ['csr', 'supervisor'],
  },
  'equipment.return': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        ...UnitRef,
        condition: ItemConditionSchema,
        refundMethod: RefundMethodSchema.default('cash'),
        approval: ApprovalSchema.optional(),
        note: SafeText(200).optional(),
      })
      .strict(),
    output: EquipmentPostedOutputSchema.extend({ quote: ReturnQuoteSchema }),
    access: ['csr', 'supervisor'],
  },
  'equipment.exchangeQuote': {
    input: z
      .object({
        accountNumber: AccountNumberSchema,
        ...UnitRef,
        condition: ItemConditionSchema,
        newSku: z.string().max(40),
        goodwill: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ quote: ExchangeQuoteSchema, unit: UnitViewSchema }),
    access: ['csr', 'supervisor'],
  },
  'equipment.exchange': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        ...UnitRef,
        condition: ItemConditionSchema,
        newSku: z.string().max(40),
        /** The replacement's serial, scanned at handover (items with serials). */
        newSerial: SerialInput.optional(),
        /** A supervisor approves a goodwill exchange the warranty does not cover (with `approval`). */
        goodwill: z.boolean().default(false),
        tenders: Tenders,
        confirmOvertenderCredit: z.boolean().default(false),
        refundMethod: RefundMethodSchema.default('cash'),
        approval: ApprovalSchema.optional(),
        expectedDueCents: CentsSchema.optional(),
      })
      .strict(),
    output: EquipmentPostedOutputSchema.extend({ quote: ExchangeQuoteSchema }),
    access: ['csr', 'supervisor'],
  },
  'equipment.troubleTicket': {
    input: z.discriminatedUnion('action', [
      z
        .object({
          action: z.literal('open'),
          accountNumber: AccountNumberSchema,
          ...UnitRef,
          testKind: TestKindSchema,
          symptom: SafeText(500).pipe(
            z.string().trim().min(5, 'Describe the symptom in a few words (what the customer sees).'),
          ),
        })
        .strict(),
      z
        .object({
          action: z.literal('result'),
          ticketId: z.string().max(64),
          result: TestResultSchema,
          note: SafeText(500).optional(),
        })
        .strict(),
    ]),
    output: TicketViewSchema,
    access: ['csr', 'supervisor'],
  },
  'equipment.unreturned': {
    input: z.object({ accountNumber: AccountNumberSchema }).strict(),
    output: UnreturnedSchema,
    access: 'signedIn',
  },
  'equipment.stock': {
    input: z.object({ sku: z.string().max(40).optional() }).strict(),
    output: z.object({
      branch: z.string(),
      asOf: z.string().nullable(),
      bySku: z.array(
        z.object({
          sku: z.string(),
          name: z.string(),
          serialized: z.boolean(),
          inStock: z.number().int(),
          assigned: z.number().int(),
          returned: z.number().int(),
          defective: z.number().int(),
          /** Items without serials: units on hand. */
          onHand: z.number().int().nullable(),
        }),
      ),
      units: z.array(StockUnitSchema),
    }),
    access: 'signedIn',
  },
  'equipment.receiveShipment': {
    input: z
      .object({
        requestId: z.uuid(),
        sku: z.string().max(40),
        serials: z.array(SerialInput).max(500).default([]),
        /** Items without serials: how many units came. */
        quantity: z.number().int('Count whole units.').min(1).max(9999).optional(),
        reference: SafeText(60).pipe(z.string().trim().min(2, 'Type the shipment or packing-slip number.')),
      })
      .strict(),
    output: z.object({
      transactionId: z.string(),
      received: z.number().int(),
      serials: z.array(z.string()),
      receipt: ReceiptSchema,
    }),
    access: ['supervisor'],
  },
} as const satisfies ChannelGroup;
