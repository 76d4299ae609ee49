/**
 * Posting a bill payment. Everything a payment writes (transaction, tenders, balanced journal lines,
 * allocation, receipt, outbox event and audit entry) goes into ONE SQLite transaction: after a crash
 * either all of it is there or none of it. Printing happens after the commit and can never undo it.
 */
import type { Knex } from 'knex';

import type { ChannelParsedInput, PostPaymentOutput } from '../../../shared/api/contract.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier, PaymentSummary, Tender } from '../../../shared/api/schemas.js';
import { allocatePayment, type AllocationPolicy } from '../../../shared/domain/allocation.js';
import { checkOverpay } from '../../../shared/domain/overpay.js';
import { DRAWER_TENDERS, paymentJournal, settleTenders } from '../../../shared/domain/tenders.js';
import { addCents, subCents } from '../../../shared/money.js';
import { effectiveOpenItems, getAccountDetail, getAccountRow } from '../accounts/accounts.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import { enqueue } from '../outbox/outbox.js';
import type { ReceiptModel } from '../receipts/compose.js';
import { TILL_NOT_OPEN_MESSAGE } from '../till/till.js';
import { loadAllocationPolicy } from './policies.js';
import {
  insertTenders,
  insertTransaction,
  isDuplicateRequest,
  nextReceiptNumber,
  receiptTenders,
} from './post.js';

export type PostPaymentInput = ChannelParsedInput<'payments.post'>;

export type PostedPayment = {
  transactionId: string;
  receiptNumber: string;
  replay: boolean;
  drawerTenders: boolean;
};

export async function postPayment(
  ctx: ServiceContext,
  input: PostPaymentInput,
  cashier: Cashier,
): Promise<PostedPayment> {
  const now = ctx.clock.now();
  const businessDate = ctx.clock.today();
  const policy = await loadAllocationPolicy(ctx.db);
  try {
    return await ctx.db.transaction((trx) =>
      postInTransaction(trx, ctx, input, cashier, policy, now, businessDate),
    );
  } catch (err) {
    // The same request posted before (a retried call, a double Enter): answer with the first result.
    if (!isDuplicateRequest(err)) throw err;
    const first = (await ctx
      .db('transactions')
      .where('request_id', input.requestId)
      .first('id', 'receipt_number')) as { id: string; receipt_number: string };
    return {
      transactionId: first.id,
      receiptNumber: first.receipt_number,
      replay: true,
      drawerTenders: false,
    };
  }
}

async function postInTransaction(
  trx: Knex.Transaction,
  ctx: ServiceContext,
  input: PostPaymentInput,
  cashier: Cashier,
  policy: AllocationPolicy,
  now: Date,
  businessDate: string,
): Promise<PostedPayment> {
  const account = await getAccountRow(trx, input.accountNumber, {
    withPending: true,
    openTillOf: { terminalCode: ctx.terminal.code, cashierId: cashier.id },
  });
  if (!account.open_till_id) throw new CounterError('TILL_NOT_OPEN', TILL_NOT_OPEN_MESSAGE);
  const till = { id: account.open_till_id };
  // Above what is owed is credit, never change: it needs the CSR's confirmation or a reason.
  checkOverpay(input.amountCents, addCents(account.balance_cents, account.pending_cents ?? 0), input);
  const settlement = settleTenders(input.amountCents, input.tenders, {
    cashOnly: account.cash_only === 1,
    confirmOvertenderCredit: input.confirmOvertenderCredit,
  });
  const items = await effectiveOpenItems(trx, input.accountNumber);
  const allocation = allocatePayment(settlement.appliedCents, items, policy);
  const journal = paymentJournal(input.accountNumber, settlement);
  const balanceAfterCents = subCents(
    addCents(account.balance_cents, account.pending_cents ?? 0),
    settlement.appliedCents,
  );

  const transactionId = newId();
  const receiptNumber = await nextReceiptNumber(trx, ctx);
  await insertTransaction(
    trx,
    {
      id: transactionId,
      request_id: input.requestId,
      kind: 'payment',
      account_number: input.accountNumber,
      amount_cents: input.amountCents,
      applied_cents: settlement.appliedCents,
      change_cents: settlement.changeCents,
      credit_cents: settlement.creditCents,
      cashier_id: cashier.id,
      terminal_code: ctx.terminal.code,
      till_id: till.id,
      receipt_number: receiptNumber,
      business_date: businessDate,
      created_at: now.toISOString(),
    },
    journal,
  );
  await insertTenders(trx, transactionId, input.tenders, settlement);

  const allocationRows = [
    ...allocation.allocations.map((a) => ({
      transaction_id: transactionId,
      item_id: a.itemId,
      category: a.category,
      cents: a.cents,
    })),
    ...(allocation.unappliedCents > 0
      ? [
          {
            transaction_id: transactionId,
            item_id: null,
            category: 'unapplied_credit',
            cents: allocation.unappliedCents,
          },
        ]
      : []),
  ];
  if (allocationRows.length) await trx('allocations').insert(allocationRows);

  const model: ReceiptModel = {
    company: ctx.company,
    terminal: { code: ctx.terminal.code, name: ctx.terminal.name },
    cashier: { id: cashier.id, name: cashier.name },
    at: now,
    timeZone: ctx.clock.timeZone,
    receiptNumber,
    title: 'BILL PAYMENT',
    account: { number: input.accountNumber, name: account.name },
    items: [{ label: 'Payment on account', amountCents: settlement.appliedCents }],
    totalCents: settlement.appliedCents,
    tenders: receiptTenders(input.tenders),
    changeCents: settlement.changeCents,
    creditCents: settlement.creditCents,
    balanceAfterCents,
    balanceAsOf: account.as_of,
    offline: !ctx.isOnline(),
    footer: ctx.company.footer,
  };
  await trx('receipts').insert({
    number: receiptNumber,
    transaction_id: transactionId,
    kind: 'payment',
    model: JSON.stringify(model),
    created_at: now.toISOString(),
  });

  await enqueue(
    trx,
    'payment.posted',
    {
      transactionId,
      requestId: input.requestId,
      accountNumber: input.accountNumber,
      amountCents: input.amountCents,
      appliedCents: settlement.appliedCents,
      changeCents: settlement.changeCents,
      creditCents: settlement.creditCents,
      tenders: input.tenders,
      allocations: allocation.allocations,
      unappliedCents: allocation.unappliedCents,
      journal,
      receiptNumber,
      cashierId: cashier.id,
      terminalCode: ctx.terminal.code,
      branch: ctx.terminal.branch,
      tillId: till.id,
      businessDate,
      createdAt: now.toISOString(),
    },
    now,
  );
  await appendAudit(
    trx,
    {
      actor: cashier.id,
      action: 'payment.post',
      entityType: 'transaction',
      entityId: transactionId,
      details: {
        accountNumber: input.accountNumber,
        amountCents: settlement.appliedCents,
        receiptNumber,
        tenders: input.tenders.map((t) => t.type),
      },
    },
    now,
  );
  return {
    transactionId,
    receiptNumber,
    replay: false,
    drawerTenders: input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)),
  };
}

