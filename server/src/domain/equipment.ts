/**
 * Equipment rows on the server as replica data (what every counter pulls), and the demo equipment
 * loaded as the system of record with its change-log entries.
 */
import type { Knex } from 'knex';

import type {
  EquipmentAssignmentData,
  EquipmentStockData,
  EquipmentStockLevelData,
} from '../../../shared/sync/equipment.js';
import { stockLevelKey } from '../../../shared/sync/equipment.js';
import { demoEquipment } from '../../../resources/demo/equipment.js';
import { insertChunked } from '../db/util.js';
import { policyData, writeChanges, type PendingChange } from './changes.js';

export type StockRow = {
  serial: string;
  sku: string;
  branch: string;
  status: string;
  account_number: string | null;
  assignment_id: string | null;
  received_at: string;
  updated_at: string;
};

export type AssignmentRow = {
  id: string;
  account_number: string;
  sku: string;
  serial: string | null;
  mode: string;
  handed_over_on: string;
  price_paid_cents: number | string;
  tax_paid_cents: number | string;
  lease_deposit_cents: number | string;
  monthly_cents: number | string;
  returned_on: string | null;
  return_condition: string | null;
  order_id: string | null;
  line_index: number | null;
  receipt_number: string | null;
  terminal_code: string | null;
  branch: string;
  transaction_id: string | null;
  return_transaction_id: string | null;
  created_at: string;
};

export function stockData(r: StockRow): EquipmentStockData {
  return {
    serial: r.serial,
    sku: r.sku,
    branch: r.branch,
    status: r.status as EquipmentStockData['status'],
    accountNumber: r.account_number,
    assignmentId: r.assignment_id,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  };
}

export function levelData(r: {
  branch: string;
  sku: string;
  on_hand: number | string;
}): EquipmentStockLevelData {
  return { branch: r.branch, sku: r.sku, onHand: Number(r.on_hand) };
}

export function assignmentData(r: AssignmentRow): EquipmentAssignmentData {
  return {
    id: r.id,
    accountNumber: r.account_number,
    sku: r.sku,
    serial: r.serial,
    mode: r.mode as EquipmentAssignmentData['mode'],
    handedOverOn: r.handed_over_on,
    pricePaidCents: Number(r.price_paid_cents),
    taxPaidCents: Number(r.tax_paid_cents),
    leaseDepositCents: Number(r.lease_deposit_cents),
    monthlyCents: Number(r.monthly_cents),
    returnedOn: r.returned_on,
    returnCondition: r.return_condition as EquipmentAssignmentData['returnCondition'],
    orderId: r.order_id,
    lineIndex: r.line_index === null ? null : Number(r.line_index),
    receiptNumber: r.receipt_number,
    terminalCode: r.terminal_code,
    branch: r.branch,
  };
}

/** Loads the demo equipment (policies, stock, levels, units on accounts, lease charges) with its changes. */
export async function seedEquipment(
  trx: Knex.Transaction,
  opts: { today: string; count: number },
  now: string,
  describe: (sku: string) => string = (sku) => sku,
): Promise<void> {
  const demo = demoEquipment(opts);
  const stock: StockRow[] = demo.stock.map((s) => ({
    serial: s.serial,
    sku: s.sku,
    branch: s.branch,
    status: s.status,
    account_number: s.accountNumber,
    assignment_id: s.assignmentId,
    received_at: s.receivedAt,
    updated_at: s.updatedAt,
  }));
  const levels = demo.levels.map((l) => ({
    branch: l.branch,
    sku: l.sku,
    on_hand: l.onHand,
    updated_at: now,
  }));
  const assignments: AssignmentRow[] = demo.assignments.map((a) => ({
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
    transaction_id: null,
    return_transaction_id: null,
    created_at: now,
  }));
  for (const p of demo.policies) await trx('policies').insert(p).onConflict('key').merge();
  await insertChunked(trx, 'equipment_stock', stock);
  await insertChunked(trx, 'equipment_stock_levels', levels);
  await insertChunked(trx, 'equipment_assignments', assignments);
  await insertChunked(
    trx,
    'recurring_charges',
    demo.assignments
      .filter((a) => a.mode === 'lease')
      .map((a) => ({
        id: a.id,
        account_number: a.accountNumber,
        kind: 'equipment_lease',
        description: `Lease ${describe(a.sku)}${a.serial ? ` ${a.serial}` : ''}`,
        monthly_cents: a.monthlyCents,
        starts_on: a.handedOverOn,
        ends_on: null,
        assignment_id: a.id,
      })),
  );
  const changes: PendingChange[] = [
    ...demo.policies.map((p): PendingChange => ({
      entity: 'policy',
      key: p.key,
      op: 'upsert',
      data: policyData(p),
    })),
    ...stock.map((s): PendingChange => ({
      entity: 'equipment_stock',
      key: s.serial,
      op: 'upsert',
      data: stockData(s),
    })),
    ...levels.map((l): PendingChange => ({
      entity: 'equipment_stock_level',
      key: stockLevelKey(l.branch, l.sku),
      op: 'upsert',
      data: levelData(l),
    })),
    ...assignments.map((a): PendingChange => ({
      entity: 'equipment_assignment',
      key: a.id,
      op: 'upsert',
      data: assignmentData(a),
    })),
  ];
  await writeChanges(trx, changes, now);
}
