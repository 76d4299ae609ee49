/**
 * Back billing: the plan under the account's jurisdiction's rules (shared/domain/back-billing.ts),
 * previewed for the supervisor, then posted as ONE posting: the charges on the receivable against the
 * back-billed revenue account, and each installment an open item of its own, flagged not grounds for
 * disconnection, payable at the counter like any bill line.
 */
import type { Knex } from 'knex';

import type { ChannelParsedInput } from '../../../shared/api/contract.js';
import { CounterError } from '../../../shared/api/errors.js';
import {
  addMonthsClamped,
  backBillPlan,
  checkInstallmentsSum,
  type BackBillPlan,
  type BackBillPolicy,
} from '../../../shared/domain/back-billing.js';
import { definePosting } from '../../kernel/posting.js';
import { openTillOf } from '../../kernel/till-state.js';
import { addPendingOpenItems, getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { loadPolicies, type Policies } from './policies.js';

export type BackBillInput = ChannelParsedInput<'backBilling.preview'>;
export type PostBackBillInput = ChannelParsedInput<'backBilling.post'>;

export const BACK_BILL_CATEGORY = 'back_billing';

/**
 * The account's last 12 bills: their sum and count (the installment cap takes the exact average from
 * them and rounds once), and the average rounded half up to the cent, which is only shown.
 */
export async function recentBills(
  db: Knex,
  accountNumber: string,
): Promise<{ sumCents: number; count: number; averageCents: number }> {
  const bills = (await db('bills')
    .where('account_number', accountNumber)
    .orderBy('bill_date', 'desc')
    .limit(12)
    .select('total_cents')) as { total_cents: number }[];
  const sumCents = bills.reduce((a, b) => a + Number(b.total_cents), 0);
  const count = bills.length;
  return { sumCents, count, averageCents: count ? Math.floor((2 * sumCents + count) / (2 * count)) : 0 };
}

function policyOf(policies: Policies, jurisdiction: string): BackBillPolicy {
  const p = policies.backBilling.find((x) => x.jurisdiction === jurisdiction);
  if (!p)
    throw new CounterError(
      'INVALID_INPUT',
      `There are no back-billing rules for ${jurisdiction}.`,
      'jurisdiction',
    );
  return p;
}

async function planFor(
  db: Knex,
  policies: Policies,
  input: BackBillInput,
  today: string,
): Promise<{ result: ReturnType<typeof backBillPlan>; policy: BackBillPolicy; average: number }> {
  const policy = policyOf(policies, input.jurisdiction);
  const bills = await recentBills(db, input.accountNumber);
  const average = bills.averageCents;
  const result = backBillPlan(policy, input.charges, {
    today,
    bills: { sumCents: bills.sumCents, count: bills.count },
    firstDueDate: input.firstDueDate ?? addMonthsClamped(today, 1),
  });
  return { result, policy, average };
}

export async function previewBackBill(ctx: ServiceContext, input: BackBillInput) {
  await getAccountRow(ctx.db, input.accountNumber);
  const { result, average } = await planFor(ctx.db, await loadPolicies(ctx.db), input, ctx.clock.today());
  return result.ok ? { ok: true as const, plan: result.plan, averageMonthlyBillCents: average } : result;
}

export const backBillPosting = definePosting<PostBackBillInput, { plan: BackBillPlan }, Policies>({
  name: 'back_bill',
  requestId: (input) => input.requestId,
  prepare: (ctx) => loadPolicies(ctx.db),
  async plan(tx, input, policies) {
    const { trx, ctx, cashier } = tx;
    await getAccountRow(trx, input.accountNumber);
    const { result, policy } = await planFor(trx, policies, input, tx.businessDate);
    if (!result.ok) throw new CounterError('INVALID_INPUT', result.message, `charges (${result.rule})`);
    const plan = result.plan;
    const problem = checkInstallmentsSum(
      input.installments.map((cents) => ({ cents })),
      plan.totalCents,
    );
    if (problem) throw new CounterError('INVALID_INPUT', `${problem} Nothing was billed.`, 'installments');
    if (
      input.installments.length !== plan.installments.length ||
      input.installments.some((c, i) => c !== plan.installments[i]?.cents)
    )
      throw new CounterError(
        'CONFLICT',
        'The plan is not the one the rules give now (the charges or the rules changed): preview it again.',
        'installments',
      );
    const till = await openTillOf(trx, ctx, cashier.id);
    const items = plan.installments.map((i) => ({
      itemId: `bb-${tx.transactionId}-${String(i.number)}`,
      number: i.number,
      dueDate: i.dueDate,
      cents: i.cents,
    }));
    const journal = [
      {
        ledgerAccount: `ar:${input.accountNumber}`,
        cents: plan.totalCents,
        memo: `back billing (${policy.label})`,
      },
      { ledgerAccount: policy.ledgerAccount, cents: -plan.totalCents, memo: 'back-billed charges' },
    ];
    return {
      kind: 'back_bill',
      accountNumber: input.accountNumber,
      amountCents: plan.totalCents,
      tillId: till?.id ?? null,
      approver: cashier,
      reason: `back billing under ${policy.jurisdiction}`,
      journal,
      async write(w, ids) {
        await w('back_bill_plans').insert({
          transaction_id: ids.transactionId,
          account_number: input.accountNumber,
          jurisdiction: policy.jurisdiction,
          total_cents: plan.totalCents,
          plan: JSON.stringify(plan),
          charges: JSON.stringify(input.charges),
          business_date: tx.businessDate,
        });
        await addPendingOpenItems(
          w,
          ids.transactionId,
          input.accountNumber,
          items.map((i) => ({
            id: i.itemId,
            category: BACK_BILL_CATEGORY,
            dueDate: i.dueDate,
            openCents: i.cents,
            notDisconnectable: plan.notDisconnectable,
          })),
        );
      },
      receipt: null,
      detail: {
        capability: 'adjustment',
        type: 'back_bill',
        jurisdiction: policy.jurisdiction,
        ledgerAccount: policy.ledgerAccount,
        totalCents: plan.totalCents,
        charges: input.charges,
        installments: items,
        category: BACK_BILL_CATEGORY,
        notDisconnectable: plan.notDisconnectable,
        noLateFees: plan.noLateFees,
        lengthFrom: plan.lengthFrom,
        rule: plan.rule,
      },
      audit: {
        action: 'back_bill.post',
        details: {
          accountNumber: input.accountNumber,
          jurisdiction: policy.jurisdiction,
          totalCents: plan.totalCents,
          installments: items.length,
        },
      },
      drawer: false,
      result: { plan },
    };
  },
});
