/**
 * Deposits' part in `ledger.posted`, and `deposit.settings_saved`. The server keeps the deposit ledger: what
 * the fund holds per account (accounts.deposit_held_cents, moved by the lines on
 * `deposits_held:<account>`), and each deposit's movements and interest credits. It checks an event
 * against its own records and the shared rules before applying anything, and rejects (kept for review)
 * a journal that does not follow from the event, a deposit collected on a closed account, a payout of
 * more than it holds, interest credited twice for the same date (another counter's batch) or of an
 * amount the policy does not give. The deposit record and the account go back to every counter
 * through the change log.
 */
import { CounterError } from '../../../../shared/api/errors.js';
import {
  DEPOSIT_POLICIES_KEY,
  DEPOSIT_RATES_KEY,
  depositBalances,
  depositCollectJournal,
  depositInterestJournal,
  depositPayoutJournal,
  depositsHeldDelta,
  validateDepositSettings,
  type DepositSettings,
} from '../../../../shared/domain/deposit-ledger.js';
import { interestCreditsDue, type DepositPolicy } from '../../../../shared/domain/deposits.js';
import { TenderSchema } from '../../../../shared/api/schemas.js';
import { settleTenders, type JournalLine } from '../../../../shared/domain/tenders.js';
import { addCents, formatCents } from '../../../../shared/money.js';
import {
  DepositSettingsSavedSchema,
  type DepositData,
  type DepositDetail,
  type DepositSettingsSaved,
} from '../../../../shared/sync/deposits.js';
import { tenderedOf, type LedgerPosted } from '../../../../shared/sync/ledger.js';
import { Rejection, type Batch } from '../batch.js';
import { policyData } from '../changes.js';
import { loadDepositSettings, loadServerDeposits } from '../deposits.js';
import { detailApplier } from './details/types.js';
import { applier, sameJournal } from './types.js';

const money = (c: number): string => formatCents(c, { symbol: true });

/** Per push batch: deposits as changed so far in it (several events of one deposit in one batch), and the settings. */
const state = new WeakMap<
  Batch,
  { deposits: Map<string, DepositData | null>; settings?: DepositSettings | null }
>();

function stateOf(batch: Batch) {
  let s = state.get(batch);
  if (!s) state.set(batch, (s = { deposits: new Map() }));
  return s;
}

async function depositOf(batch: Batch, id: string): Promise<DepositData | null> {
  const s = stateOf(batch);
  if (!s.deposits.has(id)) s.deposits.set(id, (await loadServerDeposits(batch.trx, [id])).get(id) ?? null);
  return s.deposits.get(id) ?? null;
}

async function settingsOf(batch: Batch): Promise<DepositSettings | null> {
  const s = stateOf(batch);
  if (s.settings === undefined) s.settings = await loadDepositSettings(batch.trx);
  return s.settings;
}

const ALLOWED =
  /^(drawer:(cash|checks|money_orders)|card_clearing|deposit_interest_expense|refunds_payable)$/;

type Action = 'collect' | 'interest' | 'refund' | 'apply';

/** What a deposit transaction does, by the envelope's kind. */
const ACTION: Record<string, Action> = {
  deposit: 'collect',
  deposit_interest: 'interest',
  deposit_refund: 'refund',
  deposit_apply: 'apply',
};

