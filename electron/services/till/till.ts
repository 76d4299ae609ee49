/**
 * Till control on the counter: a till (shift) per cashier per terminal, opened with a counted float;
 * drops, paid-outs, voids and refunds as balanced journal transactions tied to the till; a blind close
 * whose difference posts to over/short. What the drawer should hold is always read back from the
 * till's own journal lines, never kept in a separate counter.
 */
import type { Knex } from 'knex';

import type { Approval, TillFigures, TillSummary } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import type { Counts, CurrencyConfig } from '../../../shared/domain/currency.js';
import {
  closeFigures,
  closeJournal,
  countTotal,
  dropJournal,
  openJournal,
  paidOutJournal,
  refundJournal,
  reversalJournal,
  type CloseFigures,
  type TillCount,
  TILL_TENDER_KINDS,
} from '../../../shared/domain/till.js';
import { DRAWER_TENDERS, TENDER_LABEL, type JournalLine } from '../../../shared/domain/tenders.js';
import { addCents, formatCents, type Cents } from '../../../shared/money.js';
import { getAccountRow } from '../accounts/accounts.js';
import { appendAudit } from '../audit/audit.js';
import { approvalIf, requireApproval } from '../auth/approval.js';
import type { ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import { insertTransaction, isDuplicateRequest, nextCounter, nextReceiptNumber } from '../ledger/post.js';
import {
  openTillOf,
  requireOpenTill,
  tillExpected,
  TILL_NOT_OPEN_MESSAGE,
  type TillRow,
} from '../../kernel/till-state.js';
import { enqueue } from '../outbox/outbox.js';
import type { ReceiptModel } from '../receipts/compose.js';

export type TillPolicy = {
  currency: CurrencyConfig;
  /** Cash over/short a CSR may close with alone. */
  overShortToleranceCents: Cents;
  /** Above this much cash in the drawer the CSR is told to drop. */
  maxDrawerCashCents: Cents;
  /** Refunds above this need a supervisor. */
  refundApprovalOverCents: Cents;
};

export { openTillOf, requireOpenTill, tillExpected, TILL_NOT_OPEN_MESSAGE, type TillRow };

export type PostedSlip = {
  transactionId: string;
  receiptNumber: string | null;
  amountCents: Cents;
  drawer: boolean;
  replay: boolean;
};

export async function tillFigures(db: Knex, till: TillRow): Promise<TillFigures> {
  const expected = await tillExpected(db, till.id);
  const byKind = (await db('transactions')
    .where('till_id', till.id)
    .groupBy('kind')
    .select('kind', db.raw('COUNT(*) as count'), db.raw('SUM(amount_cents) as cents'))) as {
    kind: string;
    count: number;
    cents: number;
  }[];
  const tally = (kind: string) => {
    const r = byKind.find((k) => k.kind === kind);
    return { count: r?.count ?? 0, cents: r?.cents ?? 0 };
  };
  const byTender = (await db('tenders as d')
    .join('transactions as t', 't.id', 'd.transaction_id')
    .where('t.till_id', till.id)
    .whereIn('t.kind', [...TILL_TENDER_KINDS])
    .groupBy('d.type')
    .select(
      'd.type',
      db.raw('SUM(CASE WHEN d.amount_cents > 0 THEN 1 ELSE -1 END) as count'),
      db.raw('SUM(d.net_cents) as cents'),
    )) as {
    type: string;
    count: number;
    cents: number;
  }[];
  // What went back to customers from their deposits: refunds, and the remainder after a final bill.
  const depositOut = (await db('transactions')
    .where('till_id', till.id)
    .whereIn('kind', ['deposit_refund', 'deposit_apply'])
    .andWhere('amount_cents', '>', 0)
    .first(db.raw('COUNT(*) as count'), db.raw('COALESCE(SUM(amount_cents), 0) as cents'))) as
    { count: number; cents: number } | undefined;
  return {
    floatCents: till.float_cents,
    payments: tally('payment'),
    byTender,
    voids: tally('void'),
    refunds: tally('refund'),
    drops: tally('drop'),
    paidOuts: tally('paid_out'),
    deposits: tally('deposit'),
    depositRefunds: { count: Number(depositOut?.count ?? 0), cents: Number(depositOut?.cents ?? 0) },
    equipmentOrders: tally('eq_order'),
    equipmentReturns: tally('eq_return'),
    equipmentExchanges: tally('eq_exchange'),
    expectedCashCents: expected.cashCents,
    expectedChecks: expected.checks,
    expectedMoneyOrders: expected.moneyOrders,
    expectedCardCents: expected.card.cents,
  };
}

export async function tillSummary(db: Knex, till: TillRow, policy: TillPolicy): Promise<TillSummary> {
  const cashier = (await db('cashiers').where('id', till.cashier_id).first('name')) as
    { name: string } | undefined;
  const overMaxCash =
    till.status === 'open' && (await tillExpected(db, till.id)).cashCents > policy.maxDrawerCashCents;
  return {
    id: till.id,
    cashierId: till.cashier_id,
    cashierName: cashier?.name ?? till.cashier_id,
    status: till.status,
    businessDate: till.business_date,
    openedAt: till.opened_at,
    closedAt: till.closed_at,
    floatCents: till.float_cents,
    overMaxCash,
    zNumber: till.z_number,
  };
}

/** Opens the cashier's till with the counted float (one open till per cashier per terminal). */
export async function openTill(
  ctx: ServiceContext,
  cashier: Cashier,
  counts: Counts,
  policy: TillPolicy,
): Promise<TillRow> {
  const floatCents = countTotal(counts, policy.currency);
  const now = ctx.clock.now();
  if (await openTillOf(ctx.db, ctx, cashier.id))
    throw new CounterError('CONFLICT', 'Your till is already open on this terminal.');
  const id = newId();
  const row: TillRow = {
    id,
    terminal_code: ctx.terminal.code,
    cashier_id: cashier.id,
    business_date: ctx.clock.today(),
    status: 'open',
    opened_at: now.toISOString(),
    float_cents: floatCents,
    float_counts: JSON.stringify(counts),
    closed_at: null,
    close_counts: null,
    close_figures: null,
    over_short_cents: null,
    approved_by: null,
    close_note: null,
    z_number: null,
  };
  await ctx.db.transaction(async (trx) => {
    await trx('tills').insert(row);
    const transactionId = newId();
    const journal = openJournal(floatCents);
    await insertTransaction(
      trx,
      {
        id: transactionId,
        request_id: `till-open:${id}`,
        kind: 'till_open',
        account_number: null,
        amount_cents: floatCents,
        applied_cents: 0,
        cashier_id: cashier.id,
        terminal_code: ctx.terminal.code,
        till_id: id,
        receipt_number: null,
        business_date: row.business_date,
        created_at: row.opened_at,
      },
      journal,
    );
    await enqueue(
      trx,
      'ledger.posted',
      ledgerEvent(ctx, {
        transactionId,
        requestId: `till-open:${id}`,
        kind: 'till_open',
        tillId: id,
        cashier,
        amountCents: floatCents,
        journal,
        now,
      }),
      now,
    );
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'till.open',
        entityType: 'till',
        entityId: id,
        details: { floatCents, counts },
      },
      now,
    );
  });
  return row;
}

