/**
 * Equipment (DESIGN.md §6 "Equipment", issue 7): pricing an order of modems, routers, set-top boxes,
 * phones and accessories (sale or lease), checking the serials scanned at handover, quoting returns,
 * exchanges and unreturned leased equipment, and routing a scanned UPC/EAN to its catalog item.
 *
 * Pure functions over catalog, tax and fee data that a supervisor maintains (no rate, fee or window is
 * a constant here): the host calls them before it writes anything, the screen calls them to show the
 * figures while the CSR works. Every refusal is a CounterError with a sentence the CSR can say to the
 * customer and the `field` it belongs to.
 *
 * Conventions, fixed here so that every figure can be checked by hand:
 * - Money is an integer number of cents. Percents (tax rates, restocking fees) are exact decimal text
 *   ("8.25", "15") held as a BigInt ratio: no binary float ever touches an amount.
 * - **Tax is worked out per order line**: the line's extended amount × the rate of the item's tax class
 *   in force on the order date, rounded **half-up** to the cent (amounts here are never negative, so
 *   half-up is also half away from zero). Order totals are the sums of the rounded lines, never a tax
 *   on the order total: two $6.00 cables on two lines at 8.25 % are 49.5¢ → 50¢ each, $1.00 together,
 *   while one line of 2 cables is $12.00 × 8.25 % = 99¢.
 * - A restocking fee is a percent of the price paid (before tax), rounded half-up to the cent.
 * - Dates are ISO `YYYY-MM-DD`. Return windows and warranties count days after the handover and include
 *   their last day: handed over 2025-03-01 with a 30-day window, the last day to return is 2025-03-31.
 * - Serials are compared in normalized form (`normalizeSerial`): no whitespace, upper case, and a MAC
 *   address, however it is written, as its 12 hex digits.
 * - Invoice lines are signed: positive = money to the customer, negative = money the customer owes.
 */
import { z } from 'zod';

import { CounterError, type ErrorCode } from '../api/errors.js';
import { addCents, formatCents, MAX_AMOUNT_CENTS, subCents, type Cents } from '../money.js';
import { gtinValid } from '../validators/gtin.js';

// ---------------------------------------------------------------------------------------------------
// Dates (integer day numbers; no time zones)

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Days since 1970-01-01 of a valid ISO date. */
function dayOf(iso: string): number {
  return (
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY
  );
}

function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  return isoOf(dayOf(iso) + days);
}

// ---------------------------------------------------------------------------------------------------
// Exact percents

type Ratio = { n: bigint; d: bigint };

/** "8.25" → 825/100. The schemas only let plain decimals through. */
function parseDecimal(text: string): Ratio {
  const [whole = '0', decimals = ''] = text.split('.');
  return { n: BigInt(whole + decimals), d: 10n ** BigInt(decimals.length) };
}

function toCents(value: bigint, field: string): Cents {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CounterError('INVALID_INPUT', 'The amount is too large.', field);
  return n;
}

/** `cents` × `percent` ÷ 100, rounded half-up to the cent (`cents` ≥ 0). */
function percentOf(cents: Cents, percent: string, field: string): Cents {
  const r = parseDecimal(percent);
  const n = BigInt(cents) * r.n;
  const d = r.d * 100n;
  return toCents((2n * n + d) / (2n * d), field);
}

function times(cents: Cents, quantity: number, field: string): Cents {
  return toCents(BigInt(cents) * BigInt(quantity), field);
}

/** Splits `total` into `parts` amounts that differ by at most a cent, the larger ones first. */
function splitEvenly(total: Cents, parts: number): Cents[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => (i < extra ? base + 1 : base));
}

const money = (cents: Cents): string => formatCents(cents, { symbol: true });

// ---------------------------------------------------------------------------------------------------
// Schemas

const IsoDateSchema = z.string().refine(isIsoDate, 'Use a real calendar date written YYYY-MM-DD.');

const AmountCents = z
  .number({ error: 'Amounts are whole cents.' })
  .int('Amounts are whole cents.')
  .min(0, 'Amounts cannot be negative.')
  .max(MAX_AMOUNT_CENTS, 'The amount is too large for the counter.');

