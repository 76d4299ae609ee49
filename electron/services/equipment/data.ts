/**
 * What the counter knows about equipment: the policy data (catalog, bundles, tax rules, fee schedule)
 * from the replica, and the effective branch stock and units on accounts, which are the server's state
 * as of the last pull with this terminal's own moves on top until the server has them:
 *
 * a move made here counts while its outbox event is queued, or acked at a change-log version the
 * replica has not pulled yet (`applied_version` > the pull cursor). Once pulled, the replica row is the
 * truth. A move the server REJECTED no longer counts (the server's state wins; the local record stays
 * and is reported as a conflict for review).
 */
import type { Knex } from 'knex';

import type { StockUnit, TicketView, UnitView } from '../../../shared/api/channels/equipment.js';
import { CounterError } from '../../../shared/api/errors.js';
import {
  FeeScheduleSchema,
  normalizeSerial,
  validateCatalog,
  validateTaxRules,
  type Assignment,
  type CatalogItem,
  type FeeSchedule,
  type ItemCondition,
  type OrderMode,
  type ServiceBundle,
  type StockEntry,
  type StockStatus,
  type TaxRule,
} from '../../../shared/domain/equipment.js';
import { EQUIPMENT_POLICY_KEYS, stockLevelKey } from '../../../shared/sync/equipment.js';
import { SETTING } from '../sync/settings.js';

export type EquipmentPolicies = {
  catalog: CatalogItem[];
  bundles: ServiceBundle[];
  taxRules: TaxRule[];
  fees: FeeSchedule;
  bySku: Map<string, CatalogItem>;
};

/** The equipment policies from the replica, checked with the engine's schemas. */
export async function loadEquipmentPolicies(db: Knex | Knex.Transaction): Promise<EquipmentPolicies> {
  const rows = (await db('policies')
    .whereIn('key', Object.values(EQUIPMENT_POLICY_KEYS))
    .select('key', 'value')) as { key: string; value: string }[];
  const raw = new Map(rows.map((r) => [r.key, r.value]));
  const catalogText = raw.get(EQUIPMENT_POLICY_KEYS.catalog);
  if (!catalogText)
    throw new CounterError(
      'NOT_FOUND',
      'This counter has no equipment catalog yet: it comes with the next sync from the server.',
    );
  try {
    const bundles = JSON.parse(raw.get(EQUIPMENT_POLICY_KEYS.bundles) ?? '[]') as ServiceBundle[];
    const catalog = validateCatalog(JSON.parse(catalogText) as CatalogItem[], bundles);
    const taxRules = validateTaxRules(
      JSON.parse(raw.get(EQUIPMENT_POLICY_KEYS.taxRules) ?? '[]') as TaxRule[],
    );
    const fees = FeeScheduleSchema.parse(JSON.parse(raw.get(EQUIPMENT_POLICY_KEYS.fees) ?? 'null'));
    return { catalog, bundles, taxRules, fees, bySku: new Map(catalog.map((i) => [i.sku, i])) };
  } catch (err) {
    const why = err instanceof Error ? err.message.slice(0, 200) : String(err);
    throw new CounterError(
      'INTERNAL',
      `The equipment catalog or its tax and fee data on this counter is not valid (${why}). Ask a supervisor to check it on the server.`,
    );
  }
}

// ---- what counts as "made here, not in the replica yet" ----

async function pullCursor(db: Knex | Knex.Transaction): Promise<number> {
  const row = (await db('settings').where('key', SETTING.cursor).first('value')) as
    { value: string } | undefined;
  return Number(row?.value ?? 0) || 0;
}

/** SQL condition on outbox `o`: the event's effect is not in the replica yet (cursor bound once). */
const PENDING_SQL = `(o.state = 'queued' OR (o.state = 'acked' AND COALESCE(o.applied_version, 0) > ?))`;

