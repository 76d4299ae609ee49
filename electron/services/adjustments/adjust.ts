/**
 * Posting a bill adjustment. Inside the kernel's transaction: the reason from policy, the amount (an
 * outage credit computed from the bill line's rate), the open item it corrects (on this account), the
 * approval limit of the cashier's role for that reason (a supervisor's ID and PIN above it, nobody
 * above the supervisor's), then the balanced journal. A credit is taken off the item it corrects
 * (allocation rows, as a payment's); a debit is a new open item the customer pays like a bill line.
 */
import type { ChannelParsedInput } from '../../../shared/api/contract.js';
import { CounterError } from '../../../shared/api/errors.js';
import {
  adjustmentJournal,
  adjustmentLimit,
  outageCredit,
  type AdjustmentReason,
} from '../../../shared/domain/adjustments.js';
import { formatCents } from '../../../shared/money.js';
import type { AdjustmentDetail } from '../../../shared/sync/adjustments.js';
import { definePosting } from '../../kernel/posting.js';
import { openTillOf } from '../../kernel/till-state.js';
import { addPendingOpenItems, effectiveOpenItems, getAccountRow } from '../accounts/accounts.js';
import { loadPolicies, type Policies } from './policies.js';

export type PostAdjustmentInput = ChannelParsedInput<'adjustments.post'>;

const money = (c: number): string => formatCents(c, { symbol: true });

function reasonOf(policies: Policies, code: string): AdjustmentReason {
  const reason = policies.adjustments.reasons.find((r) => r.code === code);
  if (!reason)
    throw new CounterError('INVALID_INPUT', `There is no adjustment reason "${code}".`, 'reasonCode');
  return reason;
}