type LedgerEventArgs = {
  transactionId: string;
  requestId: string;
  kind: 'till_open' | 'drop' | 'paid_out' | 'void' | 'refund' | 'till_close';
  tillId: string;
  cashier: Cashier;
  amountCents: Cents;
  journal: JournalLine[];
  now: Date;
  accountNumber?: string | null;
  tenders?: { type: string; amountCents: Cents; netCents: Cents }[];
  allocations?: { itemId: string | null; category: string; cents: Cents }[];
  reversesId?: string | null;
  reason?: string | null;
  approvedBy?: string | null;
  receiptNumber?: string | null;
};

function ledgerEvent(ctx: ServiceContext, a: LedgerEventArgs) {
  return {
    transactionId: a.transactionId,
    requestId: a.requestId,
    kind: a.kind,
    accountNumber: a.accountNumber ?? null,
    amountCents: a.amountCents,
    journal: a.journal,
    tenders: a.tenders ?? [],
    allocations: a.allocations ?? [],
    reversesId: a.reversesId ?? null,
    reason: a.reason ?? null,
    approvedBy: a.approvedBy ?? null,
    receiptNumber: a.receiptNumber ?? null,
    cashierId: a.cashier.id,
    terminalCode: ctx.terminal.code,
    branch: ctx.terminal.branch,
    tillId: a.tillId,
    businessDate: ctx.clock.today(),
    createdAt: a.now.toISOString(),
  };
}