const Days = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of days.` })
    .int(`${what} must be a whole number of days.`)
    .min(0, `${what} cannot be negative.`)
    .max(3650, `${what} cannot be more than 3650 days.`);

/** A percent written as published: up to 3 whole digits and up to 4 decimals, 0 to 100 ("8.25"). */
const PercentText = (what: string) =>
  z.string({ error: `${what} must be written as text, e.g. "8.25".` }).superRefine((s, ctx) => {
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(s))
      ctx.addIssue({
        code: 'custom',
        message: `${what} must be a percent such as "8.25" (at most 4 decimals, no % sign), not "${s}".`,
      });
    else if (parseDecimal(s).n > 100n * parseDecimal(s).d)
      ctx.addIssue({ code: 'custom', message: `${what} cannot be more than 100 %.` });
  });

const Text = (what: string) =>
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

// ---------------------------------------------------------------------------------------------------
// Input checks

function parseInput<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    field: [field, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
  const first = details[0] ?? { field, message: 'Invalid input.' };
  throw new CounterError('INVALID_INPUT', first.message, first.field, details);
}

function parseDate(value: unknown, field: string): string {
  if (!isIsoDate(value))
    throw new CounterError(
      'INVALID_INPUT',
      `"${String(value)}" is not a date: use YYYY-MM-DD, e.g. 2025-03-01.`,
      field,
    );
  return value;
}

function parseList<T>(schema: z.ZodType<T>, value: unknown, field: string, what: string): T[] {
  if (!Array.isArray(value)) throw new CounterError('INVALID_INPUT', `${what} must be a list.`, field);
  return value.map((v, i) => parseInput(schema, v, `${field}.${String(i)}`));
}

/** "1000042517" → "******2517": only the last 4 characters show (of 4 or fewer, only the last). */
export function maskAccount(accountNumber: string): string {
  const a = accountNumber.trim();
  const shown = a.length > 4 ? 4 : Math.min(1, a.length);
  return '*'.repeat(a.length - shown) + a.slice(a.length - shown);
}

/** GS1 comparison key: every UPC-A, EAN-13 and EAN-8 as 14 digits. */
function gtin14(code: string): string {
  return code.padStart(14, '0');
}

function unitWord(n: number, one: string, many = `${one}s`): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------------
// Catalog and tax rules

/**
 * Checks a catalog: every item well formed (a valid UPC/EAN check digit, a sale or a lease price, a
 * deposit only on leased items, a serial pattern only on serialized items), no SKU or barcode twice
 * (UPC-A `084123001014` and EAN-13 `0084123001014` are the same barcode). With `bundles`, also checks
 * that each bundle's included SKUs are in the catalog and each item's `bundleSkus` name a bundle.
 * Returns the items as parsed; throws CounterError INVALID_INPUT naming `catalog.<i>.<field>`.
 *
 * @example
 * validateCatalog([router, { ...router, sku: 'RTR-2' }]);
 * // CounterError: "Wi-Fi 6 Router AX3000 and Wi-Fi 6 Router AX3000 share the barcode 084123001021."
 * // field catalog.1.upc
 */
export function validateCatalog(
  catalog: readonly CatalogItem[],
  bundles?: readonly ServiceBundle[],
): CatalogItem[] {
  const items = parseList(CatalogItemSchema, catalog, 'catalog', 'The catalog');
  const bySku = new Map<string, CatalogItem>();
  const byGtin = new Map<string, CatalogItem>();
  items.forEach((item, i) => {
    if (bySku.has(item.sku))
      throw new CounterError(
        'INVALID_INPUT',
        `Two catalog items share the SKU ${item.sku}: give each its own.`,
        `catalog.${String(i)}.sku`,
      );
    bySku.set(item.sku, item);
    const other = byGtin.get(gtin14(item.upc));
    if (other)
      throw new CounterError(
        'INVALID_INPUT',
        `${other.name} and ${item.name} share the barcode ${item.upc}.`,
        `catalog.${String(i)}.upc`,
      );
    byGtin.set(gtin14(item.upc), item);
  });
  if (bundles !== undefined) {
    const parsed = parseList(ServiceBundleSchema, bundles, 'bundles', 'The bundles');
    const ids = new Set<string>();
    parsed.forEach((b, i) => {
      if (ids.has(b.id))
        throw new CounterError(
          'INVALID_INPUT',
          `Two bundles share the id ${b.id}.`,
          `bundles.${String(i)}.id`,
        );
      ids.add(b.id);
      b.includedSkus.forEach((sku, k) => {
        if (!bySku.has(sku))
          throw new CounterError(
            'INVALID_INPUT',
            `Bundle ${b.name} includes SKU ${sku}, which is not in the catalog.`,
            `bundles.${String(i)}.includedSkus.${String(k)}`,
          );
      });
    });
    items.forEach((item, i) =>
      item.bundleSkus?.forEach((id, k) => {
        if (!ids.has(id))
          throw new CounterError(
            'INVALID_INPUT',
            `${item.name} goes with bundle ${id}, which is not in the bundle list.`,
            `catalog.${String(i)}.bundleSkus.${String(k)}`,
          );
      }),
    );
  }
  return items;
}

function indexCatalog(catalog: readonly CatalogItem[]): Map<string, CatalogItem> {
  return new Map(validateCatalog(catalog).map((item) => [item.sku, item]));
}

/**
 * Checks a set of tax rules: each well formed (a percent with at most 4 decimals, 0 to 100; an end not
 * before its start), ids unique, and no two rules of one tax class in force on the same day. Gaps are
 * allowed (pricing on a day with no rule is refused then). Returns the rules as parsed.
 *
 * @example
 * validateTaxRules([
 *   { id: 'EQ-2024', taxClass: 'equipment', ratePercent: '8', effectiveFrom: '2024-01-01', effectiveTo: null, … },
 *   { id: 'EQ-2025', taxClass: 'equipment', ratePercent: '8.25', effectiveFrom: '2025-01-01', effectiveTo: null, … },
 * ]);
 * // CounterError: "Tax rules EQ-2024 and EQ-2025 for equipment are both in force from 2025-01-01: end
 * // EQ-2024 on 2024-12-31." field taxRules.1.effectiveFrom
 */
export function validateTaxRules(rules: readonly TaxRule[]): TaxRule[] {
  const parsed = parseList(TaxRuleSchema, rules, 'taxRules', 'The tax rules');
  const ids = new Set<string>();
  parsed.forEach((r, i) => {
    if (ids.has(r.id))
      throw new CounterError(
        'INVALID_INPUT',
        `Two tax rules share the id ${r.id}.`,
        `taxRules.${String(i)}.id`,
      );
    ids.add(r.id);
  });
  const byClass = new Map<string, { rule: TaxRule; index: number }[]>();
  parsed.forEach((rule, index) => {
    const list = byClass.get(rule.taxClass) ?? [];
    list.push({ rule, index });
    byClass.set(rule.taxClass, list);
  });
  for (const [taxClass, list] of byClass) {
    list.sort((a, b) => a.rule.effectiveFrom.localeCompare(b.rule.effectiveFrom));
    for (let k = 1; k < list.length; k += 1) {
      const prev = list[k - 1];
      const next = list[k];
      if (!prev || !next) continue;
      if (prev.rule.effectiveTo === null || prev.rule.effectiveTo >= next.rule.effectiveFrom)
        throw new CounterError(
          'INVALID_INPUT',
          `Tax rules ${prev.rule.id} and ${next.rule.id} for ${taxClass} are both in force from ${next.rule.effectiveFrom}: end ${prev.rule.id} on ${addDays(next.rule.effectiveFrom, -1)}.`,
          `taxRules.${String(next.index)}.effectiveFrom`,
        );
    }
  }
  return parsed;
}

function ruleInForce(rules: readonly TaxRule[], taxClass: string, date: string, field: string): TaxRule {
  const rule = rules.find(
    (r) =>
      r.taxClass === taxClass && r.effectiveFrom <= date && (r.effectiveTo === null || date <= r.effectiveTo),
  );
  if (!rule)
    throw new CounterError(
      'NOT_FOUND',
      `No tax rule for the tax class "${taxClass}" is in force on ${date}: ask a supervisor to set one up.`,
      field,
    );
  return rule;
}

/**
 * The tax rule of `taxClass` in force on `date` (effectiveFrom ≤ date ≤ effectiveTo).
 *
 * @example
 * taxRuleFor(rules, 'equipment', '2024-12-31').ratePercent; // '8'    (EQ-2024, to 2024-12-31)
 * taxRuleFor(rules, 'equipment', '2025-01-01').ratePercent; // '8.25' (EQ-2025, from 2025-01-01)
 */
export function taxRuleFor(rules: readonly TaxRule[], taxClass: string, date: string): TaxRule {
  return ruleInForce(validateTaxRules(rules), taxClass, parseDate(date, 'date'), 'taxClass');
}

/**
 * Tax on `amountCents` under `rule`: amount × rate, rounded half-up to the cent.
 *
 * @example
 * taxOn(12_999, { ratePercent: '8.25', … }); // 129.99 × 8.25 % = 10.724175 → 1_072
 * taxOn(600, { ratePercent: '8.25', … });    //   6.00 × 8.25 % = 0.495     → 50 (half-up)
 */
export function taxOn(amountCents: Cents, rule: Pick<TaxRule, 'ratePercent'>): Cents {
  const cents = parseInput(AmountCents, amountCents, 'amountCents');
  const rate = parseInput(PercentText('The tax rate'), rule.ratePercent, 'ratePercent');
  return percentOf(cents, rate, 'amountCents');
}

// ---------------------------------------------------------------------------------------------------
// Barcode routing

/**
 * The catalog item a scanned UPC-A, EAN-13 or EAN-8 belongs to. The check digit is verified first (a
 * misread barcode never finds the wrong item); a UPC-A matches the same code sent as EAN-13 with a
 * leading 0. A trailing CR/LF from the scanner is ignored.
 *
 * @example
 * resolveScanToCatalog('084123001021', catalog).sku;  // 'RTR-AX3000'
 * resolveScanToCatalog('0084123001021', catalog).sku; // 'RTR-AX3000' (EAN-13 form of the same UPC)
 * resolveScanToCatalog('084123001022', catalog);
 * // CounterError INVALID_INPUT: "That product barcode did not scan correctly (check digit). Scan it
 * // again or type the SKU." field code
 */
export function resolveScanToCatalog(code: string, catalog: readonly CatalogItem[]): CatalogItem {
  if (typeof code !== 'string') throw new CounterError('INVALID_INPUT', 'Scan a product barcode.', 'code');
  const raw = code.replace(/[\r\n]+$/, '').trim();
  if (raw === '') throw new CounterError('INVALID_INPUT', 'Scan a product barcode.', 'code');
  if (!/^\d+$/.test(raw))
    throw new CounterError(
      'INVALID_INPUT',
      `"${raw.slice(0, 32)}" is not a product barcode (UPC/EAN): scan the barcode printed under the product name.`,
      'code',
    );
  if (![8, 12, 13].includes(raw.length))
    throw new CounterError(
      'INVALID_INPUT',
      `A product barcode (UPC/EAN) has 8, 12 or 13 digits; ${raw.slice(0, 32)} has ${String(raw.length)}. Scan it again.`,
      'code',
    );
  if (!gtinValid(raw))
    throw new CounterError(
      'INVALID_INPUT',
      'That product barcode did not scan correctly (check digit). Scan it again or type the SKU.',
      'code',
    );
  const key = gtin14(raw);
  const item = validateCatalog(catalog).find((i) => gtin14(i.upc) === key);
  if (!item)
    throw new CounterError(
      'NOT_FOUND',
      `No catalog item has the barcode ${raw}: search the catalog by name or SKU.`,
      'code',
    );
  return item;
}

// ---------------------------------------------------------------------------------------------------
// Pricing

export type PricedUnit = {
  /** This unit's share of the line's extended amount (0 on a lease line). */
  priceCents: Cents;
  taxCents: Cents;
  depositCents: Cents;
  /** This unit's share of the line's new monthly charge, tax included. */
  monthlyCents: Cents;
};

export type PricedLine = {
  sku: string;
  name: string;
  mode: OrderMode;
  quantity: number;
  /** Per unit: the sale price (buy) or the monthly lease charge before tax (lease). */
  unitCents: Cents;
  /** Sold now, before tax: unitCents × quantity on a buy line, 0 on a lease line (nothing is sold). */
  extendedCents: Cents;
  /** Tax due now: extendedCents × rate, rounded half-up (0 on a lease line). */
  taxCents: Cents;
  /** Equipment deposit due now: the item's lease deposit × quantity (0 on a buy line). */
  depositCents: Cents;
  /** New monthly charge, tax included when the rule taxes leases (0 on a buy line). */
  monthlyCents: Cents;
  /** The tax inside monthlyCents: unitCents × quantity × rate, rounded half-up, when leases are taxed. */
  monthlyTaxCents: Cents;
  /** extendedCents + taxCents + depositCents. */
  dueNowCents: Cents;
  taxRuleId: string;
  ratePercent: string;
  /**
   * The line split per unit (what each unit's assignment records as paid): each figure is divided
   * evenly, the odd cents on the first units, so the units add up to the line exactly.
   */
  units: PricedUnit[];
};

export type PricedOrder = {
  lines: PricedLine[];
  /** Σ extendedCents: the sale prices. */
  subtotalCents: Cents;
  /** Σ taxCents of the lines (each line rounded on its own). */
  taxCents: Cents;
  /** Σ depositCents. */
  depositCents: Cents;
  /** subtotal + tax + deposits: what the customer pays at the counter. */
  dueNowCents: Cents;
  /** Σ monthlyCents: what the account's monthly bill goes up by, tax included. */
  newMonthlyCents: Cents;
  /** Σ monthlyTaxCents: the tax inside newMonthlyCents. */
  newMonthlyTaxCents: Cents;
  /** The tax rules used, one per tax class. */
  taxRules: { taxClass: string; ruleId: string; ratePercent: string; leaseTaxed: boolean }[];
};

/**
 * Prices an equipment order on `asOf`: sale lines at the sale price plus tax, lease lines at the
 * monthly charge (taxed when the rule in force says so) plus the equipment deposit, due now. Tax is
 * per line, rounded half-up to the cent; the order's totals are the sums of its lines.
 *
 * Refuses (CounterError, field `lines.<i>.<field>`): no lines, an unknown SKU, a mode the item is not
 * offered in (leasing a phone sold only), a quantity that is not a whole number from 1 to 99, a tax
 * class with no rule in force on `asOf`. A serialized item may have any quantity: each unit needs its
 * own serial at handover (`checkHandover`).
 *
 * @example
 * // asOf 2025-03-01, equipment tax 8.25 %, leases taxed
 * priceOrder([
 *   { sku: 'MDM-D31', mode: 'lease', quantity: 1 },   // 14.99/mo, deposit 50.00
 *   { sku: 'RTR-AX3000', mode: 'buy', quantity: 1 },  // 129.99
 * ], catalog, rules, '2025-03-01');
 * // router: tax 129.99 × 8.25 % = 10.724175 → 10.72; modem: monthly tax 14.99 × 8.25 % = 1.236675 → 1.24
 * // { subtotalCents: 12_999, taxCents: 1_072, depositCents: 5_000, dueNowCents: 19_071,
 * //   newMonthlyCents: 1_623, newMonthlyTaxCents: 124, … }
 */
export function priceOrder(
  lines: readonly OrderLine[],
  catalog: readonly CatalogItem[],
  taxRules: readonly TaxRule[],
  asOf: string,
): PricedOrder {
  const date = parseDate(asOf, 'asOf');
  const index = indexCatalog(catalog);
  const rules = validateTaxRules(taxRules);
  if (!Array.isArray(lines) || lines.length === 0)
    throw new CounterError('INVALID_INPUT', 'Add an item to the order.', 'lines');
  if (lines.length > MAX_ORDER_LINES)
    throw new CounterError(
      'INVALID_INPUT',
      `At most ${String(MAX_ORDER_LINES)} lines on one order: split it in two.`,
      'lines',
    );
  const used = new Map<string, PricedOrder['taxRules'][number]>();

  const priced = lines.map((input, i): PricedLine => {
    const field = `lines.${String(i)}`;
    const line = parseInput(OrderLineSchema, input, field);
    const item = index.get(line.sku);
    if (!item)
      throw new CounterError(
        'NOT_FOUND',
        `No catalog item has the SKU ${line.sku}: scan the box barcode or search the catalog.`,
        `${field}.sku`,
      );
    const rule = ruleInForce(rules, item.taxClass, date, `${field}.sku`);
    used.set(rule.taxClass, {
      taxClass: rule.taxClass,
      ruleId: rule.id,
      ratePercent: rule.ratePercent,
      leaseTaxed: rule.leaseTaxed,
    });
    const q = line.quantity;
    let unitCents: Cents;
    let extendedCents = 0;
    let taxCents = 0;
    let depositCents = 0;
    let monthlyCents = 0;
    let monthlyTaxCents = 0;
    if (line.mode === 'buy') {
      if (item.salePriceCents === null)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${item.name} is leased only: it cannot be bought.`,
          `${field}.mode`,
        );
      unitCents = item.salePriceCents;
      extendedCents = times(unitCents, q, field);
      taxCents = percentOf(extendedCents, rule.ratePercent, field);
    } else {
      if (item.leasePriceCents === null)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${item.name} is sold only: it cannot be leased.`,
          `${field}.mode`,
        );
      unitCents = item.leasePriceCents;
      depositCents = times(item.leaseDepositCents ?? 0, q, field);
      const before = times(unitCents, q, field);
      monthlyTaxCents = rule.leaseTaxed ? percentOf(before, rule.ratePercent, field) : 0;
      monthlyCents = addCents(before, monthlyTaxCents);
    }
    const prices = splitEvenly(extendedCents, q);
    const taxes = splitEvenly(taxCents, q);
    const deposits = splitEvenly(depositCents, q);
    const monthlies = splitEvenly(monthlyCents, q);
    return {
      sku: item.sku,
      name: item.name,
      mode: line.mode,
      quantity: q,
      unitCents,
      extendedCents,
      taxCents,
      depositCents,
      monthlyCents,
      monthlyTaxCents,
      dueNowCents: addCents(extendedCents, taxCents, depositCents),
      taxRuleId: rule.id,
      ratePercent: rule.ratePercent,
      units: prices.map((priceCents, u) => ({
        priceCents,
        taxCents: taxes[u] ?? 0,
        depositCents: deposits[u] ?? 0,
        monthlyCents: monthlies[u] ?? 0,
      })),
    };
  });

  const sum = (pick: (l: PricedLine) => Cents): Cents => addCents(...priced.map(pick));
  return {
    lines: priced,
    subtotalCents: sum((l) => l.extendedCents),
    taxCents: sum((l) => l.taxCents),
    depositCents: sum((l) => l.depositCents),
    dueNowCents: sum((l) => l.dueNowCents),
    newMonthlyCents: sum((l) => l.monthlyCents),
    newMonthlyTaxCents: sum((l) => l.monthlyTaxCents),
    taxRules: [...used.values()],
  };
}

// ---------------------------------------------------------------------------------------------------
// Serials

const MAC_SEPARATED =
  /^([0-9A-F]{2})([:-])([0-9A-F]{2})\2([0-9A-F]{2})\2([0-9A-F]{2})\2([0-9A-F]{2})\2([0-9A-F]{2})$/;
const MAC_DOTTED = /^([0-9A-F]{4})\.([0-9A-F]{4})\.([0-9A-F]{4})$/;
/** A serial with no pattern in the catalog: 4 to 40 letters, digits, and - . / _ inside. */
const GENERIC_SERIAL = /^[A-Z0-9][A-Z0-9./_-]{2,38}[A-Z0-9]$/;

/**
 * The one form a serial is stored and compared in: whitespace removed (a scanner's CR/LF, spaces typed
 * from a label), upper case, and a MAC address written `AA:BB:CC:DD:EE:FF`, `AA-BB-CC-DD-EE-FF` or
 * `AABB.CCDD.EEFF` (one separator throughout) reduced to its 12 hex digits. Idempotent.
 *
 * @example
 * normalizeSerial('a4:2b:8c:01:ef:9d'); // 'A42B8C01EF9D'
 * normalizeSerial('A4-2B-8C-01-EF-9D'); // 'A42B8C01EF9D'
 * normalizeSerial('a42b.8c01.ef9d');    // 'A42B8C01EF9D'
 * normalizeSerial(' stb100200301\r\n'); // 'STB100200301'
 * normalizeSerial('A4:2B-8C:01:EF:9D'); // 'A4:2B-8C:01:EF:9D' (mixed separators: not read as a MAC)
 */
export function normalizeSerial(serial: string): string {
  const s = String(serial).toUpperCase().replace(/\s+/g, '');
  const sep = MAC_SEPARATED.exec(s);
  if (sep) return [sep[1], sep[3], sep[4], sep[5], sep[6], sep[7]].join('');
  const dot = MAC_DOTTED.exec(s);
  if (dot) return [dot[1], dot[2], dot[3]].join('');
  return s;
}

/** A normalized 12-hex-digit MAC as `AA:BB:CC:DD:EE:FF` for receipts; anything else unchanged. */
export function formatMac(serial: string): string {
  const s = normalizeSerial(serial);
  return /^[0-9A-F]{12}$/.test(s) ? (s.match(/../g) ?? []).join(':') : s;
}

function serialProblem(item: CatalogItem, normalized: string): string | null {
  if (normalized === '') return `Scan the serial number (S/N or MAC) of the ${item.name}.`;
  if (/^\d+$/.test(normalized) && gtin14(normalized) === gtin14(item.upc))
    return `That is the product barcode of the ${item.name}, not its serial: scan the S/N or MAC label.`;
  const ok = item.serialPattern
    ? new RegExp(`^(?:${item.serialPattern})$`, 'i').test(normalized)
    : GENERIC_SERIAL.test(normalized);
  return ok
    ? null
    : `${normalized.slice(0, 40)} is not a ${item.name} serial number: scan the S/N or MAC label of the ${item.name}.`;
}

/**
 * Checks a scanned serial against the item and returns it normalized. Refuses (CounterError
 * INVALID_INPUT, field `serial`) a serial for an item that has none, an empty scan, the product
 * barcode scanned instead of the serial, and a serial that does not match the item's pattern (tested
 * on the normalized form).
 *
 * @example
 * validateSerial(modem, 'a4-2b-8c-01-ef-9d'); // 'A42B8C01EF9D' (pattern [0-9A-F]{12})
 * validateSerial(modem, 'STB100200301');
 * // CounterError: "STB100200301 is not a DOCSIS 3.1 Cable Modem serial number: scan the S/N or MAC
 * // label of the DOCSIS 3.1 Cable Modem."
 * validateSerial(coaxCable, 'X1');
 * // CounterError: "The Coax Cable 6 ft has no serial number: there is nothing to scan."
 */
export function validateSerial(item: CatalogItem, serial: string): string {
  const parsed = parseInput(CatalogItemSchema, item, 'item');
  if (!parsed.serialized)
    throw new CounterError(
      'INVALID_INPUT',
      `The ${parsed.name} has no serial number: there is nothing to scan.`,
      'serial',
    );
  const normalized = normalizeSerial(typeof serial === 'string' ? serial : '');
  const problem = serialProblem(parsed, normalized);
  if (problem) throw new CounterError('INVALID_INPUT', problem, 'serial');
  return normalized;
}

export type HandoverUnit = {
  lineIndex: number;
  /** 0-based unit of the line. */
  unitIndex: number;
  sku: string;
  name: string;
  mode: OrderMode;
  /** Normalized serial; null for an item that is not serialized. */
  serial: string | null;
};

type Problem = { code: ErrorCode; field: string; message: string };

/**
 * Checks the serials scanned at handover and assigns one to each unit. Each scan names the order line
 * it was scanned for; serials are compared normalized. Every unit of a serialized line needs its own
 * serial that is in this branch's stock, in stock (not assigned, returned or defective), and of the
 * line's SKU. Returns every unit of every line (non-serialized units with serial null), serials in
 * scan order.
 *
 * Refuses with a CounterError naming the exact problem; when there are several, the message and field
 * are the first and `details` lists them all:
 * - a serial scanned for an item that has none;
 * - the same serial scanned twice in the order;
 * - an unknown serial (NOT_FOUND), or one that is not even shaped like the item's serials;
 * - a serial of another SKU: "That serial is a Wi-Fi 6 Router AX3000, the line is a DOCSIS 3.1 Cable Modem.";
 * - another branch's stock;
 * - a serial already assigned, naming the account masked (CONFLICT); a returned or defective unit;
 * - fewer or more serials than units on a line.
 *
 * @example
 * checkHandover([{ sku: 'MDM-D31', mode: 'lease', quantity: 1 }, { sku: 'ACC-COAX6', mode: 'buy', quantity: 2 }],
 *   [{ lineIndex: 0, serial: 'a4:2b:8c:01:ef:9d' }], stock, 'MAIN', catalog).units;
 * // [{ lineIndex: 0, unitIndex: 0, sku: 'MDM-D31', serial: 'A42B8C01EF9D', … },
 * //  { lineIndex: 1, unitIndex: 0, sku: 'ACC-COAX6', serial: null, … },
 * //  { lineIndex: 1, unitIndex: 1, sku: 'ACC-COAX6', serial: null, … }]
 */
export function checkHandover(
  lines: readonly OrderLine[],
  scans: readonly HandoverScan[],
  stock: readonly StockEntry[],
  branch: string,
  catalog: readonly CatalogItem[],
): { units: HandoverUnit[] } {
  const index = indexCatalog(catalog);
  const here = parseInput(Text('The branch'), branch, 'branch');
  if (!Array.isArray(lines) || lines.length === 0)
    throw new CounterError('INVALID_INPUT', 'The order has no lines to hand over.', 'lines');
  const parsedLines = lines.map((l, i) => parseInput(OrderLineSchema, l, `lines.${String(i)}`));
  const items = parsedLines.map((l, i) => {
    const item = index.get(l.sku);
    if (!item)
      throw new CounterError('NOT_FOUND', `No catalog item has the SKU ${l.sku}.`, `lines.${String(i)}.sku`);
    return item;
  });
  const parsedScans = parseList(HandoverScanSchema, scans, 'scans', 'The scanned serials');
  const stockBySerial = new Map<string, StockEntry[]>();
  for (const entry of parseList(StockEntrySchema, stock, 'stock', 'The stock')) {
    const key = normalizeSerial(entry.serial);
    stockBySerial.set(key, [...(stockBySerial.get(key) ?? []), entry]);
  }
  const nameOf = (sku: string): string => index.get(sku)?.name ?? `SKU ${sku}`;

  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const serialsByLine = parsedLines.map((): string[] => []);
  const scanCount = parsedLines.map(() => 0);

  parsedScans.forEach((scan, j) => {
    const field = `scans.${String(j)}.serial`;
    const line = parsedLines[scan.lineIndex];
    const item = items[scan.lineIndex];
    if (!line || !item) {
      problems.push({
        code: 'INVALID_INPUT',
        field: `scans.${String(j)}.lineIndex`,
        message: `The order has no line ${String(scan.lineIndex + 1)}.`,
      });
      return;
    }
    scanCount[scan.lineIndex] = (scanCount[scan.lineIndex] ?? 0) + 1;
    const serial = normalizeSerial(scan.serial);
    const lineNo = String(scan.lineIndex + 1);
    const problem = (code: ErrorCode, message: string): void => {
      problems.push({ code, field, message });
    };
    if (!item.serialized)
      return problem(
        'INVALID_INPUT',
        `The ${item.name} (line ${lineNo}) has no serial number: remove the scan ${serial.slice(0, 40)}.`,
      );
    const earlier = seen.get(serial);
    if (earlier !== undefined)
      return problem(
        'INVALID_INPUT',
        `Serial ${serial} was already scanned in this order (line ${String(earlier + 1)}): each unit needs its own serial.`,
      );
    seen.set(serial, scan.lineIndex);
    const entries = stockBySerial.get(serial) ?? [];
    const entry = entries.find((e) => e.sku === line.sku) ?? entries[0];
    if (!entry) {
      const shape = serialProblem(item, serial);
      return shape
        ? problem('INVALID_INPUT', shape)
        : problem(
            'NOT_FOUND',
            `Serial ${serial} is not in our stock records: check the S/N or MAC label and scan again, or ask a supervisor to receive the unit.`,
          );
    }
    if (entry.sku !== line.sku)
      return problem(
        'INVALID_INPUT',
        `That serial is a ${nameOf(entry.sku)}, the line is a ${item.name}: scan the ${item.name}.`,
      );
    if (entry.branch !== here)
      return problem(
        'INVALID_INPUT',
        `Serial ${serial} is stock of branch ${entry.branch}, not of ${here}: it cannot be handed over here.`,
      );
    switch (entry.status) {
      case 'assigned':
        return problem(
          'CONFLICT',
          entry.accountNumber
            ? `Serial ${serial} is already assigned to account ${maskAccount(entry.accountNumber)}: take another unit.`
            : `Serial ${serial} is already assigned to another account: take another unit.`,
        );
      case 'defective':
        return problem(
          'INVALID_INPUT',
          `Serial ${serial} is marked defective: set it aside and take another unit.`,
        );
      case 'returned':
        return problem(
          'INVALID_INPUT',
          `Serial ${serial} was returned and is not back in stock yet: take another unit.`,
        );
      case 'in_stock':
        serialsByLine[scan.lineIndex]?.push(serial);
        return;
    }
  });

  parsedLines.forEach((line, i) => {
    const item = items[i];
    if (!item?.serialized) return;
    const got = scanCount[i] ?? 0;
    const what = `Line ${String(i + 1)} (${String(line.quantity)} × ${item.name})`;
    if (got < line.quantity)
      problems.push({
        code: 'INVALID_INPUT',
        field: `lines.${String(i)}`,
        message: `${what} needs ${unitWord(line.quantity, 'serial')}: ${String(got)} scanned, scan ${String(line.quantity - got)} more.`,
      });
    else if (got > line.quantity)
      problems.push({
        code: 'INVALID_INPUT',
        field: `lines.${String(i)}`,
        message: `${what} has ${String(got)} serials for ${unitWord(line.quantity, 'unit')}: remove ${String(got - line.quantity)}.`,
      });
  });

  const first = problems[0];
  if (first)
    throw new CounterError(
      first.code,
      first.message,
      first.field,
      problems.map((p) => ({ field: p.field, message: p.message })),
    );

  const units: HandoverUnit[] = [];
  parsedLines.forEach((line, i) => {
    const item = items[i];
    if (!item) return;
    for (let u = 0; u < line.quantity; u += 1)
      units.push({
        lineIndex: i,
        unitIndex: u,
        sku: item.sku,
        name: item.name,
        mode: line.mode,
        serial: item.serialized ? (serialsByLine[i]?.[u] ?? null) : null,
      });
  });
  return { units };
}

// ---------------------------------------------------------------------------------------------------
// Returns

export type InvoiceLineKind =
  | 'refund_price'
  | 'refund_tax'
  | 'restocking_fee'
  | 'damaged_fee'
  | 'missing_parts_fee'
  | 'deposit_release'
  | 'deposit_due'
  | 'exchange_credit'
  | 'new_price'
  | 'new_tax'
  | 'warranty_replacement';

/** A line of a return-goods (or exchange) invoice: positive = to the customer, negative = owed. */
export type InvoiceLine = { kind: InvoiceLineKind; description: string; cents: Cents };

export type ReturnQuote = {
  sku: string;
  name: string;
  serial: string | null;
  mode: OrderMode;
  condition: ItemCondition;
  handedOverOn: string;
  returnedOn: string;
  daysSinceHandover: number;
  /** Sale: last day of the return window; lease: null (a leased unit can always come back). */
  returnWindowEndsOn: string | null;
  withinWindow: boolean;
  /** Price + tax paid − restocking fee; 0 for a sale after the window without a supervisor, and for leases. */
  refundCents: Cents;
  /** The refund a supervisor can approve after the window (equal to refundCents otherwise). */
  refundIfApprovedCents: Cents;
  restockingFeeCents: Cents;
  /** The equipment deposit released on a lease return. */
  depositReleaseCents: Cents;
  /** Damaged or missing-parts fee from the schedule. */
  feeCents: Cents;
  /** The monthly charge that stops (lease). */
  stopMonthlyCents: Cents;
  /** refund + deposit release − fee: positive = paid to the customer, negative = the customer owes. */
  netCents: Cents;
  /** For the return-goods invoice; Σ cents = netCents. */
  lines: InvoiceLine[];
  /** A sale return after the window: only a supervisor can approve the refund. */
  needsSupervisor: boolean;
  reason: string;
};

export type ReturnOptions = {
  /** The account at the counter: the unit must be assigned to it. */
  accountNumber: string;
  /** A supervisor approved a refund after the return window. */
  supervisorOverride?: boolean;
};

function conditionFee(
  item: CatalogItem,
  condition: ItemCondition,
  fees: FeeSchedule,
): { cents: Cents; line: InvoiceLine | null; words: string } {
  if (condition === 'good') return { cents: 0, line: null, words: '' };
  const damaged = condition === 'damaged';
  const cents = (damaged ? fees.damagedCents : fees.missingPartsCents)[item.category];
  const what = damaged ? 'damaged-equipment' : 'missing-parts';
  if (cents === undefined)
    throw new CounterError(
      'NOT_FOUND',
      `Fee schedule ${fees.id} has no ${what} fee for ${CATEGORY_LABEL[item.category].many}: ask a supervisor to set one up.`,
      'fees',
    );
  return {
    cents,
    line:
      cents > 0
        ? {
            kind: damaged ? 'damaged_fee' : 'missing_parts_fee',
            description: damaged ? 'Damaged equipment fee' : 'Missing parts fee',
            cents: -cents,
          }
        : null,
    words: ` Returned ${damaged ? 'damaged' : 'with parts missing'}: ${money(cents)} ${what} fee.`,
  };
}

function restockingPercent(item: CatalogItem, fees: FeeSchedule): string | null {
  return item.restockingFeePercent ?? fees.restockingPercentByCategory[item.category] ?? null;
}

/** The checks every return and exchange starts with; returns the parsed assignment and its item. */
function returnable(
  assignment: Assignment,
  accountNumber: unknown,
  date: string,
  index: Map<string, CatalogItem>,
): { a: Assignment; item: CatalogItem; serial: string | null; days: number } {
  const a = parseInput(AssignmentSchema, assignment, 'assignment');
  const account = parseInput(Text('The account number'), accountNumber, 'accountNumber').trim();
  const item = index.get(a.sku);
  if (!item)
    throw new CounterError(
      'NOT_FOUND',
      `The unit's SKU ${a.sku} is not in the catalog: ask a supervisor.`,
      'assignment.sku',
    );
  const serial = a.serial ? normalizeSerial(a.serial) : null;
  const unit = serial ? `${item.name} (serial ${serial})` : item.name;
  if (a.accountNumber.trim() !== account)
    throw new CounterError(
      'INVALID_INPUT',
      `The ${unit} is not on account ${maskAccount(account)}: we can only take back equipment from the account it was handed over to.`,
      'serial',
    );
  if (a.returnedOn != null)
    throw new CounterError('CONFLICT', `The ${unit} was already returned on ${a.returnedOn}.`, 'serial');
  if (date < a.handedOverOn)
    throw new CounterError(
      'INVALID_INPUT',
      `The return date ${date} is before the ${unit} was handed over (${a.handedOverOn}).`,
      'returnedOn',
    );
  return { a, item, serial, days: dayOf(date) - dayOf(a.handedOverOn) };
}

