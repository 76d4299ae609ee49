/**
 * Trouble tickets: a line or device test ordered for the technical department (the ticket goes to the
 * server with the next sync), or its result recorded. No money moves and no receipt prints, so this is
 * not a posting: one transaction holds the ticket row, its `equipment.ticket` event and the audit entry.
 */
import type { TicketView, UnitView } from '../../../shared/api/channels/equipment.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import { getAccountRow } from '../accounts/accounts.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import { enqueue } from '../outbox/outbox.js';
import { findUnit, type UnitRef } from './common.js';
import { loadEquipmentPolicies, ticketView } from './data.js';

export type TicketInput =
  | (UnitRef & { action: 'open'; accountNumber: string; testKind: 'line' | 'device'; symptom: string })
  | {
      action: 'result';
      ticketId: string;
      result: 'no_fault' | 'line_fault' | 'device_fault';
      note?: string | undefined;
    };

/**
 * Orders a line or device test for the technical department (the ticket goes to the server with the
 * next sync), or records its result. A device test names the unit (scanned serial) on the account.
 */
export async function troubleTicket(
  ctx: ServiceContext,
  cashier: Cashier,
  input: TicketInput,
): Promise<TicketView> {
  const now = ctx.clock.now();
  const policies = await loadEquipmentPolicies(ctx.db).catch(() => null);
  if (input.action === 'open') {
    await getAccountRow(ctx.db, input.accountNumber);
    let unit: UnitView | null = null;
    if (input.serial || input.assignmentId) {
      if (!policies) throw new CounterError('NOT_FOUND', 'This counter has no equipment catalog yet.');
      unit = await findUnit(ctx.db, input, input.accountNumber, policies);
      if (unit.accountNumber !== input.accountNumber)
        throw new CounterError(
          'INVALID_INPUT',
          `That ${unit.name} is not on this account: scan a unit the customer has.`,
          'serial',
        );
    } else if (input.testKind === 'device')
      throw new CounterError('INVALID_INPUT', 'Scan the serial of the device to test.', 'serial');
    const row = {
      id: newId(),
      account_number: input.accountNumber,
      assignment_id: unit?.id ?? null,
      sku: unit?.sku ?? null,
      serial: unit?.serial ?? null,
      test_kind: input.testKind,
      symptom: input.symptom.trim(),
      status: 'open' as const,
      result: null,
      result_note: null,
      opened_by: cashier.id,
      opened_at: now.toISOString(),
      result_by: null,
      result_at: null,
    };
    await ctx.db.transaction(async (trx) => {
      await trx('equipment_tickets').insert(row);
      await enqueue(
        trx,
        'equipment.ticket',
        {
          ticketId: row.id,
          action: 'opened',
          accountNumber: row.account_number,
          assignmentId: row.assignment_id,
          serial: row.serial,
          sku: row.sku,
          testKind: row.test_kind,
          symptom: row.symptom,
          result: null,
          resultNote: null,
          cashierId: cashier.id,
          terminalCode: ctx.terminal.code,
          branch: ctx.terminal.branch,
          at: row.opened_at,
        },
        now,
      );
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'equipment.ticket.open',
          entityType: 'ticket',
          entityId: row.id,
          details: { accountNumber: row.account_number, serial: row.serial, testKind: row.test_kind },
        },
        now,
      );
    });
    return ticketView(row, policies);
  }
  const existing = (await ctx.db('equipment_tickets').where('id', input.ticketId).first()) as
    Parameters<typeof ticketView>[0] | undefined;
  if (!existing) throw new CounterError('NOT_FOUND', 'No such trouble ticket on this counter.', 'ticketId');
  if (existing.status !== 'open')
    throw new CounterError('CONFLICT', 'The result of this test is already recorded.', 'ticketId');
  const done = {
    ...existing,
    status: 'done' as const,
    result: input.result,
    result_note: input.note?.trim() || null,
    result_at: now.toISOString(),
  };
  await ctx.db.transaction(async (trx) => {
    await trx('equipment_tickets').where('id', existing.id).update({
      status: 'done',
      result: done.result,
      result_note: done.result_note,
      result_by: cashier.id,
      result_at: done.result_at,
    });
    await enqueue(
      trx,
      'equipment.ticket',
      {
        ticketId: existing.id,
        action: 'result',
        accountNumber: existing.account_number,
        assignmentId: existing.assignment_id,
        serial: existing.serial,
        sku: existing.sku,
        testKind: existing.test_kind,
        symptom: existing.symptom,
        result: done.result,
        resultNote: done.result_note,
        cashierId: cashier.id,
        terminalCode: ctx.terminal.code,
        branch: ctx.terminal.branch,
        at: done.result_at,
      },
      now,
    );
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'equipment.ticket.result',
        entityType: 'ticket',
        entityId: existing.id,
        details: { result: done.result, note: done.result_note },
      },
      now,
    );
  });
  return ticketView(done, policies);
}
