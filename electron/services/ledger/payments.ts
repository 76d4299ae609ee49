/**
 * Posting a bill payment. Everything a payment writes (transaction, tenders, balanced journal lines,
 * allocation, receipt, outbox event and audit entry) goes into ONE SQLite transaction: after a crash
 * either all of it is there or none of it. Printing happens after the commit and can never undo it.
 */
import type { Knex } from 'knex';

import type { ChannelParsedInput, PostPaymentOutput, Today } from '../../../shared/api/contract.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier, PaymentSummary, Tender } from '../../../shared/api/schemas.js';
import { allocatePayment, type AllocationPolicy } from '../../../shared/domain/allocation.js';
import { checkOverpay } from '../../../shared/domain/overpay.js';
import {
  DRAWER_TENDERS,
  paymentJournal,
  settleTenders,
  type Settlement,
} from '../../../shared/domain/tenders.js';
import { addCents, subCents } from '../../../shared/money.js';
import { definePosting, type Posted, type TenderLine } from '../../kernel/posting.js';
import { TILL_NOT_OPEN_MESSAGE } from '../../kernel/till-state.js';
import { effectiveOpenItems, getAccountDetail, getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { loadAllocationPolicy } from './policies.js';
import { receiptTenders } from './post.js';

export type PostPaymentInput = ChannelParsedInput<'payments.post'>;

/** The tender rows of a payment, net of change, with the references a receipt and a reprint show. */
export function paymentTenderLines(tenders: Tender[], settlement: Settlement): TenderLine[] {
  return tenders.map((t, i) => ({
    type: t.type,
    amountCents: t.amountCents,
    netCents: settlement.net[i]?.cents ?? 0,
    checkNumber: t.type === 'check' ? t.checkNumber : null,
    routingNumber: t.type === 'check' ? t.routingNumber : null,
    bankAccount: t.type === 'check' ? t.bankAccount : null,
    cardBrand: t.type === 'card' ? t.brand : null,
    cardLast4: t.type === 'card' ? t.last4 : null,
    authCode: t.type === 'card' ? t.authCode : null,
    moneyOrderSerial: t.type === 'money_order' ? t.serial : null,
  }));
}

/**
 * A bill payment: tenders settled by the shared rules, allocated over the account's open items by the
 * allocation policy, the balance after it on the receipt.
 */
export const paymentPosting = definePosting<PostPaymentInput, Record<string, never>, AllocationPolicy>({
  name: 'payment',
  requestId: (input) => input.requestId,
  prepare: (ctx) => loadAllocationPolicy(ctx.db),
  async plan(tx, input, policy) {
    const { trx, ctx, cashier } = tx;
    const account = await getAccountRow(trx, input.accountNumber, {
      withPending: true,
      openTillOf: { terminalCode: ctx.terminal.code, cashierId: cashier.id },
    });
    if (!account.open_till_id) throw new CounterError('TILL_NOT_OPEN', TILL_NOT_OPEN_MESSAGE);
    // Above what is owed is credit, never change: it needs the CSR's confirmation or a reason.
    checkOverpay(input.amountCents, addCents(account.balance_cents, account.pending_cents ?? 0), input);
    const settlement = settleTenders(input.amountCents, input.tenders, {
      cashOnly: account.cash_only === 1,
      confirmOvertenderCredit: input.confirmOvertenderCredit,
    });
    const items = await effectiveOpenItems(trx, input.accountNumber);
    const allocation = allocatePayment(settlement.appliedCents, items, policy, { asOf: tx.businessDate });
    const journal = paymentJournal(input.accountNumber, settlement);
    const balanceAfterCents = subCents(
      addCents(account.balance_cents, account.pending_cents ?? 0),
      settlement.appliedCents,
    );
    const allocationRows = [
      ...allocation.allocations.map((a) => ({ item_id: a.itemId, category: a.category, cents: a.cents })),
      ...(allocation.unappliedCents > 0
        ? [{ item_id: null, category: 'unapplied_credit', cents: allocation.unappliedCents }]
        : []),
    ];
    return {
      kind: 'payment',
      accountNumber: input.accountNumber,
      amountCents: input.amountCents,
      appliedCents: settlement.appliedCents,
      changeCents: settlement.changeCents,
      creditCents: settlement.creditCents,
      tillId: account.open_till_id,
      journal,
      tenders: paymentTenderLines(input.tenders, settlement),
      async write(w, ids) {
        if (allocationRows.length)
          await w('allocations').insert(
            allocationRows.map((r) => ({ ...r, transaction_id: ids.transactionId })),
          );
      },
      receipt: {
        title: 'BILL PAYMENT',
        account: { number: input.accountNumber, name: account.name },
        items: [{ label: 'Payment on account', amountCents: settlement.appliedCents }],
        totalCents: settlement.appliedCents,
        tenders: receiptTenders(input.tenders),
        changeCents: settlement.changeCents,
        creditCents: settlement.creditCents,
        balanceAfterCents,
        balanceAsOf: account.as_of,
        footer: ctx.company.footer,
      },
      detail: {
        capability: 'payment',
        allocations: allocation.allocations,
        unappliedCents: allocation.unappliedCents,
      },
      audit: {
        action: 'payment.post',
        details: {
          accountNumber: input.accountNumber,
          amountCents: settlement.appliedCents,
          tenders: input.tenders.map((t) => t.type),
        },
      },
      drawer: input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)),
      result: {},
    };
  },
});

export async function postPayment(
  ctx: ServiceContext,
  input: PostPaymentInput,
  cashier: Cashier,
): Promise<Posted<Record<string, never>>> {
  return paymentPosting.post(ctx, cashier, input);
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
  posted: { transactionId: string },
): Promise<Omit<PostPaymentOutput, 'receipt' | 'drawerOpened'>> {
  const [payment] = await paymentSummaries(ctx.db, (q) => q.where('t.id', posted.transactionId));
  if (!payment) throw new CounterError('NOT_FOUND', 'The payment was not found.');
  const account = await getAccountDetail(ctx.db, payment.accountNumber, ctx.clock.today());
  return { payment, account };
}

/** Today's postings on this terminal, with their totals per tender (F10). */
export async function todaySummary(ctx: ServiceContext): Promise<Today> {
  const { db, clock } = ctx;
  const businessDate = clock.today();
  const payments = await paymentSummaries(db, (q) =>
    q.where('t.business_date', businessDate).andWhere('t.terminal_code', ctx.terminal.code),
  );
  const byTender = (await db('tenders as d')
    .join('transactions as t', 't.id', 'd.transaction_id')
    .where('t.business_date', businessDate)
    .andWhere('t.terminal_code', ctx.terminal.code)
    .whereIn('t.kind', ['payment', 'void'])
    .groupBy('d.type')
    .select(
      'd.type',
      db.raw('SUM(CASE WHEN d.amount_cents > 0 THEN 1 ELSE -1 END) as count'),
      db.raw('SUM(d.net_cents) as amountCents'),
    )) as { type: string; count: number; amountCents: number }[];
  return {
    businessDate,
    payments,
    totals: {
      count: payments.filter((p) => p.kind === 'payment' && !p.voidedBy).length,
      amountCents: addCents(
        ...payments.filter((p) => p.kind === 'payment' || p.kind === 'void').map((p) => p.amountCents),
      ),
      byTender,
    },
  };
}
