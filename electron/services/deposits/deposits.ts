/**
 * Security deposits on the counter (issue 6), over the pure rules in shared/domain/deposits.ts:
 * an account's deposits with interest to today and refund eligibility, the required amount with its
 * working, and the postings. Every posting (collect, interest credit, refund, final bill) is a balanced
 * journal transaction written in ONE SQLite transaction with its tenders, deposit movement or interest
 * credits, receipt, outbox event and audit entry; printing happens after the commit. Money that moves
 * through the drawer needs the cashier's open till (till_id is set).
 */
import type { Knex } from 'knex';

import type { Approval } from '../../../shared/api/channels/till.js';
import type {
  Calculation,
  DepositAccount,
  DepositView,
  FundReport,
} from '../../../shared/api/channels/deposits.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier, Tender } from '../../../shared/api/schemas.js';
import {
  accountHistory,
  DEPOSIT_POLICIES_KEY,
  DEPOSIT_RATES_KEY,
  depositBalances,
  depositCollectJournal,
  depositInterestJournal,
  DepositPolicyListSchema,
  depositPayoutJournal,
  depositStatus,
  depositTerms,
  installmentsOutstanding,
  REFUND_METHOD_WORDS,
  STATUS_WORDS,
  validateDepositSettings,
  type DepositSettings,
  type DepositStatus,
  type RefundMethod,
} from '../../../shared/domain/deposit-ledger.js';
import {
  accruedInterest,
  finalBillApplication,
  interestCreditsDue,
  InterestRateTableSchema,
  policyInForce,
  ratePercentFor,
  refundEligibility,
  requiredDeposit,
  validateRateTable,
  type DepositPolicy,
  type DepositRecord,
  type Installment,
  type InterestCredit,
  type InterestRateTable,
  type RefundEligibility,
} from '../../../shared/domain/deposits.js';
import { DRAWER_TENDERS, settleTenders, type JournalLine } from '../../../shared/domain/tenders.js';
import { addCents, formatCents, subCents, type Cents } from '../../../shared/money.js';
import type { DepositHeader, DepositPosted } from '../../../shared/sync/deposits.js';
import { getAccountRow, pendingDepositHeldCents } from '../accounts/accounts.js';
import { appendAudit } from '../audit/audit.js';
import { approvalIf } from '../auth/approval.js';
import type { ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import {
  insertTenders,
  insertTransaction,
  isDuplicateRequest,
  nextReceiptNumber,
  receiptTenders,
} from '../ledger/post.js';
import { enqueue } from '../outbox/outbox.js';
import type { ReceiptModel } from '../receipts/compose.js';
import { requireOpenTill, tillExpected } from '../till/till.js';
import { loadDeposits, type DepositRow } from './records.js';

const money = (c: Cents): string => formatCents(c, { symbol: true });

/** Receipt lines are wrapped to this width so they read the same on 42- and 48-column paper. */
const WRAP = 42;

export function wrapText(text: string, width = WRAP): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Settings and history

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

function policyById(settings: DepositSettings, id: string): DepositPolicy {
  const p = settings.policies.find((x) => x.id === id);
  if (!p)
    throw new CounterError(
      'NOT_FOUND',
      `Deposit policy ${id} is not on this counter any more: ask a supervisor to restore it.`,
      'policy',
    );
  return p;
}

function checkAsOf(asOf: string | undefined, today: string, field = 'asOf'): string {
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

// ---------------------------------------------------------------------------------------------------
// A deposit's figures

const OPEN: readonly DepositStatus[] = ['requested', 'partially_paid', 'paid', 'credited'];

function engineRecord(d: DepositRow, extra: DepositRecord['movements'] = []): DepositRecord {
  return {
    movements: [
      ...d.movements.map((m) => ({ date: m.date, kind: m.kind, amountCents: m.amountCents })),
      ...extra,
    ],
  };
}

type InterestState = {
  accrued: ReturnType<typeof accruedInterest> | null;
  creditedCents: Cents;
  uncreditedCents: Cents;
  creditsDue: InterestCredit[];
};

/** Interest accrued to asOf, credited so far, and the anniversary credits reached but not made. */
function interestState(
  d: DepositRow,
  policy: DepositPolicy,
  rates: InterestRateTable,
  asOf: string,
): InterestState {
  const creditedCents = addCents(...d.credits.map((c) => c.amountCents));
  const firstPaid = d.movements.find((m) => m.kind === 'payment')?.date;
  if (!firstPaid || asOf < firstPaid)
    return { accrued: null, creditedCents, uncreditedCents: 0, creditsDue: [] };
  const record = engineRecord(d);
  const accrued = accruedInterest(policy, record, rates, asOf);
  const due = interestCreditsDue(
    policy,
    record,
    rates,
    asOf,
    d.credits.map((c) => ({ creditDate: c.creditDate })),
  );
  return {
    accrued,
    creditedCents,
    uncreditedCents: Math.max(0, subCents(accrued.totalCents, creditedCents)),
    creditsDue: due.credits.filter((c) => c.kind === 'anniversary'),
  };
}

type Payout = {
  principalOutCents: Cents;
  /** Interest credited now (anniversaries not yet credited, and the closing credit). */
  newCredits: InterestCredit[];
  interestCents: Cents;
  /** Everything that leaves the fund: principal + interest credited before + interest credited now. */
  paidOutCents: Cents;
  interestOutCents: Cents;
  closing: ReturnType<typeof accruedInterest> | null;
};

/** What paying the deposit out on `date` takes: all of it (principal + every interest credit), or part of the principal. */
function payoutOf(
  d: DepositRow,
  policy: DepositPolicy,
  rates: InterestRateTable,
  date: string,
  kind: 'refund' | 'applied',
  partCents?: Cents,
): Payout {
  const b = depositBalances(d);
  if (partCents !== undefined && partCents > b.principalHeldCents)
    throw new CounterError(
      'INVALID_INPUT',
      `A refund of ${money(partCents)} is more than the ${money(b.principalHeldCents)} deposit held.`,
      'amountCents',
    );
  const full = partCents === undefined || partCents === b.principalHeldCents;
  if (!full)
    return {
      principalOutCents: partCents,
      newCredits: [],
      interestCents: 0,
      paidOutCents: partCents,
      interestOutCents: 0,
      closing: null,
    };
  const record = engineRecord(d, [{ date, kind, amountCents: b.principalHeldCents }]);
  const due = interestCreditsDue(
    policy,
    record,
    rates,
    date,
    d.credits.map((c) => ({ creditDate: c.creditDate })),
  );
  const paidOutCents = addCents(b.heldCents, due.totalCents);
  return {
    principalOutCents: b.principalHeldCents,
    newCredits: due.credits,
    interestCents: due.totalCents,
    paidOutCents,
    interestOutCents: subCents(paidOutCents, b.principalHeldCents),
    closing: accruedInterest(policy, record, rates, date),
  };
}

function depositView(
  d: DepositRow,
  settings: DepositSettings,
  eligibility: RefundEligibility,
  asOf: string,
): DepositView {
  const policy = policyById(settings, d.policyId);
  const balances = depositBalances(d);
  const status = depositStatus(d);
  const open = OPEN.includes(status);
  const interest = interestState(d, policy, settings.rates, asOf);
  const available =
    open && balances.principalHeldCents > 0
      ? payoutOf(d, policy, settings.rates, asOf, 'refund').paidOutCents
      : 0;
  return {
    id: d.id,
    policyId: d.policyId,
    status,
    statusWords: STATUS_WORDS[status],
    requiredCents: d.requiredCents,
    requestedOn: d.requestedOn,
    datePaid: d.movements.find((m) => m.kind === 'payment')?.date ?? null,
    paidCents: balances.paidCents,
    principalHeldCents: balances.principalHeldCents,
    heldCents: balances.heldCents,
    schedule: d.schedule,
    outstanding: open ? installmentsOutstanding(d.schedule, balances.paidCents) : [],
    movements: d.movements.map((m) => ({
      date: m.date,
      kind: m.kind,
      amountCents: m.amountCents,
      interestOutCents: m.interestOutCents,
    })),
    interest: interest.accrued
      ? {
          asOf,
          method: policy.interest.method,
          totalCents: interest.accrued.totalCents,
          years: interest.accrued.years.map((y) => ({
            year: y.year,
            from: y.from,
            to: y.to,
            days: y.days,
            ratePercentPublished: y.ratePercentPublished,
            rateApplied: y.rateApplied,
            principalCents: y.principalCents,
            lastPrincipalCents: y.segments.at(-1)?.principalCents ?? y.principalCents,
            interestCents: y.interestCents,
            compounded: y.compounded,
          })),
          graceApplied: interest.accrued.graceApplied,
          graceEndsOn: interest.accrued.graceEndsOn,
          graceDays: policy.interest.graceDays,
        }
      : null,
    creditedCents: interest.creditedCents,
    credits: d.credits.map((c) => ({ creditDate: c.creditDate, kind: c.kind, amountCents: c.amountCents })),
    uncreditedCents: interest.uncreditedCents,
    creditsDue: interest.creditsDue.map((c) => ({ creditDate: c.creditDate, amountCents: c.amountCents })),
    refund: {
      eligible: eligibility.eligible,
      reason: eligibility.reason,
      nextPossibleDate: eligibility.nextPossibleDate,
      availableCents: available,
    },
    terms: depositTerms(policy),
  };
}

function openDeposit(deposits: DepositRow[]): DepositRow | null {
  return [...deposits].reverse().find((d) => OPEN.includes(depositStatus(d))) ?? null;
}

/** Deposits held on an account: what the replica says plus what this counter posted and the server has not confirmed. */
async function accountHeld(
  db: Knex | Knex.Transaction,
  accountNumber: string,
  replicaCents: Cents,
): Promise<Cents> {
  return addCents(replicaCents, await pendingDepositHeldCents(db as Knex, accountNumber));
}

export async function depositsForAccount(
  ctx: ServiceContext,
  accountNumber: string,
  asOfInput?: string,
): Promise<DepositAccount> {
  const today = ctx.clock.today();
  const asOf = checkAsOf(asOfInput, today);
  const account = await getAccountRow(ctx.db, accountNumber, { withPending: true });
  const settings = await loadDepositSettings(ctx.db);
  const deposits = await loadDeposits(ctx.db, (q) => q.where('account_number', accountNumber));
  const history = await historyOf(ctx.db, accountNumber, asOf);
  const views = deposits.map((d) =>
    depositView(
      d,
      settings,
      refundEligibility(policyById(settings, d.policyId), history.payments, asOf),
      asOf,
    ),
  );
  const open = openDeposit(deposits);
  return {
    accountNumber,
    accountName: account.name,
    accountClass: account.class,
    accountStatus: account.status,
    balanceCents: addCents(account.balance_cents, account.pending_cents ?? 0),
    heldCents: await accountHeld(ctx.db, accountNumber, account.deposit_held_cents),
    asOf,
    deposits: views,
    openDepositId: open?.id ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Policy words

export function policyWords(p: DepositPolicy): string[] {
  const base =
    p.basis === 'average'
      ? `${p.multiple} × the average monthly bill of the last ${String(p.lookbackMonths)} months`
      : `${p.multiple} × the highest monthly bill of the last ${String(p.lookbackMonths)} months`;
  const rounding =
    p.roundTo.unitCents === 1 && p.roundTo.mode === 'half_up'
      ? ''
      : `, rounded ${p.roundTo.mode === 'up' ? 'up' : p.roundTo.mode === 'down' ? 'down' : ''} to ${p.roundTo.unitCents === 100 ? 'the whole dollar' : money(p.roundTo.unitCents)}`.replace(
          '  ',
          ' ',
        );
  const cap = p.capCents === null ? '' : `, at most ${money(p.capCents)}`;
  const defaults =
    typeof p.newServiceDefaultCents === 'number'
      ? money(p.newServiceDefaultCents)
      : Object.entries(p.newServiceDefaultCents)
          .map(([b, c]) => `${b} ${money(c)}`)
          .join(', ');
  return [
    `${base}${rounding}${cap}.`,
    `New service or fewer than ${String(p.minimumHistoryMonths)} billed months: ${defaults}.`,
    p.installments?.allowed
      ? `Installments allowed: ${p.installments.downPaymentPercent}% down, the rest over the next ${String(p.installments.count)} monthly bills.`
      : 'No installments: collected in full.',
    `Interest: ${p.interest.method === 'simple' ? 'simple' : `compounded yearly (${p.interest.compoundOn === 'dec31' ? 'Dec 31' : 'anniversary'})`}, none if refunded within ${String(p.interest.graceDays)} days.`,
    `Refund after ${String(p.refund.consecutiveMonths)} consecutive months with at most ${String(p.refund.maxLatePayments)} late payment${p.refund.maxLatePayments === 1 ? '' : 's'}.`,
  ];
}

export function policySummary(p: DepositPolicy) {
  return {
    id: p.id,
    accountClass: p.accountClass,
    effectiveFrom: p.effectiveFrom,
    effectiveTo: p.effectiveTo,
    words: policyWords(p),
    installmentsAllowed: Boolean(p.installments?.allowed),
    bundles: typeof p.newServiceDefaultCents === 'number' ? [] : Object.keys(p.newServiceDefaultCents).sort(),
  };
}

function dueWords(parts: readonly Installment[]): string {
  return parts
    .map((i) => `${i.dueWith === 'now' ? 'now' : `with ${i.dueWith}`} ${money(i.amountCents)}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------------
// Calculation

export async function calculateDeposit(
  ctx: ServiceContext,
  input: { accountNumber: string; asOf?: string | undefined; bundle?: string | undefined },
): Promise<Calculation> {
  const today = ctx.clock.today();
  const asOf = checkAsOf(input.asOf, today);
  const account = await getAccountRow(ctx.db, input.accountNumber);
  const settings = await loadDepositSettings(ctx.db);
  const policy = policyInForce(settings.policies, account.class, asOf);
  const history = await historyOf(ctx.db, input.accountNumber, asOf);
  const allowed = Boolean(policy.installments?.allowed);
  const req = requiredDeposit(policy, history.billed, {
    asOf,
    today,
    installments: allowed,
    ...(input.bundle ? { bundle: input.bundle } : {}),
  });
  const deposits = await loadDeposits(ctx.db, (q) => q.where('account_number', input.accountNumber));
  const open = openDeposit(deposits);
  const w = req.working;
  const explanation = [
    `Policy ${policy.id} for ${policy.accountClass} accounts, in force since ${policy.effectiveFrom}.`,
    w.usedDefault
      ? w.reason
      : `Bills used: ${w.monthsUsed.length} month${w.monthsUsed.length === 1 ? '' : 's'}, ${w.windowFrom} to ${w.windowTo}, total ${money(w.totalCents)}.`,
    ...(w.usedDefault ? [] : [w.reason]),
    ...(w.capped ? [] : w.capCents !== null ? [`The cap is ${money(w.capCents)}: not reached.`] : []),
    `Required deposit: ${money(req.amountCents)}.`,
    allowed && req.installments.length > 1
      ? `In installments: ${dueWords(req.installments)}.`
      : 'Collected in full (this policy has no installments).',
  ];
  let full = req.amountCents;
  let installment: Cents | null =
    allowed && req.installments.length > 1 ? (req.installments[0]?.amountCents ?? null) : null;
  let openOut: Calculation['open'] = null;
  if (open) {
    const b = depositBalances(open);
    const outstanding = installmentsOutstanding(open.schedule, b.paidCents);
    full = addCents(...outstanding.map((o) => o.amountCents));
    installment = outstanding.length > 1 ? (outstanding[0]?.amountCents ?? null) : null;
    openOut = { depositId: open.id, requiredCents: open.requiredCents, paidCents: b.paidCents, outstanding };
    explanation.push(
      outstanding.length
        ? `On record: a deposit of ${money(open.requiredCents)} (${STATUS_WORDS[depositStatus(open)].toLowerCase()}), ${money(b.paidCents)} paid; still due ${dueWords(outstanding)}.`
        : `On record: a deposit of ${money(open.requiredCents)}, paid in full (${money(b.heldCents)} held).`,
    );
  }
  return {
    accountNumber: input.accountNumber,
    asOf,
    policy: policySummary(policy),
    amountCents: req.amountCents,
    working: {
      windowFrom: w.windowFrom,
      windowTo: w.windowTo,
      monthsUsed: w.monthsUsed,
      basis: w.basis,
      totalCents: w.totalCents,
      averageOrHighestCents: w.averageOrHighestCents,
      multiple: w.multiple,
      beforeCapCents: w.beforeCapCents,
      capCents: w.capCents,
      capped: w.capped,
      usedDefault: w.usedDefault,
      bundle: w.bundle,
      reason: w.reason,
    },
    installments: req.installments,
    explanation,
    open: openOut,
    collectFullCents: full,
    collectInstallmentCents: installment,
  };
}

// ---------------------------------------------------------------------------------------------------
// Posting helpers

export type PostedDeposit = {
  transactionId: string;
  receiptNumber: string | null;
  replay: boolean;
  drawer: boolean;
  paidOutCents: Cents;
  appliedToBillCents: Cents;
  refundCents: Cents;
};

function header(
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

function eventBase(ctx: ServiceContext, cashier: Cashier, now: Date, businessDate: string) {
  return {
    cashierId: cashier.id,
    terminalCode: ctx.terminal.code,
    branch: ctx.terminal.branch,
    businessDate,
    createdAt: now.toISOString(),
  };
}

function receiptBase(ctx: ServiceContext, cashier: Cashier, now: Date, receiptNumber: string) {
  return {
    company: ctx.company,
    terminal: { code: ctx.terminal.code, name: ctx.terminal.name },
    cashier: { id: cashier.id, name: cashier.name },
    at: now,
    timeZone: ctx.clock.timeZone,
    receiptNumber,
    changeCents: 0,
    creditCents: 0,
    balanceAsOf: null,
    offline: !ctx.isOnline(),
  };
}

async function insertCredits(
  trx: Knex.Transaction,
  depositId: string,
  credits: InterestCredit[],
  transactionId: string,
) {
  const rows = credits.map((c) => ({
    id: newId(),
    deposit_id: depositId,
    credit_date: c.creditDate,
    kind: c.kind,
    from_date: c.from,
    to_date: c.to,
    days: c.days,
    amount_cents: c.amountCents,
    transaction_id: transactionId,
  }));
  if (rows.length) await trx('deposit_credits').insert(rows);
  return rows.map((r) => ({
    id: r.id,
    creditDate: r.credit_date,
    kind: r.kind,
    from: r.from_date,
    to: r.to_date,
    days: r.days,
    amountCents: r.amount_cents,
    transactionId,
  }));
}

async function replayOf(ctx: ServiceContext, requestId: string): Promise<PostedDeposit> {
  const first = (await ctx.db('transactions').where('request_id', requestId).first()) as {
    id: string;
    receipt_number: string | null;
    amount_cents: number;
    applied_cents: number;
    kind: string;
  };
  return {
    transactionId: first.id,
    receiptNumber: first.receipt_number,
    replay: true,
    drawer: false,
    paidOutCents:
      first.kind === 'deposit_apply' ? addCents(first.amount_cents, first.applied_cents) : first.amount_cents,
    appliedToBillCents: first.kind === 'deposit_apply' ? first.applied_cents : 0,
    refundCents: first.amount_cents,
  };
}

function interestLines(closing: ReturnType<typeof accruedInterest> | null, graceDays: number): string[] {
  if (!closing) return [];
  if (closing.graceApplied)
    return wrapText(
      `No interest: paid out within the ${String(graceDays)}-day grace period (to ${closing.graceEndsOn}).`,
    );
  return closing.years.flatMap((y) =>
    y.segments.length <= 1
      ? [
          `  ${String(y.year)}: ${String(y.days)} days x ${money(y.principalCents)} at ${y.rateApplied}% = ${money(y.interestCents)}`,
        ]
      : [
          `  ${String(y.year)}: ${String(y.days)} days at ${y.rateApplied}% = ${money(y.interestCents)}`,
          ...y.segments.map(
            (g) =>
              `    ${String(g.days)} days x ${money(g.principalCents)} (${g.from.slice(5)} to ${g.to.slice(5)})`,
          ),
        ],
  );
}

// ---------------------------------------------------------------------------------------------------
// Collect

export type CollectInput = {
  requestId: string;
  accountNumber: string;
  part: 'full' | 'installment';
  amountCents: Cents;
  tenders: Tender[];
  confirmOvertenderCredit: boolean;
  bundle?: string | undefined;
};

/** A request posted before (a retried call, a double Enter): answered with the first result. */
async function earlier(ctx: ServiceContext, requestId: string): Promise<PostedDeposit | null> {
  const seen = await ctx.db('transactions').where('request_id', requestId).first('id');
  return seen ? replayOf(ctx, requestId) : null;
}

export async function collectDeposit(
  ctx: ServiceContext,
  input: CollectInput,
  cashier: Cashier,
): Promise<PostedDeposit> {
  const replay = await earlier(ctx, input.requestId);
  if (replay) return { ...replay, drawer: false };
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  const settings = await loadDepositSettings(ctx.db);
  try {
    return await ctx.db.transaction(async (trx) => {
      const till = await requireOpenTill(trx, ctx, cashier);
      const account = await getAccountRow(trx, input.accountNumber, { withPending: true });
      if (account.status === 'closed')
        throw new CounterError(
          'ACCOUNT_CLOSED',
          `Account ${input.accountNumber} is closed: a deposit cannot be collected on it.`,
          'accountNumber',
        );
      const deposits = await loadDeposits(trx, (q) => q.where('account_number', input.accountNumber));
      const open = openDeposit(deposits);
      let dep: DepositRow;
      let isNew = false;
      let working: string[] = [];
      let amount: Cents;
      let label: string;
      if (open) {
        const paid = depositBalances(open).paidCents;
        const outstanding = installmentsOutstanding(open.schedule, paid);
        if (outstanding.length === 0)
          throw new CounterError(
            'CONFLICT',
            `The deposit of ${money(open.requiredCents)} on this account is paid in full.`,
            'part',
          );
        dep = open;
        const first = outstanding[0] as Installment;
        amount =
          input.part === 'full' ? addCents(...outstanding.map((o) => o.amountCents)) : first.amountCents;
        label =
          input.part === 'full' || outstanding.length === 1
            ? outstanding.length === open.schedule.length
              ? 'Security deposit'
              : 'Security deposit, rest due'
            : `Deposit installment (${first.dueWith === 'now' ? 'down payment' : `due with ${first.dueWith}`})`;
      } else {
        const policy = policyInForce(settings.policies, account.class, today);
        const history = await historyOf(trx, input.accountNumber, today);
        const req = requiredDeposit(policy, history.billed, {
          asOf: today,
          today,
          installments: input.part === 'installment',
          ...(input.bundle ? { bundle: input.bundle } : {}),
        });
        if (req.amountCents === 0)
          throw new CounterError(
            'INVALID_INPUT',
            `Policy ${policy.id} requires no deposit for this account.`,
          );
        const schedule: Installment[] =
          input.part === 'installment'
            ? req.installments
            : [{ dueWith: 'now', amountCents: req.amountCents }];
        if (input.part === 'installment' && schedule.length < 2)
          throw new CounterError(
            'INVALID_INPUT',
            'This deposit is too small to split: collect it in full.',
            'part',
          );
        dep = {
          id: newId(),
          accountNumber: input.accountNumber,
          policyId: policy.id,
          requiredCents: req.amountCents,
          schedule,
          requestedOn: today,
          movements: [],
          credits: [],
        };
        isNew = true;
        amount = schedule[0]?.amountCents ?? req.amountCents;
        label = input.part === 'installment' ? 'Deposit installment (down payment)' : 'Security deposit';
        working = [req.working.reason];
      }
      if (amount !== input.amountCents)
        throw new CounterError(
          'CONFLICT',
          `The deposit due now is ${money(amount)}, not ${money(input.amountCents)}: calculate again.`,
          'amountCents',
        );
      const policy = policyById(settings, dep.policyId);
      const settlement = settleTenders(amount, input.tenders, {
        cashOnly: account.cash_only === 1,
        confirmOvertenderCredit: input.confirmOvertenderCredit,
      });
      const journal = depositCollectJournal(input.accountNumber, amount, settlement);
      const heldBefore = await accountHeld(trx, input.accountNumber, account.deposit_held_cents);
      const transactionId = newId();
      const receiptNumber = await nextReceiptNumber(trx, ctx);
      await insertTransaction(
        trx,
        {
          id: transactionId,
          request_id: input.requestId,
          kind: 'deposit',
          account_number: input.accountNumber,
          amount_cents: amount,
          applied_cents: settlement.appliedCents,
          change_cents: settlement.changeCents,
          credit_cents: settlement.creditCents,
          cashier_id: cashier.id,
          terminal_code: ctx.terminal.code,
          till_id: till.id,
          receipt_number: receiptNumber,
          business_date: today,
          created_at: now.toISOString(),
        },
        journal,
      );
      await insertTenders(trx, transactionId, input.tenders, settlement);
      if (isNew)
        await trx('deposits').insert({
          id: dep.id,
          account_number: dep.accountNumber,
          policy_id: dep.policyId,
          required_cents: dep.requiredCents,
          schedule: JSON.stringify(dep.schedule),
          requested_on: dep.requestedOn,
          version: 0,
        });
      const movement = {
        id: newId(),
        date: today,
        kind: 'payment' as const,
        amountCents: amount,
        interestOutCents: 0,
        transactionId,
      };
      await trx('deposit_movements').insert({
        id: movement.id,
        deposit_id: dep.id,
        date: movement.date,
        kind: movement.kind,
        amount_cents: movement.amountCents,
        interest_out_cents: 0,
        transaction_id: transactionId,
      });
      const paidNow = addCents(depositBalances(dep).paidCents, amount);
      const stillDue = installmentsOutstanding(dep.schedule, paidNow);
      const model: ReceiptModel = {
        ...receiptBase(ctx, cashier, now, receiptNumber),
        title: 'DEPOSIT',
        account: { number: input.accountNumber, name: account.name },
        notes: [
          ...wrapText(`Security deposit required: ${money(dep.requiredCents)} (policy ${dep.policyId}).`),
          ...working.flatMap((w) => wrapText(w)),
          ...(stillDue.length ? wrapText(`Still due: ${dueWords(stillDue)}.`) : ['Deposit paid in full.']),
          `Deposit held after this payment: ${money(addCents(heldBefore, amount))}`,
        ],
        items: [{ label, amountCents: amount }],
        totalCents: amount,
        tenders: receiptTenders(input.tenders),
        changeCents: settlement.changeCents,
        creditCents: settlement.creditCents,
        footer: [...depositTerms(policy).flatMap((t) => wrapText(t)), ...ctx.company.footer],
      };
      await trx('receipts').insert({
        number: receiptNumber,
        transaction_id: transactionId,
        kind: 'deposit',
        model: JSON.stringify(model),
        created_at: now.toISOString(),
      });
      const payload: DepositPosted = {
        transactionId,
        requestId: input.requestId,
        kind: 'collect',
        accountNumber: input.accountNumber,
        deposit: header(dep),
        movement,
        credits: [],
        amountCents: amount,
        tenders: input.tenders,
        changeCents: settlement.changeCents,
        creditCents: settlement.creditCents,
        method: null,
        appliedToBillCents: 0,
        refundCents: 0,
        journal,
        receiptNumber,
        approvedBy: null,
        tillId: till.id,
        ...eventBase(ctx, cashier, now, today),
      };
      await enqueue(trx, 'deposit.posted', payload, now);
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'deposit.collect',
          entityType: 'transaction',
          entityId: transactionId,
          details: {
            accountNumber: input.accountNumber,
            depositId: dep.id,
            amountCents: amount,
            part: input.part,
            receiptNumber,
            tenders: input.tenders.map((t) => t.type),
          },
        },
        now,
      );
      return {
        transactionId,
        receiptNumber,
        replay: false,
        drawer: input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)),
        paidOutCents: 0,
        appliedToBillCents: 0,
        refundCents: 0,
      };
    });
  } catch (err) {
    if (!isDuplicateRequest(err)) throw err;
    return replayOf(ctx, input.requestId);
  }
}

// ---------------------------------------------------------------------------------------------------
// Refund and final bill

type PayoutInput = {
  requestId: string;
  accountNumber: string;
  depositId: string;
  method: RefundMethod;
  amountCents?: Cents | undefined;
  reason: string;
  approval?: Approval | undefined;
};

async function loadOpenDeposit(db: Knex, accountNumber: string, depositId: string): Promise<DepositRow> {
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

export async function refundDeposit(
  ctx: ServiceContext,
  cashier: Cashier,
  input: PayoutInput,
  limits: { refundApprovalOverCents: Cents },
): Promise<PostedDeposit> {
  const replay = await earlier(ctx, input.requestId);
  if (replay) return replay;
  const today = ctx.clock.today();
  const till = await requireOpenTill(ctx.db, ctx, cashier);
  const account = await getAccountRow(ctx.db, input.accountNumber, { withPending: true });
  const settings = await loadDepositSettings(ctx.db);
  const dep = await loadOpenDeposit(ctx.db, input.accountNumber, input.depositId);
  const policy = policyById(settings, dep.policyId);
  const history = await historyOf(ctx.db, input.accountNumber, today);
  const eligibility = refundEligibility(policy, history.payments, today);
  const payout = payoutOf(dep, policy, settings.rates, today, 'refund', input.amountCents);
  if (input.method === 'cash' && payout.paidOutCents > (await tillExpected(ctx.db, till.id)).cashCents)
    throw new CounterError(
      'INVALID_INPUT',
      `There is not enough cash in the drawer for ${money(payout.paidOutCents)}: use a check request or credit it to the account.`,
      'method',
    );
  const overLimit = payout.paidOutCents > limits.refundApprovalOverCents;
  const approver = await approvalIf(
    ctx,
    overLimit || !eligibility.eligible,
    cashier,
    input.approval,
    !eligibility.eligible
      ? `an early deposit refund (${eligibility.reason.replace(/\.$/, '')})`
      : `a refund over ${money(limits.refundApprovalOverCents)}`,
  );
  const journal = depositPayoutJournal(input.accountNumber, {
    interestCents: payout.interestCents,
    paidOutCents: payout.paidOutCents,
    appliedToBillCents: 0,
    refundCents: payout.paidOutCents,
    method: input.method,
  });
  const b = depositBalances(dep);
  const full = payout.principalOutCents === b.principalHeldCents;
  const balance = addCents(account.balance_cents, account.pending_cents ?? 0);
  return postPayout(ctx, cashier, {
    requestId: input.requestId,
    kind: 'refund',
    dep,
    policy,
    accountName: account.name,
    tillId: till.id,
    payout,
    journal,
    method: input.method,
    appliedToBillCents: 0,
    refundCents: payout.paidOutCents,
    approver,
    reason: input.reason,
    title: 'DEPOSIT REFUND',
    notes: [
      ...wrapText(`Reason: ${input.reason}`),
      ...wrapText(
        eligibility.eligible ? eligibility.reason : `Refunded early with approval. ${eligibility.reason}`,
      ),
      ...(full
        ? []
        : [
            `Part of the principal; ${money(subCents(b.principalHeldCents, payout.principalOutCents))} stays on deposit.`,
          ]),
    ],
    balanceAfterCents: input.method === 'account_credit' ? subCents(balance, payout.paidOutCents) : undefined,
  });
}

export async function applyDepositToFinalBill(
  ctx: ServiceContext,
  cashier: Cashier,
  input: Omit<PayoutInput, 'amountCents' | 'reason' | 'method'> & { method: 'cash' | 'check_request' },
  limits: { refundApprovalOverCents: Cents },
): Promise<PostedDeposit> {
  const replay = await earlier(ctx, input.requestId);
  if (replay) return replay;
  const today = ctx.clock.today();
  const till = await requireOpenTill(ctx.db, ctx, cashier);
  const account = await getAccountRow(ctx.db, input.accountNumber, { withPending: true });
  if (account.status !== 'closed')
    throw new CounterError(
      'CONFLICT',
      `Account ${input.accountNumber} is ${account.status}: the deposit goes to the final bill only when service has ended (account closed). Refund it instead.`,
      'accountNumber',
    );
  const settings = await loadDepositSettings(ctx.db);
  const dep = await loadOpenDeposit(ctx.db, input.accountNumber, input.depositId);
  const policy = policyById(settings, dep.policyId);
  const payout = payoutOf(dep, policy, settings.rates, today, 'applied');
  const balance = addCents(account.balance_cents, account.pending_cents ?? 0);
  const held = subCents(payout.paidOutCents, payout.interestCents);
  const fba = finalBillApplication(held, payout.interestCents, balance);
  if (input.method === 'cash' && fba.refundCents > (await tillExpected(ctx.db, till.id)).cashCents)
    throw new CounterError(
      'INVALID_INPUT',
      `There is not enough cash in the drawer for the ${money(fba.refundCents)} left over: use a check request.`,
      'method',
    );
  const approver = await approvalIf(
    ctx,
    fba.refundCents > limits.refundApprovalOverCents,
    cashier,
    input.approval,
    `a refund over ${money(limits.refundApprovalOverCents)}`,
  );
  const journal = depositPayoutJournal(input.accountNumber, {
    interestCents: payout.interestCents,
    paidOutCents: payout.paidOutCents,
    appliedToBillCents: fba.appliedToBillCents,
    refundCents: fba.refundCents,
    method: input.method,
  });
  return postPayout(ctx, cashier, {
    requestId: input.requestId,
    kind: 'apply',
    dep,
    policy,
    accountName: account.name,
    tillId: till.id,
    payout,
    journal,
    method: input.method,
    appliedToBillCents: fba.appliedToBillCents,
    refundCents: fba.refundCents,
    approver,
    reason: 'Final bill: service ended',
    title: 'DEPOSIT - FINAL BILL',
    notes: [
      `Final balance before: ${money(Math.max(0, balance))}`,
      `Applied to the final bill: ${money(fba.appliedToBillCents)}`,
      `Refunded: ${money(fba.refundCents)}`,
      ...(fba.remainingBalanceCents > 0
        ? [`Still owed after the deposit: ${money(fba.remainingBalanceCents)}`]
        : []),
    ],
    balanceAfterCents: fba.remainingBalanceCents,
  });
}

type PayoutArgs = {
  requestId: string;
  kind: 'refund' | 'apply';
  dep: DepositRow;
  policy: DepositPolicy;
  accountName: string;
  tillId: string;
  payout: Payout;
  journal: JournalLine[];
  method: RefundMethod;
  appliedToBillCents: Cents;
  refundCents: Cents;
  approver: Cashier | null;
  reason: string;
  title: string;
  notes: string[];
  balanceAfterCents: Cents | undefined;
};

async function postPayout(ctx: ServiceContext, cashier: Cashier, a: PayoutArgs): Promise<PostedDeposit> {
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  const accountNumber = a.dep.accountNumber;
  try {
    return await ctx.db.transaction(async (trx) => {
      // Read again inside the transaction: another window may have paid this deposit out meanwhile.
      const [fresh] = await loadDeposits(trx, (q) => q.where('id', a.dep.id));
      if (
        !fresh ||
        depositBalances(fresh).principalHeldCents !== depositBalances(a.dep).principalHeldCents ||
        fresh.credits.length !== a.dep.credits.length
      )
        throw new CounterError('CONFLICT', 'This deposit changed meanwhile: look at it again.', 'depositId');
      const transactionId = newId();
      const receiptNumber = await nextReceiptNumber(trx, ctx);
      const kind = a.kind === 'refund' ? 'deposit_refund' : 'deposit_apply';
      await insertTransaction(
        trx,
        {
          id: transactionId,
          request_id: a.requestId,
          kind,
          account_number: accountNumber,
          amount_cents: a.kind === 'refund' ? a.payout.paidOutCents : a.refundCents,
          applied_cents: a.kind === 'refund' ? -a.payout.paidOutCents : a.appliedToBillCents,
          cashier_id: cashier.id,
          approved_by: a.approver?.id ?? null,
          terminal_code: ctx.terminal.code,
          till_id: a.tillId,
          receipt_number: receiptNumber,
          business_date: today,
          created_at: now.toISOString(),
          reason: a.reason,
        },
        a.journal,
      );
      const cashOut = a.method === 'cash' ? a.refundCents : 0;
      if (cashOut > 0)
        await trx('tenders').insert({
          id: newId(),
          transaction_id: transactionId,
          position: 0,
          type: 'cash',
          amount_cents: -cashOut,
          net_cents: -cashOut,
        });
      const credits = await insertCredits(trx, a.dep.id, a.payout.newCredits, transactionId);
      const movement = {
        id: newId(),
        date: today,
        kind: a.kind === 'refund' ? ('refund' as const) : ('applied' as const),
        amountCents: a.payout.principalOutCents,
        interestOutCents: a.payout.interestOutCents,
        transactionId,
      };
      await trx('deposit_movements').insert({
        id: movement.id,
        deposit_id: a.dep.id,
        date: movement.date,
        kind: movement.kind,
        amount_cents: movement.amountCents,
        interest_out_cents: movement.interestOutCents,
        transaction_id: transactionId,
      });
      const creditedBefore = addCents(...a.dep.credits.map((c) => c.amountCents));
      const items = [
        { label: 'Deposit principal', amountCents: a.payout.principalOutCents },
        ...(a.payout.interestOutCents > 0 && creditedBefore > 0
          ? [
              {
                label: 'Interest credited earlier',
                amountCents: subCents(a.payout.interestOutCents, a.payout.interestCents),
              },
            ]
          : []),
        ...(a.payout.principalOutCents === depositBalances(a.dep).principalHeldCents
          ? [{ label: 'Interest to today', amountCents: a.payout.interestCents }]
          : []),
      ];
      const tenderLabel =
        a.method === 'cash'
          ? 'Cash paid out'
          : a.method === 'check_request'
            ? 'Check requested'
            : 'Credited to account';
      const model: ReceiptModel = {
        ...receiptBase(ctx, cashier, now, receiptNumber),
        title: a.title,
        account: { number: accountNumber, name: a.accountName },
        notes: [
          `Deposit paid ${a.dep.movements.find((m) => m.kind === 'payment')?.date ?? ''} (policy ${a.dep.policyId})`,
          ...(a.payout.closing
            ? ['Interest by calendar year:', ...interestLines(a.payout.closing, a.policy.interest.graceDays)]
            : []),
          ...a.notes,
          ...(a.approver ? [`Approved by ${a.approver.name} (${a.approver.id})`] : []),
        ],
        items,
        totalCents: a.payout.paidOutCents,
        tenders: [
          ...(a.appliedToBillCents > 0
            ? [{ label: 'Applied to final bill', amountCents: a.appliedToBillCents }]
            : []),
          ...(a.refundCents > 0 ? [{ label: tenderLabel, amountCents: a.refundCents }] : []),
        ],
        ...(a.balanceAfterCents !== undefined ? { balanceAfterCents: a.balanceAfterCents } : {}),
        footer: [
          ...(a.method === 'check_request' && a.refundCents > 0
            ? ['A check will be mailed to the address on the account.']
            : []),
          ...ctx.company.footer,
        ],
      };
      await trx('receipts').insert({
        number: receiptNumber,
        transaction_id: transactionId,
        kind,
        model: JSON.stringify(model),
        created_at: now.toISOString(),
      });
      const payload: DepositPosted = {
        transactionId,
        requestId: a.requestId,
        kind: a.kind,
        accountNumber,
        deposit: header(a.dep),
        movement,
        credits,
        amountCents: a.payout.paidOutCents,
        tenders: [],
        changeCents: 0,
        creditCents: 0,
        method: a.method,
        appliedToBillCents: a.appliedToBillCents,
        refundCents: a.refundCents,
        journal: a.journal,
        receiptNumber,
        approvedBy: a.approver?.id ?? null,
        tillId: a.tillId,
        ...eventBase(ctx, cashier, now, today),
      };
      await enqueue(trx, 'deposit.posted', payload, now);
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: a.kind === 'refund' ? 'deposit.refund' : 'deposit.applyFinal',
          entityType: 'transaction',
          entityId: transactionId,
          approvedBy: a.approver?.id ?? null,
          details: {
            accountNumber,
            depositId: a.dep.id,
            paidOutCents: a.payout.paidOutCents,
            interestCents: a.payout.interestCents,
            appliedToBillCents: a.appliedToBillCents,
            refundCents: a.refundCents,
            method: a.method,
            reason: a.reason,
            receiptNumber,
          },
        },
        now,
      );
      return {
        transactionId,
        receiptNumber,
        replay: false,
        drawer: cashOut > 0,
        paidOutCents: a.payout.paidOutCents,
        appliedToBillCents: a.appliedToBillCents,
        refundCents: a.refundCents,
      };
    });
  } catch (err) {
    if (isDuplicateRequest(err)) return replayOf(ctx, a.requestId);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Interest batch (supervisor), idempotent

export type BatchResult = {
  asOf: string;
  dryRun: boolean;
  credited: { accountNumber: string; depositId: string; creditDate: string; amountCents: Cents }[];
  count: number;
  totalCents: Cents;
  alreadyCredited: number;
};

/**
 * Credits every anniversary reached (up to asOf) and not yet credited, one journal transaction per
 * deposit. Running it again credits nothing new: the credits already made are passed to the rules as
 * credited, and the database refuses a second credit of a deposit for the same date.
 */
export async function creditInterestBatch(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { asOf?: string | undefined; dryRun: boolean },
): Promise<BatchResult> {
  const today = ctx.clock.today();
  const asOf = checkAsOf(input.asOf, today);
  const settings = await loadDepositSettings(ctx.db);
  const deposits = await loadDeposits(ctx.db, (q) => q);
  const credited: BatchResult['credited'] = [];
  let alreadyCredited = 0;
  for (const dep of deposits) {
    alreadyCredited += dep.credits.filter((c) => c.kind === 'anniversary').length;
    const status = depositStatus(dep);
    if (!OPEN.includes(status) || depositBalances(dep).principalHeldCents === 0) continue;
    const policy = policyById(settings, dep.policyId);
    const due = interestState(dep, policy, settings.rates, asOf).creditsDue;
    if (due.length === 0) continue;
    const totalCents = addCents(...due.map((c) => c.amountCents));
    if (!input.dryRun) {
      const ok = await postInterest(ctx, cashier, dep, due, totalCents);
      if (!ok) continue;
    }
    for (const c of due)
      credited.push({
        accountNumber: dep.accountNumber,
        depositId: dep.id,
        creditDate: c.creditDate,
        amountCents: c.amountCents,
      });
  }
  const totalCents = addCents(...credited.map((c) => c.amountCents));
  if (!input.dryRun)
    await ctx.db.transaction((trx) =>
      appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'deposit.interestBatch',
          details: { asOf, credits: credited.length, totalCents },
        },
        ctx.clock.now(),
      ),
    );
  return { asOf, dryRun: input.dryRun, credited, count: credited.length, totalCents, alreadyCredited };
}

async function postInterest(
  ctx: ServiceContext,
  cashier: Cashier,
  dep: DepositRow,
  due: InterestCredit[],
  totalCents: Cents,
): Promise<boolean> {
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  const journal = due.flatMap((c) =>
    depositInterestJournal(dep.accountNumber, c.amountCents, `deposit interest ${c.from} to ${c.to}`),
  );
  const requestId = `deposit-interest:${dep.id}:${due.map((c) => c.creditDate).join(',')}`;
  try {
    await ctx.db.transaction(async (trx) => {
      const transactionId = newId();
      await insertTransaction(
        trx,
        {
          id: transactionId,
          request_id: requestId,
          kind: 'deposit_interest',
          account_number: dep.accountNumber,
          amount_cents: totalCents,
          applied_cents: 0,
          cashier_id: cashier.id,
          approved_by: cashier.id,
          terminal_code: ctx.terminal.code,
          till_id: null,
          receipt_number: null,
          business_date: today,
          created_at: now.toISOString(),
          reason: 'Yearly deposit interest',
        },
        journal,
      );
      const credits = await insertCredits(trx, dep.id, due, transactionId);
      const payload: DepositPosted = {
        transactionId,
        requestId,
        kind: 'interest',
        accountNumber: dep.accountNumber,
        deposit: header(dep),
        movement: null,
        credits,
        amountCents: totalCents,
        tenders: [],
        changeCents: 0,
        creditCents: 0,
        method: null,
        appliedToBillCents: 0,
        refundCents: 0,
        journal,
        receiptNumber: null,
        approvedBy: cashier.id,
        tillId: null,
        ...eventBase(ctx, cashier, now, today),
      };
      await enqueue(trx, 'deposit.posted', payload, now);
      await appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'deposit.interest',
          entityType: 'transaction',
          entityId: transactionId,
          details: {
            accountNumber: dep.accountNumber,
            depositId: dep.id,
            credits: due.map((c) => ({ creditDate: c.creditDate, amountCents: c.amountCents })),
          },
        },
        now,
      );
    });
    return true;
  } catch (err) {
    // Credited meanwhile (another batch, or the same credit pulled from the server): nothing new to do.
    if (
      isDuplicateRequest(err) ||
      (err instanceof Error && /UNIQUE constraint failed: deposit_credits/.test(err.message))
    )
      return false;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Fund report (supervisor)

export async function fundReport(ctx: ServiceContext, asOfInput?: string): Promise<FundReport> {
  const today = ctx.clock.today();
  const asOf = checkAsOf(asOfInput, today);
  const settings = await loadDepositSettings(ctx.db);
  const deposits = await loadDeposits(ctx.db, (q) => q);
  const held = (await ctx.db.raw(
    `SELECT a.account_number, a.class, a.deposit_held_cents + COALESCE((
        SELECT -SUM(j.cents) FROM journal_lines j JOIN transactions t ON t.id = j.transaction_id
         WHERE j.ledger_account = 'deposits_held:' || a.account_number
           AND (t.server_version IS NULL OR t.server_version > a.version)), 0) AS held
       FROM accounts a
      WHERE a.deposit_held_cents <> 0
         OR EXISTS (SELECT 1 FROM deposits d WHERE d.account_number = a.account_number)
         OR EXISTS (SELECT 1 FROM journal_lines j WHERE j.ledger_account = 'deposits_held:' || a.account_number)`,
  )) as { account_number: string; class: string; held: number }[];
  const heldBy = new Map(held.map((h) => [h.account_number, h]));
  let accrued = 0;
  let dueCount = 0;
  let dueCents = 0;
  const recordBy = new Map<string, Cents>();
  let open = 0;
  for (const dep of deposits) {
    const b = depositBalances(dep);
    recordBy.set(dep.accountNumber, addCents(recordBy.get(dep.accountNumber) ?? 0, b.heldCents));
    if (b.principalHeldCents === 0) continue;
    open += 1;
    const s = interestState(dep, policyById(settings, dep.policyId), settings.rates, asOf);
    accrued = addCents(accrued, s.uncreditedCents);
    dueCount += s.creditsDue.length;
    dueCents = addCents(dueCents, ...s.creditsDue.map((c) => c.amountCents));
  }
  const tally = async (kinds: string[], column: string, positiveOnly = false) => {
    const q = ctx
      .db('transactions')
      .where({ business_date: today, terminal_code: ctx.terminal.code })
      .whereIn('kind', kinds);
    if (positiveOnly) void q.andWhere(column, '>', 0);
    const r = (await q.first(
      ctx.db.raw('COUNT(*) as count'),
      ctx.db.raw(`COALESCE(SUM(${column}), 0) as cents`),
    )) as { count: number; cents: number } | undefined;
    return { count: Number(r?.count ?? 0), cents: Number(r?.cents ?? 0) };
  };
  const classes = new Map<string, { deposits: number; heldCents: Cents }>();
  for (const h of held) {
    if (h.held === 0) continue;
    const c = classes.get(h.class) ?? { deposits: 0, heldCents: 0 };
    c.deposits += 1;
    c.heldCents = addCents(c.heldCents, h.held);
    classes.set(h.class, c);
  }
  const differences = [...new Set([...heldBy.keys(), ...recordBy.keys()])]
    .map((accountNumber) => ({
      accountNumber,
      heldCents: heldBy.get(accountNumber)?.held ?? 0,
      recordCents: recordBy.get(accountNumber) ?? 0,
    }))
    .filter((d) => d.heldCents !== d.recordCents)
    .sort((a, b) => a.accountNumber.localeCompare(b.accountNumber));
  return {
    asOf,
    businessDate: today,
    totalHeldCents: addCents(...held.map((h) => h.held)),
    deposits: open,
    accruedInterestCents: accrued,
    creditsDue: { count: dueCount, cents: dueCents },
    today: {
      collected: await tally(['deposit'], 'amount_cents'),
      refunded: await tally(['deposit_refund', 'deposit_apply'], 'amount_cents', true),
      applied: await tally(['deposit_apply'], 'applied_cents', true),
      interestCredited: await tally(['deposit_interest'], 'amount_cents'),
    },
    byClass: [...classes]
      .map(([accountClass, c]) => ({ accountClass, ...c }))
      .sort((a, b) => a.accountClass.localeCompare(b.accountClass)),
    differences,
  };
}

// ---------------------------------------------------------------------------------------------------
// Policies and rates (supervisor)

export async function depositPolicies(ctx: ServiceContext) {
  const settings = await loadDepositSettings(ctx.db);
  const today = ctx.clock.today();
  const inForce = (['residential', 'commercial'] as const).flatMap((c) => {
    try {
      return [policySummary(policyInForce(settings.policies, c, today))];
    } catch {
      return [];
    }
  });
  return {
    policies: settings.policies,
    rates: settings.rates,
    appliedRates: [...settings.rates.rates]
      .sort((a, b) => a.year - b.year)
      .map((r) => ratePercentFor(settings.rates, r.year)),
    inForce,
  };
}

export async function saveDepositPolicies(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { policies: unknown[]; rates: unknown },
): Promise<{ saved: boolean; policies: number; rateYears: number }> {
  const today = ctx.clock.today();
  const settings = validateDepositSettings(
    { policies: input.policies as DepositPolicy[], rates: input.rates as InterestRateTable },
    today,
  );
  // Deposits still held keep the policy they were taken under, and need a rate for every year they were held.
  const deposits = await loadDeposits(ctx.db, (q) => q);
  const held = deposits.filter((d) => OPEN.includes(depositStatus(d)));
  const missing = [...new Set(deposits.map((d) => d.policyId))].filter(
    (id) => !settings.policies.some((p) => p.id === id),
  );
  if (missing.length)
    throw new CounterError(
      'INVALID_INPUT',
      `Policy ${missing.join(', ')} is used by deposits on record: keep it (end it with an end date instead of removing it).`,
      'policies',
    );
  const firstPaid = held
    .flatMap((d) => d.movements.filter((m) => m.kind === 'payment').map((m) => m.date))
    .sort()[0];
  if (firstPaid) validateRateTable(settings.rates, Number(firstPaid.slice(0, 4)), Number(today.slice(0, 4)));
  const now = ctx.clock.now();
  const rows = [
    { key: DEPOSIT_POLICIES_KEY, value: JSON.stringify(settings.policies) },
    { key: DEPOSIT_RATES_KEY, value: JSON.stringify(settings.rates) },
  ];
  await ctx.db.transaction(async (trx) => {
    for (const r of rows) await trx('policies').insert(r).onConflict('key').merge(['value']);
    await enqueue(
      trx,
      'deposit.settings_saved',
      {
        policies: rows[0]?.value ?? '[]',
        rates: rows[1]?.value ?? '{}',
        savedBy: cashier.id,
        savedAt: now.toISOString(),
        terminalCode: ctx.terminal.code,
        branch: ctx.terminal.branch,
      },
      now,
    );
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'deposit.policies',
        entityType: 'policy',
        entityId: DEPOSIT_POLICIES_KEY,
        details: {
          policies: settings.policies.map((p) => `${p.id} ${p.effectiveFrom}..${p.effectiveTo ?? ''}`),
          rates: settings.rates.rates.map((r) => `${String(r.year)} ${r.ratePercent}`),
          rounding: settings.rates.rounding,
        },
      },
      now,
    );
  });
  return { saved: true, policies: settings.policies.length, rateYears: settings.rates.rates.length };
}

export { REFUND_METHOD_WORDS };
