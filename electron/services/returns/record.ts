/**
 * Recording a returned check: a NEW transaction dated today that reverses the check's part of the
 * original payment (never an edit: the payment, its day and its Z report stay as they were), reopens
 * what the check had paid in the original allocation order, posts the NSF fee from the fee schedule,
 * and puts the account on cash only when its points reach the threshold. Every check runs in the plan,
 * inside the posting's transaction; the unique index on (payment, tender) refuses a second return even
 * past the plan.
 */
import type { ChannelParsedInput } from '../../../shared/api/contract.js';
import { CounterError } from '../../../shared/api/errors.js';
import { nsfFee, scheduleFor } from '../../../shared/domain/nsf.js';
import {
  cashOnlyState,
  cashOnlyWords,
  returnJournal,
  tenderSlice,
  type ReturnsPolicy,
} from '../../../shared/domain/returns/rules.js';
import { addCents, formatCents } from '../../../shared/money.js';
import type { ReturnedCheckDetail } from '../../../shared/sync/returns.js';
import { definePosting } from '../../kernel/posting.js';
import { openTillOf } from '../../kernel/till-state.js';
import { getAccountRow } from '../accounts/accounts.js';
import { returnHistory } from './cash-only.js';
import { reinstatedNotices } from './notices.js';
import { loadReturnsPolicy, reasonOf } from './policy.js';

export type RecordReturnInput = ChannelParsedInput<'returns.record'>;

export type RecordReturnResult = {
  accountNumber: string;
  faceCents: number;
  feeCents: number;
  feeSteps: string[];
  feeRule: string;
  reopened: ReturnedCheckDetail['reopened'];
  reinstatedNotices: ReturnedCheckDetail['reinstatedNotices'];
};

type Original = {
  id: string;
  kind: string;
  account_number: string;
  receipt_number: string | null;
  business_date: string;
  voided_by_id: string | null;
};

const $ = (c: number): string => formatCents(c, { symbol: true });