type StockRow = {
  serial: string;
  sku: string;
  branch: string;
  status: StockStatus;
  account_number: string | null;
  assignment_id: string | null;
};
type MoveRow = {
  serial: string | null;
  sku: string;
  branch: string;
  quantity: number;
  to_status: string;
  account_number: string | null;
  assignment_id: string | null;
};

/**
 * The effective stock units: by serial (any branch), or every unit of a branch. Serials are compared
 * normalized.
 */
export async function effectiveStock(
  db: Knex | Knex.Transaction,
  where: { serials: string[] } | { branch: string; sku?: string },
): Promise<Map<string, StockUnit>> {
  const cursor = await pullCursor(db);
  const units = new Map<string, StockUnit>();
  let replica: StockRow[];
  let moves: MoveRow[];
  if ('serials' in where) {
    const serials = [...new Set(where.serials.map(normalizeSerial))];
    if (serials.length === 0) return units;
    replica = (await db('equipment_stock').whereIn('serial', serials)) as StockRow[];
    moves = (await db('equipment_stock_moves as m')
      .join('outbox as o', 'o.id', 'm.outbox_id')
      .whereIn('m.serial', serials)
      .whereRaw(PENDING_SQL, [cursor])
      .orderBy('m.id')
      .select('m.*')) as MoveRow[];
  } else {
    const q = db('equipment_stock').where('branch', where.branch);
    if (where.sku) void q.where('sku', where.sku);
    replica = (await q) as StockRow[];
    const mq = db('equipment_stock_moves as m')
      .join('outbox as o', 'o.id', 'm.outbox_id')
      .whereNotNull('m.serial')
      .whereRaw(PENDING_SQL, [cursor])
      .orderBy('m.id')
      .select('m.*');
    if (where.sku) void mq.where('m.sku', where.sku);
    moves = (await mq) as MoveRow[];
    // Units of other branches that a move here touched are looked up too (then filtered below).
    const missing = [...new Set(moves.map((m) => m.serial as string))].filter(
      (s) => !replica.some((r) => r.serial === s),
    );
    if (missing.length)
      replica.push(...((await db('equipment_stock').whereIn('serial', missing)) as StockRow[]));
  }
  for (const r of replica)
    units.set(r.serial, {
      serial: r.serial,
      sku: r.sku,
      branch: r.branch,
      status: r.status,
      accountNumber: r.account_number,
      assignmentId: r.assignment_id,
      pending: false,
    });
  for (const m of moves) {
    if (!m.serial) continue;
    units.set(m.serial, {
      serial: m.serial,
      sku: m.sku,
      branch: m.branch,
      status: m.to_status as StockStatus,
      accountNumber: m.account_number,
      assignmentId: m.assignment_id,
      pending: true,
    });
  }
  if (!('serials' in where))
    for (const [serial, u] of units)
      if (u.branch !== where.branch || (where.sku && u.sku !== where.sku)) units.delete(serial);
  return units;
}

export function toStockEntries(units: Iterable<StockUnit>): StockEntry[] {
  return [...units].map((u) => ({
    serial: u.serial,
    sku: u.sku,
    branch: u.branch,
    status: u.status,
    accountNumber: u.accountNumber,
  }));
}

/** Units on hand of items without serials at a branch, by SKU (replica plus moves made here). */
export async function effectiveLevels(
  db: Knex | Knex.Transaction,
  branch: string,
): Promise<Map<string, number>> {
  const cursor = await pullCursor(db);
  const rows = (await db('equipment_stock_levels').where('branch', branch)) as {
    sku: string;
    on_hand: number;
  }[];
  const levels = new Map(rows.map((r) => [r.sku, r.on_hand]));
  const moves = (await db('equipment_stock_moves as m')
    .join('outbox as o', 'o.id', 'm.outbox_id')
    .whereNull('m.serial')
    .where('m.branch', branch)
    .whereRaw(PENDING_SQL, [cursor])
    .groupBy('m.sku')
    .select('m.sku', db.raw('SUM(m.quantity) AS q'))) as { sku: string; q: number }[];
  for (const m of moves) levels.set(m.sku, (levels.get(m.sku) ?? 0) + Number(m.q));
  return levels;
}

