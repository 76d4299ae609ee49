/**
 * The equipment part of the counter's replica: branch stock by serial, stock levels of items without
 * serials, and the units on accounts, as pulled from the server (inside the pull's transaction), or
 * seeded from the demo data (what a first pull from the demo server brings).
 */
import type { Knex } from 'knex';

import type {
  EquipmentAssignmentData,
  EquipmentStockData,
  EquipmentStockLevelData,
} from '../../../shared/sync/equipment.js';
import { stockLevelKey } from '../../../shared/sync/equipment.js';
import { demoEquipment } from '../../../resources/demo/equipment.js';

const CHUNK = 400;

type Entity = { upserts: { version: number; data: unknown }[]; deletes: string[] };
export type EquipmentChanges = {
  equipment_stock: Entity;
  equipment_stock_level: Entity;
  equipment_assignment: Entity;
};

async function upsert(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  key: string,
): Promise<void> {
  if (rows.length === 0) return;
  const merge = Object.keys(rows[0] ?? {}).filter((c) => c !== key);
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx(table)
      .insert(rows.slice(i, i + CHUNK))
      .onConflict(key)
      .merge(merge);
}

async function remove(trx: Knex.Transaction, table: string, key: string, values: string[]): Promise<void> {
  for (let i = 0; i < values.length; i += CHUNK)
    await trx(table)
      .whereIn(key, values.slice(i, i + CHUNK))
      .delete();
}

export function stockRow(s: EquipmentStockData, version: number): Record<string, unknown> {
  return {
    serial: s.serial,
    sku: s.sku,
    branch: s.branch,
    status: s.status,
    account_number: s.accountNumber,
    assignment_id: s.assignmentId,
    received_at: s.receivedAt,
    updated_at: s.updatedAt,
    version,
  };
}

export function levelRow(l: EquipmentStockLevelData, version: number): Record<string, unknown> {
  return { key: stockLevelKey(l.branch, l.sku), branch: l.branch, sku: l.sku, on_hand: l.onHand, version };
}

export function assignmentRow(a: EquipmentAssignmentData, version: number): Record<string, unknown> {
  return {
    id: a.id,
    account_number: a.accountNumber,
    sku: a.sku,
    serial: a.serial,
    mode: a.mode,
    handed_over_on: a.handedOverOn,
    price_paid_cents: a.pricePaidCents,
    tax_paid_cents: a.taxPaidCents,
    lease_deposit_cents: a.leaseDepositCents,
    monthly_cents: a.monthlyCents,
    returned_on: a.returnedOn,
    return_condition: a.returnCondition,
    order_id: a.orderId,
    line_index: a.lineIndex,
    receipt_number: a.receiptNumber,
    terminal_code: a.terminalCode,
    branch: a.branch,
    version,
  };
}

/** Applies pulled equipment changes (already validated by the replica's parseChanges). */
export async function applyEquipmentChanges(trx: Knex.Transaction, p: EquipmentChanges): Promise<void> {
  await upsert(
    trx,
    'equipment_stock',
    p.equipment_stock.upserts.map(({ version, data }) => stockRow(data as EquipmentStockData, version)),
    'serial',
  );
  await upsert(
    trx,
    'equipment_stock_levels',
    p.equipment_stock_level.upserts.map(({ version, data }) =>
      levelRow(data as EquipmentStockLevelData, version),
    ),
    'key',
  );
  await upsert(
    trx,
    'equipment_assignments',
    p.equipment_assignment.upserts.map(({ version, data }) =>
      assignmentRow(data as EquipmentAssignmentData, version),
    ),
    'id',
  );
  await remove(trx, 'equipment_stock', 'serial', p.equipment_stock.deletes);
  await remove(trx, 'equipment_stock_levels', 'key', p.equipment_stock_level.deletes);
  await remove(trx, 'equipment_assignments', 'id', p.equipment_assignment.deletes);
}

/** Writes the demo equipment (policies, stock, units on accounts) into an empty replica. */
export async function seedEquipmentDemo(db: Knex, opts: { today: string; count: number }): Promise<void> {
  const demo = demoEquipment(opts);
  await db.transaction(async (trx) => {
    for (const row of demo.policies) await trx('policies').insert(row).onConflict('key').merge();
    await upsert(
      trx,
      'equipment_stock',
      demo.stock.map((s) => stockRow(s, 0)),
      'serial',
    );
    await upsert(
      trx,
      'equipment_stock_levels',
      demo.levels.map((l) => levelRow(l, 0)),
      'key',
    );
    await upsert(
      trx,
      'equipment_assignments',
      demo.assignments.map((a) => assignmentRow(a, 0)),
      'id',
    );
  });
}
