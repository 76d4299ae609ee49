/**
 * Returned checks on the server: the capability's part in `ledger.posted` and `cash_only.lifted`. The
 * ledger applier checks the envelope (origin, account, balanced journal) and writes the transaction,
 * its journal and the receivable; a return reverses PART of a payment (one check, plus the fee), so
 * this applier checks the reversal itself: a payment the server has, on the same account and branch,
 * whose tender at that position is a check not returned before and whose payment was not voided; the
 * fee from the server's own fee schedule and the journal from the check and the fee. It then writes its
 * own part: the items the check had paid reopened, the return row, and cash only from the points.
 */
import { nsfFee, scheduleFor } from '../../../../shared/domain/nsf.js';
import {
  cashOnlyState,
  cashOnlyWords,
  parseReturnsPolicy,
  returnJournal,
  tenderSlice,
  type ReturnsPolicy,
} from '../../../../shared/domain/returns/rules.js';
import type { LedgerPosted } from '../../../../shared/sync/ledger.js';
import {
  CashOnlyLiftedSchema,
  type CashOnlyLifted,
  type ReturnedCheckDetail,
} from '../../../../shared/sync/returns.js';
import { Rejection, type AccountState, type Batch, type StoredAllocation } from '../batch.js';
import { detailApplier } from './details/types.js';
import { checkOrigin } from './origin.js';
import { applier } from './types.js';

/** Returns and lifts earlier in the same batch (not in the tables until the batch writes). */
type Pending = {
  returns: { key: string; account: string; date: string; points: number }[];
  lifts: { account: string; date: string }[];
};
const pendingOf = new WeakMap<Batch, Pending>();
function pending(batch: Batch): Pending {
  let p = pendingOf.get(batch);
  if (!p) pendingOf.set(batch, (p = { returns: [], lifts: [] }));
  return p;
}

async function policyOf(batch: Batch): Promise<ReturnsPolicy> {
  const row = (await batch.trx('policies').where('key', 'returns').first('value')) as
    { value: string } | undefined;
  if (!row)
    throw new Rejection('NO_POLICY', 'The server has no returned-check policy: the return was not applied.');
  return parseReturnsPolicy(JSON.parse(row.value));
}

type Checked = { account: AccountState; restore: StoredAllocation[]; policy: ReturnsPolicy };
type Returned = LedgerPosted & { accountNumber: string; detail: ReturnedCheckDetail };