function slipModel(
  ctx: ServiceContext,
  cashier: Cashier,
  now: Date,
  receiptNumber: string,
  parts: Partial<ReceiptModel> & Pick<ReceiptModel, 'title' | 'items' | 'totalCents'>,
): ReceiptModel {
  return {
    company: ctx.company,
    terminal: { code: ctx.terminal.code, name: ctx.terminal.name },
    cashier: { id: cashier.id, name: cashier.name },
    at: now,
    timeZone: ctx.clock.timeZone,
    receiptNumber,
    tenders: [],
    changeCents: 0,
    creditCents: 0,
    balanceAsOf: null,
    offline: false,
    footer: [],
    ...parts,
  };
}

function approvedLine(approver: Cashier | null): string[] {
  return approver ? [`Approved by ${approver.name} (${approver.id})`] : [];
}

async function replayOf(ctx: ServiceContext, requestId: string): Promise<PostedSlip> {
  const first = (await ctx
    .db('transactions')
    .where('request_id', requestId)
    .first('id', 'receipt_number', 'amount_cents')) as {
    id: string;
    receipt_number: string | null;
    amount_cents: number;
  };
  return {
    transactionId: first.id,
    receiptNumber: first.receipt_number,
    amountCents: first.amount_cents,
    drawer: false,
    replay: true,
  };
}

/** A cash drop to the safe, counted by denomination, approved by a supervisor. */
export async function dropCash(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { requestId: string; counts: Counts; approval?: Approval | undefined },
  policy: TillPolicy,
): Promise<PostedSlip> {
  const cents = countTotal(input.counts, policy.currency);
  if (cents <= 0) throw new CounterError('INVALID_INPUT', 'Count the cash you are dropping.', 'counts');
  const till = await requireOpenTill(ctx.db, ctx, cashier);
  const expected = await tillExpected(ctx.db, till.id);
  if (cents > expected.cashCents)
    throw new CounterError('INVALID_INPUT', `A drop cannot be more than the cash in the drawer.`, 'counts');
  const approver = await requireApproval(ctx, cashier, input.approval, 'a cash drop');
  return postSlip(ctx, cashier, till, approver, {
    requestId: input.requestId,
    kind: 'drop',
    amountCents: cents,
    journal: dropJournal(cents),
    audit: { action: 'till.drop', details: { cents, counts: input.counts } },
    title: 'CASH DROP',
    notes: denominationLines(input.counts, policy.currency),
  });
}

function denominationLines(counts: Counts, currency: CurrencyConfig): string[] {
  return currency.denominations
    .filter((d) => (counts[d.id] ?? 0) > 0)
    .map((d) => `  ${counts[d.id]} x ${d.label}`);
}

