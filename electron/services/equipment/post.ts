/**
 * Equipment postings: an order handed over and paid, a return, an exchange, stock received, trouble
 * tickets. Each writes everything in ONE SQLite transaction: the transaction row with its balanced
 * journal (equipment_sales, tax_payable, deposits_held:<account>:equipment, fee_income, ar:<account>, the
 * drawer or refunds_payable), tenders, the local order/unit/return rows, the stock moves, the
 * receipt(s), the outbox event and the audit entry. Any refusal throws before the transaction, or
 * inside it before anything is written, so a bad request leaves no trace. Printing happens after the
 * commit (the handler) and never undoes it.
 *
 * Checks that need the database as it is at the moment of writing (the serials' stock status, a unit
 * not returned twice) run inside the transaction; the counter has one connection, so nothing can
 * slip in between. A supervisor's PIN is checked before the transaction (it reads the cashiers).
 */
import type { Knex } from 'knex';

import type { Approval } from '../../../shared/api/channels/till.js';
import type { RefundMethod, TicketView, UnitView } from '../../../shared/api/channels/equipment.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier, Tender } from '../../../shared/api/schemas.js';
import {
  checkHandover,
  exchangeQuote,
  normalizeSerial,
  priceOrder,
  returnQuote,
  validateSerial,
  type CatalogItem,
  type ExchangeQuote,
  type HandoverScan,
  type ItemCondition,
  type OrderLine,
  type ReturnQuote,
} from '../../../shared/domain/equipment.js';
import {
  DRAWER_TENDERS,
  settleTenders,
  tenderDebits,
  type JournalLine,
  type Settlement,
} from '../../../shared/domain/tenders.js';
import { formatCents, type Cents } from '../../../shared/money.js';
import type {
  EquipmentKind,
  EquipmentPosted,
  HandedOverUnit,
  ReturnedUnit,
} from '../../../shared/sync/equipment.js';
import { getAccountRow } from '../accounts/accounts.js';
import { appendAudit } from '../audit/audit.js';
import { requireApproval } from '../auth/approval.js';
import { receiptPrefix, type ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import {
  insertTenders,
  insertTransaction,
  isDuplicateRequest,
  nextCounter,
  nextReceiptNumber,
} from '../ledger/post.js';
import { enqueue } from '../outbox/outbox.js';
import type { ReceiptModel } from '../receipts/compose.js';
import { openTillOf, requireOpenTill, tillExpected } from '../till/till.js';
import {
  effectiveStock,
  effectiveUnits,
  loadEquipmentPolicies,
  ticketView,
  toAssignment,
  toStockEntries,
  type EquipmentPolicies,
} from './data.js';
import {
  exchangeReceipt,
  orderReceipt,
  receivedSlip,
  returnGoodsInvoice,
  returnReceipt,
  type RefundWay,
} from './documents.js';

const money = (c: Cents): string => formatCents(c, { symbol: true });

export type PostedEquipment = {
  transactionId: string;
  receiptNumber: string;
  invoiceNumber: string | null;
  replay: boolean;
  /** Cash, check or money order changed hands: open the drawer. */
  drawer: boolean;
  /** Units handed over (assignment ids). */
  unitIds: string[];
};

/** Journal lines, skipping zero amounts. */
class Journal {
  readonly lines: JournalLine[] = [];
  add(ledgerAccount: string, cents: Cents, memo: string): this {
    if (cents !== 0) this.lines.push({ ledgerAccount, cents, memo });
    return this;
  }
}

/**
 * Lease deposits are held per account in their own sub-ledger of deposits held: they earn no interest and
 * are not part of the security-deposit fund (issue 6), which owns `deposits_held:<account>` itself.
 */
export function equipmentDeposits(accountNumber: string): string {
  return `deposits_held:${accountNumber}:equipment`;
}

function refundLedger(method: RefundMethod, accountNumber: string): string {
  return method === 'cash'
    ? 'drawer:cash'
    : method === 'check_request'
      ? 'refunds_payable'
      : `ar:${accountNumber}`;
}

async function replayOf(db: Knex, requestId: string): Promise<PostedEquipment | null> {
  const tx = (await db('transactions')
    .where('request_id', requestId)
    .first('id', 'receipt_number', 'kind')) as
    { id: string; receipt_number: string; kind: string } | undefined;
  if (!tx) return null;
  if (!tx.kind.startsWith('eq_'))
    throw new CounterError('CONFLICT', 'That request id was already used for another posting.', 'requestId');
  const invoice = (await db('receipts')
    .where({ transaction_id: tx.id, kind: 'return_invoice' })
    .first('number')) as { number: string } | undefined;
  const units = (await db('equipment_units')
    .where('transaction_id', tx.id)
    .orderBy(['line_index', 'unit_index'])
    .select('id')) as {
    id: string;
  }[];
  return {
    transactionId: tx.id,
    receiptNumber: tx.receipt_number,
    invoiceNumber: invoice?.number ?? null,
    replay: true,
    drawer: false,
    unitIds: units.map((u) => u.id),
  };
}

/** Runs `post` in one transaction; a request id seen before answers with the first result. */
async function once(
  ctx: ServiceContext,
  requestId: string,
  post: (trx: Knex.Transaction) => Promise<PostedEquipment>,
): Promise<PostedEquipment> {
  const first = await replayOf(ctx.db, requestId);
  if (first) return first;
  try {
    return await ctx.db.transaction(post);
  } catch (err) {
    if (!isDuplicateRequest(err)) throw err;
    const replay = await replayOf(ctx.db, requestId);
    if (!replay) throw err;
    return replay;
  }
}

async function nextInvoiceNumber(trx: Knex.Transaction, ctx: ServiceContext): Promise<string> {
  return `RG${receiptPrefix(ctx.terminal)}-${String(await nextCounter(trx, 'return_invoice')).padStart(6, '0')}`;
}

async function insertReceipt(
  trx: Knex.Transaction,
  number: string,
  transactionId: string,
  kind: string,
  model: ReceiptModel,
): Promise<void> {
  await trx('receipts').insert({
    number,
    transaction_id: transactionId,
    kind,
    model: JSON.stringify(model),
    created_at: model.at.toISOString(),
  });
}

function eventBase(ctx: ServiceContext, cashier: Cashier, now: Date) {
  return {
    cashierId: cashier.id,
    terminalCode: ctx.terminal.code,
    branch: ctx.terminal.branch,
    businessDate: ctx.clock.today(),
    createdAt: now.toISOString(),
  };
}

function ledgerTenders(tenders: Tender[], settlement: Settlement | null) {
  return settlement
    ? tenders.map((t, i) => ({
        type: t.type,
        amountCents: t.amountCents,
        netCents: settlement.net[i]?.cents ?? 0,
      }))
    : [];
}

// ---------------------------------------------------------------------------------------------------
// Orders

export type OrderInput = {
  requestId: string;
  accountNumber: string;
  lines: OrderLine[];
  scans: HandoverScan[];
  tenders: Tender[];
  confirmOvertenderCredit: boolean;
  expectedDueCents?: number | undefined;
};

/**
 * An order handed over and paid: the serials scanned for each unit are checked against this branch's
 * stock (as last pulled, with this counter's own moves); the sale price, tax and lease deposits are
 * paid through the tenders; each unit becomes an assignment on the account (the lease's monthly
 * charge goes on the account when the server applies the event).
 */
export async function postOrder(
  ctx: ServiceContext,
  cashier: Cashier,
  input: OrderInput,
): Promise<PostedEquipment> {
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  const policies = await loadEquipmentPolicies(ctx.db);
  const priced = priceOrder(input.lines, policies.catalog, policies.taxRules, today);
  if (input.expectedDueCents !== undefined && input.expectedDueCents !== priced.dueNowCents)
    throw new CounterError(
      'CONFLICT',
      `The prices changed since the quote: ${money(priced.dueNowCents)} is due now, not ${money(input.expectedDueCents)}. Go over the order with the customer again.`,
      'expectedDueCents',
    );
  return once(ctx, input.requestId, async (trx) => {
    const till = await requireOpenTill(trx, ctx, cashier);
    const account = await getAccountRow(trx, input.accountNumber, { withPending: true });
    if (account.status === 'closed')
      throw new CounterError(
        'ACCOUNT_CLOSED',
        `Account ${input.accountNumber} is closed: equipment cannot be handed over on it.`,
        'accountNumber',
      );
    const stock = await effectiveStock(trx, { serials: input.scans.map((s) => s.serial) });
    const { units } = checkHandover(
      input.lines,
      input.scans,
      toStockEntries(stock.values()),
      ctx.terminal.branch,
      policies.catalog,
    );
    let settlement: Settlement | null = null;
    if (priced.dueNowCents > 0)
      settlement = settleTenders(priced.dueNowCents, input.tenders, {
        cashOnly: account.cash_only === 1,
        confirmOvertenderCredit: input.confirmOvertenderCredit,
      });
    else if (input.tenders.length > 0)
      throw new CounterError(
        'INVALID_INPUT',
        'Nothing is due now for this order: remove the tenders.',
        'tenders',
      );

    const acct = input.accountNumber;
    const journal = new Journal();
    if (settlement)
      for (const l of tenderDebits(settlement, 'equipment order'))
        journal.add(l.ledgerAccount, l.cents, l.memo);
    journal
      .add('equipment_sales', -priced.subtotalCents, 'equipment sold')
      .add('tax_payable', -priced.taxCents, 'sales tax on equipment')
      .add(equipmentDeposits(acct), -priced.depositCents, 'equipment deposit held')
      .add(`ar:${acct}`, -(settlement?.creditCents ?? 0), 'over-tender credited to the account');

    const transactionId = newId();
    const orderId = newId();
    const receiptNumber = await nextReceiptNumber(trx, ctx);
    await insertTransaction(
      trx,
      {
        id: transactionId,
        request_id: input.requestId,
        kind: 'eq_order',
        account_number: acct,
        amount_cents: priced.dueNowCents,
        applied_cents: settlement?.appliedCents ?? 0,
        change_cents: settlement?.changeCents ?? 0,
        credit_cents: settlement?.creditCents ?? 0,
        cashier_id: cashier.id,
        terminal_code: ctx.terminal.code,
        till_id: till.id,
        receipt_number: receiptNumber,
        business_date: today,
        created_at: now.toISOString(),
      },
      journal.lines,
    );
    if (settlement) await insertTenders(trx, transactionId, input.tenders, settlement);

    const handovers: HandedOverUnit[] = units.map((u) => {
      const share = priced.lines[u.lineIndex]?.units[u.unitIndex];
      if (!share) throw new Error('invariant: unit without a priced share');
      return {
        assignmentId: newId(),
        lineIndex: u.lineIndex,
        unitIndex: u.unitIndex,
        sku: u.sku,
        serial: u.serial,
        mode: u.mode,
        handedOverOn: today,
        pricePaidCents: share.priceCents,
        taxPaidCents: share.taxCents,
        leaseDepositCents: share.depositCents,
        monthlyCents: share.monthlyCents,
      };
    });
    const model = orderReceipt(ctx, {
      cashier,
      at: now,
      receiptNumber,
      account: { number: acct, name: account.name },
      priced,
      serialsByLine: priced.lines.map((_, i) => units.filter((u) => u.lineIndex === i).map((u) => u.serial)),
      tenders: input.tenders,
      changeCents: settlement?.changeCents ?? 0,
      creditCents: settlement?.creditCents ?? 0,
      catalog: policies.bySku,
      today,
    });
    await insertReceipt(trx, receiptNumber, transactionId, 'equipment_order', model);
    const event: EquipmentPosted = {
      transactionId,
      requestId: input.requestId,
      kind: 'eq_order',
      accountNumber: acct,
      orderId,
      handovers,
      returns: [],
      received: [],
      amountCents: priced.dueNowCents,
      journal: journal.lines,
      tenders: ledgerTenders(input.tenders, settlement),
      changeCents: settlement?.changeCents ?? 0,
      receiptNumber,
      invoiceNumber: null,
      reason: null,
      approvedBy: null,
      tillId: till.id,
      ...eventBase(ctx, cashier, now),
    };
    const outbox = await enqueue(trx, 'equipment.posted', event, now);

    await trx('equipment_orders').insert({
      id: orderId,
      transaction_id: transactionId,
      account_number: acct,
      status: 'handed_over',
      subtotal_cents: priced.subtotalCents,
      tax_cents: priced.taxCents,
      deposit_cents: priced.depositCents,
      due_now_cents: priced.dueNowCents,
      new_monthly_cents: priced.newMonthlyCents,
      new_monthly_tax_cents: priced.newMonthlyTaxCents,
      tax_rules: JSON.stringify(priced.taxRules),
      cashier_id: cashier.id,
      business_date: today,
      created_at: now.toISOString(),
    });
    await trx('equipment_order_lines').insert(
      priced.lines.map((l, i) => ({
        order_id: orderId,
        line_index: i,
        sku: l.sku,
        name: l.name,
        mode: l.mode,
        quantity: l.quantity,
        unit_cents: l.unitCents,
        extended_cents: l.extendedCents,
        tax_cents: l.taxCents,
        deposit_cents: l.depositCents,
        monthly_cents: l.monthlyCents,
        monthly_tax_cents: l.monthlyTaxCents,
        tax_rule_id: l.taxRuleId,
        rate_percent: l.ratePercent,
      })),
    );
    await insertUnits(trx, handovers, {
      transactionId,
      outboxId: outbox.id,
      orderId,
      accountNumber: acct,
      receiptNumber,
    });
    const moves: Move[] = handovers
      .filter((h) => h.serial !== null)
      .map((h) => ({
        serial: h.serial,
        sku: h.sku,
        quantity: 1,
        from_status: 'in_stock',
        to_status: 'assigned',
        account_number: acct,
        assignment_id: h.assignmentId,
      }));
    priced.lines.forEach((l) => {
      if (!policies.bySku.get(l.sku)?.serialized)
        moves.push({
          serial: null,
          sku: l.sku,
          quantity: -l.quantity,
          from_status: 'in_stock',
          to_status: 'assigned',
          account_number: acct,
          assignment_id: null,
        });
    });
    await insertMoves(trx, ctx, moves, { transactionId, outboxId: outbox.id, now });
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'equipment.order',
        entityType: 'transaction',
        entityId: transactionId,
        details: {
          accountNumber: acct,
          orderId,
          receiptNumber,
          dueNowCents: priced.dueNowCents,
          newMonthlyCents: priced.newMonthlyCents,
          serials: handovers.flatMap((h) => (h.serial ? [h.serial] : [])),
          tenders: input.tenders.map((t) => t.type),
        },
      },
      now,
    );
    return {
      transactionId,
      receiptNumber,
      invoiceNumber: null,
      replay: false,
      drawer: input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)),
      unitIds: handovers.map((h) => h.assignmentId),
    };
  });
}

