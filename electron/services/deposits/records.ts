/**
 * Deposit records in the counter DB: writing pulled (or seeded) records, and reading an account's
 * deposits with their movements and interest credits. Pulled rows keep the ids the terminals made, so
 * a record this counter posted and later pulls back is merged, never doubled.
 */
import type { Knex } from 'knex';

import type { Installment } from '../../../shared/domain/deposits.js';
import type { DepositData } from '../../../shared/sync/deposits.js';

/** knex writes a multi-row insert for SQLite as a compound SELECT, which SQLite caps at 500 terms. */
const CHUNK = 400;

async function chunked(
  rows: Record<string, unknown>[],
  write: (part: Record<string, unknown>[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/**
 * Upserts deposit records (header by id) and adds the movements and credits this counter does not
 * have yet (by id; a credit for a date already credited here is left as it is).
 */
export async function writeDepositRecords(
  trx: Knex | Knex.Transaction,
  deposits: readonly (DepositData & { version?: number })[],
  version: number,
): Promise<void> {
  if (deposits.length === 0) return;
  await chunked(
    deposits.map((d) => ({
      id: d.id,
      account_number: d.accountNumber,
      policy_id: d.policyId,
      required_cents: d.requiredCents,
      schedule: JSON.stringify(d.schedule),
      requested_on: d.requestedOn,
      version: d.version ?? version,
    })),
    (part) =>
      trx('deposits')
        .insert(part)
        .onConflict('id')
        .merge(['account_number', 'policy_id', 'required_cents', 'schedule', 'requested_on', 'version']),
  );
  await chunked(
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
    (part) => trx('deposit_movements').insert(part).onConflict('id').ignore(),
  );
  const credits = deposits.flatMap((d) =>
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
  );
  // Any conflict (the id, or a credit for the same deposit and date made here) keeps the row we have.
  for (const c of credits)
    await trx.raw(`${trx('deposit_credits').insert(c).toString()} ON CONFLICT DO NOTHING`);
}

export async function deleteDepositRecords(trx: Knex.Transaction, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await trx('deposit_credits').whereIn('deposit_id', part).delete();
    await trx('deposit_movements').whereIn('deposit_id', part).delete();
    await trx('deposits').whereIn('id', part).delete();
  }
}

export type DepositRow = {
  id: string;
  accountNumber: string;
  policyId: string;
  requiredCents: number;
  schedule: Installment[];
  requestedOn: string;
  movements: {
    id: string;
    date: string;
    kind: 'payment' | 'refund' | 'applied';
    amountCents: number;
    interestOutCents: number;
    transactionId: string | null;
  }[];
  credits: {
    id: string;
    creditDate: string;
    kind: 'anniversary' | 'closing';
    from: string;
    to: string;
    days: number;
    amountCents: number;
    transactionId: string | null;
  }[];
};

type HeaderRow = {
  id: string;
  account_number: string;
  policy_id: string;
  required_cents: number;
  schedule: string;
  requested_on: string;
};
type MovementRow = {
  id: string;
  deposit_id: string;
  date: string;
  kind: 'payment' | 'refund' | 'applied';
  amount_cents: number;
  interest_out_cents: number;
  transaction_id: string | null;
};
type CreditRow = {
  id: string;
  deposit_id: string;
  credit_date: string;
  kind: 'anniversary' | 'closing';
  from_date: string;
  to_date: string;
  days: number;
  amount_cents: number;
  transaction_id: string | null;
};

/** Deposits (with movements and credits), oldest first; `where` narrows the headers. */
export async function loadDeposits(
  db: Knex | Knex.Transaction,
  where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<DepositRow[]> {
  const headers = (await where(db('deposits')).orderBy([
    { column: 'requested_on' },
    { column: 'id' },
  ])) as HeaderRow[];
  if (headers.length === 0) return [];
  const ids = headers.map((h) => h.id);
  const movements: MovementRow[] = [];
  const credits: CreditRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    movements.push(
      ...((await db('deposit_movements')
        .whereIn('deposit_id', part)
        .orderBy(['date', 'id'])) as MovementRow[]),
    );
    credits.push(
      ...((await db('deposit_credits').whereIn('deposit_id', part).orderBy('credit_date')) as CreditRow[]),
    );
  }
  const byDeposit = <T extends { deposit_id: string }>(rows: T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const list = m.get(r.deposit_id) ?? [];
      list.push(r);
      m.set(r.deposit_id, list);
    }
    return m;
  };
  const mv = byDeposit(movements);
  const cr = byDeposit(credits);
  return headers.map((h) => ({
    id: h.id,
    accountNumber: h.account_number,
    policyId: h.policy_id,
    requiredCents: h.required_cents,
    schedule: JSON.parse(h.schedule) as Installment[],
    requestedOn: h.requested_on,
    movements: (mv.get(h.id) ?? []).map((m) => ({
      id: m.id,
      date: m.date,
      kind: m.kind,
      amountCents: m.amount_cents,
      interestOutCents: m.interest_out_cents,
      transactionId: m.transaction_id,
    })),
    credits: (cr.get(h.id) ?? []).map((c) => ({
      id: c.id,
      creditDate: c.credit_date,
      kind: c.kind,
      from: c.from_date,
      to: c.to_date,
      days: c.days,
      amountCents: c.amount_cents,
      transactionId: c.transaction_id,
    })),
  }));
}

/** Pulled `deposit` changes (already checked against DepositDataSchema), inside the pull's transaction. */
export async function applyDepositChanges(
  trx: Knex.Transaction,
  changes: { upserts: { version: number; data: unknown }[]; deletes: string[] },
): Promise<void> {
  await writeDepositRecords(
    trx,
    changes.upserts.map(({ version, data }) => ({ ...(data as DepositData), version })),
    0,
  );
  if (changes.deletes.length) await deleteDepositRecords(trx, changes.deletes);
}