/** Money paid out of the drawer with a reason (e.g. a supply purchase), approved by a supervisor. */
export async function paidOut(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { requestId: string; amountCents: Cents; reason: string; approval?: Approval | undefined },
): Promise<PostedSlip> {
  const till = await requireOpenTill(ctx.db, ctx, cashier);
  const expected = await tillExpected(ctx.db, till.id);
  if (input.amountCents > expected.cashCents)
    throw new CounterError(
      'INVALID_INPUT',
      'A paid-out cannot be more than the cash in the drawer.',
      'amountCents',
    );
  const approver = await requireApproval(ctx, cashier, input.approval, 'a paid-out');
  return postSlip(ctx, cashier, till, approver, {
    requestId: input.requestId,
    kind: 'paid_out',
    amountCents: input.amountCents,
    journal: paidOutJournal(input.amountCents),
    reason: input.reason,
    audit: { action: 'till.paidOut', details: { cents: input.amountCents, reason: input.reason } },
    title: 'PAID OUT',
    notes: [`Reason: ${input.reason}`],
  });
}

type SlipArgs = {
  requestId: string;
  kind: 'drop' | 'paid_out';
  amountCents: Cents;
  journal: JournalLine[];
  reason?: string;
  audit: { action: string; details: Record<string, unknown> };
  title: string;
  notes: string[];
};

async function postSlip(
  ctx: ServiceContext,
  cashier: Cashier,
  till: TillRow,
  approver: Cashier | null,
  a: SlipArgs,
): Promise<PostedSlip> {
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (trx) => {
      const transactionId = newId();
      const receiptNumber = await nextReceiptNumber(trx, ctx);
      await insertTransaction(
        trx,
        {
          id: transactionId,
          request_id: a.requestId,
          kind: a.kind,
          account_number: null,
          amount_cents: a.amountCents,
          applied_cents: 0,
          cashier_id: cashier.id,
          approved_by: approver?.id ?? null,
          terminal_code: ctx.terminal.code,
          till_id: till.id,
          receipt_number: receiptNumber,
          business_date: ctx.clock.today(),
          created_at: now.toISOString(),
          reason: a.reason ?? null,
        },
        a.journal,
      );
      const model = slipModel(ctx, cashier, now, receiptNumber, {
        title: a.title,
        notes: [...a.notes, ...approvedLine(approver)],
        items: [
          { label: a.kind === 'drop' ? 'Cash to the safe' : 'Cash paid out', amountCents: a.amountCents },
        ],
        totalCents: a.amountCents,
      });
      await trx('receipts').insert({
        number: receiptNumber,
        transaction_id: transactionId,
        kind: a.kind,
        model: JSON.stringify(model),
        created_at: now.toISOString(),
      });
      await enqueue(
        trx,
        'ledger.posted',
        ledgerEvent(ctx, {
          transactionId,
          requestId: a.requestId,
          kind: a.kind,
          tillId: till.id,
          cashier,
          amountCents: a.amountCents,
          journal: a.journal,
          now,
          reason: a.reason ?? null,
          approvedBy: approver?.id ?? null,
          receiptNumber,
        }),
        now,
      );
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: a.audit.action,
          entityType: 'transaction',
          entityId: transactionId,
          approvedBy: approver?.id ?? null,
          details: { ...a.audit.details, tillId: till.id, receiptNumber },
        },
        now,
      );
      return { transactionId, receiptNumber, amountCents: a.amountCents, drawer: true, replay: false };
    });
  } catch (err) {
    if (isDuplicateRequest(err)) return replayOf(ctx, a.requestId);
    throw err;
  }
}

type OriginalTx = {
  id: string;
  kind: string;
  account_number: string;
  applied_cents: number;
  till_id: string | null;
  terminal_code: string;
  receipt_number: string;
  voided_by_id: string | null;
  cashier_id: string;
};

/**
 * Voids a payment taken in a till that is still open on this terminal: a reversal transaction (never an
 * edit) with negated journal lines, tenders and allocations, approved by a supervisor; receipt VOID.
 */