async function insertUnits(
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

type Move = {
  serial: string | null;
  sku: string;
  quantity: number;
  from_status: string | null;
  to_status: string;
  account_number: string | null;
  assignment_id: string | null;
};

async function insertMoves(
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

// ---------------------------------------------------------------------------------------------------
// Returns and exchanges

export type UnitRef = { serial?: string | undefined; assignmentId?: string | undefined };

/**
 * The unit a return or exchange is about, on the account at the counter. Refuses a serial never
 * handed over, a unit on another account (the engine words it), one already returned.
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

export type ReturnInput = UnitRef & {
  requestId: string;
  accountNumber: string;
  condition: ItemCondition;
  refundMethod: RefundMethod;
  approval?: Approval | undefined;
  note?: string | undefined;
};

/** What a refund does to the money: paid out by `method`, or owed (charged to the account). */
function refundWay(method: RefundMethod, netCents: Cents): RefundWay {
  return { method, payoutCents: Math.max(0, netCents), owedCents: Math.max(0, -netCents) };
}

async function checkCashForRefund(ctx: ServiceContext, cashier: Cashier, way: RefundWay): Promise<void> {
  if (way.method !== 'cash' || way.payoutCents === 0) return;
  const till = await requireOpenTill(ctx.db, ctx, cashier);
  if (way.payoutCents > (await tillExpected(ctx.db, till.id)).cashCents)
    throw new CounterError(
      'INVALID_INPUT',
      `There is not enough cash in the drawer for a ${money(way.payoutCents)} refund: refund by check request or to the account.`,
      'refundMethod',
    );
}

/** Re-reads the unit inside the transaction: still on the account and not returned meanwhile. */
async function unitStillOut(
  trx: Knex.Transaction,
  unit: UnitView,
  policies: EquipmentPolicies,
): Promise<void> {
  const { units } = await effectiveUnits(trx, { id: unit.id }, policies);
  const now = units.find((u) => u.id === unit.id);
  if (!now || now.returnedOn || now.accountNumber !== unit.accountNumber)
    throw new CounterError(
      'CONFLICT',
      `The ${unit.name}${unit.serial ? ` (serial ${unit.serial})` : ''} was returned meanwhile: nothing was done.`,
      'serial',
    );
}

function toStatusFor(condition: ItemCondition): 'returned' | 'defective' {
  return condition === 'good' ? 'returned' : 'defective';
}

/** Quotes a return for the screen (and for the posting). */
export async function quoteReturn(
  db: Knex,
  today: string,
  input: UnitRef & { accountNumber: string; condition: ItemCondition; supervisorOverride: boolean },
): Promise<{ quote: ReturnQuote; unit: UnitView; policies: EquipmentPolicies }> {
  const policies = await loadEquipmentPolicies(db);
  const unit = await findUnit(db, input, input.accountNumber, policies);
  const quote = returnQuote(toAssignment(unit), input.condition, today, policies.catalog, policies.fees, {
    accountNumber: input.accountNumber,
    supervisorOverride: input.supervisorOverride,
  });
  return { quote, unit, policies };
}

/**
 * A return: the unit comes back (condition recorded), a sale within its window is refunded less any
 * restocking fee, a lease stops its monthly charge and releases the equipment deposit, a damaged or
 * incomplete unit is charged the scheduled fee. A refund after the window needs a supervisor.
 */
export async function postReturn(
  ctx: ServiceContext,
  cashier: Cashier,
  input: ReturnInput,
): Promise<PostedEquipment & { quote: ReturnQuote }> {
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  const replay = await replayOf(ctx.db, input.requestId);
  if (replay) return { ...replay, quote: await storedQuote<ReturnQuote>(ctx.db, replay.transactionId) };
  const first = await quoteReturn(ctx.db, today, { ...input, supervisorOverride: false });
  let { quote } = first;
  const { unit, policies } = first;
  let approver: Cashier | null = null;
  if (quote.needsSupervisor) {
    if (!input.approval && cashier.role !== 'supervisor')
      throw new CounterError('NEEDS_SUPERVISOR', `${quote.reason} Ask for their ID and PIN.`, 'approval');
    approver = await requireApproval(ctx, cashier, input.approval, 'a refund after the return window');
    quote = (await quoteReturn(ctx.db, today, { ...input, supervisorOverride: true })).quote;
  }
  const way = refundWay(input.refundMethod, quote.netCents);
  await checkCashForRefund(ctx, cashier, way);
  const account = await getAccountRow(ctx.db, input.accountNumber);
  const acct = input.accountNumber;
  const item = policies.bySku.get(unit.sku);

  const posted = await once(ctx, input.requestId, async (trx) => {
    const till = await requireOpenTill(trx, ctx, cashier);
    await unitStillOut(trx, unit, policies);
    const journal = new Journal();
    if (quote.mode === 'buy') {
      const refunded = quote.refundCents > 0 || quote.restockingFeeCents > 0;
      if (refunded)
        journal
          .add('equipment_sales', unit.pricePaidCents, 'equipment returned: sale reversed')
          .add('tax_payable', unit.taxPaidCents, 'equipment returned: tax refunded')
          .add('fee_income', -quote.restockingFeeCents, 'restocking fee');
    } else {
      journal.add(equipmentDeposits(acct), quote.depositReleaseCents, 'equipment deposit released');
    }
    journal
      .add('fee_income', -quote.feeCents, `${quote.condition.replace('_', ' ')} equipment fee`)
      .add(refundLedger(way.method, acct), -way.payoutCents, 'equipment refund')
      .add(`ar:${acct}`, way.owedCents, 'equipment fee charged to the account');

    const transactionId = newId();
    const receiptNumber = await nextReceiptNumber(trx, ctx);
    const invoiceNumber = await nextInvoiceNumber(trx, ctx);
    await insertTransaction(
      trx,
      {
        id: transactionId,
        request_id: input.requestId,
        kind: 'eq_return',
        account_number: acct,
        amount_cents: quote.netCents,
        applied_cents: -quote.netCents,
        cashier_id: cashier.id,
        approved_by: approver?.id ?? null,
        terminal_code: ctx.terminal.code,
        till_id: till.id,
        receipt_number: receiptNumber,
        business_date: today,
        created_at: now.toISOString(),
        reason: input.note ?? null,
      },
      journal.lines,
    );
    const tenders =
      way.method === 'cash' && way.payoutCents > 0
        ? [{ type: 'cash', amountCents: -way.payoutCents, netCents: -way.payoutCents }]
        : [];
    if (tenders.length)
      await trx('tenders').insert({
        id: newId(),
        transaction_id: transactionId,
        position: 0,
        type: 'cash',
        amount_cents: -way.payoutCents,
        net_cents: -way.payoutCents,
      });
    const doc = {
      name: unit.name,
      sku: unit.sku,
      serial: unit.serial,
      mode: unit.mode,
      handedOverOn: unit.handedOverOn,
      receiptNumber: unit.receiptNumber,
      condition: input.condition,
    };
    await insertReceipt(
      trx,
      receiptNumber,
      transactionId,
      'equipment_return',
      returnReceipt(ctx, {
        cashier,
        at: now,
        receiptNumber,
        invoiceNumber,
        account: { number: acct, name: account.name },
        unit: doc,
        lines: quote.lines,
        netCents: quote.netCents,
        way,
        reason: quote.reason,
        approvedBy: approver,
      }),
    );
    await insertReceipt(
      trx,
      invoiceNumber,
      transactionId,
      'return_invoice',
      returnGoodsInvoice(ctx, {
        cashier,
        at: now,
        invoiceNumber,
        receiptNumber,
        account: { number: acct, name: account.name, serviceAddress: account.service_address },
        unit: doc,
        lines: quote.lines,
        netCents: quote.netCents,
        way,
        exchangedFor: null,
      }),
    );
    const returned: ReturnedUnit = {
      returnId: newId(),
      assignmentId: unit.id,
      sku: unit.sku,
      serial: unit.serial,
      mode: unit.mode,
      condition: input.condition,
      returnedOn: today,
      refundCents: quote.refundCents,
      restockingFeeCents: quote.restockingFeeCents,
      feeCents: quote.feeCents,
      depositReleaseCents: quote.depositReleaseCents,
      stopMonthlyCents: quote.stopMonthlyCents,
      toStatus: toStatusFor(input.condition),
    };
    const outbox = await enqueue(
      trx,
      'equipment.posted',
      {
        transactionId,
        requestId: input.requestId,
        kind: 'eq_return',
        accountNumber: acct,
        orderId: unit.orderId,
        handovers: [],
        returns: [returned],
        received: [],
        amountCents: quote.netCents,
        journal: journal.lines,
        tenders,
        changeCents: 0,
        receiptNumber,
        invoiceNumber,
        reason: input.note ?? null,
        approvedBy: approver?.id ?? null,
        tillId: till.id,
        ...eventBase(ctx, cashier, now),
      },
      now,
    );
    await insertReturnRow(trx, returned, {
      transactionId,
      outboxId: outbox.id,
      accountNumber: acct,
      netCents: quote.netCents,
      refundMethod: way.payoutCents > 0 ? way.method : null,
      approvedBy: approver?.id ?? null,
      replacementId: null,
      invoiceNumber,
      quote,
      now,
    });
    await insertMoves(trx, ctx, returnMoves(returned, item, input.condition), {
      transactionId,
      outboxId: outbox.id,
      now,
    });
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'equipment.return',
        entityType: 'transaction',
        entityId: transactionId,
        approvedBy: approver?.id ?? null,
        details: {
          accountNumber: acct,
          assignmentId: unit.id,
          serial: unit.serial,
          condition: input.condition,
          netCents: quote.netCents,
          refundMethod: way.method,
          receiptNumber,
          invoiceNumber,
        },
      },
      now,
    );
    return {
      transactionId,
      receiptNumber,
      invoiceNumber,
      replay: false,
      drawer: tenders.length > 0,
      unitIds: [],
    };
  });
  return { ...posted, quote };
}

