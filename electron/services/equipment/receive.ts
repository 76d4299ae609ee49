/**
 * A shipment received into this branch's stock by a supervisor, as a posting on the kernel with no
 * money in it (an empty journal): each serial scanned (checked against the item's serial pattern,
 * unique in the shipment, not already in stock or on an account), or a count of an item without
 * serials. A unit that came back (returned/defective here) can be put back in stock the same way. The
 * stock is read in the plan, inside the transaction: two receipts of one serial cannot both pass.
 */
import { CounterError } from '../../../shared/api/errors.js';
import { validateSerial, type CatalogItem } from '../../../shared/domain/equipment.js';
import { definePosting } from '../../kernel/posting.js';
import { openTillOf } from '../../kernel/till-state.js';
import { equipmentDetail, insertMoves } from './common.js';
import { effectiveStock, loadEquipmentPolicies, type EquipmentPolicies } from './data.js';
import { receivedSlip } from './documents.js';

export type ReceiveInput = {
  requestId: string;
  sku: string;
  serials: string[];
  quantity?: number | undefined;
  reference: string;
};

export type Received = { serials: string[]; received: number };

/** The shipment's serials, normalized and each scanned once, or the count of an item without serials. */
function shipmentOf(item: CatalogItem, input: ReceiveInput): Received {
  if (!item.serialized) {
    if (input.serials.length > 0)
      throw new CounterError(
        'INVALID_INPUT',
        `The ${item.name} has no serial numbers: type how many units came instead.`,
        'serials',
      );
    if (input.quantity === undefined)
      throw new CounterError('INVALID_INPUT', `Type how many ${item.name} units came.`, 'quantity');
    return { serials: [], received: input.quantity };
  }
  if (input.serials.length === 0)
    throw new CounterError(
      'INVALID_INPUT',
      `Scan the serial of each ${item.name} in the shipment.`,
      'serials',
    );
  const seen = new Map<string, number>();
  const serials = input.serials.map((s, i) => {
    let n: string;
    try {
      n = validateSerial(item, s);
    } catch (err) {
      if (err instanceof CounterError) throw new CounterError(err.code, err.message, `serials.${String(i)}`);
      throw err;
    }
    const earlier = seen.get(n);
    if (earlier !== undefined)
      throw new CounterError(
        'INVALID_INPUT',
        `Serial ${n} was scanned twice in this shipment (line ${String(earlier + 1)}): scan each unit once.`,
        `serials.${String(i)}`,
      );
    seen.set(n, i);
    return n;
  });
  return { serials, received: serials.length };
}

export const receivePosting = definePosting<ReceiveInput, Received, EquipmentPolicies>({
  name: 'equipment.receive',
  requestId: (input) => input.requestId,
  prepare: (ctx) => loadEquipmentPolicies(ctx.db),
  async plan(tx, input, policies) {
    const { trx, ctx, cashier } = tx;
    const item = policies.bySku.get(input.sku);
    if (!item) throw new CounterError('NOT_FOUND', `No catalog item has the SKU ${input.sku}.`, 'sku');
    const { serials, received: quantity } = shipmentOf(item, input);
    const stock = await effectiveStock(trx, { serials });
    serials.forEach((serial, i) => {
      const unit = stock.get(serial);
      if (!unit) return;
      const field = `serials.${String(i)}`;
      if (unit.sku !== item.sku)
        throw new CounterError(
          'INVALID_INPUT',
          `Serial ${serial} is recorded as a ${policies.bySku.get(unit.sku)?.name ?? unit.sku}, not a ${item.name}.`,
          field,
        );
      if (unit.status === 'in_stock' || unit.status === 'assigned')
        throw new CounterError(
          'CONFLICT',
          `Serial ${serial} is already ${unit.status === 'in_stock' ? `in stock at ${unit.branch}` : 'on a customer account'}: it cannot be received again.`,
          field,
        );
      if (unit.branch !== ctx.terminal.branch)
        throw new CounterError(
          'INVALID_INPUT',
          `Serial ${serial} is in the records of branch ${unit.branch}: it cannot be received at ${ctx.terminal.branch}.`,
          field,
        );
    });
    const till = await openTillOf(trx, ctx, cashier.id);
    const received = item.serialized
      ? serials.map((serial) => ({ sku: item.sku, serial, quantity: 1 }))
      : [{ sku: item.sku, serial: null, quantity }];
    return {
      kind: 'eq_receive',
      accountNumber: null,
      amountCents: 0,
      tillId: till?.id ?? null,
      // Receiving is a supervisor's own act (the channel is theirs): they are its approver.
      approver: cashier,
      reason: `shipment ${input.reference}`,
      journal: [],
      receipt: receivedSlip(ctx, { cashier, item, serials, quantity, reference: input.reference }),
      detail: equipmentDetail({ orderId: null, handovers: [], returns: [], received }),
      async after(w, ids, outbox) {
        await insertMoves(
          w,
          ctx,
          received.map((r) => ({
            serial: r.serial,
            sku: r.sku,
            quantity: r.quantity,
            from_status: r.serial ? (stock.get(r.serial)?.status ?? null) : null,
            to_status: 'in_stock',
            account_number: null,
            assignment_id: null,
          })),
          { transactionId: ids.transactionId, outboxId: outbox.id, now: tx.now },
        );
      },
      audit: {
        action: 'equipment.receive',
        details: { sku: item.sku, quantity, serials, reference: input.reference },
      },
      drawer: false,
      result: { serials, received: quantity },
    };
  },
});
