/**
 * Checking a catalog and its tax rules, the tax rule in force on a date, and routing a scanned
 * UPC/EAN to its catalog item.
 */
import { CounterError } from '../../api/errors.js';
import { type Cents } from '../../money.js';
import { gtinValid } from '../../validators/gtin.js';
import { addDays, gtin14, parseDate, parseInput, parseList, percentOf } from './internal.js';
import {
  AmountCents,
  type CatalogItem,
  CatalogItemSchema,
  PercentText,
  type ServiceBundle,
  ServiceBundleSchema,
  type TaxRule,
  TaxRuleSchema,
} from './schemas.js';

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

export function indexCatalog(catalog: readonly CatalogItem[]): Map<string, CatalogItem> {
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

export function ruleInForce(
  rules: readonly TaxRule[],
  taxClass: string,
  date: string,
  field: string,
): TaxRule {
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