/** The quote a return or exchange was posted with (a retried request answers with it). */
async function storedQuote<T>(db: Knex, transactionId: string): Promise<T> {
  const row = (await db('equipment_returns').where('transaction_id', transactionId).first('quote')) as
    { quote: string } | undefined;
  if (!row)
    throw new CounterError('CONFLICT', 'That request id was already used for another posting.', 'requestId');
  return JSON.parse(row.quote) as T;
}

function returnMoves(
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

async function insertReturnRow(
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

export type ExchangeInput = UnitRef & {
  requestId: string;
  accountNumber: string;
  condition: ItemCondition;
  newSku: string;
  newSerial?: string | undefined;
  goodwill: boolean;
  tenders: Tender[];
  confirmOvertenderCredit: boolean;
  refundMethod: RefundMethod;
  approval?: Approval | undefined;
  expectedDueCents?: number | undefined;
};

export async function quoteExchange(
  db: Knex,
  today: string,
  input: UnitRef & { accountNumber: string; condition: ItemCondition; newSku: string; goodwill: boolean },
): Promise<{ quote: ExchangeQuote; unit: UnitView; policies: EquipmentPolicies; newItem: CatalogItem }> {
  const policies = await loadEquipmentPolicies(db);
  const newItem = policies.bySku.get(input.newSku);
  if (!newItem) throw new CounterError('NOT_FOUND', `No catalog item has the SKU ${input.newSku}.`, 'newSku');
  const unit = await findUnit(db, input, input.accountNumber, policies);
  const quote = exchangeQuote(toAssignment(unit), newItem, input.condition, today, {
    accountNumber: input.accountNumber,
    catalog: policies.catalog,
    fees: policies.fees,
    taxRules: policies.taxRules,
    supervisorOverride: input.goodwill,
  });
  return { quote, unit, policies, newItem };
}

/**
 * An exchange: the old unit comes back (set aside as defective) and a new one is handed over in the
 * same transaction. Under warranty, like for like, nothing is charged; otherwise the difference is
 * paid through the tenders or refunded. A goodwill exchange outside the warranty needs a supervisor.
 */
export async function postExchange(
  ctx: ServiceContext,
  cashier: Cashier,
  input: ExchangeInput,
): Promise<PostedEquipment & { quote: ExchangeQuote }> {
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  const replay = await replayOf(ctx.db, input.requestId);
  if (replay) return { ...replay, quote: await storedQuote<ExchangeQuote>(ctx.db, replay.transactionId) };
  const { quote, unit, policies, newItem } = await quoteExchange(ctx.db, today, input);
  if (
    input.expectedDueCents !== undefined &&
    input.expectedDueCents !== quote.dueNowCents - quote.refundCents
  )
    throw new CounterError(
      'CONFLICT',
      `The exchange figures changed: ${quote.dueNowCents > 0 ? `${money(quote.dueNowCents)} is due` : `${money(quote.refundCents)} is refunded`}. Go over it with the customer again.`,
      'expectedDueCents',
    );
  const approver = quote.needsSupervisor
    ? await requireApproval(ctx, cashier, input.approval, 'a goodwill exchange outside the warranty')
    : null;
  const way = refundWay(input.refundMethod, quote.refundCents);
  await checkCashForRefund(ctx, cashier, way);
  const account = await getAccountRow(ctx.db, input.accountNumber, { withPending: true });
  const acct = input.accountNumber;
  const scans: HandoverScan[] = input.newSerial ? [{ lineIndex: 0, serial: input.newSerial }] : [];
  const newLine: OrderLine = { sku: newItem.sku, mode: quote.mode, quantity: 1 };

  const posted = await once(ctx, input.requestId, async (trx) => {
    const till = await requireOpenTill(trx, ctx, cashier);
    await unitStillOut(trx, unit, policies);
    const stock = await effectiveStock(trx, { serials: scans.map((s) => s.serial) });
    let handover;
    try {
      handover = checkHandover(
        [newLine],
        scans,
        toStockEntries(stock.values()),
        ctx.terminal.branch,
        policies.catalog,
      );
    } catch (err) {
      // The replacement's serial belongs to the newSerial field on this screen.
      if (err instanceof CounterError && err.field?.startsWith('scans.'))
        throw new CounterError(err.code, err.message, 'newSerial', err.details);
      if (err instanceof CounterError && err.field === 'lines.0')
        throw new CounterError(err.code, `Scan the serial of the replacement ${newItem.name}.`, 'newSerial');
      throw err;
    }
    const newUnit = handover.units[0];
    if (!newUnit) throw new Error('invariant: no replacement unit');

    let settlement: Settlement | null = null;
    if (quote.dueNowCents > 0)
      settlement = settleTenders(quote.dueNowCents, input.tenders, {
        cashOnly: account.cash_only === 1,
        confirmOvertenderCredit: input.confirmOvertenderCredit,
      });
    else if (input.tenders.length > 0)
      throw new CounterError(
        'INVALID_INPUT',
        'Nothing is due for this exchange: remove the tenders.',
        'tenders',
      );

    const journal = new Journal();
    if (settlement)
      for (const l of tenderDebits(settlement, 'equipment exchange'))
        journal.add(l.ledgerAccount, l.cents, l.memo);
    if (quote.mode === 'buy') {
      if (quote.creditCents > 0)
        journal
          .add('equipment_sales', unit.pricePaidCents, 'exchange: old unit credited')
          .add('tax_payable', unit.taxPaidCents, 'exchange: tax on old unit credited');
      journal
        .add('equipment_sales', -quote.newPriceCents, 'exchange: new unit sold')
        .add('tax_payable', -quote.newTaxCents, 'exchange: sales tax');
    } else {
      journal
        .add(equipmentDeposits(acct), -quote.depositDueCents, 'exchange: more equipment deposit held')
        .add(equipmentDeposits(acct), quote.depositReleaseCents, 'exchange: equipment deposit released');
    }
    journal
      .add('fee_income', -quote.feeCents, `${quote.condition.replace('_', ' ')} equipment fee`)
      .add(`ar:${acct}`, -(settlement?.creditCents ?? 0), 'over-tender credited to the account')
      .add(refundLedger(way.method, acct), -way.payoutCents, 'exchange refund');

    const transactionId = newId();
    const receiptNumber = await nextReceiptNumber(trx, ctx);
    const invoiceNumber = await nextInvoiceNumber(trx, ctx);
    const signed = quote.dueNowCents - quote.refundCents;
    await insertTransaction(
      trx,
      {
        id: transactionId,
        request_id: input.requestId,
        kind: 'eq_exchange',
        account_number: acct,
        amount_cents: signed,
        applied_cents: settlement?.appliedCents ?? -way.payoutCents,
        change_cents: settlement?.changeCents ?? 0,
        credit_cents: settlement?.creditCents ?? 0,
        cashier_id: cashier.id,
        approved_by: approver?.id ?? null,
        terminal_code: ctx.terminal.code,
        till_id: till.id,
        receipt_number: receiptNumber,
        business_date: today,
        created_at: now.toISOString(),
        reason: quote.reason.slice(0, 300),
      },
      journal.lines,
    );
    let tenders = ledgerTenders(input.tenders, settlement);
    if (settlement) await insertTenders(trx, transactionId, input.tenders, settlement);
    else if (way.method === 'cash' && way.payoutCents > 0) {
      tenders = [{ type: 'cash', amountCents: -way.payoutCents, netCents: -way.payoutCents }];
      await trx('tenders').insert({
        id: newId(),
        transaction_id: transactionId,
        position: 0,
        type: 'cash',
        amount_cents: -way.payoutCents,
        net_cents: -way.payoutCents,
      });
    }
    const handed: HandedOverUnit = {
      assignmentId: newId(),
      lineIndex: 0,
      unitIndex: 0,
      sku: newItem.sku,
      serial: newUnit.serial,
      mode: quote.mode,
      handedOverOn: quote.newUnit.handedOverOn,
      pricePaidCents: quote.newUnit.pricePaidCents,
      taxPaidCents: quote.newUnit.taxPaidCents,
      leaseDepositCents: quote.newUnit.leaseDepositCents,
      monthlyCents: quote.newUnit.monthlyCents,
    };
    const returned: ReturnedUnit = {
      returnId: newId(),
      assignmentId: unit.id,
      sku: unit.sku,
      serial: unit.serial,
      mode: unit.mode,
      condition: input.condition,
      returnedOn: today,
      refundCents: quote.creditCents,
      restockingFeeCents: 0,
      feeCents: quote.feeCents,
      depositReleaseCents: quote.mode === 'lease' ? unit.leaseDepositCents : 0,
      stopMonthlyCents: quote.stopMonthlyCents,
      toStatus: 'defective',
    };
    const doc = {
      name: unit.name,
      sku: unit.sku,
      serial: unit.serial,
      mode: unit.mode,
      handedOverOn: unit.handedOverOn,
      receiptNumber: unit.receiptNumber,
      condition: input.condition,
    };
    await insertReceipt(
      trx,
      receiptNumber,
      transactionId,
      'equipment_exchange',
      exchangeReceipt(ctx, {
        cashier,
        at: now,
        receiptNumber,
        invoiceNumber,
        account: { number: acct, name: account.name },
        old: doc,
        newName: newItem.name,
        newSerial: newUnit.serial,
        newMonthlyCents: quote.newMonthlyCents,
        lines: quote.lines,
        dueCents: quote.dueNowCents,
        refundCents: quote.refundCents,
        tenders: input.tenders,
        changeCents: settlement?.changeCents ?? 0,
        creditCents: settlement?.creditCents ?? 0,
        way,
        reason: quote.reason,
        approvedBy: approver,
      }),
    );
    await insertReceipt(
      trx,
      invoiceNumber,
      transactionId,
      'return_invoice',
      returnGoodsInvoice(ctx, {
        cashier,
        at: now,
        invoiceNumber,
        receiptNumber,
        account: { number: acct, name: account.name, serviceAddress: account.service_address },
        unit: doc,
        lines: quote.lines,
        netCents: quote.refundCents - quote.dueNowCents,
        way: { method: way.method, payoutCents: way.payoutCents, owedCents: 0 },
        exchangedFor: `${newItem.name}${newUnit.serial ? ` ${newUnit.serial}` : ''}`,
      }),
    );
    const outbox = await enqueue(
      trx,
      'equipment.posted',
      {
        transactionId,
        requestId: input.requestId,
        kind: 'eq_exchange',
        accountNumber: acct,
        orderId: null,
        handovers: [handed],
        returns: [returned],
        received: [],
        amountCents: signed,
        journal: journal.lines,
        tenders,
        changeCents: settlement?.changeCents ?? 0,
        receiptNumber,
        invoiceNumber,
        reason: quote.reason.slice(0, 300),
        approvedBy: approver?.id ?? null,
        tillId: till.id,
        ...eventBase(ctx, cashier, now),
      },
      now,
    );
    await insertUnits(trx, [handed], {
      transactionId,
      outboxId: outbox.id,
      orderId: null,
      accountNumber: acct,
      receiptNumber,
    });
    await insertReturnRow(trx, returned, {
      transactionId,
      outboxId: outbox.id,
      accountNumber: acct,
      netCents: quote.refundCents - quote.dueNowCents,
      refundMethod: way.payoutCents > 0 ? way.method : null,
      approvedBy: approver?.id ?? null,
      replacementId: handed.assignmentId,
      invoiceNumber,
      quote,
      now,
    });
    const oldItem = policies.bySku.get(unit.sku);
    const moves: Move[] = [
      ...returnMoves(returned, oldItem, 'damaged'),
      handed.serial
        ? {
            serial: handed.serial,
            sku: handed.sku,
            quantity: 1,
            from_status: 'in_stock',
            to_status: 'assigned',
            account_number: acct,
            assignment_id: handed.assignmentId,
          }
        : {
            serial: null,
            sku: handed.sku,
            quantity: -1,
            from_status: 'in_stock',
            to_status: 'assigned',
            account_number: acct,
            assignment_id: null,
          },
    ];
    await insertMoves(trx, ctx, moves, { transactionId, outboxId: outbox.id, now });
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'equipment.exchange',
        entityType: 'transaction',
        entityId: transactionId,
        approvedBy: approver?.id ?? null,
        details: {
          accountNumber: acct,
          oldAssignmentId: unit.id,
          oldSerial: unit.serial,
          newAssignmentId: handed.assignmentId,
          newSerial: handed.serial,
          condition: input.condition,
          dueNowCents: quote.dueNowCents,
          refundCents: quote.refundCents,
          receiptNumber,
          invoiceNumber,
        },
      },
      now,
    );
    return {
      transactionId,
      receiptNumber,
      invoiceNumber,
      replay: false,
      drawer:
        input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)) ||
        (way.method === 'cash' && way.payoutCents > 0),
      unitIds: [handed.assignmentId],
    };
  });
  return { ...posted, quote };
}

