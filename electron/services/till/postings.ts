/**
 * Till postings on the kernel: the opening float, cash drops, paid-outs, voids, credit refunds and the
 * blind close. Every check against money (cash in the drawer, credit left to refund, whether the payment
 * is still unvoided and its till still open) runs in the plan, inside the posting's transaction.
 */
import type { Approval } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import type { Counts, CurrencyConfig } from '../../../shared/domain/currency.js';
import { TENDER_LABEL, type JournalLine } from '../../../shared/domain/tenders.js';
import {
  countTotal,
  dropJournal,
  openJournal,
  paidOutJournal,
  refundJournal,
  reversalJournal,
} from '../../../shared/domain/till.js';
import { addCents, formatCents, type Cents } from '../../../shared/money.js';
import type { TillDetail } from '../../../shared/sync/till.js';
import { definePosting } from '../../kernel/posting.js';
import { openTillOf, type TillRow } from '../../kernel/till-state.js';
import { getAccountRow } from '../accounts/accounts.js';
import { newId as newTillId } from '../ids.js';
import type { TillPolicy } from './till.js';

/** The `ledger.posted` detail of a till or correction transaction (a void's reversed allocations). */
export function tillDetail(allocations: TillDetail['allocations'] = []): TillDetail {
  return { capability: 'till', allocations };
}

function approvedLine(approver: Cashier | null): string[] {
  return approver ? [`Approved by ${approver.name} (${approver.id})`] : [];
}

function denominationLines(counts: Counts, currency: CurrencyConfig): string[] {
  return currency.denominations
    .filter((d) => (counts[d.id] ?? 0) > 0)
    .map((d) => `  ${counts[d.id]} x ${d.label}`);
}

export type SlipResult = { amountCents: Cents };

// ---- open ----

export const openTillPosting = definePosting<
  { counts: Counts; policy: TillPolicy },
  { tillId: string },
  { tillId: string }
