/**
 * The posting kernel. Every money movement at the counter (payment, till slip, deposit, equipment …) is
 * one `definePosting`: the capability supplies its rules as a *plan* (journal, tenders, receipt content,
 * its own rows, its detail of the outbox event, the audit details), and the kernel owns everything
 * around it, once:
 *
 * - ONE SQLite transaction. The plan runs inside it, so every check that guards money (credit left to
 *   refund, cash in the drawer, the state of what is reversed, an approval limit) reads what the write
 *   will change, with no other posting in between: the counter's connection pool holds one connection,
 *   so transactions are serial and a check can never be overtaken.
 * - Idempotent replay by request id: a repeated request (a retried call, a double Enter) answers with
 *   the first result; a request id already used for another kind of posting or other input is refused.
 * - The transaction row, balanced journal lines (refused if they do not sum to zero), tender rows, the
 *   gap-free receipt number and the stored receipt model, the audit entry, and the outbox event: ONE
 *   `ledger.posted` envelope (shared/sync/ledger.ts) built from the plan's fields, with the plan's
 *   `detail` for what only its capability knows.
 * - After the commit (effects.ts): print, drawer kick, sync nudge, status push. None of them can undo
 *   the posting.
 *
 * Supervisor approvals are verified BEFORE the transaction (the PIN check writes its failure count on
 * the same single connection, so inside the transaction it would wait for itself); the plan decides,
 * inside the transaction, whether the posting needs one.
 */
import { createHash } from 'node:crypto';

import type { Knex } from 'knex';

import type { Approval } from '../../shared/api/channels/till.js';
import { CounterError } from '../../shared/api/errors.js';
import type { Cashier } from '../../shared/api/schemas.js';
import { DRAWER_TENDERS, journalBalances, type JournalLine } from '../../shared/domain/tenders.js';
import type { Cents } from '../../shared/money.js';
import type { LedgerDetail } from '../../shared/sync/details.js';
import type { LedgerPosted, LedgerTender } from '../../shared/sync/ledger.js';
import { appendAudit } from '../services/audit/audit.js';
import { ledgerSeal } from '../services/audit/ledger-seal.js';
import { requireApproval } from '../services/auth/approval.js';
import type { ServiceContext } from '../services/context.js';
import { newId } from '../services/ids.js';
import { nextReceiptNumber } from '../services/ledger/post.js';
import { checkTenderColumns } from '../services/ledger/sensitive.js';
import { enqueue } from '../services/outbox/outbox.js';
import type { ReceiptModel } from '../services/receipts/compose.js';
import { requireOpenTill, tillExpected, type TillRow } from './till-state.js';

/** A tender row as the counter stores it; the optional reference columns are for receipts and reprints. */
export type TenderLine = {
  type: string;
  amountCents: Cents;
  netCents: Cents;
  checkNumber?: string | null;
  routingNumber?: string | null;
  bankAccount?: string | null;
  cardBrand?: string | null;
  cardLast4?: string | null;
  authCode?: string | null;
  moneyOrderSerial?: string | null;
};

/** The receipt content a capability supplies; the kernel adds who, where, when and the number. */
export type ReceiptContent = Partial<Omit<ReceiptModel, 'receiptNumber'>> &
  Pick<ReceiptModel, 'title' | 'items' | 'totalCents'> & {
    /** `receipts.kind`; the transaction's kind when absent. */
    kind?: string;
  };

export type Ids = { transactionId: string; receiptNumber: string | null };

export type Plan<R> = {
  kind: string;
  accountNumber?: string | null;
  amountCents: Cents;
  appliedCents?: Cents;
  changeCents?: Cents;
  creditCents?: Cents;
  tillId: string | null;
  approver?: Cashier | null;
  reversesId?: string | null;
  reason?: string | null;
  journal: JournalLine[];
  tenders?: TenderLine[];
  /** null: no receipt (till open and close have their own documents). */
  receipt: ReceiptContent | null;
  /**
   * What the capability adds to the `ledger.posted` envelope; the kernel fills in everything else
   * (ids, who, where, when, the amounts, tenders and journal above) from this plan.
   */
  detail: LedgerDetail;
  audit: { action: string; entityType?: string; entityId?: string; details: Record<string, unknown> };
  /** Open the drawer after the commit; by default when a drawer tender moved money. */
  drawer?: boolean;
  /**
   * Further printed documents besides the receipt (a return-goods invoice), numbered by the plan from
   * their own series inside the transaction; stored and printed after the receipt. Their content may
   * name the receipt number, which the kernel allocates after the plan.
   */
  documents?: { number: string; kind: string; content(ids: Ids): ReceiptContent }[];
  /** The capability's own rows, written after the transaction row, before the receipt and event. */
  write?(trx: Knex.Transaction, ids: Ids): Promise<void>;
  /**
   * Runs after the event is queued: a second event that must follow it (the till's closing), or rows
   * that refer to the queued event (`outbox.id`: equipment moves count as pending while it is queued).
   */
  after?(trx: Knex.Transaction, ids: Ids, outbox: { id: string; seq: number }): Promise<void>;
  /** What the caller gets back besides the ids; stored, so that a replay answers with the same. */
  result: R;
};

