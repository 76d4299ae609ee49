/**
 * The till capability on the server: its part in `ledger.posted` (the opening float, drops, paid-outs,
 * voids, refunds, the closing journal: the envelope's balanced journal is the truth, checked and
 * applied by the ledger applier) and `till.closed`, the day-end closing, reconciled at once against
 * what the server applied.
 */
import { TillClosedSchema, type TillClosed } from '../../../../shared/sync/events.js';
import { TillKindSchema } from '../../../../shared/sync/till.js';
import { Rejection } from '../batch.js';
import { accountPaymentData } from '../changes.js';
import { reconcile, serverTillTotals } from '../tills.js';
import { detailApplier } from './details/types.js';
import { checkOrigin } from './origin.js';
import { applier } from './types.js';

export const tillDetail = detailApplier<'till'>({
  kinds: TillKindSchema.options,
  needsAccount: false,
  what: (p) => `the ${p.kind} ${p.transactionId}`,
  unknownAccount: (p) =>
    `Account ${p.accountNumber ?? ''} is not on the server: the ${p.kind} was not applied.`,
  check(batch, p) {
    if (p.kind === 'void' && !p.reversesId)
      throw new Rejection('NOT_A_REVERSAL', `The void ${p.transactionId} names no transaction to reverse.`);
    return Promise.resolve(({ original }) => {
      // The replica's payment history shows a void as a negative payment next to the original.
      if (p.kind === 'void' && original && p.accountNumber) {
        const row = {
          id: p.transactionId,
          account_number: p.accountNumber,
          paid_on: p.businessDate,
          amount_cents: Number(original.ar_cents ?? 0),
          method: 'void',
          channel: `counter ${p.terminalCode}`.slice(0, 32),
        };
        batch.insert('account_payments', row);
        batch.change('account_payment', row.id, 'upsert', accountPaymentData(row));
      }
      return Promise.resolve();
    });
  },
});

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
