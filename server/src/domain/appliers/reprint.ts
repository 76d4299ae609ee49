/** `receipt.reprinted`: recorded for the audit trail; it changes no balance. */
import { ReceiptReprintedSchema } from '../../../../shared/sync/events.js';
import { applier } from './types.js';

export const receiptReprinted = applier({
  schema: ReceiptReprintedSchema,
  apply(batch, event, p) {
    batch.insert('receipt_reprints', {
      event_id: event.id,
      terminal_id: batch.terminal.id,
      receipt_number: p.receiptNumber,
      transaction_id: p.transactionId,
      cashier_id: p.cashierId,
      at: p.at,
    });
    return Promise.resolve({});
  },
});