export { stockLevelKey };

// ---- units on accounts ----

type AssignmentRow = {
  id: string;
  account_number: string;
  sku: string;
  serial: string | null;
  mode: OrderMode;
  handed_over_on: string;
  price_paid_cents: number;
  tax_paid_cents: number;
  lease_deposit_cents: number;
  monthly_cents: number;
  returned_on: string | null;
  return_condition: ItemCondition | null;
  order_id: string | null;
  line_index: number | null;
  receipt_number: string | null;
  terminal_code: string | null;
};

type LocalUnitRow = {
  id: string;
  account_number: string;
  sku: string;
  serial: string | null;
  mode: OrderMode;
  handed_over_on: string;
  price_paid_cents: number;
  tax_paid_cents: number;
  lease_deposit_cents: number;
  monthly_cents: number;
  order_id: string | null;
  line_index: number;
  receipt_number: string | null;
  state: string;
  applied_version: number | null;
  reject_code: string | null;
  reject_message: string | null;
};

export type Conflict = {
  assignmentId: string;
  serial: string | null;
  accountNumber: string;
  receiptNumber: string | null;
  code: string;
  message: string;
};

export type UnitsOnAccount = { units: UnitView[]; conflicts: Conflict[] };

function describe(policies: EquipmentPolicies | null, sku: string): { name: string; category: string } {
  const item = policies?.bySku.get(sku);
  return { name: item?.name ?? `SKU ${sku}`, category: item?.category ?? 'accessory' };
}

/**
 * The units on an account (or the units that ever had a serial, or one unit by id): the replica's,
 * with the units handed over here and the returns taken here on top until the server has them.
 */
export async function effectiveUnits(
  db: Knex | Knex.Transaction,
  where: { accountNumber: string } | { serial: string } | { id: string },
  policies: EquipmentPolicies | null,
): Promise<UnitsOnAccount> {
  const cursor = await pullCursor(db);
  const [col, value] =
    'accountNumber' in where
      ? ['account_number', where.accountNumber]
      : 'serial' in where
        ? ['serial', normalizeSerial(where.serial)]
        : ['id', where.id];
  const replica = (await db('equipment_assignments').where(col, value)) as AssignmentRow[];
  const local = (await db('equipment_units as u')
    .join('outbox as o', 'o.id', 'u.outbox_id')
    .where(`u.${col}`, value)
    .select('u.*', 'o.state', 'o.applied_version', 'o.reject_code', 'o.reject_message')) as LocalUnitRow[];
  const byId = new Map<string, UnitView>();
  for (const r of replica)
    byId.set(r.id, {
      id: r.id,
      accountNumber: r.account_number,
      sku: r.sku,
      ...describe(policies, r.sku),
      serial: r.serial,
      mode: r.mode,
      handedOverOn: r.handed_over_on,
      pricePaidCents: r.price_paid_cents,
      taxPaidCents: r.tax_paid_cents,
      leaseDepositCents: r.lease_deposit_cents,
      monthlyCents: r.monthly_cents,
      returnedOn: r.returned_on,
      returnCondition: r.return_condition,
      orderId: r.order_id,
      lineIndex: r.line_index,
      receiptNumber: r.receipt_number,
      terminalCode: r.terminal_code,
      pending: false,
    });
  const conflicts: Conflict[] = [];
  for (const u of local) {
    const pending = u.state === 'queued' || (u.state === 'acked' && Number(u.applied_version ?? 0) > cursor);
    if (u.state === 'rejected') {
      conflicts.push({
        assignmentId: u.id,
        serial: u.serial,
        accountNumber: u.account_number,
        receiptNumber: u.receipt_number,
        code: u.reject_code ?? 'REJECTED',
        message: u.reject_message ?? 'The server refused this handover.',
      });
      continue;
    }
    if (!pending && byId.has(u.id)) continue;
    if (!pending && !byId.has(u.id)) {
      // Acked and pulled, yet not in the replica under this key (moved to another account since): the
      // replica's other rows tell the story; keep nothing from here.
      continue;
    }
    byId.set(u.id, {
      id: u.id,
      accountNumber: u.account_number,
      sku: u.sku,
      ...describe(policies, u.sku),
      serial: u.serial,
      mode: u.mode,
      handedOverOn: u.handed_over_on,
      pricePaidCents: u.price_paid_cents,
      taxPaidCents: u.tax_paid_cents,
      leaseDepositCents: u.lease_deposit_cents,
      monthlyCents: u.monthly_cents,
      returnedOn: null,
      returnCondition: null,
      orderId: u.order_id,
      lineIndex: u.line_index,
      receiptNumber: u.receipt_number,
      terminalCode: null,
      pending: true,
    });
  }
  if (byId.size) {
    const returns = (await db('equipment_returns as r')
      .join('outbox as o', 'o.id', 'r.outbox_id')
      .whereIn('r.assignment_id', [...byId.keys()])
      .whereRaw(PENDING_SQL, [cursor])
      .select('r.assignment_id', 'r.returned_on', 'r.condition')) as {
      assignment_id: string;
      returned_on: string;
      condition: ItemCondition;
    }[];
    for (const r of returns) {
      const unit = byId.get(r.assignment_id);
      if (unit && !unit.returnedOn)
        byId.set(r.assignment_id, {
          ...unit,
          returnedOn: r.returned_on,
          returnCondition: r.condition,
          pending: true,
        });
    }
  }
  const units = [...byId.values()].sort(
    (a, b) =>
      (a.returnedOn ? 1 : 0) - (b.returnedOn ? 1 : 0) ||
      b.handedOverOn.localeCompare(a.handedOverOn) ||
      a.id.localeCompare(b.id),
  );
  return { units, conflicts };
}

