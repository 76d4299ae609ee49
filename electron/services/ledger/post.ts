/**
 * Numbers and tender lines shared by every posting: gap-free counters (receipt numbers, invoice and Z
 * numbers) moved inside the posting's transaction, and how a tender reads on a receipt.
 */
import type { Knex } from 'knex';

import type { Tender } from '../../../shared/api/schemas.js';
import { TENDER_LABEL } from '../../../shared/domain/tenders.js';
import { receiptPrefix, type ServiceContext } from '../context.js';
import type { ReceiptModel } from '../receipts/compose.js';

/** Next number of a gap-free counter (receipt numbers), moved inside the caller's transaction. */
export async function nextCounter(trx: Knex.Transaction, name: string): Promise<number> {
  const rows = (await trx.raw(
    'INSERT INTO counters(name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
    [name],
  )) as { value: number }[];
  const value = rows[0]?.value;
  if (value === undefined) throw new Error(`counter ${name} did not move`);
  return value;
}

export async function nextReceiptNumber(
  trx: Knex.Transaction,
  ctx: Pick<ServiceContext, 'terminal'>,
): Promise<string> {
  return `${receiptPrefix(ctx.terminal)}-${String(await nextCounter(trx, 'receipt')).padStart(6, '0')}`;
}

/** How a tender reads on a receipt: check number, card brand + last 4 + auth code, money order serial. */
export function tenderReference(t: Tender): string {
  switch (t.type) {
    case 'cash':
      return '';
    case 'check':
      return `Check #${t.checkNumber}`;
    case 'card':
      return `${t.brand} ****${t.last4} auth ${t.authCode}`;
    case 'money_order':
      return `Money order ${t.serial}`;
  }
}

/** The tender lines of a receipt. */
export function receiptTenders(tenders: Tender[]): ReceiptModel['tenders'] {
  return tenders.map((t) => ({
    label: t.type === 'cash' ? 'Cash tendered' : TENDER_LABEL[t.type],
    amountCents: t.amountCents,
    ...(tenderReference(t) ? { detail: tenderReference(t) } : {}),
  }));
}
