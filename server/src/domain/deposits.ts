/**
 * The server's deposit ledger (issue 6): deposit records with their movements and interest credits,
 * the replicated `deposit` entity built from them, and the deposit policies and rate table kept under
 * the policy keys. accounts.deposit_held_cents is what the fund owes on each account.
 */
import type { Knex } from 'knex';

import {
  DEPOSIT_POLICIES_KEY,
  DEPOSIT_RATES_KEY,
  DepositPolicyListSchema,
  type DepositSettings,
} from '../../../shared/domain/deposit-ledger.js';
import { InterestRateTableSchema } from '../../../shared/domain/deposits.js';
import type { DepositData } from '../../../shared/sync/deposits.js';
import { insertChunked } from '../db/util.js';
import type { PendingChange } from './changes.js';

export type ServerDeposit = DepositData;

type HeaderRow = {
  id: string;
  account_number: string;
  policy_id: string;
  required_cents: number | string;
  schedule: string;
  requested_on: string;
};

/** Loads deposits with their movements and credits (numbers normalised: pg returns bigint as text). */
export async function loadServerDeposits(
  db: Knex | Knex.Transaction,
  ids: string[],
): Promise<Map<string, ServerDeposit>> {
  const out = new Map<string, ServerDeposit>();
  if (ids.length === 0) return out;
  const headers = (await db('deposits').whereIn('id', ids)) as HeaderRow[];
  const movements = (await db('deposit_movements').whereIn('deposit_id', ids).orderBy(['date', 'id'])) as {
    id: string;
    deposit_id: string;
    date: string;
    kind: 'payment' | 'refund' | 'applied';
    amount_cents: number | string;
    interest_out_cents: number | string;
    transaction_id: string | null;
  }[];
  const credits = (await db('deposit_credits').whereIn('deposit_id', ids).orderBy('credit_date')) as {
    id: string;
    deposit_id: string;
    credit_date: string;
    kind: 'anniversary' | 'closing';
    from_date: string;
    to_date: string;
    days: number | string;
    amount_cents: number | string;
    transaction_id: string | null;
  }[];
  for (const h of headers)
    out.set(h.id, {
      id: h.id,
      accountNumber: h.account_number,
      policyId: h.policy_id,
      requiredCents: Number(h.required_cents),
      schedule: JSON.parse(h.schedule) as DepositData['schedule'],
      requestedOn: h.requested_on,
      movements: movements
        .filter((m) => m.deposit_id === h.id)
        .map((m) => ({
          id: m.id,
          date: m.date,
          kind: m.kind,
          amountCents: Number(m.amount_cents),
          interestOutCents: Number(m.interest_out_cents),
          transactionId: m.transaction_id,
        })),
      credits: credits
        .filter((c) => c.deposit_id === h.id)
        .map((c) => ({
          id: c.id,
          creditDate: c.credit_date,
          kind: c.kind,
          from: c.from_date,
          to: c.to_date,
          days: Number(c.days),
          amountCents: Number(c.amount_cents),
          transactionId: c.transaction_id,
        })),
    });
  return out;
}

/** Writes whole deposit records (seeding the system of record) with their change-log entries. */
export async function insertDepositRecords(
  trx: Knex.Transaction,
  deposits: readonly DepositData[],
  now: string,
): Promise<PendingChange[]> {
  await insertChunked(
    trx,
    'deposits',
    deposits.map((d) => ({
      id: d.id,
      account_number: d.accountNumber,
      policy_id: d.policyId,
      required_cents: d.requiredCents,
      schedule: JSON.stringify(d.schedule),
      requested_on: d.requestedOn,
      updated_at: now,
    })),
  );
  await insertChunked(
    trx,
    'deposit_movements',
    deposits.flatMap((d) =>
      d.movements.map((m) => ({
        id: m.id,
        deposit_id: d.id,
        date: m.date,
        kind: m.kind,
        amount_cents: m.amountCents,
        interest_out_cents: m.interestOutCents,
        transaction_id: m.transactionId,
      })),
    ),
  );
  await insertChunked(
    trx,
    'deposit_credits',
    deposits.flatMap((d) =>
      d.credits.map((c) => ({
        id: c.id,
        deposit_id: d.id,
        credit_date: c.creditDate,
        kind: c.kind,
        from_date: c.from,
        to_date: c.to,
        days: c.days,
        amount_cents: c.amountCents,
        transaction_id: c.transactionId,
      })),
    ),
  );
  return deposits.map((d) => ({ entity: 'deposit', key: d.id, op: 'upsert', data: d }));
}

/** The deposit policies and rate table on the server, or null when none were loaded. */
export async function loadDepositSettings(db: Knex | Knex.Transaction): Promise<DepositSettings | null> {
  const rows = (await db('policies')
    .whereIn('key', [DEPOSIT_POLICIES_KEY, DEPOSIT_RATES_KEY])
    .select('key', 'value')) as { key: string; value: string }[];
  const p = rows.find((r) => r.key === DEPOSIT_POLICIES_KEY);
  const r = rows.find((x) => x.key === DEPOSIT_RATES_KEY);
  if (!p || !r) return null;
  return {
    policies: DepositPolicyListSchema.parse(JSON.parse(p.value)),
    rates: InterestRateTableSchema.parse(JSON.parse(r.value)),
  };
}