/**
 * Quotes the return of one unit on the customer's account.
 *
 * - **Sale**, returned within the item's return window (handed over + returnWindowDays, inclusive):
 *   refund = price paid + tax paid − restocking fee, the restocking fee being the item's percent (or
 *   the schedule's for its category; none when neither is set) of the price paid, rounded half-up.
 *   After the window the refund is 0 and `needsSupervisor` is true; with `supervisorOverride` the
 *   refund is as within the window (and `needsSupervisor` stays true, so the approval is recorded).
 * - **Lease**: the monthly charge stops and the equipment deposit is released, whenever it comes back.
 * - Condition `damaged` / `missing_parts` charges the schedule's fee for the item's category (`feeCents`,
 *   shown as its own invoice line, not taken out of the refund figure); `netCents` = refund + deposit
 *   release − fee. A sale return after the window without approval charges nothing.
 *
 * Refuses (CounterError): a unit not on `opts.accountNumber` (field `serial`), a unit already returned
 * (CONFLICT), a return dated before the handover, a missing fee in the schedule.
 *
 * @example
 * // Router bought 2025-03-01 for 129.99 + 10.72 tax, restocking 15 %, 30-day window, returned 2025-03-13
 * // restocking 129.99 × 15 % = 19.4985 → 19.50; refund 129.99 + 10.72 − 19.50 = 121.21
 * returnQuote(router, 'good', '2025-03-13', catalog, fees, { accountNumber: '1000042517' });
 * // { refundCents: 12_121, restockingFeeCents: 1_950, feeCents: 0, netCents: 12_121, needsSupervisor: false, … }
 * // The same returned damaged: feeCents 3_500, netCents 12_121 − 3_500 = 8_621.
 * // Returned 2025-04-01 (day 31): refundCents 0, refundIfApprovedCents 12_121, needsSupervisor true.
 */
