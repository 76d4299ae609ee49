/**
 * The server trusts no terminal: an event's shape being valid says nothing about whether that terminal
 * may post it. These checks run for every event that carries a ledger transaction, before anything is
 * applied, and refuse (into the review monitor, with the reason) an event that:
 * - names another terminal's code, or a till that another terminal has used;
 * - names a cashier (or an approver) the server does not know, or an approver who is no supervisor;
 * - posts, for its kind, to ledger accounts that kind never touches (a drop moves drawer cash to the
 *   safe and never touches a receivable);
 * - carries tenders that disagree with its journal lines;
 * - reverses a transaction that is not there, is already reversed, is of another branch, or whose
 *   journal it does not exactly negate.
 */
import { tenderLedgerAccount } from '../../../../shared/domain/tenders.js';
import { addCents } from '../../../../shared/money.js';
import { Rejection, type Batch } from '../batch.js';

export type Origin = {
  transactionId: string;
  terminalCode: string | null;
  cashierId: string;
  approvedBy?: string | null;
  tillId: string | null;
};

type CashierRow = { id: string; role: string; active: boolean | number };

const cashierCache = new WeakMap<Batch, Map<string, CashierRow | null>>();
const tillCache = new WeakMap<Batch, Map<string, string | null>>();

async function cashier(batch: Batch, id: string): Promise<CashierRow | null> {
  let cache = cashierCache.get(batch);
  if (!cache) cashierCache.set(batch, (cache = new Map()));
  if (!cache.has(id)) {
    const row = (await batch.trx('cashiers').where('id', id).first('id', 'role', 'active')) as
      CashierRow | undefined;
    cache.set(id, row ?? null);
  }
  return cache.get(id) ?? null;
}

/** The terminal that first used a till id (its opening float, or its first posting); null if none did. */
async function tillOwner(batch: Batch, tillId: string): Promise<string | null> {
  let cache = tillCache.get(batch);
  if (!cache) tillCache.set(batch, (cache = new Map()));
  if (!cache.has(tillId)) {
    const row = (await batch.trx('transactions').where('till_id', tillId).first('terminal_id')) as
      { terminal_id: string } | undefined;
    cache.set(tillId, row?.terminal_id ?? null);
  }
  return cache.get(tillId) ?? null;
}

export async function checkOrigin(batch: Batch, o: Origin, what: string): Promise<void> {
  if (o.terminalCode !== null && o.terminalCode !== batch.terminal.code)
    throw new Rejection(
      'WRONG_TERMINAL',
      `${what} names terminal ${o.terminalCode}, but it came from ${batch.terminal.code}: not applied.`,
    );
  const who = await cashier(batch, o.cashierId);
  if (!who || !who.active)
    throw new Rejection('UNKNOWN_CASHIER', `${what} names cashier ${o.cashierId}, who is not on the server.`);
  if (o.approvedBy) {
    const approver = await cashier(batch, o.approvedBy);
    if (!approver || !approver.active || approver.role !== 'supervisor')
      throw new Rejection(
        'UNKNOWN_APPROVER',
        `${what} was approved by ${o.approvedBy}, who is not a supervisor on the server.`,
      );
  }
  if (o.tillId) {
    const owner = await tillOwner(batch, o.tillId);
    if (owner !== null && owner !== batch.terminal.id)
      throw new Rejection('WRONG_TILL', `${what} names till ${o.tillId}, which belongs to another terminal.`);
    tillCache.get(batch)?.set(o.tillId, batch.terminal.id);
  }
}

type Line = { ledgerAccount: string; cents: number };

/** The ledger accounts each till and correction kind may post to (`ar` = the event's own account). */
const ALLOWED: Record<string, (account: string, ar: string | null) => boolean> = {
  till_open: (a) => a === 'drawer:cash' || a === 'safe:cash',
  drop: (a) => a === 'drawer:cash' || a === 'safe:cash',
  paid_out: (a) => a === 'drawer:cash' || a === 'paid_outs',
  refund: (a, ar) => a === ar || a === 'drawer:cash' || a === 'refunds_payable',
  till_close: (a) => /^(drawer|safe):(cash|checks|money_orders)$/.test(a) || a === 'over_short',
};

export function checkKindAccounts(kind: string, lines: Line[], accountNumber: string | null): void {
  const allowed = ALLOWED[kind];
  if (!allowed) return;
  const ar = accountNumber ? `ar:${accountNumber}` : null;
  const bad = lines.find((l) => !allowed(l.ledgerAccount, ar));
  if (bad)
    throw new Rejection('ACCOUNT_NOT_ALLOWED', `A ${kind} never posts to ${bad.ledgerAccount}: not applied.`);
}

const TENDER_ACCOUNTS = ['drawer:cash', 'drawer:checks', 'drawer:money_orders', 'card_clearing'];

/** Tenders moved exactly what the journal says went through the drawer and card clearing. */
export function checkTendersAgree(
  kind: string,
  tenders: { type: string; netCents: number }[],
  lines: Line[],
): void {
  if (tenders.length === 0) return;
  for (const account of TENDER_ACCOUNTS) {
    const byTenders = addCents(
      ...tenders.filter((t) => safeAccount(t.type) === account).map((t) => t.netCents),
    );
    const byJournal = addCents(...lines.filter((l) => l.ledgerAccount === account).map((l) => l.cents));
    if (byTenders !== byJournal)
      throw new Rejection(
        'TENDERS_DISAGREE',
        `The ${kind}'s tenders move ${byTenders} cents through ${account}, its journal ${byJournal}.`,
      );
  }
}

function safeAccount(type: string): string | null {
  try {
    return tenderLedgerAccount(type as Parameters<typeof tenderLedgerAccount>[0]);
  } catch {
    return null;
  }
}

/** A reversal must exactly negate the journal of a transaction of this branch that nothing reversed yet. */
export async function checkReversal(
  batch: Batch,
  reversesId: string,
  original: Record<string, unknown>,
  lines: Line[],
): Promise<void> {
  if (original.branch !== undefined && original.branch !== batch.terminal.branch)
    throw new Rejection(
      'WRONG_BRANCH',
      `Transaction ${reversesId} is of another branch: it cannot be reversed here.`,
    );
  if (await batch.isReversed(reversesId))
    throw new Rejection('ALREADY_REVERSED', `Transaction ${reversesId} was already reversed.`);
  const originalLines = await batch.journalOf(reversesId);
  const key = (l: Line): string => `${l.ledgerAccount}\u0000${l.cents}`;
  const want = originalLines.map((l) => key({ ledgerAccount: l.ledgerAccount, cents: -l.cents })).sort();
  const got = lines.map(key).sort();
  if (want.length !== got.length || want.some((k, i) => k !== got[i]))
    throw new Rejection(
      'NOT_A_REVERSAL',
      `The reversal of ${reversesId} does not negate its journal line for line.`,
    );
}
