/**
 * Receipts: the model is stored with the posting, the bytes are composed from it when printed (after the
 * commit). A failed print never
 * touches the payment: the receipt keeps its error and waits in the reprint queue. Reprints are
 * composed again from the stored model with DUPLICATE on them.
 */
import type { Knex } from 'knex';

import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier, Receipt } from '../../../shared/api/schemas.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { DeviceError, type ReceiptPrinterDevice } from '../devices/printer/types.js';
import { enqueue } from '../outbox/outbox.js';
import { composeReceipt, type ReceiptModel } from './compose.js';

type ReceiptRow = {
  number: string;
  transaction_id: string;
  kind: string;
  model: string;
  print_count: number;
  last_print_error: string | null;
};

function reviveModel(json: string): ReceiptModel {
  const raw = JSON.parse(json) as ReceiptModel & { at: string };
  return { ...raw, at: new Date(raw.at) };
}

async function loadReceipt(db: Knex, number: string): Promise<ReceiptRow> {
  const row = (await db('receipts').where('number', number).first()) as ReceiptRow | undefined;
  if (!row) throw new CounterError('NOT_FOUND', `No receipt ${number} on this terminal.`, 'receiptNumber');
  return row;
}

export type PrintOutcome = { printed: boolean; error: string | null };

export class ReceiptService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly printer: () => ReceiptPrinterDevice,
    private readonly onPrinted: (receipt: Receipt) => void,
  ) {}

  /** Sends bytes to the printer and records the outcome on the receipt; never throws. */
  private async send(number: string, bytes: Buffer): Promise<PrintOutcome> {
    try {
      await this.printer().print(bytes);
      await this.ctx
        .db('receipts')
        .where('number', number)
        .update({
          print_count: this.ctx.db.raw('print_count + 1'),
          last_printed_at: this.ctx.clock.now().toISOString(),
          last_print_error: null,
        });
      return { printed: true, error: null };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.log.warn({ receipt: number, err: message }, 'receipt not printed; queued for reprint');
      // Part of it came out (cable pulled mid-receipt): the customer may hold a piece of it, so the
      // next print of it says DUPLICATE. Nothing came out (printer off, paper out): it prints as the original.
      const partial = err instanceof DeviceError && err.partial;
      await this.ctx
        .db('receipts')
        .where('number', number)
        .update({
          last_print_error: message,
          ...(partial ? { print_count: this.ctx.db.raw('print_count + 1') } : {}),
        });
      return { printed: false, error: message };
    }
  }

  /** Prints a freshly posted receipt (the original, not a duplicate). */
  async printOriginal(number: string): Promise<Receipt> {
    const row = await loadReceipt(this.ctx.db, number);
    const bytes = composeReceipt(reviveModel(row.model), this.ctx.printerProfile);
    const outcome = await this.send(number, bytes);
    const receipt: Receipt = {
      receiptNumber: number,
      transactionId: row.transaction_id,
      duplicate: false,
      lines: decodeEscPos(bytes).lines,
      printed: outcome.printed,
      printError: outcome.error,
    };
    this.onPrinted(receipt);
    return receipt;
  }

  async get(number: string): Promise<Receipt> {
    const row = await loadReceipt(this.ctx.db, number);
    return {
      receiptNumber: number,
      transactionId: row.transaction_id,
      duplicate: false,
      lines: decodeEscPos(composeReceipt(reviveModel(row.model), this.ctx.printerProfile)).lines,
      printed: row.print_count > 0,
      printError: row.last_print_error,
    };
  }

  async lastNumber(): Promise<string> {
    const row = (await this.ctx
      .db('receipts')
      .orderBy('created_at', 'desc')
      .orderBy('number', 'desc')
      .first('number')) as { number: string } | undefined;
    if (!row)
      throw new CounterError(
        'NOT_FOUND',
        'No receipt has been printed on this terminal yet.',
        'receiptNumber',
      );
    return row.number;
  }

  /** Reprints a receipt marked DUPLICATE (with the original number); audited and sent to the server. */
  async reprint(number: string | undefined, cashier: Cashier): Promise<Receipt> {
    const receiptNumber = number ?? (await this.lastNumber());
    const row = await loadReceipt(this.ctx.db, receiptNumber);
    const model = reviveModel(row.model);
    const neverPrinted = row.print_count === 0;
    // A receipt that never came out of the printer (printer error) is printed as the original.
    const bytes = neverPrinted
      ? composeReceipt(model, this.ctx.printerProfile)
      : composeReceipt({ ...model, marks: ['DUPLICATE'] }, this.ctx.printerProfile);
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      await enqueue(
        trx,
        'receipt.reprinted',
        { receiptNumber, transactionId: row.transaction_id, cashierId: cashier.id, at: now.toISOString() },
        now,
      );
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'receipt.reprint',
          entityType: 'receipt',
          entityId: receiptNumber,
          details: { duplicate: !neverPrinted },
        },
        now,
      );
    });
    const outcome = await this.send(receiptNumber, bytes);
    const receipt: Receipt = {
      receiptNumber,
      transactionId: row.transaction_id,
      duplicate: !neverPrinted,
      lines: decodeEscPos(bytes).lines,
      printed: outcome.printed,
      printError: outcome.error,
    };
    this.onPrinted(receipt);
    return receipt;
  }

  async queueLength(): Promise<number> {
    const row = (await this.ctx
      .db('receipts')
      .whereNotNull('last_print_error')
      .count({ n: '*' })
      .first()) as { n: number };
    return Number(row.n);
  }
}