export function returnQuote(
  assignment: Assignment,
  condition: ItemCondition,
  returnedOn: string,
  catalog: readonly CatalogItem[],
  fees: FeeSchedule,
  opts: ReturnOptions,
): ReturnQuote {
  const date = parseDate(returnedOn, 'returnedOn');
  const cond = parseInput(ItemConditionSchema, condition, 'condition');
  const index = indexCatalog(catalog);
  const schedule = parseInput(FeeScheduleSchema, fees, 'fees');
  const { a, item, serial, days } = returnable(assignment, opts?.accountNumber, date, index);
  const base = {
    sku: item.sku,
    name: item.name,
    serial,
    mode: a.mode,
    condition: cond,
    handedOverOn: a.handedOverOn,
    returnedOn: date,
    daysSinceHandover: days,
  };

  if (a.mode === 'lease') {
    const fee = conditionFee(item, cond, schedule);
    const stopMonthlyCents = a.monthlyCents ?? 0;
    const lines: InvoiceLine[] = [];
    if (a.leaseDepositCents > 0)
      lines.push({
        kind: 'deposit_release',
        description: 'Equipment deposit released',
        cents: a.leaseDepositCents,
      });
    if (fee.line) lines.push(fee.line);
    return {
      ...base,
      returnWindowEndsOn: null,
      withinWindow: true,
      refundCents: 0,
      refundIfApprovedCents: 0,
      restockingFeeCents: 0,
      depositReleaseCents: a.leaseDepositCents,
      feeCents: fee.cents,
      stopMonthlyCents,
      netCents: subCents(a.leaseDepositCents, fee.cents),
      lines,
      needsSupervisor: false,
      reason:
        `Leased ${CATEGORY_LABEL[item.category].one} returned: the ${money(stopMonthlyCents)} monthly charge stops` +
        (a.leaseDepositCents > 0
          ? ` and the ${money(a.leaseDepositCents)} equipment deposit is released.`
          : '.') +
        fee.words,
    };
  }

  const windowEnds = addDays(a.handedOverOn, item.returnWindowDays);
  const withinWindow = date <= windowEnds;
  const percent = restockingPercent(item, schedule);
  const restockingFeeCents = percent === null ? 0 : percentOf(a.pricePaidCents, percent, 'assignment');
  const approvable = subCents(addCents(a.pricePaidCents, a.taxPaidCents), restockingFeeCents);
  const windowWords = `the ${String(item.returnWindowDays)}-day return window`;

  if (!withinWindow && opts?.supervisorOverride !== true) {
    return {
      ...base,
      returnWindowEndsOn: windowEnds,
      withinWindow,
      refundCents: 0,
      refundIfApprovedCents: approvable,
      restockingFeeCents: 0,
      depositReleaseCents: 0,
      feeCents: 0,
      stopMonthlyCents: 0,
      netCents: 0,
      lines: [],
      needsSupervisor: true,
      reason: `The ${String(item.returnWindowDays)}-day return window ended on ${windowEnds}: a refund (${money(approvable)}) needs a supervisor's approval.`,
    };
  }

  const fee = conditionFee(item, cond, schedule);
  const lines: InvoiceLine[] = [
    { kind: 'refund_price', description: `Refund ${item.name}`, cents: a.pricePaidCents },
  ];
  if (a.taxPaidCents > 0)
    lines.push({ kind: 'refund_tax', description: 'Refund tax', cents: a.taxPaidCents });
  if (restockingFeeCents > 0)
    lines.push({
      kind: 'restocking_fee',
      description: `Restocking fee ${percent ?? ''} %`,
      cents: -restockingFeeCents,
    });
  if (fee.line) lines.push(fee.line);
  const refundWords =
    restockingFeeCents > 0
      ? `refund of the price and tax less the ${percent ?? ''} % restocking fee (${money(restockingFeeCents)})`
      : 'refund of the price and tax';
  return {
    ...base,
    returnWindowEndsOn: windowEnds,
    withinWindow,
    refundCents: approvable,
    refundIfApprovedCents: approvable,
    restockingFeeCents,
    depositReleaseCents: 0,
    feeCents: fee.cents,
    stopMonthlyCents: 0,
    netCents: subCents(approvable, fee.cents),
    lines,
    needsSupervisor: !withinWindow,
    reason:
      (withinWindow
        ? `Returned on day ${String(days)} of ${windowWords} (last day ${windowEnds}): ${refundWords}.`
        : `Returned after ${windowWords} (ended ${windowEnds}); a supervisor approved the ${refundWords}.`) +
      fee.words,
  };
}