export const returnPosting = definePosting<RecordReturnInput, RecordReturnResult, ReturnsPolicy>({
  name: 'returned_check',
  // Derived from what it acts on: the same check cannot be returned twice, whatever the screen sends.
  requestId: (i) => `return:${i.transactionId}:${i.tenderPosition}`,
  repeated: (_i, prior) =>
    new CounterError(
      'CONFLICT',
      `That check was already recorded as returned (slip ${prior.receiptNumber ?? ''}): nothing was posted.`,
      'transactionId',
    ),
  prepare: (ctx) => loadReturnsPolicy(ctx.db),
  async plan(tx, input, policy) {
    const { trx } = tx;
    const reason = reasonOf(policy, input.reasonCode);
    const original = (await trx('transactions').where('id', input.transactionId).first()) as
      Original | undefined;
    if (!original || original.kind !== 'payment' || !original.account_number)
      throw new CounterError('NOT_FOUND', 'No payment with that number on this counter.', 'transactionId');
    if (original.voided_by_id)
      throw new CounterError(
        'CONFLICT',
        `Receipt ${original.receipt_number ?? ''} was voided: there is no payment left to return.`,
        'transactionId',
      );
    const tenders = (await trx('tenders').where('transaction_id', original.id).orderBy('position')) as {
      position: number;
      type: string;
      net_cents: number;
      check_number: string | null;
    }[];
    const tender = tenders.find((t) => t.position === input.tenderPosition);
    if (!tender || tender.type !== 'check')
      throw new CounterError(
        'INVALID_INPUT',
        tenders.some((t) => t.type === 'check')
          ? 'That tender of the payment is not a check: pick the check.'
          : `Receipt ${original.receipt_number ?? ''} was paid without a check: there is no check to return.`,
        'tenderPosition',
      );
    const already = (await trx('returned_checks')
      .where({ original_transaction_id: original.id, tender_position: tender.position })
      .first('return_date')) as { return_date: string } | undefined;
    if (already)
      throw new CounterError(
        'CONFLICT',
        `Check #${tender.check_number ?? ''} was already recorded as returned on ${already.return_date}.`,
        'transactionId',
      );
    const accountNumber = original.account_number;
    const face = tender.net_cents;
    const checkNumber = tender.check_number ?? '';
    const schedule = scheduleFor(policy.feeSchedules, policy.jurisdiction, tx.businessDate);
    const fee = nsfFee(schedule, face, reason.code);

    // What the check paid, in the original allocation order (the tenders laid over the allocation).
    const allocation = (await trx('allocations').where('transaction_id', original.id).orderBy('id')) as {
      item_id: string | null;
      category: string;
      cents: number;
    }[];
    const reopened = tenderSlice(
      allocation.map((a) => ({ itemId: a.item_id, category: a.category, cents: a.cents })),
      0,
      tenders.map((t) => ({ netCents: t.net_cents })),
      tender.position,
    );
    const account = await getAccountRow(trx, accountNumber, { withPending: true });
    const { history, lifts } = await returnHistory(trx, accountNumber);
    const state = cashOnlyState(
      [...history, { date: tx.businessDate, points: reason.points }],
      policy.cashOnly,
      tx.businessDate,
      lifts,
    );
    const startsCashOnly = state.active && state.period?.from === tx.businessDate;
    const cashOnlyUntil = startsCashOnly && state.period ? state.period.until : null;
    const notices = await reinstatedNotices(trx, accountNumber, original.id);
    const balanceAfter = addCents(account.balance_cents, account.pending_cents ?? 0, face, fee.feeCents);
    const detail: ReturnedCheckDetail = {
      capability: 'returned_check',
      originalTransactionId: original.id,
      originalReceiptNumber: original.receipt_number,
      tenderPosition: tender.position,
      itemType: input.itemType,
      checkNumber,
      faceCents: face,
      reasonCode: reason.code,
      feeCents: fee.feeCents,
      feeScheduleId: schedule.id,
      feeSteps: fee.steps,
      points: reason.points,
      reopened,
      cashOnlyUntil,
      reinstatedNotices: notices,
    };
    const journal = returnJournal(accountNumber, face, fee.feeCents, checkNumber);
    return {
      kind: 'returned_check',
      accountNumber,
      amountCents: face,
      appliedCents: -addCents(face, fee.feeCents),
      // No money moves through the drawer, but a return taken while the cashier's till is open is
      // counted on that till's Z report; one recorded with no till open counts on none.
      tillId: (await openTillOf(trx, tx.ctx, tx.cashier.id))?.id ?? null,
      reversesId: original.id,
      reason: reason.code,
      journal,
      async write(w, ids) {
        await w('returned_checks').insert({
          transaction_id: ids.transactionId,
          original_transaction_id: original.id,
          tender_position: tender.position,
          account_number: accountNumber,
          item_type: input.itemType,
          check_number: checkNumber,
          face_cents: face,
          reason_code: reason.code,
          fee_cents: fee.feeCents,
          fee_schedule_id: schedule.id,
          fee_steps: JSON.stringify(fee.steps),
          points: reason.points,
          return_date: tx.businessDate,
          cash_only_until: cashOnlyUntil,
          note: input.note ?? null,
        });
        // Negative allocations give the items back while the return is not in the replica yet.
        const back = reopened.filter((r) => r.cents > 0);
        if (back.length)
          await w('allocations').insert(
            back.map((r) => ({
              transaction_id: ids.transactionId,
              item_id: r.itemId,
              category: r.category,
              cents: -r.cents,
            })),
          );
        if (startsCashOnly)
          await w('accounts')
            .where('account_number', accountNumber)
            .update({ cash_only: 1, cash_only_reason: cashOnlyWords(state, reason.label) });
      },
      receipt: {
        kind: 'returned_check',
        title: 'RETURNED CHECK',
        account: { number: accountNumber, name: account.name },
        notes: [
          `${input.itemType === 'echeck' ? 'E-check' : 'Check'} #${checkNumber} of ${$(face)}`,
          `Paid on ${original.business_date}, receipt ${original.receipt_number ?? ''}`,
          `Returned: ${reason.label}`,
          ...fee.steps,
          ...(cashOnlyUntil ? [`CASH ONLY until ${cashOnlyUntil}: no checks.`] : []),
          ...notices.map((n) => `Disconnect notice of ${n.noticeDate} active again`),
          ...(input.note ? [`Note: ${input.note}`] : []),
          'Back office copy: file with the returned item.',
        ],
        items: [
          { label: `Returned check #${checkNumber}`, amountCents: face },
          ...(fee.feeCents > 0 ? [{ label: 'NSF fee', amountCents: fee.feeCents }] : []),
        ],
        totalCents: addCents(face, fee.feeCents),
        balanceAfterCents: balanceAfter,
        balanceAsOf: account.as_of,
      },
      detail,
      audit: {
        action: 'returnedCheck.record',
        details: {
          payment: original.id,
          receipt: original.receipt_number,
          tenderPosition: tender.position,
          faceCents: face,
          reason: reason.code,
          feeCents: fee.feeCents,
          cashOnlyUntil,
        },
      },
      drawer: false,
      result: {
        accountNumber,
        faceCents: face,
        feeCents: fee.feeCents,
        feeSteps: fee.steps,
        feeRule: schedule.citation,
        reopened,
        reinstatedNotices: notices,
      },
    };
  },
});
