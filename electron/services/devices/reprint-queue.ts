/**
 * The reprint queue: receipts whose last print failed (receipts.last_print_error set), oldest first,
 * with the reason. Printing the queue goes through ReceiptService.reprint, so a receipt the customer
 * never got prints as the original and one that had printed before prints as DUPLICATE.
 */
import type { Knex } from 'knex';

import type { PrintQueueResult, QueuedReceipt } from '../../../shared/api/channels/devices.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import type { ReceiptService } from '../receipts/receipts.js';

type QueueRow = {
  number: string;
  created_at: string;
  last_print_error: string;
  print_count: number;
  account_number: string | null;
  amount_cents: number | null;
  name: string | null;
};

export async function listReprintQueue(db: Knex): Promise<QueuedReceipt[]> {
  const rows = (await db('receipts as r')
    .leftJoin('transactions as t', 't.id', 'r.transaction_id')
    .leftJoin('accounts as a', 'a.account_number', 't.account_number')
    .whereNotNull('r.last_print_error')
    .orderBy('r.created_at', 'asc')
    .orderBy('r.number', 'asc')
    .select(
      'r.number',
      'r.created_at',
      'r.last_print_error',
      'r.print_count',
      't.account_number',
      't.amount_cents',
      'a.name',
    )) as QueueRow[];
  return rows.map((r) => ({
    receiptNumber: r.number,
    createdAt: r.created_at,
    accountNumber: r.account_number,
    accountName: r.name,
    amountCents: r.amount_cents ?? 0,
    reason: r.last_print_error,
    printCount: r.print_count,
  }));
}

/** Prints the queue oldest first; stops at the first failure (the printer is still not right). */
export async function printReprintQueue(
  ctx: ServiceContext,
  receipts: ReceiptService,
  cashier: Cashier,
): Promise<PrintQueueResult> {
  const queue = await listReprintQueue(ctx.db);
  const printed: PrintQueueResult['printed'] = [];
  let failed: PrintQueueResult['failed'] = null;
  for (const item of queue) {
    const r = await receipts.reprint(item.receiptNumber, cashier);
    if (!r.printed) {
      failed = { receiptNumber: item.receiptNumber, reason: r.printError ?? 'printer error' };
      break;
    }
    printed.push({ receiptNumber: item.receiptNumber, duplicate: r.duplicate });
  }
  const remaining = (await listReprintQueue(ctx.db)).length;
  await ctx.db.transaction((trx) =>
    appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'receipts.queue.print',
        entityType: 'reprint_queue',
        details: { printed, failed, remaining },
      },
      ctx.clock.now(),
    ),
  );
  return { printed, failed, remaining };
}
