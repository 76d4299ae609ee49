/**
 * `deposit.posted` and `deposit.settings_saved` (issue 6). The server keeps the deposit ledger: what
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
import { allocatePayment } from '../../../../shared/domain/allocation.js';
import { journalBalances, settleTenders, type JournalLine } from '../../../../shared/domain/tenders.js';
import { addCents, formatCents } from '../../../../shared/money.js';
import {
  DepositPostedSchema,
  DepositSettingsSavedSchema,
  type DepositData,
  type DepositPosted,
  type DepositSettingsSaved,
} from '../../../../shared/sync/deposits.js';
import { Rejection, type Batch } from '../batch.js';
import { policyData } from '../changes.js';
import { loadDepositSettings, loadServerDeposits } from '../deposits.js';
import { checkOrigin } from './origin.js';
import { applier, insertTendersAndJournal, type TenderRow } from './types.js';

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

function sameJournal(a: JournalLine[], b: JournalLine[]): boolean {
  const key = (l: { ledgerAccount: string; cents: number }): string => `${l.ledgerAccount}\u0000${l.cents}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

const ALLOWED =
  /^(drawer:(cash|checks|money_orders)|card_clearing|deposit_interest_expense|refunds_payable)$/;

const KIND: Record<DepositPosted['kind'], string> = {
  collect: 'deposit',
  interest: 'deposit_interest',
  refund: 'deposit_refund',
  apply: 'deposit_apply',
};

/** The journal the event must carry, recomputed from its amounts by the shared rules. */
function expectedJournal(p: DepositPosted): JournalLine[] {
  switch (p.kind) {
    case 'collect': {
      let settlement;
      try {
        settlement = settleTenders(p.amountCents, p.tenders, {
          cashOnly: false,
          confirmOvertenderCredit: p.creditCents > 0,
        });
      } catch (err) {
        throw new Rejection('INVALID_PAYMENT', err instanceof Error ? err.message : String(err));
      }
      if (settlement.changeCents !== p.changeCents || settlement.creditCents !== p.creditCents)
        throw new Rejection(
          'INCONSISTENT_AMOUNTS',
          `Deposit receipt ${p.receiptNumber ?? ''}: change/credit do not follow from the amount and tenders.`,
        );
      return depositCollectJournal(p.accountNumber, p.amountCents, settlement);
    }
    case 'interest':
      return p.credits.flatMap((c) =>
        depositInterestJournal(p.accountNumber, c.amountCents, `deposit interest ${c.from} to ${c.to}`),
      );
    case 'refund':
    case 'apply':
      return depositPayoutJournal(p.accountNumber, {
        interestCents: addCents(...p.credits.map((c) => c.amountCents)),
        paidOutCents: p.amountCents,
        appliedToBillCents: p.appliedToBillCents,
        refundCents: p.refundCents,
        method: p.method ?? 'cash',
      });
  }
}

/** Checks every interest credit in the event against what the deposit's policy gives on the server's record. */
function checkInterest(
  p: DepositPosted,
  dep: DepositData,
  policy: DepositPolicy,
  settings: DepositSettings,
): void {
  if (p.credits.length === 0) return;
  const movements = [...dep.movements, ...(p.movement ? [p.movement] : [])].map((m) => ({
    date: m.date,
    kind: m.kind,
    amountCents: m.amountCents,
  }));
  const asOf = p.credits
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
  for (const c of p.credits) {
    const expected = due.credits.find((d) => d.creditDate === c.creditDate);
    if (!expected || expected.amountCents !== c.amountCents)
      throw new Rejection(
        'INTEREST_MISMATCH',
        `Deposit ${dep.id}: interest credited for ${c.creditDate} is ${money(c.amountCents)}; policy ${policy.id} on the server's record gives ${money(expected?.amountCents ?? 0)}.`,
      );
  }
}