/** What a posting's plan sees: the transaction, who posts, and the kernel's in-transaction checks. */
export type PostingTx = {
  readonly trx: Knex.Transaction;
  readonly ctx: ServiceContext;
  readonly cashier: Cashier;
  readonly now: Date;
  readonly businessDate: string;
  readonly transactionId: string;
  /** The cashier's open till on this terminal, read inside the transaction (a clear error if none). */
  openTill(): Promise<TillRow>;
  /** Cash the till's drawer holds now, from its journal, inside the transaction. */
  drawerCash(tillId: string): Promise<Cents>;
  /** The approver: a supervisor signed in, or the supervisor whose ID and PIN came with the call. */
  requireApproval(what: string): Cashier;
  approvalIf(needed: boolean, what: string): Cashier | null;
};

export type Posted<R> = Ids & {
  replay: boolean;
  drawer: boolean;
  print: boolean;
  /** The numbers of the further documents (`Plan.documents`), printed after the receipt. */
  documents: string[];
  result: R;
};

export type PostingDef<I, R, P = undefined> = {
  /** The posting's name: a request id belongs to one name only. */
  name: string;
  requestId(input: I, prepared: P): string;
  /** What identifies the request's details for a repeat (the input without configuration). */
  fingerprint?(input: I): unknown;
  approval?(input: I): Approval | undefined;
  /**
   * A repeated request normally replays the first result; a posting whose request id is derived from
   * what it acts on (a void of one payment) refuses the repeat with this error instead.
   */
  repeated?(input: I, prior: Ids): CounterError;
  /**
   * Reads that need no guarding and must not wait inside the transaction (cached policy data read
   * through the shared connection). Never a money check: those belong in the plan.
   */
  prepare?(ctx: ServiceContext, input: I, cashier: Cashier): Promise<P>;
  plan(tx: PostingTx, input: I, prepared: P): Promise<Plan<R>>;
};

export type Posting<I, R, P = undefined> = PostingDef<I, R, P> & {
  post(ctx: ServiceContext, cashier: Cashier, input: I): Promise<Posted<R>>;
};

/** Canonical JSON (sorted keys) of the input without its request id and approval PIN. */
export function requestFingerprint(input: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .filter((k) => k !== 'requestId' && k !== 'approval' && o[k] !== undefined)
          .sort()
          .map((k) => [k, canon(o[k])]),
      );
    }
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify(canon(input)) ?? 'null')
    .digest('hex');
}

type PriorRow = {
  id: string;
  receipt_number: string | null;
  posting: string | null;
  request_hash: string | null;
  result: string | null;
};

async function priorOf(db: Knex | Knex.Transaction, requestId: string): Promise<PriorRow | undefined> {
  return (await db('transactions')
    .where('request_id', requestId)
    .first('id', 'receipt_number', 'posting', 'request_hash', 'result')) as PriorRow | undefined;
}

function isDuplicateRequest(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed: transactions\.request_id/.test(err.message);
}

async function replay<I, R, P>(
  db: Knex | Knex.Transaction,
  def: PostingDef<I, R, P>,
  input: I,
  hash: string,
  prior: PriorRow,
): Promise<Posted<R>> {
  const ids = { transactionId: prior.id, receiptNumber: prior.receipt_number };
  if (prior.posting !== null && prior.posting !== def.name)
    throw new CounterError(
      'CONFLICT',
      'That request id was already used for another kind of posting: nothing was posted.',
      'requestId',
    );
  if (def.repeated) throw def.repeated(input, ids);
  if (prior.request_hash !== null && prior.request_hash !== hash)
    throw new CounterError(
      'CONFLICT',
      'That request id was already used with other details: nothing was posted. Start the transaction again.',
      'requestId',
    );
  const documents = (await db('receipts')
    .where('transaction_id', prior.id)
    .whereNot('number', prior.receipt_number ?? '')
    .orderBy('rowid')
    .select('number')) as { number: string }[];
  return {
    ...ids,
    replay: true,
    drawer: false,
    print: false,
    documents: documents.map((d) => d.number),
    result: (prior.result === null ? {} : JSON.parse(prior.result)) as R,
  };
}

