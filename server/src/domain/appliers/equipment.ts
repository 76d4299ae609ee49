/**
 * Equipment's part in `ledger.posted`, and `equipment.ticket`. The server keeps serial ownership: a serial is handed over
 * only if it is in stock at the event's branch right now (row-locked on PostgreSQL), a unit is returned
 * only once and only from the account that has it, and a shipment never re-receives a serial that is
 * in stock or on an account. A counter working offline on its last pull can break these rules (the
 * same serial handed over at two counters): the second event is REJECTED whole, with the reason, for a
 * supervisor to review; nothing of it is applied and nothing already applied is overwritten.
 *
 * Applying (after the ledger applier wrote the transaction and moved the balance): the units
 * (assignments), their stock rows and stock levels, the lease charges on the account; every changed row
 * goes into the change log so the stock moves reach every counter with its next pull.
 */
import {
  EquipmentKindSchema,
  EquipmentTicketSchema,
  stockLevelKey,
  type EquipmentTicket,
} from '../../../../shared/sync/equipment.js';
import type { LedgerPosted } from '../../../../shared/sync/ledger.js';
import { forUpdate } from '../../db/util.js';
import { Rejection, type Batch } from '../batch.js';
import { assignmentData, levelData, stockData, type AssignmentRow, type StockRow } from '../equipment.js';
import { detailApplier } from './details/types.js';
import { applier } from './types.js';

const mask = (account: string | null): string => (account ? `****${account.slice(-4)}` : 'another account');

function what(p: LedgerPosted): string {
  const label = {
    eq_order: 'handover',
    eq_return: 'return',
    eq_exchange: 'exchange',
    eq_receive: 'shipment',
  }[p.kind as 'eq_order'];
  return `this ${label}${p.accountNumber ? ` on account ${p.accountNumber}` : ''} at ${p.terminalCode}${p.receiptNumber ? ` (receipt ${p.receiptNumber})` : ''}`;
}

async function moveLevel(batch: Batch, branch: string, sku: string, delta: number): Promise<void> {
  const trx = batch.trx;
  const updated = await trx('equipment_stock_levels')
    .where({ branch, sku })
    .update({ on_hand: trx.raw('on_hand + ?', [delta]), updated_at: batch.now });
  if (!updated)
    await trx('equipment_stock_levels').insert({ branch, sku, on_hand: delta, updated_at: batch.now });
  const row = (await trx('equipment_stock_levels').where({ branch, sku }).first()) as {
    branch: string;
    sku: string;
    on_hand: number;
  };
  batch.change('equipment_stock_level', stockLevelKey(branch, sku), 'upsert', levelData(row));
}

