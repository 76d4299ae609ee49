/**
 * Quoting an exchange: the old unit back, a new one handed over; like for like under warranty at no
 * charge, otherwise the difference paid or refunded.
 */
import { CounterError } from '../../api/errors.js';
import { addCents, type Cents, formatMoney, subCents } from '../../money.js';
import { indexCatalog, ruleInForce, validateTaxRules } from './catalog.js';
import { addDays, parseDate, parseInput, percentOf } from './internal.js';
import { conditionFee, type InvoiceLine, returnable } from './returns.js';
import {
  type Assignment,
  type CatalogItem,
  CatalogItemSchema,
  CATEGORY_LABEL,
  type FeeSchedule,
  FeeScheduleSchema,
  type ItemCondition,
  ItemConditionSchema,
  type OrderMode,
  type TaxRule,
} from './schemas.js';

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
        `Leased ${CATEGORY_LABEL[old.category].one} replaced: the ${formatMoney(stopMonthlyCents)} monthly charge stops and ${formatMoney(newMonthlyCents)} a month starts` +
        (depositDiff > 0
          ? `; ${formatMoney(depositDiff)} more equipment deposit is due.`
          : depositDiff < 0
            ? `; ${formatMoney(-depositDiff)} of the equipment deposit is released.`
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
        ? `Exchange ${why}: the ${old.name} is credited ${formatMoney(creditCents)} against the ${next.name} (${formatMoney(addCents(next.salePriceCents, newTaxCents))} with tax)`
        : `No credit for the ${old.name}: ${why}. The ${next.name} is ${formatMoney(addCents(next.salePriceCents, newTaxCents))} with tax`) +
      (settled.refundCents > 0
        ? `; ${formatMoney(settled.refundCents)} is refunded.`
        : `; ${formatMoney(settled.dueNowCents)} is due.`) +
      fee.words,
  };
}