/** The tenders of a collection as the customer handed them over, settled by the shared rules. */
function settled(p: LedgerPosted, d: DepositDetail) {
  const tendered = TenderSchema.array().safeParse(p.tenders.map(tenderedOf));
  if (!tendered.success)
    throw new Rejection(
      'INVALID_PAYLOAD',
      `Deposit ${d.deposit.id}: ${tendered.error.issues.map((i) => `tenders.${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  try {
    return settleTenders(p.amountCents, tendered.data, {
      cashOnly: false,
      confirmOvertenderCredit: p.creditCents > 0,
    });
  } catch (err) {
    throw new Rejection('INVALID_PAYMENT', err instanceof Error ? err.message : String(err));
  }
}

/** The journal the transaction must carry, recomputed from its amounts by the shared rules. */
function expectedJournal(
  p: LedgerPosted,
  d: DepositDetail,
  action: Action,
  accountNumber: string,
): JournalLine[] {
  switch (action) {
    case 'collect': {
      const settlement = settled(p, d);
      if (
        settlement.changeCents !== p.changeCents ||
        settlement.creditCents !== p.creditCents ||
        p.tenders.some((t, i) => t.netCents !== settlement.net[i]?.cents)
      )
        throw new Rejection(
          'INCONSISTENT_AMOUNTS',
          `Deposit receipt ${p.receiptNumber ?? ''}: change/credit do not follow from the amount and tenders.`,
        );
      return depositCollectJournal(accountNumber, p.amountCents, settlement);
    }
    case 'interest':
      return d.credits.flatMap((c) =>
        depositInterestJournal(accountNumber, c.amountCents, `deposit interest ${c.from} to ${c.to}`),
      );
    case 'refund':
    case 'apply':
      if (p.tenders.some((t) => t.type !== 'cash'))
        throw new Rejection('INCONSISTENT_AMOUNTS', `Deposit ${d.deposit.id}: a payout pays out cash only.`);
      return depositPayoutJournal(accountNumber, {
        interestCents: addCents(...d.credits.map((c) => c.amountCents)),
        paidOutCents: d.paidOutCents,
        appliedToBillCents: d.appliedToBillCents,
        refundCents: d.refundCents,
        method: d.method ?? 'cash',
      });
  }
}

/** Checks every interest credit against what the deposit's policy gives on the server's record. */
function checkInterest(
  d: DepositDetail,
  dep: DepositData,
  policy: DepositPolicy,
  settings: DepositSettings,
): void {
  if (d.credits.length === 0) return;
  const movements = [...dep.movements, ...(d.movement ? [d.movement] : [])].map((m) => ({
    date: m.date,
    kind: m.kind,
    amountCents: m.amountCents,
  }));
  const asOf = d.credits
    .map((c) => c.creditDate)
    .sort()
    .at(-1) as string;
  let due;
  try {
    due = interestCreditsDue(
      policy,
      { movements },
      settings.rates,
      asOf,
      dep.credits.map((c) => ({ creditDate: c.creditDate })),
    );
  } catch (err) {
    throw new Rejection(
      'INVALID_INTEREST',
      `Deposit ${dep.id}: ${err instanceof CounterError ? err.message : String(err)}`,
    );
  }
  for (const c of d.credits) {
    const expected = due.credits.find((x) => x.creditDate === c.creditDate);
    if (!expected || expected.amountCents !== c.amountCents)
      throw new Rejection(
        'INTEREST_MISMATCH',
        `Deposit ${dep.id}: interest credited for ${c.creditDate} is ${money(c.amountCents)}; policy ${policy.id} on the server's record gives ${money(expected?.amountCents ?? 0)}.`,
      );
  }
}

export const depositDetail = detailApplier<'deposit'>({
  kinds: Object.keys(ACTION),
  needsAccount: true,
  what: (p) => `the deposit ${ACTION[p.kind] ?? p.kind} ${p.transactionId}`,
  unknownAccount: (p) =>
    `Account ${p.accountNumber ?? ''} is not on the server: the deposit ${ACTION[p.kind] ?? p.kind} (${money(p.amountCents)}) was not applied.`,
  async check(batch, p, d, account) {
    const action = ACTION[p.kind] as Action;
    const accountNumber = p.accountNumber ?? '';
    if (!account) throw new Error('invariant: a deposit is on an account the batch loaded');
    const own = new Set([`ar:${accountNumber}`, `deposits_held:${accountNumber}`]);
    if (
      d.deposit.accountNumber !== accountNumber ||
      p.journal.some((l) => !own.has(l.ledgerAccount) && !ALLOWED.test(l.ledgerAccount))
    )
      throw new Rejection(
        'INCONSISTENT_ACCOUNT',
        `The deposit ${action} ${p.transactionId} posts to another account.`,
      );
    if (!sameJournal(expectedJournal(p, d, action, accountNumber), p.journal))
      throw new Rejection(
        'JOURNAL_MISMATCH',
        `Deposit ${action} ${p.receiptNumber ?? p.transactionId}: the journal lines do not match its amounts.`,
      );
    const settings = await settingsOf(batch);
    if (!settings)
      throw new Rejection(
        'NO_DEPOSIT_POLICIES',
        'The server has no deposit policies: load them before deposits.',
      );
    const policy = settings.policies.find((x) => x.id === d.deposit.policyId);
    if (!policy)
      throw new Rejection('UNKNOWN_POLICY', `Deposit policy ${d.deposit.policyId} is not on the server.`);

    const known = await depositOf(batch, d.deposit.id);
    const dep: DepositData = known ?? { ...d.deposit, movements: [], credits: [] };
    if (known && known.accountNumber !== accountNumber)
      throw new Rejection(
        'INCONSISTENT_ACCOUNT',
        `Deposit ${d.deposit.id} belongs to account ${known.accountNumber}.`,
      );
    if (!known && action !== 'collect')
      throw new Rejection(
        'UNKNOWN_DEPOSIT',
        `Deposit ${d.deposit.id} is not on the server: the ${action} was not applied.`,
      );
    const held = depositBalances(dep);
    const heldDelta = depositsHeldDelta(accountNumber, p.journal);
    switch (action) {
      case 'collect':
        if (account.row.status === 'closed')
          throw new Rejection(
            'ACCOUNT_CLOSED',
            `Account ${accountNumber} is closed: the ${money(p.amountCents)} deposit (receipt ${p.receiptNumber ?? ''}) was not applied. Refund the customer.`,
          );
        if (
          d.movement?.kind !== 'payment' ||
          d.movement.amountCents !== p.amountCents ||
          heldDelta !== p.amountCents
        )
          throw new Rejection(
            'INCONSISTENT_AMOUNTS',
            `Deposit ${d.deposit.id}: the payment does not match its amount.`,
          );
        if (d.credits.length)
          throw new Rejection('INCONSISTENT_AMOUNTS', 'A deposit collection cannot carry interest credits.');
        break;
      case 'interest':
        if (d.movement !== null || d.credits.length === 0 || d.credits.some((c) => c.kind !== 'anniversary'))
          throw new Rejection(
            'INCONSISTENT_AMOUNTS',
            `Deposit ${d.deposit.id}: an interest event carries anniversary credits only.`,
          );
        if (held.principalHeldCents === 0)
          throw new Rejection(
            'NOTHING_HELD',
            `Deposit ${d.deposit.id} holds nothing on the server: no interest to credit.`,
          );
        break;
      case 'refund':
      case 'apply': {
        const m = d.movement;
        if (!m || m.kind !== (action === 'refund' ? 'refund' : 'applied'))
          throw new Rejection(
            'INCONSISTENT_AMOUNTS',
            `Deposit ${d.deposit.id}: the ${action} has no movement.`,
          );
        if (m.amountCents > held.principalHeldCents || -heldDelta > account.row.deposit_held_cents)
          throw new Rejection(
            'MORE_THAN_HELD',
            `Deposit ${d.deposit.id}: paying out ${money(-heldDelta)} (principal ${money(m.amountCents)}) is more than the server holds (${money(account.row.deposit_held_cents)}, principal ${money(held.principalHeldCents)}).`,
          );
        break;
      }
    }
    if (dep.movements.some((m) => m.id === d.movement?.id))
      throw new Rejection(
        'DUPLICATE_MOVEMENT',
        `Deposit movement ${d.movement?.id ?? ''} is already on the server.`,
      );
    for (const c of d.credits)
      if (dep.credits.some((x) => x.creditDate === c.creditDate))
        throw new Rejection(
          'ALREADY_CREDITED',
          `Interest on deposit ${dep.id} for ${c.creditDate} was already credited (by another counter?): ${money(c.amountCents)} not credited twice.`,
        );
    checkInterest(d, dep, policy, settings);

    return () => {
      batch.moveDeposit(account, heldDelta);
      if (!known)
        batch.insert('deposits', {
          id: dep.id,
          account_number: dep.accountNumber,
          policy_id: dep.policyId,
          required_cents: dep.requiredCents,
          schedule: JSON.stringify(dep.schedule),
          requested_on: dep.requestedOn,
          updated_at: batch.now,
        });
      if (d.movement)
        batch.insert('deposit_movements', {
          id: d.movement.id,
          deposit_id: dep.id,
          date: d.movement.date,
          kind: d.movement.kind,
          amount_cents: d.movement.amountCents,
          interest_out_cents: d.movement.interestOutCents,
          transaction_id: p.transactionId,
        });
      for (const c of d.credits)
        batch.insert('deposit_credits', {
          id: c.id,
          deposit_id: dep.id,
          credit_date: c.creditDate,
          kind: c.kind,
          from_date: c.from,
          to_date: c.to,
          days: c.days,
          amount_cents: c.amountCents,
          transaction_id: p.transactionId,
        });
      const next: DepositData = {
        ...dep,
        movements: [
          ...dep.movements,
          ...(d.movement ? [{ ...d.movement, transactionId: p.transactionId }] : []),
        ],
        credits: [...dep.credits, ...d.credits.map((c) => ({ ...c, transactionId: p.transactionId }))],
      };
      stateOf(batch).deposits.set(dep.id, next);
      batch.change('deposit', dep.id, 'upsert', next);
      return Promise.resolve();
    };
  },
});

export const depositSettingsSaved = applier<DepositSettingsSaved>({
  schema: DepositSettingsSavedSchema,
  async apply(batch, _event, p) {
    let settings: DepositSettings;
    try {
      settings = validateDepositSettings(
        { policies: JSON.parse(p.policies) as never, rates: JSON.parse(p.rates) as never },
        p.savedAt.slice(0, 10),
      );
    } catch (err) {
      throw new Rejection(
        'INVALID_POLICIES',
        `Deposit policies saved by ${p.savedBy} on ${p.terminalCode} refused: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    // Deposits still held keep the policy they were taken under.
    const used = (await batch.trx('deposits').distinct('policy_id')) as { policy_id: string }[];
    const missing = used.map((u) => u.policy_id).filter((id) => !settings.policies.some((x) => x.id === id));
    if (missing.length)
      throw new Rejection(
        'INVALID_POLICIES',
        `Policy ${missing.join(', ')} is used by deposits on the server: it cannot be removed.`,
      );
    const rows = [
      { key: DEPOSIT_POLICIES_KEY, value: JSON.stringify(settings.policies) },
      { key: DEPOSIT_RATES_KEY, value: JSON.stringify(settings.rates) },
    ];
    for (const r of rows) {
      await batch.trx('policies').insert(r).onConflict('key').merge(['value']);
      batch.change('policy', r.key, 'upsert', policyData(r));
    }
    stateOf(batch).settings = settings;
    return {};
  },
});
