/**
 * What every deposit posting shares: the deposit header and the rows a posting adds to the deposit
 * record (a movement, interest credits), and its detail in the `ledger.posted` envelope (the server's
 * contract, shared/sync/deposits.ts): the kernel fills in who, where, when, the amounts, tenders,
 * journal, receipt number and approver from the plan; the posting supplies the deposit's side.
 */
import type { Knex } from 'knex';

import type { InterestCredit } from '../../../shared/domain/deposits.js';
import type { Cents } from '../../../shared/money.js';
import type {
  DepositCreditData,
  DepositDetail,
  DepositHeader,
  DepositMovementData,
} from '../../../shared/sync/deposits.js';
import { newId } from '../ids.js';
import type { DepositRow } from './records.js';

export function header(
  d: Pick<DepositRow, 'id' | 'accountNumber' | 'policyId' | 'requiredCents' | 'schedule' | 'requestedOn'>,
): DepositHeader {
  return {
    id: d.id,
    accountNumber: d.accountNumber,
    policyId: d.policyId,
    requiredCents: d.requiredCents,
    schedule: d.schedule.map((s) => ({ dueWith: s.dueWith, amountCents: s.amountCents })),
    requestedOn: d.requestedOn,
  };
}

/** The interest credits a posting makes, with their ids, as the event carries them. */
export function creditData(credits: InterestCredit[], transactionId: string): DepositCreditData[] {
  return credits.map((c) => ({
    id: newId(),
    creditDate: c.creditDate,
    kind: c.kind,
    from: c.from,
    to: c.to,
    days: c.days,
    amountCents: c.amountCents,
    transactionId,
  }));
}

/** Writes a posting's movement and credits to the deposit record (inside the posting's transaction). */
export async function writeDepositRows(
  trx: Knex.Transaction,
  depositId: string,
  movement: DepositMovementData | null,
  credits: DepositCreditData[],
): Promise<void> {
  if (credits.length)
    await trx('deposit_credits').insert(
      credits.map((c) => ({
        id: c.id,
        deposit_id: depositId,
        credit_date: c.creditDate,
        kind: c.kind,
        from_date: c.from,
        to_date: c.to,
        days: c.days,
        amount_cents: c.amountCents,
        transaction_id: c.transactionId,
      })),
    );
  if (movement)
    await trx('deposit_movements').insert({
      id: movement.id,
      deposit_id: depositId,
      date: movement.date,
      kind: movement.kind,
      amount_cents: movement.amountCents,
      interest_out_cents: movement.interestOutCents,
      transaction_id: movement.transactionId,
    });
}

/** A deposit posting's detail in the `ledger.posted` envelope: the header and what the record gains. */
export function depositDetail(
  dep: Parameters<typeof header>[0],
  side: Omit<DepositDetail, 'capability' | 'deposit'>,
): DepositDetail {
  return { capability: 'deposit', deposit: header(dep), ...side };
}

/** What a deposit payout reports back (stored with the posting, so a replay answers the same). */
export type PayoutResult = { paidOutCents: Cents; appliedToBillCents: Cents; refundCents: Cents };
