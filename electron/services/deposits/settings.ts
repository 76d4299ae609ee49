/**
 * What every deposit operation reads: the policies and rate table from the replicated policy data, an
 * account's billing history and on-time record, the deposit it acts on, and what the account holds.
 * Each takes the connection or the posting's transaction it reads through.
 */
import type { Knex } from 'knex';

import { CounterError } from '../../../shared/api/errors.js';
import {
  accountHistory,
  DEPOSIT_POLICIES_KEY,
  DEPOSIT_RATES_KEY,
  depositBalances,
  DepositPolicyListSchema,
  depositStatus,
  STATUS_WORDS,
  type DepositSettings,
  type DepositStatus,
} from '../../../shared/domain/deposit-ledger.js';
import { InterestRateTableSchema, type DepositPolicy } from '../../../shared/domain/deposits.js';
import { addCents, type Cents } from '../../../shared/money.js';
import { pendingDepositHeldCents } from '../accounts/accounts.js';
import { loadDeposits, type DepositRow } from './records.js';

/** The deposit policies and rate table from the replicated policy data. */
export async function loadDepositSettings(db: Knex | Knex.Transaction): Promise<DepositSettings> {
  const rows = (await db('policies')
    .whereIn('key', [DEPOSIT_POLICIES_KEY, DEPOSIT_RATES_KEY])
    .select('key', 'value')) as { key: string; value: string }[];
  const policies = rows.find((r) => r.key === DEPOSIT_POLICIES_KEY);
  const rates = rows.find((r) => r.key === DEPOSIT_RATES_KEY);
  if (!policies || !rates)
    throw new CounterError(
      'NOT_FOUND',
      'No deposit policies on this counter yet: sync with the server, or ask a supervisor to set them up.',
    );
  return {
    policies: DepositPolicyListSchema.parse(JSON.parse(policies.value)),
    rates: InterestRateTableSchema.parse(JSON.parse(rates.value)),
  };
}

export function policyById(settings: DepositSettings, id: string): DepositPolicy {
  const p = settings.policies.find((x) => x.id === id);
  if (!p)
    throw new CounterError(
      'NOT_FOUND',
      `Deposit policy ${id} is not on this counter any more: ask a supervisor to restore it.`,
      'policy',
    );
  return p;
}

/** The as-of date of a view or report: today when absent, never in the future. */
export function checkAsOf(asOf: string | undefined, today: string, field = 'asOf'): string {
  const date = asOf ?? today;
  if (date > today)
    throw new CounterError('INVALID_INPUT', `${date} is in the future (today is ${today}).`, field);
  return date;
}

/** Billing history and on-time record of an account: the replica's bills and payments, plus payments taken here not yet in it. */
export async function historyOf(
  db: Knex | Knex.Transaction,
  accountNumber: string,
  asOf: string,
): Promise<ReturnType<typeof accountHistory>> {
  const bills = (await db('bills')
    .where('account_number', accountNumber)
    .select('bill_date', 'due_date', 'total_cents')) as {
    bill_date: string;
    due_date: string;
    total_cents: number;
  }[];
  const serverPayments = (await db('account_payments')
    .where('account_number', accountNumber)
    .select('id', 'paid_on', 'amount_cents')) as { id: string; paid_on: string; amount_cents: number }[];
  const seen = new Set(serverPayments.map((p) => p.id));
  const local = (await db('transactions')
    .where('account_number', accountNumber)
    .whereIn('kind', ['payment', 'void'])
    .select('id', 'business_date', 'applied_cents')) as {
    id: string;
    business_date: string;
    applied_cents: number;
  }[];
  return accountHistory(
    bills.map((b) => ({ billDate: b.bill_date, dueDate: b.due_date, totalCents: b.total_cents })),
    [
      ...serverPayments.map((p) => ({ paidOn: p.paid_on, amountCents: p.amount_cents })),
      ...local
        .filter((p) => !seen.has(p.id))
        .map((p) => ({ paidOn: p.business_date, amountCents: p.applied_cents })),
    ],
    asOf,
  );
}

/** Statuses of a deposit still held or still being paid: the one collections and payouts act on. */
export const OPEN: readonly DepositStatus[] = ['requested', 'partially_paid', 'paid', 'credited'];

export function openDeposit(deposits: DepositRow[]): DepositRow | null {
  return [...deposits].reverse().find((d) => OPEN.includes(depositStatus(d))) ?? null;
}

/** Deposits held on an account: what the replica says plus what this counter posted and the server has not confirmed. */
export async function accountHeld(
  db: Knex | Knex.Transaction,
  accountNumber: string,
  replicaCents: Cents,
): Promise<Cents> {
  return addCents(replicaCents, await pendingDepositHeldCents(db as Knex, accountNumber));
}

/** The deposit a payout acts on: on this account, still open, with principal paid in. */
export async function loadOpenDeposit(
  db: Knex | Knex.Transaction,
  accountNumber: string,
  depositId: string,
): Promise<DepositRow> {
  const [dep] = await loadDeposits(db, (q) => q.where({ id: depositId, account_number: accountNumber }));
  if (!dep)
    throw new CounterError('NOT_FOUND', `No deposit ${depositId} on account ${accountNumber}.`, 'depositId');
  const status = depositStatus(dep);
  if (!OPEN.includes(status))
    throw new CounterError(
      'CONFLICT',
      `This deposit is already ${STATUS_WORDS[status].toLowerCase()}.`,
      'depositId',
    );
  if (depositBalances(dep).principalHeldCents === 0)
    throw new CounterError(
      'CONFLICT',
      'Nothing has been paid on this deposit yet: there is nothing to refund.',
      'depositId',
    );
  return dep;
}