export const depositPosted = applier<DepositPosted>({
  schema: DepositPostedSchema,
  accounts: (p) => [p.accountNumber],
  transactionIds: (p) => [p.transactionId],
  async apply(batch, event, p) {
    const account = batch.account(p.accountNumber);
    if (!account)
      throw new Rejection(
        'UNKNOWN_ACCOUNT',
        `Account ${p.accountNumber} is not on the server: the deposit ${p.kind} (${money(p.amountCents)}) was not applied.`,
      );
    if (await batch.hasTransaction(p.transactionId))
      throw new Rejection(
        'DUPLICATE_TRANSACTION',
        `Transaction ${p.transactionId} is already on the server.`,
      );
    if (!journalBalances(p.journal))
      throw new Rejection(
        'UNBALANCED',
        `The deposit ${p.kind} journal of ${p.transactionId} does not sum to zero.`,
      );
    await checkOrigin(batch, p, `The deposit ${p.kind} ${p.transactionId}`);
    const own = new Set([`ar:${p.accountNumber}`, `deposits_held:${p.accountNumber}`]);
    if (
      p.deposit.accountNumber !== p.accountNumber ||
      p.journal.some((l) => !own.has(l.ledgerAccount) && !ALLOWED.test(l.ledgerAccount))
    )
      throw new Rejection(
        'INCONSISTENT_ACCOUNT',
        `The deposit ${p.kind} ${p.transactionId} posts to another account.`,
      );
    if (!sameJournal(expectedJournal(p), p.journal))
      throw new Rejection(
        'JOURNAL_MISMATCH',
        `Deposit ${p.kind} ${p.receiptNumber ?? p.transactionId}: the journal lines do not match its amounts.`,
      );
    const settings = await settingsOf(batch);
    if (!settings)
      throw new Rejection(
        'NO_DEPOSIT_POLICIES',
        'The server has no deposit policies: load them before deposits.',
      );
    const policy = settings.policies.find((x) => x.id === p.deposit.policyId);
    if (!policy)
      throw new Rejection('UNKNOWN_POLICY', `Deposit policy ${p.deposit.policyId} is not on the server.`);

    const known = await depositOf(batch, p.deposit.id);
    const dep: DepositData = known ?? { ...p.deposit, movements: [], credits: [] };
    if (known && known.accountNumber !== p.accountNumber)
      throw new Rejection(
        'INCONSISTENT_ACCOUNT',
        `Deposit ${p.deposit.id} belongs to account ${known.accountNumber}.`,
      );
    if (!known && p.kind !== 'collect')
      throw new Rejection(
        'UNKNOWN_DEPOSIT',
        `Deposit ${p.deposit.id} is not on the server: the ${p.kind} was not applied.`,
      );
    const held = depositBalances(dep);
    const heldDelta = depositsHeldDelta(p.accountNumber, p.journal);
    switch (p.kind) {
      case 'collect':
        if (account.row.status === 'closed')
          throw new Rejection(
            'ACCOUNT_CLOSED',
            `Account ${p.accountNumber} is closed: the ${money(p.amountCents)} deposit (receipt ${p.receiptNumber ?? ''}) was not applied. Refund the customer.`,
          );
        if (
          p.movement?.kind !== 'payment' ||
          p.movement.amountCents !== p.amountCents ||
          heldDelta !== p.amountCents
        )
          throw new Rejection(
            'INCONSISTENT_AMOUNTS',
            `Deposit ${p.deposit.id}: the payment does not match its amount.`,
          );
        if (p.credits.length)
          throw new Rejection('INCONSISTENT_AMOUNTS', 'A deposit collection cannot carry interest credits.');
        break;
      case 'interest':
        if (p.movement !== null || p.credits.length === 0 || p.credits.some((c) => c.kind !== 'anniversary'))
          throw new Rejection(
            'INCONSISTENT_AMOUNTS',
            `Deposit ${p.deposit.id}: an interest event carries anniversary credits only.`,
          );
        if (held.principalHeldCents === 0)
          throw new Rejection(
            'NOTHING_HELD',
            `Deposit ${p.deposit.id} holds nothing on the server: no interest to credit.`,
          );
        break;
      case 'refund':
      case 'apply': {
        const m = p.movement;
        if (!m || m.kind !== (p.kind === 'refund' ? 'refund' : 'applied'))
          throw new Rejection(
            'INCONSISTENT_AMOUNTS',
            `Deposit ${p.deposit.id}: the ${p.kind} has no movement.`,
          );
        if (m.amountCents > held.principalHeldCents || -heldDelta > account.row.deposit_held_cents)
          throw new Rejection(
            'MORE_THAN_HELD',
            `Deposit ${p.deposit.id}: paying out ${money(-heldDelta)} (principal ${money(m.amountCents)}) is more than the server holds (${money(account.row.deposit_held_cents)}, principal ${money(held.principalHeldCents)}).`,
          );
        break;
      }
    }
    if (dep.movements.some((m) => m.id === p.movement?.id))
      throw new Rejection(
        'DUPLICATE_MOVEMENT',
        `Deposit movement ${p.movement?.id ?? ''} is already on the server.`,
      );
    for (const c of p.credits)
      if (dep.credits.some((x) => x.creditDate === c.creditDate))
        throw new Rejection(
          'ALREADY_CREDITED',
          `Interest on deposit ${dep.id} for ${c.creditDate} was already credited (by another counter?): ${money(c.amountCents)} not credited twice.`,
        );
    checkInterest(p, dep, policy, settings);

    // ---- apply (nothing above changed anything) ----
    batch.moveDeposit(account, heldDelta);
    const arCents = addCents(
      ...p.journal.filter((l) => l.ledgerAccount === `ar:${p.accountNumber}`).map((l) => l.cents),
    );
    let unapplied = 0;
    if (arCents < 0) {
      const allocation = allocatePayment(-arCents, batch.openItems(account), await batch.allocationPolicy(), {
        asOf: p.businessDate,
      });
      batch.allocate(account, p.transactionId, allocation.allocations);
      unapplied = allocation.unappliedCents;
    }
    if (arCents !== 0) batch.moveBalance(account, arCents);
    batch.insert('transactions', {
      id: p.transactionId,
      kind: KIND[p.kind],
      event_id: event.id,
      terminal_id: batch.terminal.id,
      terminal_code: p.terminalCode,
      branch: p.branch,
      till_id: p.tillId,
      account_number: p.accountNumber,
      amount_cents: p.kind === 'apply' ? p.refundCents : p.amountCents,
      ar_cents: arCents,
      change_cents: p.changeCents,
      credit_cents: p.creditCents,
      unapplied_cents: unapplied,
      reverses_id: null,
      receipt_number: p.receiptNumber,
      cashier_id: p.cashierId,
      approved_by: p.approvedBy,
      business_date: p.businessDate,
      created_at: p.createdAt,
      applied_at: batch.now,
    });
    let tenders: TenderRow[] = [];
    if (p.kind === 'collect') {
      const settlement = settleTenders(p.amountCents, p.tenders, {
        cashOnly: false,
        confirmOvertenderCredit: p.creditCents > 0,
      });
      tenders = p.tenders.map((t, i) => ({
        type: t.type,
        amountCents: t.amountCents,
        netCents: settlement.net[i]?.cents ?? 0,
      }));
    } else if (p.method === 'cash' && p.refundCents > 0) {
      tenders = [{ type: 'cash', amountCents: -p.refundCents, netCents: -p.refundCents }];
    }
    insertTendersAndJournal(batch, p.transactionId, tenders, p.journal);
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
    if (p.movement)
      batch.insert('deposit_movements', {
        id: p.movement.id,
        deposit_id: dep.id,
        date: p.movement.date,
        kind: p.movement.kind,
        amount_cents: p.movement.amountCents,
        interest_out_cents: p.movement.interestOutCents,
        transaction_id: p.transactionId,
      });
    for (const c of p.credits)
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
        ...(p.movement ? [{ ...p.movement, transactionId: p.transactionId }] : []),
      ],
      credits: [...dep.credits, ...p.credits.map((c) => ({ ...c, transactionId: p.transactionId }))],
    };
    stateOf(batch).deposits.set(dep.id, next);
    batch.change('deposit', dep.id, 'upsert', next);
    return { account: p.accountNumber };
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