/** A printed document's full model: the content with who, where, when and its number. */
export function receiptModelOf(
  ctx: ServiceContext,
  cashier: Pick<Cashier, 'id' | 'name'>,
  at: Date,
  number: string,
  c: ReceiptContent,
): ReceiptModel {
  const { kind: _kind, ...content } = c;
  return {
    company: ctx.company,
    terminal: { code: ctx.terminal.code, name: ctx.terminal.name },
    cashier: { id: cashier.id, name: cashier.name },
    at,
    timeZone: ctx.clock.timeZone,
    tenders: [],
    changeCents: 0,
    creditCents: 0,
    balanceAsOf: null,
    offline: !ctx.isOnline(),
    footer: [],
    ...content,
    receiptNumber: number,
  };
}

async function insertReceiptRow(
  tx: PostingTx,
  number: string,
  kind: string,
  content: ReceiptContent,
  createdAt: string,
): Promise<void> {
  await tx.trx('receipts').insert({
    number,
    transaction_id: tx.transactionId,
    kind,
    model: JSON.stringify(receiptModelOf(tx.ctx, tx.cashier, tx.now, number, content)),
    created_at: createdAt,
  });
}

async function insertTenderRows(trx: Knex.Transaction, transactionId: string, tenders: TenderLine[]) {
  if (!tenders.length) return;
  await trx('tenders').insert(
    tenders.map((t, i) => ({
      id: newId(),
      transaction_id: transactionId,
      position: i,
      type: t.type,
      amount_cents: t.amountCents,
      net_cents: t.netCents,
      check_number: t.checkNumber ?? null,
      // Bank numbers are stored masked; the routing number sealed for the deposit slip.
      ...(t.type === 'check' && t.routingNumber && t.bankAccount
        ? checkTenderColumns(
            trx,
            {
              type: 'check',
              amountCents: t.amountCents,
              checkNumber: t.checkNumber ?? '',
              routingNumber: t.routingNumber,
              bankAccount: t.bankAccount,
            },
            transactionId,
            i,
          )
        : { routing_number: null, bank_account: null }),
      card_brand: t.cardBrand ?? null,
      card_last4: t.cardLast4 ?? null,
      auth_code: t.authCode ?? null,
      money_order_serial: t.moneyOrderSerial ?? null,
    })),
  );
}

/** A tender row as the envelope carries it: the reference fields only where the counter took them. */
function wireTender(t: TenderLine): LedgerTender {
  const refs = {
    checkNumber: t.checkNumber,
    routingNumber: t.routingNumber,
    bankAccount: t.bankAccount,
    cardBrand: t.cardBrand,
    cardLast4: t.cardLast4,
    authCode: t.authCode,
    moneyOrderSerial: t.moneyOrderSerial,
  };
  return {
    type: t.type,
    amountCents: t.amountCents,
    netCents: t.netCents,
    ...Object.fromEntries(Object.entries(refs).filter(([, v]) => typeof v === 'string')),
  };
}

/** The plan needs the approval that came with the call: verified outside the transaction, then run again. */
class VerifyApproval extends Error {
  constructor(readonly what: string) {
    super(`verify the approval for ${what}`);
  }
}

type Approver = { verified: Cashier | null; supplied: Approval | undefined };