/** A unit in the shape the equipment rules take. */
export function toAssignment(u: UnitView): Assignment {
  return {
    sku: u.sku,
    serial: u.serial,
    mode: u.mode,
    accountNumber: u.accountNumber,
    handedOverOn: u.handedOverOn,
    pricePaidCents: u.pricePaidCents,
    taxPaidCents: u.taxPaidCents,
    leaseDepositCents: u.leaseDepositCents,
    monthlyCents: u.monthlyCents,
    returnedOn: u.returnedOn,
  };
}

// ---- trouble tickets ----

type TicketRow = {
  id: string;
  account_number: string;
  assignment_id: string | null;
  sku: string | null;
  serial: string | null;
  test_kind: 'line' | 'device';
  symptom: string;
  status: 'open' | 'done';
  result: TicketView['result'];
  result_note: string | null;
  opened_by: string;
  opened_at: string;
  result_at: string | null;
};

export function ticketView(r: TicketRow, policies: EquipmentPolicies | null): TicketView {
  return {
    id: r.id,
    accountNumber: r.account_number,
    assignmentId: r.assignment_id,
    sku: r.sku,
    name: r.sku ? describe(policies, r.sku).name : null,
    serial: r.serial,
    testKind: r.test_kind,
    symptom: r.symptom,
    status: r.status,
    result: r.result,
    resultNote: r.result_note,
    openedBy: r.opened_by,
    openedAt: r.opened_at,
    resultAt: r.result_at,
  };
}

export async function ticketsOf(
  db: Knex | Knex.Transaction,
  where: { accountNumber: string } | { serial: string },
  policies: EquipmentPolicies | null,
): Promise<TicketView[]> {
  const rows = (await db('equipment_tickets')
    .where(
      'accountNumber' in where ? 'account_number' : 'serial',
      'accountNumber' in where ? where.accountNumber : normalizeSerial(where.serial),
    )
    .orderBy('opened_at', 'desc')) as TicketRow[];
  return rows.map((r) => ticketView(r, policies));
}