export const equipmentDetail = detailApplier<'equipment'>({
  kinds: EquipmentKindSchema.options,
  needsAccount: false,
  what,
  unknownAccount: (p) => `Account ${p.accountNumber ?? ''} is not on the server: ${what(p)} was not applied.`,
  async check(batch, p, d) {
    const trx = batch.trx;
    if (p.kind !== 'eq_receive' && !p.accountNumber)
      throw new Rejection('INVALID_PAYLOAD', `${what(p)} names no account.`);

    // ---- serial ownership (locked, read fresh: earlier events of this batch are already written) ----
    const serials = [
      ...d.handovers.map((h) => h.serial),
      ...d.returns.map((r) => r.serial),
      ...d.received.map((r) => r.serial),
    ].filter((s): s is string => s !== null);
    const stock = new Map(
      (
        (await forUpdate(
          trx('equipment_stock').whereIn('serial', serials).orderBy('serial'),
          batch.dialect,
        )) as StockRow[]
      ).map((r) => [r.serial, r]),
    );
    const assignments = new Map(
      (
        (await forUpdate(
          trx('equipment_assignments')
            .whereIn(
              'id',
              d.returns.map((r) => r.assignmentId),
            )
            .orderBy('id'),
          batch.dialect,
        )) as AssignmentRow[]
      ).map((a) => [a.id, a]),
    );
    for (const r of d.returns) {
      const a = assignments.get(r.assignmentId);
      const unit = `${r.sku}${r.serial ? ` serial ${r.serial}` : ''}`;
      if (!a)
        throw new Rejection(
          'UNKNOWN_ASSIGNMENT',
          `The returned ${unit} (unit ${r.assignmentId}) is not on any account on the server (was its handover rejected?): ${what(p)} was not applied.`,
        );
      if (a.account_number !== p.accountNumber)
        throw new Rejection(
          'NOT_ON_ACCOUNT',
          `The returned ${unit} is on account ${mask(a.account_number)}, not ${p.accountNumber ?? ''}: ${what(p)} was not applied.`,
        );
      if (a.returned_on)
        throw new Rejection(
          'ALREADY_RETURNED',
          `The ${unit} was already returned on ${a.returned_on}: ${what(p)} was not applied. Review: check the customer was not refunded twice.`,
        );
      if ((a.serial ?? null) !== r.serial)
        throw new Rejection(
          'INCONSISTENT_UNIT',
          `Unit ${r.assignmentId} has another serial than ${what(p)} says.`,
        );
    }
    const seen = new Set<string>();
    for (const h of d.handovers) {
      if (h.serial === null) continue;
      if (seen.has(h.serial))
        throw new Rejection('DUPLICATE_SERIAL', `Serial ${h.serial} appears twice in ${what(p)}.`);
      seen.add(h.serial);
      const s = stock.get(h.serial);
      const returnedHere = d.returns.some((r) => r.serial === h.serial);
      if (!s)
        throw new Rejection(
          'UNKNOWN_SERIAL',
          `Serial ${h.serial} is not in the server's stock records: ${what(p)} was not applied.`,
        );
      if (s.sku !== h.sku)
        throw new Rejection(
          'WRONG_SKU',
          `Serial ${h.serial} is a ${s.sku}, not a ${h.sku}: ${what(p)} was not applied.`,
        );
      if (s.status === 'assigned' || returnedHere)
        throw new Rejection(
          'SERIAL_ALREADY_ASSIGNED',
          `Serial ${h.serial} (${h.sku}) is already assigned to account ${mask(s.account_number)} (unit ${s.assignment_id ?? '?'}): ${what(p)} was NOT applied. Review: the same unit was handed over twice (two counters working offline); recover it from the customer who does not have it and correct that account.`,
        );
      if (s.branch !== p.branch)
        throw new Rejection(
          'OTHER_BRANCH',
          `Serial ${h.serial} is stock of branch ${s.branch}, not ${p.branch}: ${what(p)} was not applied.`,
        );
      if (s.status !== 'in_stock')
        throw new Rejection(
          'NOT_IN_STOCK',
          `Serial ${h.serial} is ${s.status.replace('_', ' ')}, not in stock: ${what(p)} was not applied.`,
        );
    }
    for (const r of d.received) {
      if (r.serial === null) continue;
      const s = stock.get(r.serial);
      if (!s) continue;
      if (s.status === 'in_stock' || s.status === 'assigned')
        throw new Rejection(
          'SERIAL_EXISTS',
          `Serial ${r.serial} is already ${s.status === 'in_stock' ? `in stock at ${s.branch}` : `on account ${mask(s.account_number)}`}: ${what(p)} was not applied.`,
        );
      if (s.branch !== p.branch || s.sku !== r.sku)
        throw new Rejection(
          'OTHER_BRANCH',
          `Serial ${r.serial} is a ${s.sku} of branch ${s.branch}: ${what(p)} was not applied.`,
        );
    }

    // ---- apply (nothing above changed anything) ----
    return async () => {
      const setStock = async (row: StockRow): Promise<void> => {
        if (stock.has(row.serial)) await trx('equipment_stock').where('serial', row.serial).update(row);
        else await trx('equipment_stock').insert(row);
        stock.set(row.serial, row);
        batch.change('equipment_stock', row.serial, 'upsert', stockData(row));
      };

      // Returns first (an exchange returns the old unit, then hands over the new one).
      for (const r of d.returns) {
        const a = assignments.get(r.assignmentId) as AssignmentRow;
        const returned: AssignmentRow = {
          ...a,
          returned_on: r.returnedOn,
          return_condition: r.condition,
          return_transaction_id: p.transactionId,
        };
        await trx('equipment_assignments').where('id', a.id).update({
          returned_on: returned.returned_on,
          return_condition: returned.return_condition,
          return_transaction_id: returned.return_transaction_id,
        });
        batch.change('equipment_assignment', a.id, 'upsert', assignmentData(returned));
        await trx('recurring_charges')
          .where('assignment_id', a.id)
          .whereNull('ends_on')
          .update({ ends_on: r.returnedOn });
        if (r.serial) {
          const s = stock.get(r.serial);
          await setStock({
            serial: r.serial,
            sku: r.sku,
            branch: p.branch,
            status: r.toStatus,
            account_number: null,
            assignment_id: null,
            received_at: s?.received_at ?? batch.now,
            updated_at: batch.now,
          });
        } else if (r.condition === 'good') await moveLevel(batch, p.branch, r.sku, 1);
      }
      const leftNoSerial = new Map<string, number>();
      for (const h of d.handovers) {
        const row: AssignmentRow = {
          id: h.assignmentId,
          account_number: p.accountNumber ?? '',
          sku: h.sku,
          serial: h.serial,
          mode: h.mode,
          handed_over_on: h.handedOverOn,
          price_paid_cents: h.pricePaidCents,
          tax_paid_cents: h.taxPaidCents,
          lease_deposit_cents: h.leaseDepositCents,
          monthly_cents: h.monthlyCents,
          returned_on: null,
          return_condition: null,
          order_id: d.orderId,
          line_index: h.lineIndex,
          receipt_number: p.receiptNumber,
          terminal_code: p.terminalCode,
          branch: p.branch,
          transaction_id: p.transactionId,
          return_transaction_id: null,
          created_at: batch.now,
        };
        await trx('equipment_assignments').insert(row);
        batch.change('equipment_assignment', row.id, 'upsert', assignmentData(row));
        if (h.mode === 'lease' && h.monthlyCents > 0)
          await trx('recurring_charges').insert({
            id: h.assignmentId,
            account_number: row.account_number,
            kind: 'equipment_lease',
            description: `Lease ${h.sku}${h.serial ? ` ${h.serial}` : ''}`,
            monthly_cents: h.monthlyCents,
            starts_on: h.handedOverOn,
            ends_on: null,
            assignment_id: h.assignmentId,
          });
        if (h.serial) {
          const s = stock.get(h.serial) as StockRow;
          await setStock({
            ...s,
            status: 'assigned',
            account_number: row.account_number,
            assignment_id: row.id,
            updated_at: batch.now,
          });
        } else leftNoSerial.set(h.sku, (leftNoSerial.get(h.sku) ?? 0) + 1);
      }
      for (const [sku, n] of leftNoSerial) await moveLevel(batch, p.branch, sku, -n);
      for (const r of d.received) {
        if (r.serial === null) {
          await moveLevel(batch, p.branch, r.sku, r.quantity);
          continue;
        }
        const s = stock.get(r.serial);
        await setStock({
          serial: r.serial,
          sku: r.sku,
          branch: p.branch,
          status: 'in_stock',
          account_number: null,
          assignment_id: null,
          received_at: s?.received_at ?? p.createdAt,
          updated_at: batch.now,
        });
      }
    };
  },
});

