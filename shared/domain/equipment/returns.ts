/**
 * Quoting a return: refund within the window less any restocking fee, a lease's deposit released and
 * its charge stopped, the fee for a damaged or incomplete unit, a supervisor after the window.
 */
import { CounterError } from '../../api/errors.js';
import { addCents, type Cents, formatMoney, subCents } from '../../money.js';
import { indexCatalog } from './catalog.js';
import { normalizeSerial } from './handover.js';
import { addDays, dayOf, maskAccount, parseDate, parseInput, percentOf } from './internal.js';
import {
  type Assignment,
  AssignmentSchema,
  type CatalogItem,
  CATEGORY_LABEL,
  type FeeSchedule,
  FeeScheduleSchema,
  type ItemCondition,
  ItemConditionSchema,
  type OrderMode,
  Text,
} from './schemas.js';

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

export function conditionFee(
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
    words: ` Returned ${damaged ? 'damaged' : 'with parts missing'}: ${formatMoney(cents)} ${what} fee.`,
  };
}

function restockingPercent(item: CatalogItem, fees: FeeSchedule): string | null {
  return item.restockingFeePercent ?? fees.restockingPercentByCategory[item.category] ?? null;
}

/** The checks every return and exchange starts with; returns the parsed assignment and its item. */
export function returnable(
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
        `Leased ${CATEGORY_LABEL[item.category].one} returned: the ${formatMoney(stopMonthlyCents)} monthly charge stops` +
        (a.leaseDepositCents > 0
          ? ` and the ${formatMoney(a.leaseDepositCents)} equipment deposit is released.`
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
      reason: `The ${String(item.returnWindowDays)}-day return window ended on ${windowEnds}: a refund (${formatMoney(approvable)}) needs a supervisor's approval.`,
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
      ? `refund of the price and tax less the ${percent ?? ''} % restocking fee (${formatMoney(restockingFeeCents)})`
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
