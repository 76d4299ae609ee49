/** `till.closed`: the day-end closing of a till, reconciled at once against what the server applied. */
import { TillClosedSchema, type TillClosed } from '../../../../shared/sync/events.js';
import { Rejection } from '../batch.js';
import { reconcile, serverTillTotals } from '../tills.js';
import { checkOrigin } from './origin.js';
import { applier } from './types.js';

export const tillClosed = applier<TillClosed>({
  schema: TillClosedSchema,
  async apply(batch, event, p) {
    await checkOrigin(
      batch,
      {
        transactionId: p.zNumber,
        terminalCode: p.terminalCode,
        cashierId: p.cashierId,
        approvedBy: p.approvedBy,
        tillId: p.tillId,
      },
      `The closing of till ${p.tillId}`,
    );
    // The till's transactions came before its closing (seq order): write those of this batch first.
    await batch.flushInserts();
    const existing = (await batch.trx('till_closings').where('till_id', p.tillId).first('event_id')) as
      { event_id: string } | undefined;
    if (existing)
      throw new Rejection(
        'DUPLICATE_CLOSING',
        `Till ${p.tillId} was already closed (event ${existing.event_id}).`,
      );
    const server = await serverTillTotals(batch.trx, p.tillId);
    const lines = reconcile(p.totals, server);
    const balanced = lines.every((l) => l.differenceCents === 0 && l.countDifference === 0);
    batch.insert('till_closings', {
      till_id: p.tillId,
      event_id: event.id,
      terminal_id: batch.terminal.id,
      terminal_code: p.terminalCode,
      branch: p.branch,
      business_date: p.businessDate,
      closed_at: p.closedAt,
      terminal_totals: JSON.stringify(p.totals),
      server_totals: JSON.stringify(server),
      status: balanced ? 'balanced' : 'differences',
      differences: JSON.stringify(lines),
      checked_at: batch.now,
    });
    return {};
  },
});
