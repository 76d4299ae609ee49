/**
 * Cash-only status from returned checks: the points of the account's returns (this counter's record)
 * replayed by the shared rule, the replica flag that the payment screen and the tender rules read, and
 * the supervisor's lift (audited, synced).
 */
import type { Knex } from 'knex';

import type { CashOnlyStatus } from '../../../shared/api/channels/returns.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import {
  cashOnlyState,
  type CashOnlyState,
  type ReturnsPolicy,
} from '../../../shared/domain/returns/rules.js';
import { appendAudit } from '../audit/audit.js';
import { getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import { enqueue } from '../outbox/outbox.js';
import { loadReturnsPolicy } from './policy.js';

export async function returnHistory(
  db: Knex,
  accountNumber: string,
): Promise<{ history: { date: string; points: number }[]; lifts: string[] }> {
  const history = (await db('returned_checks')
    .where('account_number', accountNumber)
    .select('return_date as date', 'points')) as { date: string; points: number }[];
  const lifts = (await db('cash_only_lifts')
    .where('account_number', accountNumber)
    .pluck('lifted_on')) as string[];
  return { history, lifts };
}

export function statusOf(
  accountNumber: string,
  state: CashOnlyState,
  policy: ReturnsPolicy,
  replica: { cash_only: number; cash_only_reason: string | null },
): CashOnlyStatus {
  // The server's flag (pulled) counts too: another counter's returns are not in this counter's record.
  const active = state.active || replica.cash_only === 1;
  return {
    accountNumber,
    active,
    reason: active ? replica.cash_only_reason : null,
    until: state.active && state.period ? state.period.until : null,
    points: state.points,
    threshold: policy.cashOnly.threshold,
    expiring: state.expiring,
  };
}

export async function cashOnlyStatus(ctx: ServiceContext, accountNumber: string): Promise<CashOnlyStatus> {
  const policy = await loadReturnsPolicy(ctx.db);
  const row = await getAccountRow(ctx.db, accountNumber);
  const { history, lifts } = await returnHistory(ctx.db, accountNumber);
  return statusOf(
    accountNumber,
    cashOnlyState(history, policy.cashOnly, ctx.clock.today(), lifts),
    policy,
    row,
  );
}

/** A supervisor ends the account's cash-only period today: replica flag cleared, lift recorded, synced, audited. */
export async function liftCashOnly(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { accountNumber: string; reason: string },
): Promise<CashOnlyStatus> {
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  await ctx.db.transaction(async (trx) => {
    const row = await getAccountRow(trx, input.accountNumber);
    if (row.cash_only !== 1)
      throw new CounterError('CONFLICT', `Account ${input.accountNumber} is not cash only: nothing to lift.`);
    const id = newId();
    await trx('cash_only_lifts').insert({
      id,
      account_number: input.accountNumber,
      lifted_on: today,
      reason: input.reason,
      lifted_by: cashier.id,
      created_at: now.toISOString(),
    });
    await trx('accounts')
      .where('account_number', input.accountNumber)
      .update({ cash_only: 0, cash_only_reason: null });
    await enqueue(
      trx,
      'cash_only.lifted',
      {
        id,
        accountNumber: input.accountNumber,
        liftedOn: today,
        reason: input.reason,
        liftedBy: cashier.id,
        terminalCode: ctx.terminal.code,
        at: now.toISOString(),
      },
      now,
    );
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'cashOnly.lift',
        entityType: 'account',
        entityId: input.accountNumber,
        approvedBy: cashier.id,
        details: { reason: input.reason, was: row.cash_only_reason },
      },
      now,
    );
  });
  return cashOnlyStatus(ctx, input.accountNumber);
}