export const equipmentTicket = applier<EquipmentTicket>({
  schema: EquipmentTicketSchema,
  accounts: (p) => [p.accountNumber],
  async apply(batch, event, p) {
    const trx = batch.trx;
    if (!batch.account(p.accountNumber))
      throw new Rejection(
        'UNKNOWN_ACCOUNT',
        `Account ${p.accountNumber} is not on the server: the trouble ticket was not filed.`,
      );
    const existing = (await trx('trouble_tickets').where('id', p.ticketId).first('status')) as
      { status: string } | undefined;
    if (p.action === 'opened') {
      if (existing) throw new Rejection('DUPLICATE_TICKET', `Trouble ticket ${p.ticketId} is already filed.`);
      await trx('trouble_tickets').insert({
        id: p.ticketId,
        account_number: p.accountNumber,
        assignment_id: p.assignmentId,
        serial: p.serial,
        sku: p.sku,
        test_kind: p.testKind,
        symptom: p.symptom,
        status: 'open',
        result: null,
        result_note: null,
        opened_at: p.at,
        opened_by: p.cashierId,
        terminal_code: p.terminalCode,
        branch: p.branch,
        result_at: null,
        result_by: null,
        event_id: event.id,
      });
      return {};
    }
    if (!existing)
      throw new Rejection(
        'UNKNOWN_TICKET',
        `Trouble ticket ${p.ticketId} is not on the server: its result was not recorded.`,
      );
    if (existing.status !== 'open')
      throw new Rejection('TICKET_CLOSED', `Trouble ticket ${p.ticketId} already has its result.`);
    await trx('trouble_tickets').where('id', p.ticketId).update({
      status: 'done',
      result: p.result,
      result_note: p.resultNote,
      result_at: p.at,
      result_by: p.cashierId,
    });
    return {};
  },
});