/**
 * Throws NEEDS_SUPERVISOR with the quote's reason when a quote needs a supervisor and none approved.
 *
 * @example
 * assertSupervisorApproval(lateQuote, false);
 * // CounterError NEEDS_SUPERVISOR: "The 30-day return window ended on 2025-03-31: a refund ($121.21)
 * // needs a supervisor's approval." field supervisor
 */
export function assertSupervisorApproval(
  quote: { needsSupervisor: boolean; reason: string },
  approved: boolean,
): void {
  if (quote.needsSupervisor && !approved)
    throw new CounterError('NEEDS_SUPERVISOR', quote.reason, 'supervisor');
}

// ---------------------------------------------------------------------------------------------------
// Exchanges

export type ExchangeContext = {
  /** The account at the counter: the old unit must be assigned to it. */
  accountNumber: string;
  catalog: readonly CatalogItem[];
  fees: FeeSchedule;
  taxRules: readonly TaxRule[];
  /** A supervisor approved a goodwill exchange of a unit the warranty does not cover. */
  supervisorOverride?: boolean;
};

export type ExchangeQuote = {
  oldSku: string;
  newSku: string;
  mode: OrderMode;
  condition: ItemCondition;
  daysSinceHandover: number;
  /** Sale: last day of the old unit's warranty; lease: null (leased units are covered while leased). */
  warrantyEndsOn: string | null;
  withinWarranty: boolean;
  /** The old unit is credited: in warranty and not damaged (sale), or approved by a supervisor. */
  covered: boolean;
  /** Same SKU, or same category at no more than the price paid for the old unit. */
  equivalent: boolean;
  /** Nothing changes hands (apart from a condition fee). */
  noCharge: boolean;
  /** What the old unit is credited (price + tax paid) when the replacement is not like-for-like. */
  creditCents: Cents;
  /** Charged for the replacement (0 for a like-for-like warranty replacement and for leases). */
  newPriceCents: Cents;
  newTaxCents: Cents;
  feeCents: Cents;
  /** Lease: the new unit's deposit above the old one's (due) or below it (released). */
  depositDueCents: Cents;
  depositReleaseCents: Cents;
  stopMonthlyCents: Cents;
  newMonthlyCents: Cents;
  /** What the customer pays now. */
  dueNowCents: Cents;
  /** What the customer gets back now. */
  refundCents: Cents;
  /** Σ cents = refundCents − dueNowCents. */
  lines: InvoiceLine[];
  /** The replacement unit's assignment figures. */
  newUnit: {
    sku: string;
    mode: OrderMode;
    /** A like-for-like warranty replacement keeps the original date: warranty and window do not restart. */
    handedOverOn: string;
    pricePaidCents: Cents;
    taxPaidCents: Cents;
    leaseDepositCents: Cents;
    monthlyCents: Cents;
  };
  needsSupervisor: boolean;
  reason: string;
};