export async function voidPayment(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { transactionId: string; reason: string; approval?: Approval | undefined },
): Promise<PostedSlip> {
  const original = (await ctx.db('transactions').where('id', input.transactionId).first()) as
    OriginalTx | undefined;
  if (!original || original.kind !== 'payment')
    throw new CounterError('NOT_FOUND', 'No payment with that number on this terminal.', 'transactionId');
  if (original.voided_by_id)
    throw new CounterError(
      'CONFLICT',
      `Receipt ${original.receipt_number} is already void.`,
      'transactionId',
    );
  const till = original.till_id
    ? ((await ctx.db('tills').where('id', original.till_id).first()) as TillRow | undefined)
    : undefined;
  if (!till || till.status !== 'open' || original.terminal_code !== ctx.terminal.code) {
    throw new CounterError(
      'CONFLICT',
      `The till of receipt ${original.receipt_number} is closed: it cannot be voided. Refund the credit instead.`,
      'transactionId',
    );
  }
  const whose = original.cashier_id === cashier.id ? 'a void' : `a void of another cashier's payment`;
  const approver = await requireApproval(ctx, cashier, input.approval, whose);
  const journalRows = (await ctx.db('journal_lines').where('transaction_id', original.id).orderBy('id')) as {
    ledger_account: string;
    cents: number;
    memo: string;
  }[];
  const journal = reversalJournal(
    journalRows.map((l) => ({ ledgerAccount: l.ledger_account, cents: l.cents, memo: l.memo })),
  );
  const tenders = (await ctx.db('tenders').where('transaction_id', original.id).orderBy('position')) as {
    type: string;
    amount_cents: number;
    net_cents: number;
    check_number: string | null;
    card_brand: string | null;
    card_last4: string | null;
    money_order_serial: string | null;
  }[];
  const allocations = (await ctx.db('allocations').where('transaction_id', original.id)) as {
    item_id: string | null;
    category: string;
    cents: number;
  }[];
  const account = await getAccountRow(ctx.db, original.account_number, { withPending: true });
  const now = ctx.clock.now();
  const requestId = `void:${original.id}`;
  const balanceAfter = addCents(account.balance_cents, account.pending_cents ?? 0, original.applied_cents);
  try {
    return await ctx.db.transaction(async (trx) => {
      const transactionId = newId();
      const receiptNumber = await nextReceiptNumber(trx, ctx);
      await insertTransaction(
        trx,
        {
          id: transactionId,
          request_id: requestId,
          kind: 'void',
          account_number: original.account_number,
          amount_cents: original.applied_cents,
          applied_cents: -original.applied_cents,
          cashier_id: cashier.id,
          approved_by: approver.id,
          terminal_code: ctx.terminal.code,
          till_id: till.id,
          receipt_number: receiptNumber,
          business_date: ctx.clock.today(),
          created_at: now.toISOString(),
          reverses_id: original.id,
          reason: input.reason,
        },
        journal,
      );
      if (tenders.length) {
        await trx('tenders').insert(
          tenders.map((t, i) => ({
            id: newId(),
            transaction_id: transactionId,
            position: i,
            type: t.type,
            amount_cents: -t.amount_cents,
            net_cents: -t.net_cents,
            check_number: t.check_number,
            card_brand: t.card_brand,
            card_last4: t.card_last4,
            money_order_serial: t.money_order_serial,
          })),
        );
      }
      if (allocations.length)
        await trx('allocations').insert(
          allocations.map((a) => ({
            transaction_id: transactionId,
            item_id: a.item_id,
            category: a.category,
            cents: -a.cents,
          })),
        );
      await trx('transactions').where('id', original.id).update({ voided_by_id: transactionId });
      const name = (
        (await trx('accounts').where('account_number', original.account_number).first('name')) as {
          name: string;
        }
      ).name;
      const model = slipModel(ctx, cashier, now, receiptNumber, {
        title: `VOID of receipt ${original.receipt_number}`,
        marks: ['VOID'],
        account: { number: original.account_number, name },
        notes: [`Reason: ${input.reason}`, ...approvedLine(approver)],
        items: [{ label: 'Payment reversed', amountCents: -original.applied_cents }],
        totalCents: -original.applied_cents,
        tenders: tenders
          .filter((t) => t.net_cents !== 0)
          .map((t) => ({
            label: `${TENDER_LABEL[t.type as keyof typeof TENDER_LABEL] ?? t.type} returned`,
            amountCents: t.net_cents,
          })),
        balanceAfterCents: balanceAfter,
      });
      await trx('receipts').insert({
        number: receiptNumber,
        transaction_id: transactionId,
        kind: 'void',
        model: JSON.stringify(model),
        created_at: now.toISOString(),
      });
      await enqueue(
        trx,
        'ledger.posted',
        ledgerEvent(ctx, {
          transactionId,
          requestId,
          kind: 'void',
          tillId: till.id,
          cashier,
          amountCents: original.applied_cents,
          journal,
          now,
          accountNumber: original.account_number,
          tenders: tenders.map((t) => ({
            type: t.type,
            amountCents: -t.amount_cents,
            netCents: -t.net_cents,
          })),
          allocations: allocations.map((a) => ({ itemId: a.item_id, category: a.category, cents: -a.cents })),
          reversesId: original.id,
          reason: input.reason,
          approvedBy: approver.id,
          receiptNumber,
        }),
        now,
      );
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'payment.void',
          entityType: 'transaction',
          entityId: transactionId,
          approvedBy: approver.id,
          details: {
            voids: original.id,
            receipt: original.receipt_number,
            reason: input.reason,
            cents: original.applied_cents,
          },
        },
        now,
      );
      const drawer = tenders.some((t) => DRAWER_TENDERS.includes(t.type as never) && t.net_cents !== 0);
      return { transactionId, receiptNumber, amountCents: original.applied_cents, drawer, replay: false };
    });
  } catch (err) {
    if (isDuplicateRequest(err))
      throw new CounterError(
        'CONFLICT',
        `Receipt ${original.receipt_number} is already void.`,
        'transactionId',
      );
    throw err;
  }
}

