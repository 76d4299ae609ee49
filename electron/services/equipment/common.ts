/**
 * What the equipment postings share: the journal builder, the ledger accounts, the unit a return or
 * exchange is about (read inside the posting's transaction), the refund's way and its cash check, and
 * the local unit, return and stock-move rows. The rows refer to the posting's queued outbox event:
 * data.ts counts them as this counter's own, not yet in the replica, while that event is pending.
 */
import type { Knex } from 'knex';

import type { RefundMethod, UnitView } from '../../../shared/api/channels/equipment.js';
import { CounterError } from '../../../shared/api/errors.js';
import {
  normalizeSerial,
  type CatalogItem,
  type ExchangeQuote,
  type ItemCondition,
  type ReturnQuote,
} from '../../../shared/domain/equipment.js';
import type { JournalLine } from '../../../shared/domain/tenders.js';
import { formatMoney, type Cents } from '../../../shared/money.js';
import type { EquipmentDetail, HandedOverUnit, ReturnedUnit } from '../../../shared/sync/equipment.js';
import type { Ids, PostingTx, TenderLine } from '../../kernel/posting.js';
import { receiptPrefix, type ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import { nextCounter } from '../ledger/post.js';
import { effectiveStock, effectiveUnits, type EquipmentPolicies } from './data.js';
import type { RefundWay } from './documents.js';

/** What the handler needs back from a posting besides its ids: the units handed over (assignment ids). */
export type UnitsResult = { unitIds: string[] };

/** An equipment posting's detail in the `ledger.posted` envelope: what moved. */
export function equipmentDetail(
  a: Pick<EquipmentDetail, 'orderId' | 'handovers' | 'returns' | 'received'> & {
    invoiceNumber?: string | null;
  },
): EquipmentDetail {
  return { capability: 'equipment', ...a, invoiceNumber: a.invoiceNumber ?? null };
}

/** The receipt number of an equipment posting: every one prints a receipt. */
export function receiptNumberOf(ids: Ids): string {
  if (!ids.receiptNumber) throw new Error('invariant: an equipment posting has a receipt');
  return ids.receiptNumber;
}

/** Journal lines, skipping zero amounts. */
export class Journal {
  readonly lines: JournalLine[] = [];
  add(ledgerAccount: string, cents: Cents, memo: string): this {
    if (cents !== 0) this.lines.push({ ledgerAccount, cents, memo });
    return this;
  }
}

/**
 * Lease deposits are held per account in their own sub-ledger of deposits held: they earn no interest
 * and are not part of the security-deposit fund, which owns `deposits_held:<account>` itself.
 */
export function equipmentDeposits(accountNumber: string): string {
  return `deposits_held:${accountNumber}:equipment`;
}

export function refundLedger(method: RefundMethod, accountNumber: string): string {
  return method === 'cash'
    ? 'drawer:cash'
    : method === 'check_request'
      ? 'refunds_payable'
      : `ar:${accountNumber}`;
}

/** What a refund does to the money: paid out by `method`, or owed (charged to the account). */
export function refundWay(method: RefundMethod, netCents: Cents): RefundWay {
  return { method, payoutCents: Math.max(0, netCents), owedCents: Math.max(0, -netCents) };
}

/** The cash tender of a refund paid out of the drawer (none for a check request or the account). */
export function refundTenders(way: RefundWay): TenderLine[] {
  return way.method === 'cash' && way.payoutCents > 0
    ? [{ type: 'cash', amountCents: -way.payoutCents, netCents: -way.payoutCents }]
    : [];
}

/**
 * A cash refund must be in the drawer: read inside the posting's transaction, so two refunds at once
 * cannot both count the same cash.
 */
export async function checkCashForRefund(tx: PostingTx, tillId: string, way: RefundWay): Promise<void> {
  if (way.method !== 'cash' || way.payoutCents === 0) return;
  if (way.payoutCents > (await tx.drawerCash(tillId)))
    throw new CounterError(
      'INVALID_INPUT',
      `There is not enough cash in the drawer for a ${formatMoney(way.payoutCents)} refund: refund by check request or to the account.`,
      'refundMethod',
    );
}

/** The next return-goods invoice number, from its own gap-free series, inside the transaction. */
export async function nextInvoiceNumber(trx: Knex.Transaction, ctx: ServiceContext): Promise<string> {
  return `RG${receiptPrefix(ctx.terminal)}-${String(await nextCounter(trx, 'return_invoice')).padStart(6, '0')}`;
}

export type UnitRef = { serial?: string | undefined; assignmentId?: string | undefined };

/**
 * The unit a return or exchange is about, on the account at the counter. Refuses a serial never
 * handed over, a unit on another account (the engine words it), one already returned. Read inside
 * the posting's transaction, this is also what stops a second return of a unit returned meanwhile.
 */
export async function findUnit(
  db: Knex | Knex.Transaction,
  ref: UnitRef,
  accountNumber: string,
  policies: EquipmentPolicies,
): Promise<UnitView> {
  if (!ref.serial && !ref.assignmentId)
    throw new CounterError(
      'INVALID_INPUT',
      'Scan the serial of the unit the customer brought back.',
      'serial',
    );
  const { units } = await effectiveUnits(
    db,
    ref.assignmentId ? { id: ref.assignmentId } : { serial: ref.serial ?? '' },
    policies,
  );
  const serial = ref.serial ? normalizeSerial(ref.serial) : null;
  const current = units.find((u) => !u.returnedOn) ?? null;
  const onThisAccount = units.find((u) => u.accountNumber === accountNumber && !u.returnedOn);
  if (onThisAccount) return onThisAccount;
  if (current) return current; // on another account: the engine refuses it in words a CSR can say
  const last = units.find((u) => u.accountNumber === accountNumber);
  if (last)
    throw new CounterError(
      'CONFLICT',
      `The ${last.name}${last.serial ? ` (serial ${last.serial})` : ''} was already returned on ${last.returnedOn ?? ''}.`,
      'serial',
    );
  if (serial) {
    const stock = (await effectiveStock(db, { serials: [serial] })).get(serial);
    throw new CounterError(
      'NOT_FOUND',
      stock
        ? `Serial ${serial} was never handed over to this account (it is ${stock.status.replace('_', ' ')} at ${stock.branch}): we can only take back equipment that is on the account.`
        : `Serial ${serial} is not in our records: it was never handed over to a customer here. Check the S/N or MAC label.`,
      'serial',
    );
  }
  throw new CounterError('NOT_FOUND', 'That unit is not on this account.', 'assignmentId');
}

/** The unit coming back, as the event and the return row record it; `figures` are the quote's. */
export function returnedUnit(
  unit: UnitView,
  condition: ItemCondition,
  returnedOn: string,
  figures: Pick<
    ReturnedUnit,
    | 'refundCents'
    | 'restockingFeeCents'
    | 'feeCents'
    | 'depositReleaseCents'
    | 'stopMonthlyCents'
    | 'toStatus'
  >,
): ReturnedUnit {
  return {
    returnId: newId(),
    assignmentId: unit.id,
    sku: unit.sku,
    serial: unit.serial,
    mode: unit.mode,
    condition,
    returnedOn,
    ...figures,
  };
}

/** The returned unit as the return receipt and the return-goods invoice describe it. */
export function unitDoc(unit: UnitView, condition: ItemCondition) {
  return {
    name: unit.name,
    sku: unit.sku,
    serial: unit.serial,
    mode: unit.mode,
    handedOverOn: unit.handedOverOn,
    receiptNumber: unit.receiptNumber,
    condition,
  };
}

export async function insertUnits(
  trx: Knex.Transaction,
  handovers: HandedOverUnit[],
  a: {
    transactionId: string;
    outboxId: string;
    orderId: string | null;
    accountNumber: string;
    receiptNumber: string;
  },
): Promise<void> {
  if (handovers.length === 0) return;
  await trx('equipment_units').insert(
    handovers.map((h) => ({
      id: h.assignmentId,
      transaction_id: a.transactionId,
      outbox_id: a.outboxId,
      order_id: a.orderId,
      line_index: h.lineIndex,
      unit_index: h.unitIndex,
      account_number: a.accountNumber,
      sku: h.sku,
      serial: h.serial,
      mode: h.mode,
      handed_over_on: h.handedOverOn,
      price_paid_cents: h.pricePaidCents,
      tax_paid_cents: h.taxPaidCents,
      lease_deposit_cents: h.leaseDepositCents,
      monthly_cents: h.monthlyCents,
      receipt_number: a.receiptNumber,
    })),
  );
}

export type Move = {
  serial: string | null;
  sku: string;
  quantity: number;
  from_status: string | null;
  to_status: string;
  account_number: string | null;
  assignment_id: string | null;
};

export async function insertMoves(
  trx: Knex.Transaction,
  ctx: ServiceContext,
  moves: Move[],
  a: { transactionId: string; outboxId: string; now: Date },
): Promise<void> {
  if (moves.length === 0) return;
  await trx('equipment_stock_moves').insert(
    moves.map((m) => ({
      ...m,
      transaction_id: a.transactionId,
      outbox_id: a.outboxId,
      branch: ctx.terminal.branch,
      created_at: a.now.toISOString(),
    })),
  );
}

/** A unit handed over out of this branch's stock onto the account. */
export function handoverMove(h: HandedOverUnit, accountNumber: string): Move {
  return h.serial
    ? {
        serial: h.serial,
        sku: h.sku,
        quantity: 1,
        from_status: 'in_stock',
        to_status: 'assigned',
        account_number: accountNumber,
        assignment_id: h.assignmentId,
      }
    : {
        serial: null,
        sku: h.sku,
        quantity: -1,
        from_status: 'in_stock',
        to_status: 'assigned',
        account_number: accountNumber,
        assignment_id: null,
      };
}

export function returnMoves(
  returned: ReturnedUnit,
  item: CatalogItem | undefined,
  condition: ItemCondition,
): Move[] {
  if (returned.serial)
    return [
      {
        serial: returned.serial,
        sku: returned.sku,
        quantity: 1,
        from_status: 'assigned',
        to_status: returned.toStatus,
        account_number: null,
        assignment_id: null,
      },
    ];
  // An item without a serial in good condition goes back on the shelf.
  if (item && !item.serialized && condition === 'good')
    return [
      {
        serial: null,
        sku: returned.sku,
        quantity: 1,
        from_status: 'assigned',
        to_status: 'in_stock',
        account_number: null,
        assignment_id: null,
      },
    ];
  return [];
}

export async function insertReturnRow(
  trx: Knex.Transaction,
  r: ReturnedUnit,
  a: {
    transactionId: string;
    outboxId: string;
    accountNumber: string;
    netCents: Cents;
    refundMethod: RefundMethod | null;
    approvedBy: string | null;
    replacementId: string | null;
    invoiceNumber: string;
    quote: ReturnQuote | ExchangeQuote;
    now: Date;
  },
): Promise<void> {
  await trx('equipment_returns').insert({
    id: r.returnId,
    transaction_id: a.transactionId,
    outbox_id: a.outboxId,
    assignment_id: r.assignmentId,
    account_number: a.accountNumber,
    sku: r.sku,
    serial: r.serial,
    mode: r.mode,
    condition: r.condition,
    returned_on: r.returnedOn,
    refund_cents: r.refundCents,
    restocking_fee_cents: r.restockingFeeCents,
    fee_cents: r.feeCents,
    deposit_release_cents: r.depositReleaseCents,
    stop_monthly_cents: r.stopMonthlyCents,
    net_cents: a.netCents,
    refund_method: a.refundMethod,
    approved_by: a.approvedBy,
    replacement_id: a.replacementId,
    invoice_number: a.invoiceNumber,
    quote: JSON.stringify(a.quote),
    created_at: a.now.toISOString(),
  });
}