async function check(batch: Batch, p: Returned, account: AccountState): Promise<Checked> {
  const d = p.detail;
  const what = `The returned check ${d.checkNumber} (${p.transactionId})`;
  if (p.reversesId !== d.originalTransactionId)
    throw new Rejection('NOT_A_REVERSAL', `${what} names two different payments.`);
  const original = await batch.transactionRow(d.originalTransactionId);
  if (!original)
    throw new Rejection(
      'UNKNOWN_ORIGINAL',
      `${what}: payment ${d.originalTransactionId} is not on the server (was it rejected?).`,
    );
  if (original.kind !== 'payment' || original.account_number !== p.accountNumber)
    throw new Rejection(
      'INCONSISTENT_ACCOUNT',
      `${what}: ${d.originalTransactionId} is not a payment on account ${p.accountNumber}.`,
    );
  if (original.branch !== batch.terminal.branch)
    throw new Rejection('WRONG_BRANCH', `${what}: the payment is of another branch.`);
  const key = `${d.originalTransactionId}:${d.tenderPosition}`;
  const before = (await batch
    .trx('returned_checks')
    .where('original_transaction_id', d.originalTransactionId)
    .select('tender_position')) as { tender_position: number }[];
  const inBatch = pending(batch).returns.filter((r) => r.key.startsWith(`${d.originalTransactionId}:`));
  if (before.some((r) => r.tender_position === d.tenderPosition) || inBatch.some((r) => r.key === key))
    throw new Rejection('ALREADY_RETURNED', `${what}: that check was already returned.`);
  // Reversed by something other than a return of another of its checks: it was voided.
  if (before.length === 0 && inBatch.length === 0 && (await batch.isReversed(d.originalTransactionId)))
    throw new Rejection('ORIGINAL_VOIDED', `${what}: the payment was voided, there is nothing to return.`);
  const tenders = (await batch
    .trx('transaction_tenders')
    .where('transaction_id', d.originalTransactionId)
    .orderBy('position')
    .select('position', 'type', 'net_cents')) as {
    position: number;
    type: string;
    net_cents: number | string;
  }[];
  const tender = tenders.find((t) => t.position === d.tenderPosition);
  if (!tender || tender.type !== 'check')
    throw new Rejection('NOT_A_CHECK', `${what}: tender ${d.tenderPosition} of the payment is not a check.`);
  if (Number(tender.net_cents) !== d.faceCents || p.amountCents !== d.faceCents)
    throw new Rejection(
      'INCONSISTENT_AMOUNTS',
      `${what}: the payment took ${tender.net_cents} cents by that check, not ${d.faceCents}.`,
    );
  const policy = await policyOf(batch);
  const reason = policy.reasons.find((r) => r.code === d.reasonCode);
  if (!reason) throw new Rejection('UNKNOWN_REASON', `${what}: "${d.reasonCode}" is not a return reason.`);
  let fee;
  try {
    fee = nsfFee(
      scheduleFor(policy.feeSchedules, policy.jurisdiction, p.businessDate),
      d.faceCents,
      reason.code,
    );
  } catch (err) {
    throw new Rejection('NO_FEE_SCHEDULE', `${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (fee.feeCents !== d.feeCents || reason.points !== d.points)
    throw new Rejection(
      'FEE_MISMATCH',
      `${what}: the fee schedule gives ${fee.feeCents} cents and ${reason.points} points, the counter ${d.feeCents} and ${d.points}.`,
    );
  const want = returnJournal(p.accountNumber, d.faceCents, d.feeCents, d.checkNumber);
  const k = (l: { ledgerAccount: string; cents: number }): string => `${l.ledgerAccount}\u0000${l.cents}`;
  if (want.map(k).sort().join('|') !== p.journal.map(k).sort().join('|'))
    throw new Rejection(
      'JOURNAL_MISMATCH',
      `${what}: the journal does not follow from the check and the fee.`,
    );
  if (p.tenders.length) throw new Rejection('TENDERS_DISAGREE', `${what}: a return moves no tender.`);

  // What the check paid, by the server's own allocation of the payment (in the order it was made).
  const allocations = (await batch
    .trx('allocations')
    .where('transaction_id', d.originalTransactionId)
    .orderBy('id')
    .select('item_id', 'account_number', 'bill_id', 'category', 'due_date', 'cents')) as StoredAllocation[];
  const stored = allocations.length ? allocations : await batch.allocationsOf(d.originalTransactionId);
  const slice = tenderSlice(
    stored.map((a) => ({ itemId: a.item_id, category: a.category, cents: Number(a.cents) })),
    Number(original.unapplied_cents ?? 0),
    tenders.map((t) => ({ netCents: Number(t.net_cents) })),
    d.tenderPosition,
  );
  const restore: StoredAllocation[] = [];
  for (const part of slice) {
    const a = stored.find((s) => s.item_id === part.itemId);
    if (a) restore.push({ ...a, transaction_id: d.originalTransactionId, cents: part.cents });
  }
  return { account, restore, policy };
}

/** The capability's own part: items reopened, the return recorded, cash only from the account's points. */
async function applyReturnedCheckDetail(batch: Batch, p: Returned, c: Checked): Promise<void> {
  const d = p.detail;
  // restore() records negated allocations for the return and gives the amounts back to the items.
  batch.restore(c.account, p.transactionId, c.restore);
  const history = (await batch
    .trx('returned_checks')
    .where('account_number', p.accountNumber)
    .select('return_date as date', 'points')) as { date: string; points: number }[];
  const lifts = (await batch
    .trx('cash_only_lifts')
    .where('account_number', p.accountNumber)
    .pluck('lifted_on')) as string[];
  const mine = pending(batch);
  const all = [
    ...history.map((h) => ({ date: h.date, points: Number(h.points) })),
    ...mine.returns.filter((r) => r.account === p.accountNumber),
    { date: p.businessDate, points: d.points },
  ];
  const state = cashOnlyState(all, c.policy.cashOnly, p.businessDate, [
    ...lifts,
    ...mine.lifts.filter((l) => l.account === p.accountNumber).map((l) => l.date),
  ]);
  const starts = state.active && state.period?.from === p.businessDate;
  batch.insert('returned_checks', {
    transaction_id: p.transactionId,
    original_transaction_id: d.originalTransactionId,
    tender_position: d.tenderPosition,
    account_number: p.accountNumber,
    item_type: d.itemType,
    check_number: d.checkNumber,
    face_cents: d.faceCents,
    reason_code: d.reasonCode,
    fee_cents: d.feeCents,
    fee_schedule_id: d.feeScheduleId,
    points: d.points,
    return_date: p.businessDate,
    cash_only_until: starts && state.period ? state.period.until : null,
    terminal_id: batch.terminal.id,
  });
  mine.returns.push({
    key: `${d.originalTransactionId}:${d.tenderPosition}`,
    account: p.accountNumber,
    date: p.businessDate,
    points: d.points,
  });
  if (starts) {
    const label = c.policy.reasons.find((r) => r.code === d.reasonCode)?.label ?? d.reasonCode;
    await setCashOnly(batch, c.account, true, cashOnlyWords(state, label));
  }
}

/** The batch writes balances only; the flag is written here (the account row is locked) and logged. */
async function setCashOnly(
  batch: Batch,
  account: AccountState,
  on: boolean,
  reason: string | null,
): Promise<void> {
  account.row.cash_only = on;
  account.row.cash_only_reason = reason;
  account.row.updated_at = batch.now;
  account.dirty = true;
  await batch
    .trx('accounts')
    .where('account_number', account.row.account_number)
    .update({ cash_only: on, cash_only_reason: reason });
}

export const returnedCheckDetail = detailApplier<'returned_check'>({
  kinds: ['returned_check'],
  needsAccount: true,
  partialReversal: true,
  what: (p) => `the returned check ${p.transactionId}`,
  unknownAccount: (p) =>
    `Account ${p.accountNumber ?? ''} is not on the server: the returned check ${p.transactionId} was not applied.`,
  async check(batch, p, detail, account) {
    if (!account || !p.accountNumber)
      throw new Rejection('UNKNOWN_ACCOUNT', `The returned check ${p.transactionId} names no account.`);
    const returned: Returned = { ...p, accountNumber: p.accountNumber, detail };
    const checked = await check(batch, returned, account);
    return () => applyReturnedCheckDetail(batch, returned, checked);
  },
});

export const cashOnlyLifted = applier<CashOnlyLifted>({
  schema: CashOnlyLiftedSchema,
  accounts: (p) => [p.accountNumber],
  async apply(batch, _event, p) {
    await checkOrigin(
      batch,
      {
        transactionId: p.id,
        terminalCode: p.terminalCode,
        cashierId: p.liftedBy,
        approvedBy: p.liftedBy,
        tillId: null,
      },
      `The cash-only lift of ${p.accountNumber}`,
    );
    const account = batch.account(p.accountNumber);
    if (!account) throw new Rejection('UNKNOWN_ACCOUNT', `Account ${p.accountNumber} is not on the server.`);
    if (await batch.trx('cash_only_lifts').where('id', p.id).first('id'))
      throw new Rejection('DUPLICATE_LIFT', `The cash-only lift ${p.id} is already on the server.`);
    batch.insert('cash_only_lifts', {
      id: p.id,
      account_number: p.accountNumber,
      lifted_on: p.liftedOn,
      reason: p.reason,
      lifted_by: p.liftedBy,
      terminal_id: batch.terminal.id,
      created_at: p.at,
    });
    pending(batch).lifts.push({ account: p.accountNumber, date: p.liftedOn });
    await setCashOnly(batch, account, false, null);
    return { account: p.accountNumber };
  },
});
