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
export {
  EquipmentCategorySchema,
  CATEGORY_LABEL,
  OrderModeSchema,
  ItemConditionSchema,
  StockStatusSchema,
  GtinSchema,
  CatalogItemSchema,
  ServiceBundleSchema,
  TaxRuleSchema,
  FeeScheduleSchema,
  MAX_LINE_QUANTITY,
  MAX_ORDER_LINES,
  OrderLineSchema,
  StockEntrySchema,
  HandoverScanSchema,
  AssignmentSchema,
} from './equipment/schemas.js';
export type {
  EquipmentCategory,
  OrderMode,
  ItemCondition,
  StockStatus,
  CatalogItem,
  ServiceBundle,
  TaxRule,
  FeeSchedule,
  OrderLine,
  StockEntry,
  HandoverScan,
  Assignment,
} from './equipment/schemas.js';
export { maskAccount } from './equipment/internal.js';
export {
  validateCatalog,
  validateTaxRules,
  taxRuleFor,
  taxOn,
  resolveScanToCatalog,
} from './equipment/catalog.js';
export { priceOrder } from './equipment/pricing.js';
export type { PricedUnit, PricedLine, PricedOrder } from './equipment/pricing.js';
export { normalizeSerial, formatMac, validateSerial, checkHandover } from './equipment/handover.js';
export type { HandoverUnit } from './equipment/handover.js';
export { returnQuote, assertSupervisorApproval } from './equipment/returns.js';
export type { InvoiceLineKind, InvoiceLine, ReturnQuote, ReturnOptions } from './equipment/returns.js';
export { exchangeQuote } from './equipment/exchange.js';
export type { ExchangeContext, ExchangeQuote } from './equipment/exchange.js';
export { unreturnedEquipment } from './equipment/unreturned.js';
export type { UnreturnedUnit, UnreturnedEquipment } from './equipment/unreturned.js';