export const adjustmentPosting = definePosting<PostAdjustmentInput, { working: string }, Policies>({
  name: 'adjustment',
  requestId: (input) => input.requestId,
  approval: (input) => input.approval,
  prepare: (ctx) => loadPolicies(ctx.db),
  async plan(tx, input, policies) {
    const { trx, ctx, cashier } = tx;
    const reason = reasonOf(policies, input.reasonCode);
    if (!reason.directions.includes(input.direction))
      throw new CounterError('INVALID_INPUT', `${reason.label} is never a ${input.direction}.`, 'direction');
    const account = await getAccountRow(trx, input.accountNumber);
    let amountCents: number;
    let working: string;
    let outage: Extract<AdjustmentDetail, { type: 'adjustment' }>['outage'] = null;
    if (reason.outage) {
      if (!input.outage)
        throw new CounterError(
          'INVALID_INPUT',
          'An outage credit needs the service (bill line) and the days out.',
          'outage',
        );
      const line = (await trx('bill_lines as l')
        .join('bills as b', 'b.id', 'l.bill_id')
        .where('b.account_number', input.accountNumber)
        .andWhere('l.id', input.outage.billLineId)
        .first('l.id', 'l.amount_cents', 'l.description')) as
        { id: number | string; amount_cents: number; description: string } | undefined;
      if (!line || line.amount_cents <= 0)
        throw new CounterError(
          'INVALID_INPUT',
          "That service is not a charge on this account's bill.",
          'outage.billLineId',
        );
      let credit;
      try {
        credit = outageCredit(
          { monthlyRateCents: line.amount_cents, daysOut: input.outage.daysOut, month: input.outage.month },
          policies.adjustments.outage,
        );
      } catch (err) {
        throw new CounterError(
          'INVALID_INPUT',
          err instanceof Error ? err.message : String(err),
          'outage.daysOut',
        );
      }
      if (input.outage.month > tx.businessDate.slice(0, 7))
        throw new CounterError(
          'INVALID_INPUT',
          'An outage credit is for a month that has begun.',
          'outage.month',
        );
      amountCents = credit.cents;
      working = `${line.description}: ${credit.working}`;
      outage = { ...input.outage, billLineId: String(line.id), monthlyRateCents: line.amount_cents, working };
    } else {
      if (!input.amountCents)
        throw new CounterError('INVALID_INPUT', 'Enter the amount of the adjustment.', 'amountCents');
      amountCents = input.amountCents;
      working = `${money(amountCents)} ${input.direction}, ${reason.label}`;
    }
    if (input.expectedCents !== undefined && input.expectedCents !== amountCents)
      throw new CounterError(
        'CONFLICT',
        `The adjustment comes to ${money(amountCents)}, not the ${money(input.expectedCents)} shown: check it again.`,
        'amountCents',
      );
    const items = await effectiveOpenItems(trx, input.accountNumber);
    const item = input.itemId === null ? null : items.find((i) => i.id === input.itemId);
    if (input.itemId !== null && !item)
      throw new CounterError('INVALID_INPUT', 'That bill line is not open on this account.', 'itemId');
    const limit = adjustmentLimit(reason, cashier.role, amountCents);
    if (limit.kind === 'refused') throw new CounterError('FORBIDDEN', limit.message, 'amountCents');
    const approver = tx.approvalIf(
      limit.kind === 'needs_supervisor',
      `a ${reason.label.toLowerCase()} of ${money(amountCents)}`,
    );
    const journal = adjustmentJournal(input.accountNumber, input.direction, amountCents, reason);
    const till = await openTillOf(trx, ctx, cashier.id);
    const takeOff = input.direction === 'credit' && item ? Math.min(item.openCents, amountCents) : 0;
    const newItem =
      input.direction === 'debit'
        ? {
            id: `adj-${tx.transactionId}`,
            category: item?.category ?? 'adjustment',
            dueDate: tx.businessDate,
          }
        : null;
    const detail: AdjustmentDetail = {
      capability: 'adjustment',
      type: 'adjustment',
      direction: input.direction,
      reasonCode: reason.code,
      reasonLabel: reason.label,
      ledgerAccount: reason.ledgerAccount,
      amountCents,
      memo: input.memo,
      itemId: input.itemId,
      newItem,
      outage,
    };
    const signed = input.direction === 'credit' ? -amountCents : amountCents;
    return {
      kind: 'adjustment',
      accountNumber: input.accountNumber,
      amountCents: signed,
      appliedCents: amountCents,
      tillId: till?.id ?? null,
      approver,
      reason: `${reason.code}: ${input.memo}`,
      journal,
      async write(w, ids) {
        await w('adjustments').insert({
          transaction_id: ids.transactionId,
          account_number: input.accountNumber,
          direction: input.direction,
          reason_code: reason.code,
          reason_label: reason.label,
          amount_cents: amountCents,
          memo: input.memo,
          item_id: input.itemId,
          outage: outage ? JSON.stringify(outage) : null,
          business_date: tx.businessDate,
        });
        if (takeOff > 0 && item)
          await w('allocations').insert({
            transaction_id: ids.transactionId,
            item_id: item.id,
            category: item.category,
            cents: takeOff,
          });
        if (newItem)
          await addPendingOpenItems(w, ids.transactionId, input.accountNumber, [
            { id: newItem.id, category: newItem.category, dueDate: newItem.dueDate, openCents: amountCents },
          ]);
      },
      receipt: {
        title: input.direction === 'credit' ? 'ACCOUNT CREDIT' : 'ACCOUNT DEBIT',
        kind: 'adjustment',
        account: { number: input.accountNumber, name: account.name },
        items: [{ label: reason.label, amountCents: signed, detail: [input.memo] }],
        totalCents: signed,
        footer: [working, ...(approver ? [`Approved by ${approver.name}`] : [])],
      },
      detail,
      audit: {
        action: 'adjustment.post',
        details: {
          accountNumber: input.accountNumber,
          reasonCode: reason.code,
          direction: input.direction,
          amountCents,
          limit: limit.working,
        },
      },
      drawer: false,
      result: { working },
    };
  },
});