/** Refunds an account's credit balance in cash from the drawer or by a check request. */
export async function refundCredit(
  ctx: ServiceContext,
  cashier: Cashier,
  input: {
    requestId: string;
    accountNumber: string;
    amountCents: Cents;
    method: 'cash' | 'check_request';
    reason: string;
    approval?: Approval | undefined;
  },
  policy: TillPolicy,
): Promise<PostedSlip> {
  const till = await requireOpenTill(ctx.db, ctx, cashier);
  const account = await getAccountRow(ctx.db, input.accountNumber, { withPending: true });
  const balance = addCents(account.balance_cents, account.pending_cents ?? 0);
  const credit = balance < 0 ? -balance : 0;
  if (input.amountCents > credit) {
    throw new CounterError(
      'INVALID_INPUT',
      credit === 0
        ? 'This account has no credit to refund.'
        : `The refund cannot be more than the credit of ${formatCents(credit, { symbol: true })}.`,
      'amountCents',
    );
  }
  if (input.method === 'cash' && input.amountCents > (await tillExpected(ctx.db, till.id)).cashCents) {
    throw new CounterError(
      'INVALID_INPUT',
      'There is not enough cash in the drawer: use a check request.',
      'method',
    );
  }
  const approver = await approvalIf(
    ctx,
    input.amountCents > policy.refundApprovalOverCents,
    cashier,
    input.approval,
    `a refund over ${formatCents(policy.refundApprovalOverCents, { symbol: true })}`,
  );
  const journal = refundJournal(input.accountNumber, input.amountCents, input.method);
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (trx) => {
      const transactionId = newId();
      const receiptNumber = await nextReceiptNumber(trx, ctx);
      await insertTransaction(
        trx,
        {
          id: transactionId,
          request_id: input.requestId,
          kind: 'refund',
          account_number: input.accountNumber,
          amount_cents: input.amountCents,
          applied_cents: -input.amountCents,
          cashier_id: cashier.id,
          approved_by: approver?.id ?? null,
          terminal_code: ctx.terminal.code,
          till_id: till.id,
          receipt_number: receiptNumber,
          business_date: ctx.clock.today(),
          created_at: now.toISOString(),
          reason: input.reason,
        },
        journal,
      );
      if (input.method === 'cash') {
        await trx('tenders').insert({
          id: newId(),
          transaction_id: transactionId,
          position: 0,
          type: 'cash',
          amount_cents: -input.amountCents,
          net_cents: -input.amountCents,
        });
      }
      const model = slipModel(ctx, cashier, now, receiptNumber, {
        title: 'CREDIT REFUND',
        account: { number: input.accountNumber, name: account.name },
        notes: [
          `Reason: ${input.reason}`,
          ...(input.method === 'check_request'
            ? ['A check will be mailed to the address on the account.']
            : []),
          ...approvedLine(approver),
        ],
        items: [{ label: 'Credit refunded', amountCents: input.amountCents }],
        totalCents: input.amountCents,
        tenders: [
          {
            label: input.method === 'cash' ? 'Cash paid out' : 'Check requested',
            amountCents: input.amountCents,
          },
        ],
        balanceAfterCents: addCents(balance, input.amountCents),
      });
      await trx('receipts').insert({
        number: receiptNumber,
        transaction_id: transactionId,
        kind: 'refund',
        model: JSON.stringify(model),
        created_at: now.toISOString(),
      });
      await enqueue(
        trx,
        'ledger.posted',
        ledgerEvent(ctx, {
          transactionId,
          requestId: input.requestId,
          kind: 'refund',
          tillId: till.id,
          cashier,
          amountCents: input.amountCents,
          journal,
          now,
          accountNumber: input.accountNumber,
          tenders:
            input.method === 'cash'
              ? [{ type: 'cash', amountCents: -input.amountCents, netCents: -input.amountCents }]
              : [],
          reason: input.reason,
          approvedBy: approver?.id ?? null,
          receiptNumber,
        }),
        now,
      );
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'refund.post',
          entityType: 'transaction',
          entityId: transactionId,
          approvedBy: approver?.id ?? null,
          details: {
            accountNumber: input.accountNumber,
            cents: input.amountCents,
            method: input.method,
            reason: input.reason,
          },
        },
        now,
      );
      return {
        transactionId,
        receiptNumber,
        amountCents: input.amountCents,
        drawer: input.method === 'cash',
        replay: false,
      };
    });
  } catch (err) {
    if (isDuplicateRequest(err)) return replayOf(ctx, input.requestId);
    throw err;
  }
}

