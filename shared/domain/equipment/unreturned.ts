/**
 * Unreturned equipment: leased units still on a closed or moved account, and what they would cost.
 */
import { CounterError } from '../../api/errors.js';
import { addCents, type Cents, subCents } from '../../money.js';
import { indexCatalog } from './catalog.js';
import { normalizeSerial } from './handover.js';
import { dayOf, parseDate, parseInput, parseList } from './internal.js';
import {
  type Assignment,
  AssignmentSchema,
  type CatalogItem,
  CATEGORY_LABEL,
  type FeeSchedule,
  FeeScheduleSchema,
} from './schemas.js';

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