/**
 * Quotes the exchange of a unit on the account (usually defective) for `newItem`, in the same mode:
 * the return of the old unit and the handover of the new one in one flow.
 *
 * **Sale**: the old unit is *covered* when `date` is within its warranty (handed over + warrantyDays,
 * inclusive) and it is not damaged (the warranty covers defects, not damage), or when a supervisor
 * approves (`needsSupervisor` true). Covered and *equivalent* (same SKU, or same category costing no
 * more than the price paid for the old unit): no charge, apart from a missing-parts fee; the
 * replacement keeps the old unit's figures and handover date. Otherwise the difference: new price +
 * tax on it (rate in force on `date`, half-up) − credit (price + tax paid when covered, else 0) +
 * condition fee (only when covered: an uncovered unit is not taken back for credit); a negative
 * difference is refunded.
 *
 * **Lease**: leased equipment is ours and is replaced whenever it fails; the difference is the
 * deposit (new − old: due or released) plus the condition fee; the old monthly charge stops and the
 * new item's starts (taxed per the rule). Refuses an item not offered in the assignment's mode, and
 * everything `returnQuote` refuses.
 *
 * @example
 * // Router AX3000 bought 2025-03-01: 129.99 + 10.72 tax; warranty 365 days (to 2026-03-01)
 * exchangeQuote(router, ax3000, 'good', '2025-09-01', ctx);  // same SKU: { noCharge: true, dueNowCents: 0 }
 * exchangeQuote(router, ax6000, 'good', '2025-09-01', ctx);
 * // 249.99 + tax 249.99 × 8.25 % = 20.624175 → 20.62 = 270.61; credit 140.71 → dueNowCents 12_990
 * exchangeQuote(router, ax3000, 'good', '2026-03-02', ctx);  // out of warranty: dueNowCents 14_071
 */