export type CloseInput = {
  cashCounts: Counts;
  checks: { count: number; cents: Cents };
  moneyOrders: { count: number; cents: Cents };
  cardBatchCents: Cents;
  note?: string | undefined;
  approval?: Approval | undefined;
};

export type CloseResult =
  | { status: 'needs_supervisor'; figures: CloseFigures }
  | { status: 'closed'; figures: CloseFigures; till: TillRow; zNumber: string };

/**
 * The blind close: the CSR's count is compared with what the till should hold. Within tolerance the
 * till closes; otherwise a supervisor must accept the figures with their PIN (and a note). The first
 * count of every close attempt is audited, so a recount after seeing the difference is on record.
 */
export async function closeTill(
  ctx: ServiceContext,
  cashier: Cashier,
  input: CloseInput,
  policy: TillPolicy,
): Promise<CloseResult> {
  const till = await requireOpenTill(ctx.db, ctx, cashier);
  const countedCash = countTotal(input.cashCounts, policy.currency, 'cashCounts');
  const counted: TillCount = {
    cashCents: countedCash,
    checks: input.checks,
    moneyOrders: input.moneyOrders,
    cardBatchCents: input.cardBatchCents,
  };
  const expected = await tillExpected(ctx.db, till.id);
  const figures = closeFigures(expected, counted, policy.overShortToleranceCents);
  const now = ctx.clock.now();
  if (figures.needsSupervisor && !input.approval && cashier.role !== 'supervisor') {
    await ctx.db.transaction((trx) =>
      appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'till.count',
          entityType: 'till',
          entityId: till.id,
          details: { counted, overShortCents: figures.overShortCents, reasons: figures.reasons },
        },
        now,
      ),
    );
    return { status: 'needs_supervisor', figures };
  }
  const approver = figures.needsSupervisor
    ? await requireApproval(ctx, cashier, input.approval, 'this till close')
    : null;
  if (figures.needsSupervisor && !(input.note && input.note.trim().length >= 3)) {
    throw new CounterError('INVALID_INPUT', 'Write a note explaining the difference.', 'note');
  }
  const journal = closeJournal(figures);
  const totals = await tillFigures(ctx.db, till);
  return ctx.db.transaction(async (trx) => {
    const zNumber = `Z-${ctx.terminal.code.replace(/[^A-Za-z0-9]/g, '')}-${String(await nextCounter(trx, 'z')).padStart(4, '0')}`;
    const transactionId = newId();
    await insertTransaction(
      trx,
      {
        id: transactionId,
        request_id: `till-close:${till.id}`,
        kind: 'till_close',
        account_number: null,
        amount_cents: figures.cash.countedCents,
        applied_cents: 0,
        cashier_id: cashier.id,
        approved_by: approver?.id ?? null,
        terminal_code: ctx.terminal.code,
        till_id: till.id,
        receipt_number: null,
        business_date: ctx.clock.today(),
        created_at: now.toISOString(),
        reason: input.note ?? null,
      },
      journal,
    );
    const closed: TillRow = {
      ...till,
      status: 'closed',
      closed_at: now.toISOString(),
      close_counts: JSON.stringify({
        cash: input.cashCounts,
        checks: input.checks,
        moneyOrders: input.moneyOrders,
        cardBatchCents: input.cardBatchCents,
      }),
      close_figures: JSON.stringify(figures),
      over_short_cents: figures.overShortCents,
      approved_by: approver?.id ?? null,
      close_note: input.note ?? null,
      z_number: zNumber,
    };
    await trx('tills').where('id', till.id).update({
      status: closed.status,
      closed_at: closed.closed_at,
      close_counts: closed.close_counts,
      close_figures: closed.close_figures,
      over_short_cents: closed.over_short_cents,
      approved_by: closed.approved_by,
      close_note: closed.close_note,
      z_number: zNumber,
    });
    await enqueue(
      trx,
      'ledger.posted',
      ledgerEvent(ctx, {
        transactionId,
        requestId: `till-close:${till.id}`,
        kind: 'till_close',
        tillId: till.id,
        cashier,
        amountCents: figures.cash.countedCents,
        journal,
        now,
        reason: input.note ?? null,
        approvedBy: approver?.id ?? null,
      }),
      now,
    );
    const txCount = (await trx('transactions').where('till_id', till.id).count({ n: '*' }).first()) as {
      n: number;
    };
    await enqueue(
      trx,
      'till.closed',
      {
        tillId: till.id,
        cashierId: till.cashier_id,
        terminalCode: ctx.terminal.code,
        branch: ctx.terminal.branch,
        businessDate: till.business_date,
        openedAt: till.opened_at,
        closedAt: now.toISOString(),
        floatCents: till.float_cents,
        totals: totals.byTender.map((t) => ({ type: t.type, count: t.count, cents: t.cents })),
        expected: {
          cashCents: expected.cashCents,
          checks: expected.checks,
          moneyOrders: expected.moneyOrders,
          cardCents: expected.card.cents,
        },
        counted: {
          cashCents: countedCash,
          checks: input.checks,
          moneyOrders: input.moneyOrders,
          cardBatchCents: input.cardBatchCents,
        },
        overShortCents: figures.overShortCents,
        approvedBy: approver?.id ?? null,
        zNumber,
        transactionCount: Number(txCount.n),
      },
      now,
    );
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'till.close',
        entityType: 'till',
        entityId: till.id,
        approvedBy: approver?.id ?? null,
        details: {
          zNumber,
          overShortCents: figures.overShortCents,
          reasons: figures.reasons,
          note: input.note ?? null,
        },
      },
      now,
    );
    return { status: 'closed', figures, till: closed, zNumber };
  });
}
