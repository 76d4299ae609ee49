/**
 * The equipment data a supervisor maintains (catalog, bundles, tax rules, fee schedule) and what an
 * order, a scan, stock and an assignment look like, as zod schemas with sentences a CSR can read.
 */
import { z } from 'zod';

import { MAX_AMOUNT_CENTS } from '../../money.js';
import { gtinValid } from '../../validators/gtin.js';
import { isIsoDate, parseDecimal } from './internal.js';

const IsoDateSchema = z.string().refine(isIsoDate, 'Use a real calendar date written YYYY-MM-DD.');

export const AmountCents = z
  .number({ error: 'Amounts are whole cents.' })
  .int('Amounts are whole cents.')
  .min(0, 'Amounts cannot be negative.')
  .max(MAX_AMOUNT_CENTS, 'The amount is too large for the counter.');

export const Days = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of days.` })
    .int(`${what} must be a whole number of days.`)
    .min(0, `${what} cannot be negative.`)
    .max(3650, `${what} cannot be more than 3650 days.`);

/** A percent written as published: up to 3 whole digits and up to 4 decimals, 0 to 100 ("8.25"). */
export const PercentText = (what: string) =>
  z.string({ error: `${what} must be written as text, e.g. "8.25".` }).superRefine((s, ctx) => {
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(s))
      ctx.addIssue({
        code: 'custom',
        message: `${what} must be a percent such as "8.25" (at most 4 decimals, no % sign), not "${s}".`,
      });
    else if (parseDecimal(s).n > 100n * parseDecimal(s).d)
      ctx.addIssue({ code: 'custom', message: `${what} cannot be more than 100 %.` });
  });

export const Text = (what: string) =>
  z.string({ error: `${what} is missing.` }).refine((s) => s.trim() !== '', `${what} is missing.`);

export const EquipmentCategorySchema = z.enum(['modem', 'router', 'set_top_box', 'phone', 'accessory']);
export type EquipmentCategory = z.infer<typeof EquipmentCategorySchema>;

/** How a CSR says each category, singular and plural. */
export const CATEGORY_LABEL: Record<EquipmentCategory, { one: string; many: string }> = {
  modem: { one: 'modem', many: 'modems' },
  router: { one: 'router', many: 'routers' },
  set_top_box: { one: 'set-top box', many: 'set-top boxes' },
  phone: { one: 'phone', many: 'phones' },
  accessory: { one: 'accessory', many: 'accessories' },
};

export const OrderModeSchema = z.enum(['buy', 'lease'], { error: 'Choose buy or lease.' });
export type OrderMode = z.infer<typeof OrderModeSchema>;

export const ItemConditionSchema = z.enum(['good', 'damaged', 'missing_parts'], {
  error: 'Record the condition: good, damaged or missing parts.',
});
export type ItemCondition = z.infer<typeof ItemConditionSchema>;

export const StockStatusSchema = z.enum(['in_stock', 'assigned', 'returned', 'defective']);
export type StockStatus = z.infer<typeof StockStatusSchema>;

/** A UPC-A (12 digits), EAN-13 or EAN-8 with a valid GS1 check digit. */
export const GtinSchema = z.string({ error: 'The UPC/EAN is missing.' }).superRefine((s, ctx) => {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(s))
    ctx.addIssue({
      code: 'custom',
      message: `A UPC/EAN has 8, 12 or 13 digits and nothing else, not "${s}".`,
    });
  else if (!gtinValid(s))
    ctx.addIssue({ code: 'custom', message: `The UPC/EAN ${s} has a wrong check digit (last digit).` });
});

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const CatalogItemSchema = z
  .object({
    sku: Text('The SKU'),
    upc: GtinSchema,
    name: Text('The item name'),
    category: EquipmentCategorySchema,
    /** Sale price per unit; null = not for sale. */
    salePriceCents: AmountCents.nullable(),
    /** Monthly lease charge per unit, before tax; null = not leased. */
    leasePriceCents: AmountCents.nullable(),
    /** Equipment deposit per leased unit; null = none. */
    leaseDepositCents: AmountCents.nullable(),
    /** Each unit has its own serial number (or MAC) that must be scanned at handover. */
    serialized: z.boolean(),
    /**
     * Regular expression source a serial must match in full, tested case-insensitively against the
     * normalized serial (a MAC as 12 hex digits, e.g. "[0-9A-F]{12}"); null = any serial shape.
     */
    serialPattern: z
      .string()
      .refine((s) => s !== '' && compiles(s), 'The serial pattern is not a valid regular expression.')
      .nullable(),
    /** Key into the tax rules ("equipment"). */
    taxClass: Text('The tax class'),
    warrantyDays: Days('The warranty'),
    returnWindowDays: Days('The return window'),
    /** Percent of the price kept on a sale return ("15"); null = the fee schedule's category default. */
    restockingFeePercent: PercentText('The restocking fee').nullable(),
    /** Ids of the service bundles this item goes with. */
    bundleSkus: z.array(Text('A bundle id')).optional(),
  })
  .superRefine((item, ctx) => {
    if (item.salePriceCents === null && item.leasePriceCents === null)
      ctx.addIssue({
        code: 'custom',
        path: ['salePriceCents'],
        message: `${item.name} has neither a sale price nor a lease price.`,
      });
    if (item.leaseDepositCents !== null && item.leasePriceCents === null)
      ctx.addIssue({
        code: 'custom',
        path: ['leaseDepositCents'],
        message: `${item.name} has a lease deposit but is not leased.`,
      });
    if (item.serialPattern !== null && !item.serialized)
      ctx.addIssue({
        code: 'custom',
        path: ['serialPattern'],
        message: `${item.name} is not serialized, so it cannot have a serial pattern.`,
      });
  });
export type CatalogItem = z.infer<typeof CatalogItemSchema>;

export const ServiceBundleSchema = z.object({
  id: Text('The bundle id'),
  name: Text('The bundle name'),
  monthlyPriceCents: AmountCents,
  /** Equipment SKUs included in the bundle's monthly price. */
  includedSkus: z.array(Text('An included SKU')),
});
export type ServiceBundle = z.infer<typeof ServiceBundleSchema>;

export const TaxRuleSchema = z
  .object({
    id: Text('The tax rule id'),
    taxClass: Text('The tax class'),
    /** The rate exactly as published, in percent, at most 4 decimals ("8.25"). */
    ratePercent: PercentText('The tax rate'),
    /** Whether the monthly lease charge is taxed (deposits never are). */
    leaseTaxed: z.boolean(),
    effectiveFrom: IsoDateSchema,
    /** Last day in force (inclusive); null = until replaced. */
    effectiveTo: IsoDateSchema.nullable(),
  })
  .superRefine((r, ctx) => {
    if (r.effectiveTo !== null && r.effectiveTo < r.effectiveFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `Tax rule ${r.id} ends (${r.effectiveTo}) before it starts (${r.effectiveFrom}).`,
      });
  });
export type TaxRule = z.infer<typeof TaxRuleSchema>;

const ByCategory = <T extends z.ZodType>(value: T) => z.partialRecord(EquipmentCategorySchema, value);

export const FeeScheduleSchema = z.object({
  id: Text('The fee schedule id'),
  /** Charged when equipment comes back damaged. */
  damagedCents: ByCategory(AmountCents),
  /** Charged when equipment comes back with parts missing (power supply, remote, cables). */
  missingPartsCents: ByCategory(AmountCents),
  /** Charged for a leased unit not returned: the SKU's fee if listed, else its category's. */
  unreturned: z.object({
    bySku: z.record(z.string(), AmountCents),
    byCategory: ByCategory(AmountCents),
  }),
  /** Restocking fee percent on sale returns for items whose catalog entry has none. */
  restockingPercentByCategory: ByCategory(PercentText('The restocking fee')),
});
export type FeeSchedule = z.infer<typeof FeeScheduleSchema>;

/** Most units on one order line. */
export const MAX_LINE_QUANTITY = 99;
/** Most lines on one order. */
export const MAX_ORDER_LINES = 50;

export const OrderLineSchema = z.object({
  sku: Text('The SKU'),
  mode: OrderModeSchema,
  quantity: z
    .number({ error: 'The quantity must be a number of units.' })
    .int('The quantity must be a whole number of units.')
    .min(1, 'The quantity must be at least 1.')
    .max(MAX_LINE_QUANTITY, `At most ${String(MAX_LINE_QUANTITY)} units on one line.`),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const StockEntrySchema = z.object({
  serial: Text('The serial'),
  sku: Text('The SKU'),
  branch: Text('The branch'),
  status: StockStatusSchema,
  /** The account the unit is assigned to (status 'assigned'). */
  accountNumber: z.string().nullable(),
});
export type StockEntry = z.infer<typeof StockEntrySchema>;

export const HandoverScanSchema = z.object({
  /** Index of the order line the serial was scanned for. */
  lineIndex: z.number().int().min(0),
  serial: z.string(),
});
export type HandoverScan = z.infer<typeof HandoverScanSchema>;

/** One unit of equipment on an account: what was sold or leased, when, and what was paid for it. */
export const AssignmentSchema = z
  .object({
    sku: Text('The SKU'),
    serial: z.string().nullable().optional(),
    mode: OrderModeSchema,
    accountNumber: Text('The account number'),
    handedOverOn: IsoDateSchema,
    /** Sale price paid for this unit (0 for a lease). */
    pricePaidCents: AmountCents,
    /** Tax paid on that price. */
    taxPaidCents: AmountCents,
    /** Equipment deposit held for this unit (0 for a sale). */
    leaseDepositCents: AmountCents,
    /** The monthly charge billed for this unit, tax included when taxed; required for a lease. */
    monthlyCents: AmountCents.optional(),
    /** Set once the unit came back. */
    returnedOn: IsoDateSchema.nullable().optional(),
  })
  .superRefine((a, ctx) => {
    if (a.mode === 'lease' && a.monthlyCents === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['monthlyCents'],
        message: 'A leased unit needs the monthly charge billed for it.',
      });
    if (a.returnedOn != null && a.returnedOn < a.handedOverOn)
      ctx.addIssue({
        code: 'custom',
        path: ['returnedOn'],
        message: `The unit cannot come back (${a.returnedOn}) before it was handed over (${a.handedOverOn}).`,
      });
  });
export type Assignment = z.infer<typeof AssignmentSchema>;