export function exchangeQuote(
  oldAssignment: Assignment,
  newItem: CatalogItem,
  condition: ItemCondition,
  date: string,
  ctx: ExchangeContext,
): ExchangeQuote {
  const on = parseDate(date, 'date');
  const cond = parseInput(ItemConditionSchema, condition, 'condition');
  const index = indexCatalog(ctx.catalog);
  const schedule = parseInput(FeeScheduleSchema, ctx.fees, 'fees');
  const rules = validateTaxRules(ctx.taxRules);
  const next = parseInput(CatalogItemSchema, newItem, 'newItem');
  const { a, item: old, days } = returnable(oldAssignment, ctx.accountNumber, on, index);
  const rule = ruleInForce(rules, next.taxClass, on, 'newItem');
  const sameSku = next.sku === old.sku;
  const sameCategory = next.category === old.category;
  const base = { oldSku: old.sku, newSku: next.sku, mode: a.mode, condition: cond, daysSinceHandover: days };
  const settle = (net: Cents) => ({ dueNowCents: Math.max(0, net), refundCents: Math.max(0, -net) });

  if (a.mode === 'lease') {
    if (next.leasePriceCents === null)
      throw new CounterError(
        'INVALID_INPUT',
        `The ${next.name} is sold only: a leased ${old.name} can only be exchanged for leased equipment.`,
        'newItem',
      );
    const fee = conditionFee(old, cond, schedule);
    const newDeposit = next.leaseDepositCents ?? 0;
    const depositDiff = subCents(newDeposit, a.leaseDepositCents);
    const monthlyTax = rule.leaseTaxed ? percentOf(next.leasePriceCents, rule.ratePercent, 'newItem') : 0;
    const newMonthlyCents = addCents(next.leasePriceCents, monthlyTax);
    const stopMonthlyCents = a.monthlyCents ?? 0;
    const lines: InvoiceLine[] = [];
    if (depositDiff > 0)
      lines.push({ kind: 'deposit_due', description: 'Equipment deposit difference', cents: -depositDiff });
    if (depositDiff < 0)
      lines.push({
        kind: 'deposit_release',
        description: 'Equipment deposit difference',
        cents: -depositDiff,
      });
    if (fee.line) lines.push(fee.line);
    if (lines.length === 0)
      lines.push({ kind: 'warranty_replacement', description: `Replacement ${next.name}`, cents: 0 });
    const net = addCents(depositDiff, fee.cents);
    return {
      ...base,
      warrantyEndsOn: null,
      withinWarranty: true,
      covered: true,
      equivalent: sameSku || sameCategory,
      noCharge: net === 0 && newMonthlyCents === stopMonthlyCents,
      creditCents: 0,
      newPriceCents: 0,
      newTaxCents: 0,
      feeCents: fee.cents,
      depositDueCents: Math.max(0, depositDiff),
      depositReleaseCents: Math.max(0, -depositDiff),
      stopMonthlyCents,
      newMonthlyCents,
      ...settle(net),
      lines,
      newUnit: {
        sku: next.sku,
        mode: 'lease',
        handedOverOn: on,
        pricePaidCents: 0,
        taxPaidCents: 0,
        leaseDepositCents: newDeposit,
        monthlyCents: newMonthlyCents,
      },
      needsSupervisor: false,
      reason:
        `Leased ${CATEGORY_LABEL[old.category].one} replaced: the ${money(stopMonthlyCents)} monthly charge stops and ${money(newMonthlyCents)} a month starts` +
        (depositDiff > 0
          ? `; ${money(depositDiff)} more equipment deposit is due.`
          : depositDiff < 0
            ? `; ${money(-depositDiff)} of the equipment deposit is released.`
            : '.') +
        fee.words,
    };
  }

  if (next.salePriceCents === null)
    throw new CounterError(
      'INVALID_INPUT',
      `The ${next.name} is leased only: a bought ${old.name} can only be exchanged for equipment we sell.`,
      'newItem',
    );
  const warrantyEndsOn = addDays(a.handedOverOn, old.warrantyDays);
  const withinWarranty = on <= warrantyEndsOn;
  const coveredByRule = withinWarranty && cond !== 'damaged';
  const covered = coveredByRule || ctx.supervisorOverride === true;
  const needsSupervisor = !coveredByRule && covered;
  const equivalent = sameSku || (sameCategory && next.salePriceCents <= a.pricePaidCents);
  const fee = covered ? conditionFee(old, cond, schedule) : { cents: 0, line: null, words: '' };
  const why = coveredByRule
    ? `within the warranty (to ${warrantyEndsOn})`
    : covered
      ? `approved by a supervisor (${withinWarranty ? 'damage is not covered by the warranty' : `warranty ended ${warrantyEndsOn}`})`
      : withinWarranty
        ? 'damage is not covered by the warranty'
        : `the warranty ended on ${warrantyEndsOn}`;

  if (covered && equivalent) {
    const lines: InvoiceLine[] = [
      { kind: 'warranty_replacement', description: `Replacement ${next.name} (no charge)`, cents: 0 },
    ];
    if (fee.line) lines.push(fee.line);
    return {
      ...base,
      warrantyEndsOn,
      withinWarranty,
      covered,
      equivalent,
      noCharge: true,
      creditCents: 0,
      newPriceCents: 0,
      newTaxCents: 0,
      feeCents: fee.cents,
      depositDueCents: 0,
      depositReleaseCents: 0,
      stopMonthlyCents: 0,
      newMonthlyCents: 0,
      ...settle(fee.cents),
      lines,
      newUnit: {
        sku: next.sku,
        mode: 'buy',
        handedOverOn: a.handedOverOn,
        pricePaidCents: a.pricePaidCents,
        taxPaidCents: a.taxPaidCents,
        leaseDepositCents: 0,
        monthlyCents: 0,
      },
      needsSupervisor,
      reason: `Exchange ${why}: the ${next.name} replaces the ${old.name} at no charge.${fee.words}`,
    };
  }

  const creditCents = covered ? addCents(a.pricePaidCents, a.taxPaidCents) : 0;
  const newTaxCents = percentOf(next.salePriceCents, rule.ratePercent, 'newItem');
  const net = subCents(addCents(next.salePriceCents, newTaxCents, fee.cents), creditCents);
  const lines: InvoiceLine[] = [];
  if (creditCents > 0)
    lines.push({ kind: 'exchange_credit', description: `Credit for the ${old.name}`, cents: creditCents });
  lines.push({ kind: 'new_price', description: next.name, cents: -next.salePriceCents });
  if (newTaxCents > 0) lines.push({ kind: 'new_tax', description: 'Tax', cents: -newTaxCents });
  if (fee.line) lines.push(fee.line);
  const settled = settle(net);
  return {
    ...base,
    warrantyEndsOn,
    withinWarranty,
    covered,
    equivalent,
    noCharge: false,
    creditCents,
    newPriceCents: next.salePriceCents,
    newTaxCents,
    feeCents: fee.cents,
    depositDueCents: 0,
    depositReleaseCents: 0,
    stopMonthlyCents: 0,
    newMonthlyCents: 0,
    ...settled,
    lines,
    newUnit: {
      sku: next.sku,
      mode: 'buy',
      handedOverOn: on,
      pricePaidCents: next.salePriceCents,
      taxPaidCents: newTaxCents,
      leaseDepositCents: 0,
      monthlyCents: 0,
    },
    needsSupervisor,
    reason:
      (covered
        ? `Exchange ${why}: the ${old.name} is credited ${money(creditCents)} against the ${next.name} (${money(addCents(next.salePriceCents, newTaxCents))} with tax)`
        : `No credit for the ${old.name}: ${why}. The ${next.name} is ${money(addCents(next.salePriceCents, newTaxCents))} with tax`) +
      (settled.refundCents > 0
        ? `; ${money(settled.refundCents)} is refunded.`
        : `; ${money(settled.dueNowCents)} is due.`) +
      fee.words,
  };
}