// ---------------------------------------------------------------------------------------------------
// Receiving stock

export type ReceiveInput = {
  requestId: string;
  sku: string;
  serials: string[];
  quantity?: number | undefined;
  reference: string;
};

/**
 * A shipment received into this branch's stock by a supervisor: each serial scanned (checked against
 * the item's serial pattern, unique in the shipment, not already in stock or on an account), or a
 * count of an item without serials. A unit that came back (returned/defective here) can be put back
 * in stock the same way.
 */
export async function receiveShipment(
  ctx: ServiceContext,
  cashier: Cashier,
  input: ReceiveInput,
): Promise<PostedEquipment & { serials: string[]; received: number }> {
  const now = ctx.clock.now();
  const policies = await loadEquipmentPolicies(ctx.db);
  const item = policies.bySku.get(input.sku);
  if (!item) throw new CounterError('NOT_FOUND', `No catalog item has the SKU ${input.sku}.`, 'sku');
  let serials: string[] = [];
  let quantity: number;
  if (item.serialized) {
    if (input.serials.length === 0)
      throw new CounterError(
        'INVALID_INPUT',
        `Scan the serial of each ${item.name} in the shipment.`,
        'serials',
      );
    const seen = new Map<string, number>();
    serials = input.serials.map((s, i) => {
      let n: string;
      try {
        n = validateSerial(item, s);
      } catch (err) {
        if (err instanceof CounterError)
          throw new CounterError(err.code, err.message, `serials.${String(i)}`);
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
    quantity = serials.length;
  } else {
    if (input.serials.length > 0)
      throw new CounterError(
        'INVALID_INPUT',
        `The ${item.name} has no serial numbers: type how many units came instead.`,
        'serials',
      );
    if (input.quantity === undefined)
      throw new CounterError('INVALID_INPUT', `Type how many ${item.name} units came.`, 'quantity');
    quantity = input.quantity;
  }
  const replay = await replayOf(ctx.db, input.requestId);
  if (replay) return { ...replay, serials, received: quantity };
  const posted = await once(ctx, input.requestId, async (trx) => {
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
    const transactionId = newId();
    const receiptNumber = await nextReceiptNumber(trx, ctx);
    await insertTransaction(
      trx,
      {
        id: transactionId,
        request_id: input.requestId,
        kind: 'eq_receive',
        account_number: null,
        amount_cents: 0,
        applied_cents: 0,
        cashier_id: cashier.id,
        approved_by: cashier.id,
        terminal_code: ctx.terminal.code,
        till_id: till?.id ?? null,
        receipt_number: receiptNumber,
        business_date: ctx.clock.today(),
        created_at: now.toISOString(),
        reason: `shipment ${input.reference}`,
      },
      [],
    );
    await insertReceipt(
      trx,
      receiptNumber,
      transactionId,
      'stock_received',
      receivedSlip(ctx, {
        cashier,
        at: now,
        receiptNumber,
        item,
        serials,
        quantity,
        reference: input.reference,
      }),
    );
    const received = item.serialized
      ? serials.map((serial) => ({ sku: item.sku, serial, quantity: 1 }))
      : [{ sku: item.sku, serial: null, quantity }];
    const kind: EquipmentKind = 'eq_receive';
    const outbox = await enqueue(
      trx,
      'equipment.posted',
      {
        transactionId,
        requestId: input.requestId,
        kind,
        accountNumber: null,
        orderId: null,
        handovers: [],
        returns: [],
        received,
        amountCents: 0,
        journal: [],
        tenders: [],
        changeCents: 0,
        receiptNumber,
        invoiceNumber: null,
        reason: `shipment ${input.reference}`,
        approvedBy: cashier.id,
        tillId: till?.id ?? null,
        ...eventBase(ctx, cashier, now),
      },
      now,
    );
    await insertMoves(
      trx,
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
      { transactionId, outboxId: outbox.id, now },
    );
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'equipment.receive',
        entityType: 'transaction',
        entityId: transactionId,
        approvedBy: cashier.id,
        details: { sku: item.sku, quantity, serials, reference: input.reference, receiptNumber },
      },
      now,
    );
    return { transactionId, receiptNumber, invoiceNumber: null, replay: false, drawer: false, unitIds: [] };
  });
  return { ...posted, serials, received: quantity };
}

// ---------------------------------------------------------------------------------------------------
// Trouble tickets

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