type TxRow = {
  id: string;
  receipt_number: string;
  account_number: string;
  kind: string;
  applied_cents: number;
  change_cents: number;
  cashier_id: string;
  created_at: string;
  server_version: number | null;
  voided_by_id: string | null;
  reverses_id: string | null;
};
type TenderRow = {
  transaction_id: string;
  type: Tender['type'];
  amount_cents: number;
  check_number: string | null;
  card_brand: string | null;
  card_last4: string | null;
  auth_code: string | null;
  money_order_serial: string | null;
};

function tenderRowReference(t: TenderRow): string {
  if (t.type === 'check') return `Check #${t.check_number ?? ''}`;
  if (t.type === 'card') return `${t.card_brand ?? ''} ****${t.card_last4 ?? ''} auth ${t.auth_code ?? ''}`;
  if (t.type === 'money_order') return `Money order ${t.money_order_serial ?? ''}`;
  return '';
}

export async function paymentSummaries(
  db: Knex,
  where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<PaymentSummary[]> {
  const rows = (await where(
    db('transactions as t')
      .join('accounts as a', 'a.account_number', 't.account_number')
      .select(
        't.id',
        't.receipt_number',
        't.account_number',
        't.kind',
        't.applied_cents',
        't.change_cents',
        't.cashier_id',
        't.created_at',
        't.server_version',
        't.voided_by_id',
        't.reverses_id',
        'a.name as account_name',
      ),
  ).orderBy([
    { column: 't.created_at', order: 'desc' },
    { column: 't.receipt_number', order: 'desc' },
  ])) as (TxRow & { account_name: string })[];
  if (rows.length === 0) return [];
  const tenders = (await db('tenders')
    .whereIn(
      'transaction_id',
      rows.map((r) => r.id),
    )
    .orderBy('position')) as TenderRow[];
  return rows.map((r) => ({
    transactionId: r.id,
    receiptNumber: r.receipt_number,
    accountNumber: r.account_number,
    accountName: r.account_name,
    kind: r.kind,
    amountCents: r.applied_cents,
    tenders: tenders
      .filter((t) => t.transaction_id === r.id)
      .map((t) => ({ type: t.type, amountCents: t.amount_cents, reference: tenderRowReference(t) })),
    changeCents: r.change_cents,
    cashierId: r.cashier_id,
    createdAt: r.created_at,
    posted: r.server_version !== null,
    voidedBy: r.voided_by_id,
    reversesId: r.reverses_id,
  }));
}

export async function paymentResult(
  ctx: ServiceContext,
  posted: PostedPayment,
): Promise<Omit<PostPaymentOutput, 'receipt' | 'drawerOpened'>> {
  const [payment] = await paymentSummaries(ctx.db, (q) => q.where('t.id', posted.transactionId));
  if (!payment) throw new CounterError('NOT_FOUND', 'The payment was not found.');
  const account = await getAccountDetail(ctx.db, payment.accountNumber, ctx.clock.today());
  return { payment, account };
}