>({
  name: 'till.open',
  fingerprint: (i) => i.counts,
  prepare: () => Promise.resolve({ tillId: newTillId() }),
  requestId: (_i, p) => `till-open:${p.tillId}`,
  async plan(tx, { counts, policy }, { tillId }) {
    const floatCents = countTotal(counts, policy.currency);
    if (await openTillOf(tx.trx, tx.ctx, tx.cashier.id))
      throw new CounterError('CONFLICT', 'Your till is already open on this terminal.');
    const row: TillRow = {
      id: tillId,
      terminal_code: tx.ctx.terminal.code,
      cashier_id: tx.cashier.id,
      business_date: tx.businessDate,
      status: 'open',
      opened_at: tx.now.toISOString(),
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
    return {
      kind: 'till_open',
      amountCents: floatCents,
      tillId,
      journal: openJournal(floatCents),
      // The till row first: the transaction refers to it.
      write: async (trx) => {
        await trx('tills').insert(row);
      },
      receipt: null,
      detail: tillDetail(),
      audit: { action: 'till.open', entityType: 'till', entityId: tillId, details: { floatCents, counts } },
      drawer: false,
      result: { tillId },
    };
  },
});

// ---- drop and paid-out ----

type SlipInput = { requestId: string; approval?: Approval | undefined };

export const dropPosting = definePosting<
  { input: SlipInput & { counts: Counts }; policy: TillPolicy },
  SlipResult
>({
  name: 'till.drop',
  fingerprint: (i) => i.input,
  requestId: (i) => i.input.requestId,
  approval: (i) => i.input.approval,
  async plan(tx, { input, policy }) {
    const cents = countTotal(input.counts, policy.currency);
    if (cents <= 0) throw new CounterError('INVALID_INPUT', 'Count the cash you are dropping.', 'counts');
    const till = await tx.openTill();
    if (cents > (await tx.drawerCash(till.id)))
      throw new CounterError('INVALID_INPUT', `A drop cannot be more than the cash in the drawer.`, 'counts');
    const approver = tx.requireApproval('a cash drop');
    return slipPlan(till.id, approver, {
      kind: 'drop',
      amountCents: cents,
      journal: dropJournal(cents),
      audit: { action: 'till.drop', details: { cents, counts: input.counts, tillId: till.id } },
      title: 'CASH DROP',
      label: 'Cash to the safe',
      notes: denominationLines(input.counts, policy.currency),
    });
  },
});

export const paidOutPosting = definePosting<SlipInput & { amountCents: Cents; reason: string }, SlipResult>({
  name: 'till.paidOut',
  requestId: (i) => i.requestId,
  approval: (i) => i.approval,
  async plan(tx, input) {
    const till = await tx.openTill();
    if (input.amountCents > (await tx.drawerCash(till.id)))
      throw new CounterError(
        'INVALID_INPUT',
        'A paid-out cannot be more than the cash in the drawer.',
        'amountCents',
      );
    const approver = tx.requireApproval('a paid-out');
    return slipPlan(till.id, approver, {
      kind: 'paid_out',
      amountCents: input.amountCents,
      journal: paidOutJournal(input.amountCents),
      reason: input.reason,
      audit: {
        action: 'till.paidOut',
        details: { cents: input.amountCents, reason: input.reason, tillId: till.id },
      },
      title: 'PAID OUT',
      label: 'Cash paid out',
      notes: [`Reason: ${input.reason}`],
    });
  },
});

function slipPlan(
  tillId: string,
  approver: Cashier,
  a: {
    kind: 'drop' | 'paid_out';
    amountCents: Cents;
    journal: JournalLine[];
    reason?: string;
    audit: { action: string; details: Record<string, unknown> };
    title: string;
    label: string;
    notes: string[];
  },
) {
  return {
    kind: a.kind,
    amountCents: a.amountCents,
    tillId,
    approver,
    reason: a.reason ?? null,
    journal: a.journal,
    receipt: {
      title: a.title,
      notes: [...a.notes, ...approvedLine(approver)],
      items: [{ label: a.label, amountCents: a.amountCents }],
      totalCents: a.amountCents,
      offline: false,
    },
    detail: tillDetail(),
    audit: a.audit,
    drawer: true,
    result: { amountCents: a.amountCents },
  };
}

// ---- void ----

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
 * A void of a payment taken in a till that is still open on this terminal: a reversal transaction
 * (never an edit) with negated journal lines, tenders and allocations, approved by a supervisor.
 */
export const voidPosting = definePosting<
  { transactionId: string; reason: string; approval?: Approval | undefined },
  SlipResult
>({
  name: 'payment.void',
  requestId: (i) => `void:${i.transactionId}`,
  approval: (i) => i.approval,
  repeated: (_i, prior) =>
    new CounterError(
      'CONFLICT',
      `That payment is already void (void receipt ${prior.receiptNumber ?? ''}).`,
      'transactionId',
    ),
  async plan(tx, input) {
    const { trx } = tx;
    const original = (await trx('transactions').where('id', input.transactionId).first()) as
      OriginalTx | undefined;
    if (!original || original.kind !== 'payment')
      throw new CounterError('NOT_FOUND', 'No payment with that number on this terminal.', 'transactionId');
    if (original.voided_by_id)
      throw new CounterError(
        'CONFLICT',
        `Receipt ${original.receipt_number} is already void.`,
        'transactionId',
      );
    // Another posting reversed part of it (a returned check takes back one tender): a void would take
    // that part back a second time. The server refuses it too (ALREADY_REVERSED).
    const partly = (await trx('transactions')
      .where('reverses_id', original.id)
      .first('kind', 'receipt_number')) as { kind: string; receipt_number: string | null } | undefined;
    if (partly)
      throw new CounterError(
        'CONFLICT',
        `Receipt ${original.receipt_number} was already reversed in part (${partly.kind.replace('_', ' ')} ${partly.receipt_number ?? ''}): it cannot be voided.`,
        'transactionId',
      );
    const till = original.till_id
      ? ((await trx('tills').where('id', original.till_id).first()) as TillRow | undefined)
      : undefined;
    if (!till || till.status !== 'open' || original.terminal_code !== tx.ctx.terminal.code)
      throw new CounterError(
        'CONFLICT',
        `The till of receipt ${original.receipt_number} is closed: it cannot be voided. Refund the credit instead.`,
        'transactionId',
      );
    // The void hands the cash tendered back from the drawer: it must be there (not dropped to the safe).
    const cashBack = -addCents(
      ...(
        (await trx('tenders').where({ transaction_id: original.id, type: 'cash' }).select('net_cents')) as {
          net_cents: number;
        }[]
      ).map((t) => -t.net_cents),
      0,
    );
    const inDrawer = cashBack > 0 ? await tx.drawerCash(till.id) : 0;
    if (cashBack > inDrawer)
      throw new CounterError(
        'INVALID_INPUT',
        `The drawer holds ${formatCents(inDrawer, { symbol: true })}, less than the ${formatCents(cashBack, { symbol: true })} in cash this void gives back: it cannot be voided now. Refund the credit by check instead.`,
        'transactionId',
      );
    const approver = tx.requireApproval(
      original.cashier_id === tx.cashier.id ? 'a void' : `a void of another cashier's payment`,
    );
    const journalRows = (await trx('journal_lines').where('transaction_id', original.id).orderBy('id')) as {
      ledger_account: string;
      cents: number;
      memo: string;
    }[];
    const journal = reversalJournal(
      journalRows.map((l) => ({ ledgerAccount: l.ledger_account, cents: l.cents, memo: l.memo })),
    );
    const tenders = (await trx('tenders').where('transaction_id', original.id).orderBy('position')) as {
      type: string;
      amount_cents: number;
      net_cents: number;
      check_number: string | null;
      card_brand: string | null;
      card_last4: string | null;
      money_order_serial: string | null;
    }[];
    const allocations = (await trx('allocations').where('transaction_id', original.id)) as {
      item_id: string | null;
      category: string;
      cents: number;
    }[];
    const account = await getAccountRow(trx, original.account_number, { withPending: true });
    const balanceAfter = addCents(account.balance_cents, account.pending_cents ?? 0, original.applied_cents);
    const reversed = allocations.map((a) => ({ itemId: a.item_id, category: a.category, cents: -a.cents }));
    return {
      kind: 'void',
      accountNumber: original.account_number,
      amountCents: original.applied_cents,
      appliedCents: -original.applied_cents,
      tillId: till.id,
      approver,
      reversesId: original.id,
      reason: input.reason,
      journal,
      tenders: tenders.map((t) => ({
        type: t.type,
        amountCents: -t.amount_cents,
        netCents: -t.net_cents,
        checkNumber: t.check_number,
        cardBrand: t.card_brand,
        cardLast4: t.card_last4,
        moneyOrderSerial: t.money_order_serial,
      })),
      async write(w, ids) {
        if (reversed.length)
          await w('allocations').insert(
            reversed.map((a) => ({
              transaction_id: ids.transactionId,
              item_id: a.itemId,
              category: a.category,
              cents: a.cents,
            })),
          );
        await w('transactions').where('id', original.id).update({ voided_by_id: ids.transactionId });
      },
      receipt: {
        title: `VOID of receipt ${original.receipt_number}`,
        marks: ['VOID'],
        account: { number: original.account_number, name: account.name },
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
        offline: false,
      },
      detail: tillDetail(reversed),
      audit: {
        action: 'payment.void',
        details: {
          voids: original.id,
          receipt: original.receipt_number,
          reason: input.reason,
          cents: original.applied_cents,
        },
      },
      result: { amountCents: original.applied_cents },
    };
  },
});

// ---- credit refund ----

export type RefundInput = SlipInput & {
  accountNumber: string;
  amountCents: Cents;
  method: 'cash' | 'check_request';
  reason: string;
};

/** Refunds an account's credit balance in cash from the drawer or by a check request. */
export const refundPosting = definePosting<{ input: RefundInput; policy: TillPolicy }, SlipResult>({
  name: 'refund',
  fingerprint: (i) => i.input,
  requestId: (i) => i.input.requestId,
  approval: (i) => i.input.approval,
  async plan(tx, { input, policy }) {
    const till = await tx.openTill();
    const account = await getAccountRow(tx.trx, input.accountNumber, { withPending: true });
    const balance = addCents(account.balance_cents, account.pending_cents ?? 0);
    const credit = balance < 0 ? -balance : 0;
    if (input.amountCents > credit)
      throw new CounterError(
        'INVALID_INPUT',
        credit === 0
          ? 'This account has no credit to refund.'
          : `The refund cannot be more than the credit of ${formatCents(credit, { symbol: true })}.`,
        'amountCents',
      );
    if (input.method === 'cash' && input.amountCents > (await tx.drawerCash(till.id)))
      throw new CounterError(
        'INVALID_INPUT',
        'There is not enough cash in the drawer: use a check request.',
        'method',
      );
    const approver = tx.approvalIf(
      input.amountCents > policy.refundApprovalOverCents,
      `a refund over ${formatCents(policy.refundApprovalOverCents, { symbol: true })}`,
    );
    return {
      kind: 'refund',
      accountNumber: input.accountNumber,
      amountCents: input.amountCents,
      appliedCents: -input.amountCents,
      tillId: till.id,
      approver,
      reason: input.reason,
      journal: refundJournal(input.accountNumber, input.amountCents, input.method),
      tenders:
        input.method === 'cash'
          ? [{ type: 'cash', amountCents: -input.amountCents, netCents: -input.amountCents }]
          : [],
      receipt: {
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
        offline: false,
      },
      detail: tillDetail(),
      audit: {
        action: 'refund.post',
        details: {
          accountNumber: input.accountNumber,
          cents: input.amountCents,
          method: input.method,
          reason: input.reason,
        },
      },
      drawer: input.method === 'cash',
      result: { amountCents: input.amountCents },
    };
  },
});