// ---------------------------------------------------------------------------------------------------
// Unreturned equipment

export type UnreturnedUnit = {
  sku: string;
  name: string;
  serial: string | null;
  accountNumber: string;
  handedOverOn: string;
  /** Days from the handover to asOf. */
  daysOut: number;
  feeCents: Cents;
  /** Where the fee comes from: the SKU's own fee or its category's. */
  feeBasis: 'sku' | 'category';
  depositHeldCents: Cents;
};

export type UnreturnedEquipment = {
  units: UnreturnedUnit[];
  totalFeeCents: Cents;
  /** Equipment deposits held for those units. */
  depositsHeldCents: Cents;
  /** totalFee − deposits held: what remains due if the deposits are applied (negative = refund). */
  netAfterDepositsCents: Cents;
};

/**
 * The leased units handed over on or before `asOf` and not returned by then (no `returnedOn`, or one
 * after `asOf`), each with the unreturned-equipment fee it carries (the schedule's fee for the SKU,
 * else for its category), oldest first, with totals. Sold units are the customer's and never listed.
 *
 * @example
 * // modem leased 2024-05-01 (fee by SKU 150.00, deposit 50.00), set-top box leased 2024-06-10
 * // (category fee 120.00, deposit 75.00), a second set-top box returned 2024-09-01; asOf 2025-01-15
 * unreturnedEquipment(assignments, fees, '2025-01-15', catalog);
 * // { units: [modem 15_000, set-top box 12_000], totalFeeCents: 27_000, depositsHeldCents: 12_500,
 * //   netAfterDepositsCents: 14_500 }
 */
export function unreturnedEquipment(
  assignments: readonly Assignment[],
  fees: FeeSchedule,
  asOf: string,
  catalog: readonly CatalogItem[],
): UnreturnedEquipment {
  const date = parseDate(asOf, 'asOf');
  const schedule = parseInput(FeeScheduleSchema, fees, 'fees');
  const index = indexCatalog(catalog);
  const list = parseList(AssignmentSchema, assignments, 'assignments', 'The equipment on the account');
  const units: UnreturnedUnit[] = [];
  list.forEach((a, i) => {
    if (a.mode !== 'lease' || a.handedOverOn > date) return;
    if (a.returnedOn != null && a.returnedOn <= date) return;
    const item = index.get(a.sku);
    if (!item)
      throw new CounterError(
        'NOT_FOUND',
        `SKU ${a.sku} on the account is not in the catalog: ask a supervisor.`,
        `assignments.${String(i)}.sku`,
      );
    const bySku = schedule.unreturned.bySku[a.sku];
    const byCategory = schedule.unreturned.byCategory[item.category];
    const feeCents = bySku ?? byCategory;
    if (feeCents === undefined)
      throw new CounterError(
        'NOT_FOUND',
        `Fee schedule ${schedule.id} has no unreturned-equipment fee for the ${item.name} or for ${CATEGORY_LABEL[item.category].many}: ask a supervisor to set one up.`,
        'fees',
      );
    units.push({
      sku: a.sku,
      name: item.name,
      serial: a.serial ? normalizeSerial(a.serial) : null,
      accountNumber: a.accountNumber,
      handedOverOn: a.handedOverOn,
      daysOut: dayOf(date) - dayOf(a.handedOverOn),
      feeCents,
      feeBasis: bySku !== undefined ? 'sku' : 'category',
      depositHeldCents: a.leaseDepositCents,
    });
  });
  units.sort(
    (x, y) => x.handedOverOn.localeCompare(y.handedOverOn) || (x.serial ?? '').localeCompare(y.serial ?? ''),
  );
  const totalFeeCents = addCents(...units.map((u) => u.feeCents));
  const depositsHeldCents = addCents(...units.map((u) => u.depositHeldCents));
  return {
    units,
    totalFeeCents,
    depositsHeldCents,
    netAfterDepositsCents: subCents(totalFeeCents, depositsHeldCents),
  };
}
