/**
 * Pricing an order: per line, sale or lease, tax per line rounded half-up, deposits and monthly
 * charges, each unit's share.
 */
import { CounterError } from '../../api/errors.js';
import { addCents, type Cents } from '../../money.js';
import { indexCatalog, ruleInForce, validateTaxRules } from './catalog.js';
import { parseDate, parseInput, percentOf, splitEvenly, times } from './internal.js';
import {
  type CatalogItem,
  MAX_ORDER_LINES,
  type OrderLine,
  OrderLineSchema,
  type OrderMode,
  type TaxRule,
} from './schemas.js';

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