async function run<I, R, P>(
  def: PostingDef<I, R, P>,
  prepared: P,
  ctx: ServiceContext,
  cashier: Cashier,
  input: I,
  approver: Approver,
  hash: string,
  trx: Knex.Transaction,
): Promise<Posted<R>> {
  const requestId = def.requestId(input, prepared);
  const tx: PostingTx = {
    trx,
    ctx,
    cashier,
    now: ctx.clock.now(),
    businessDate: ctx.clock.today(),
    transactionId: newId(),
    openTill: () => requireOpenTill(trx, ctx, cashier),
    drawerCash: async (tillId) => (await tillExpected(trx, tillId)).cashCents,
    requireApproval(what) {
      if (approver.verified) return approver.verified;
      if (approver.supplied) throw new VerifyApproval(what);
      throw new CounterError(
        'NEEDS_SUPERVISOR',
        `A supervisor must approve ${what}: ask for their ID and PIN.`,
        'approval',
      );
    },
    approvalIf(needed, what) {
      return needed ? tx.requireApproval(what) : null;
    },
  };
  // A repeated request id is caught by the unique index when the transaction row goes in (no read on
  // the common path). When the plan refuses, a request posted before must still answer with its first
  // result (a retry after a refund used the credit up is a replay, not "no credit left").
  let plan: Plan<R>;
  try {
    plan = await def.plan(tx, input, prepared);
  } catch (err) {
    const prior = await priorOf(trx, requestId);
    if (prior) return replay(trx, def, input, hash, prior);
    throw err;
  }
  if (!journalBalances(plan.journal)) throw new Error(`invariant: ${plan.kind} journal does not balance`);
  const tenders = plan.tenders ?? [];
  const receiptNumber = plan.receipt ? await nextReceiptNumber(trx, ctx) : null;
  const ids: Ids = { transactionId: tx.transactionId, receiptNumber };
  const approvedBy = plan.approver?.id ?? null;
  const createdAt = tx.now.toISOString();
  const row = {
    id: tx.transactionId,
    request_id: requestId,
    posting: def.name,
    request_hash: hash,
    result: JSON.stringify(plan.result),
    kind: plan.kind,
    account_number: plan.accountNumber ?? null,
    amount_cents: plan.amountCents,
    applied_cents: plan.appliedCents ?? 0,
    change_cents: plan.changeCents ?? 0,
    credit_cents: plan.creditCents ?? 0,
    cashier_id: cashier.id,
    approved_by: approvedBy,
    terminal_code: ctx.terminal.code,
    till_id: plan.tillId,
    receipt_number: receiptNumber,
    business_date: tx.businessDate,
    created_at: createdAt,
    reverses_id: plan.reversesId ?? null,
    reason: plan.reason ?? null,
  };
  await trx('transactions').insert(row);
  if (plan.journal.length)
    await trx('journal_lines').insert(
      plan.journal.map((l) => ({
        transaction_id: tx.transactionId,
        ledger_account: l.ledgerAccount,
        cents: l.cents,
        memo: l.memo,
      })),
    );
  await insertTenderRows(trx, tx.transactionId, tenders);
  await plan.write?.(trx, ids);
  if (plan.receipt && receiptNumber)
    await insertReceiptRow(tx, receiptNumber, plan.receipt.kind ?? plan.kind, plan.receipt, createdAt);
  const documents = plan.documents ?? [];
  for (const d of documents) await insertReceiptRow(tx, d.number, d.kind, d.content(ids), createdAt);
  const envelope: LedgerPosted = {
    transactionId: tx.transactionId,
    requestId,
    posting: def.name,
    kind: plan.kind,
    accountNumber: row.account_number,
    amountCents: plan.amountCents,
    appliedCents: row.applied_cents,
    changeCents: row.change_cents,
    creditCents: row.credit_cents,
    tenders: tenders.map(wireTender),
    journal: plan.journal,
    reversesId: row.reverses_id,
    reason: row.reason,
    approvedBy,
    receiptNumber,
    cashierId: cashier.id,
    terminalCode: ctx.terminal.code,
    branch: ctx.terminal.branch,
    tillId: plan.tillId,
    businessDate: tx.businessDate,
    createdAt,
    detail: plan.detail,
  };
  const outbox = await enqueue(trx, 'ledger.posted', envelope, tx.now);
  await plan.after?.(trx, ids, outbox);
  await appendAudit(
    trx,
    {
      actor: cashier.id,
      action: plan.audit.action,
      entityType: plan.audit.entityType ?? 'transaction',
      entityId: plan.audit.entityId ?? tx.transactionId,
      approvedBy,
      details: {
        ...plan.audit.details,
        ...(receiptNumber ? { receiptNumber } : {}),
        transactionId: tx.transactionId,
        ledgerSeal: ledgerSeal(row, plan.journal, tenders),
      },
    },
    tx.now,
  );
  const drawer =
    plan.drawer ??
    tenders.some((t) => (DRAWER_TENDERS as readonly string[]).includes(t.type) && t.netCents !== 0);
  return {
    ...ids,
    replay: false,
    drawer,
    print: plan.receipt !== null,
    documents: documents.map((d) => d.number),
    result: plan.result,
  };
}

export function definePosting<I, R, P = undefined>(def: PostingDef<I, R, P>): Posting<I, R, P> {
  return {
    ...def,
    async post(ctx, cashier, input) {
      const hash = requestFingerprint(def.fingerprint ? def.fingerprint(input) : input);
      const prepared = (def.prepare ? await def.prepare(ctx, input, cashier) : undefined) as P;
      // A signed-in supervisor approves their own. A CSR's call may carry a supervisor's ID and PIN:
      // checked only when the plan needs it, so a PIN mistyped for nothing never blocks the posting.
      const approver: Approver = {
        verified: cashier.role === 'supervisor' ? cashier : null,
        supplied: def.approval?.(input),
      };
      try {
        for (;;) {
          try {
            return await ctx.db.transaction((trx) =>
              run(def, prepared, ctx, cashier, input, approver, hash, trx),
            );
          } catch (err) {
            if (!(err instanceof VerifyApproval) || approver.verified) throw err;
            approver.verified = await requireApproval(ctx, cashier, approver.supplied, err.what);
          }
        }
      } catch (err) {
        if (!isDuplicateRequest(err)) throw err;
        const prior = await priorOf(ctx.db, def.requestId(input, prepared));
        if (!prior) throw err;
        return replay(ctx.db, def, input, hash, prior);
      }
    },
  };
}
