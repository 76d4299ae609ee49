/**
 * Push: a terminal's outbox events, applied in `seq` order. The whole batch runs in ONE database
 * transaction together with the terminal's `last_applied_seq` (row-locked, so two pushes of the same
 * terminal never interleave):
 * - seq <= last applied: a replay (a retry after a lost response): acked again with the stored result,
 *   never applied twice;
 * - first seq > last + 1: a gap: 409 SEQ_GAP with the seq to resend from, nothing written;
 * - an event id the server already has (from any terminal): recorded as a duplicate, not applied;
 * - an unknown type, a bad payload or a broken rule: recorded as rejected with a code and message,
 *   and the counter still advances (it never blocks the queue);
 * - an event the server fails on for any other reason (an applier's unexpected exception, a row the
 *   database refuses): held for review as SERVER_ERROR with the error, never a jammed queue. Appliers
 *   change an in-memory Batch before the bulk write, so a failed attempt is rolled back whole and done
 *   again with that event held (see `applyPush`).
 */
import type { Knex } from 'knex';

import type { PushRequest, PushResponse } from '../../../shared/sync/protocol.js';
import { redactChecksForSync } from '../../../shared/sync/redact.js';
import type { ServerDb } from '../db/connection.js';
import { forUpdate, insertChunked, isRetryable } from '../db/util.js';
import { HttpError } from '../http-error.js';
import { appliers, type ApplyOutcome } from './appliers/index.js';
import { Batch, Rejection, type TerminalRow } from './batch.js';

export type PushOptions = {
  now?: () => Date;
  /** Test fault point: runs inside the transaction, after every write, just before COMMIT. */
  beforeCommit?: (info: { terminalId: string; events: number }) => Promise<void>;
  /** Called after each committed push (metrics, tests): how many events were replays. */
  observe?: (info: { terminalId: string; replays: number; fresh: number }) => void;
  /** Called when an attempt failed on something other than a broken rule (logging). */
  onFailure?: (info: { terminalId: string; seq: number | null; held: boolean; err: unknown }) => void;
};

/** The code of an event the server failed on (not a broken rule): held for review with the error. */
export const SERVER_ERROR = 'SERVER_ERROR';

/** What failed attempts of one push have learned, carried into the next attempt. */
type Plan = {
  /** Events held for review (not applied) on this attempt, by seq, with the error. */
  held: Map<number, string>;
  /** Events that failed once: failing again holds them (a passing glitch does not). */
  failedOnce: Set<number>;
  /** Take at most this many fresh events (halved on a write failure no event can be blamed for). */
  take: number;
  /** Fresh events the last attempt took (their first seq). */
  took: { count: number; firstSeq: number | null };
};

/** An applier (or its account / transaction lookup) threw something other than a Rejection. */
class EventFailure extends Error {
  constructor(
    readonly seq: number,
    readonly error: unknown,
  ) {
    super(errorText(error));
    this.name = 'EventFailure';
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 400);
}

/**
 * The database itself is unwell (connection, resources, locks): no event is to blame, and holding one
 * would be wrong; the push fails and the terminal tries again later.
 */
function isInfrastructure(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (e?.name === 'KnexTimeoutError') return true;
  if (/^E[A-Z]+$/.test(code)) return true; // a socket error: ECONNRESET, ECONNREFUSED, EPIPE …
  if (/^(08|53|57|58|XX)/.test(code) || code === '40P01' || code === '40001') return true;
  return /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|NOMEM|READONLY|CORRUPT|INTERRUPT|NOTADB)/.test(code);
}

async function databaseAnswers(db: ServerDb): Promise<boolean> {
  try {
    await db.knex.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

type EventRow = {
  seq: number;
  id: string;
  status: 'applied' | 'rejected' | 'duplicate';
  reject_code: string | null;
  reject_message: string | null;
  applied_version: number | null;
};

function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 4)
    .map((i) => `${i.path.map(String).join('.') || 'payload'}: ${i.message}`)
    .join('; ');
}

/** The branch an event claims, where its payload names one. */
function eventBranch(payload: unknown): string | null {
  if (payload && typeof payload === 'object' && 'branch' in payload) {
    const b = (payload as { branch: unknown }).branch;
    return typeof b === 'string' ? b : null;
  }
  return null;
}

export async function applyPush(
  db: ServerDb,
  terminal: TerminalRow,
  req: PushRequest,
  opts: PushOptions = {},
): Promise<PushResponse> {
  if (req.terminalId !== terminal.id)
    throw new HttpError(403, 'WRONG_TERMINAL', 'This token belongs to another terminal.');
  for (const ev of req.events) {
    const branch = eventBranch(ev.payload);
    if (branch !== null && branch !== terminal.branch)
      throw new HttpError(
        403,
        'WRONG_BRANCH',
        `This terminal is enrolled for branch ${terminal.branch}; event seq ${ev.seq} is for branch ${branch}. Nothing was applied.`,
      );
  }
  const plan: Plan = {
    held: new Map(),
    failedOnce: new Set(),
    take: req.events.length,
    took: { count: 0, firstSeq: null },
  };
  for (let retries = 0; ;) {
    // A failure before the fresh events are chosen must not be read as the last attempt's.
    plan.took = { count: 0, firstSeq: null };
    try {
      const { response, replays, fresh } = await db.knex.transaction((trx) =>
        pushInTransaction(db, trx, terminal.id, req, opts, plan),
      );
      opts.observe?.({ terminalId: terminal.id, replays, fresh });
      return response;
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const cause = err instanceof EventFailure ? err.error : err;
      // A racing insert (23505) is retried like a deadlock; once retries run out it is treated as the
      // data's fault below, so a row the database always refuses cannot jam the queue.
      if (isRetryable(cause) && retries < 5) {
        retries++;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * retries));
        continue;
      }
      retries = 0;
      if (isInfrastructure(cause) || !(await databaseAnswers(db))) throw cause;
      if (err instanceof EventFailure) {
        const held = plan.failedOnce.has(err.seq);
        if (held) plan.held.set(err.seq, err.message);
        else plan.failedOnce.add(err.seq);
        opts.onFailure?.({ terminalId: terminal.id, seq: err.seq, held, err: cause });
        continue;
      }
      // Failed while writing, and no single event can be blamed: apply the first half now (lastSeq
      // tells the terminal, which sends the rest again), down to one event, which is then held.
      const { count, firstSeq } = plan.took;
      if (count > 1) plan.take = Math.floor(count / 2);
      else if (count === 1 && firstSeq !== null && !plan.held.has(firstSeq))
        plan.held.set(firstSeq, errorText(cause));
      else throw cause;
      opts.onFailure?.({
        terminalId: terminal.id,
        seq: count === 1 ? firstSeq : null,
        held: count === 1,
        err: cause,
      });
    }
  }
}

async function pushInTransaction(
  db: ServerDb,
  trx: Knex.Transaction,
  terminalId: string,
  req: PushRequest,
  opts: PushOptions,
  plan: Plan,
): Promise<{ response: PushResponse; replays: number; fresh: number }> {
  const now = (opts.now ?? (() => new Date()))().toISOString();
  const terminal = (await forUpdate(trx('terminals').where('id', terminalId), db.dialect).first()) as
    TerminalRow | undefined;
  if (!terminal || terminal.revoked_at)
    throw new HttpError(401, 'UNAUTHORIZED', 'This terminal is not enrolled.');
  const last = Number(terminal.last_applied_seq);
  const events = req.events;
  const first = events[0]!.seq;
  if (first > last + 1)
    throw new HttpError(409, 'SEQ_GAP', `Expected seq ${last + 1}, got ${first}: resend from ${last + 1}.`, {
      expectedSeq: last + 1,
    });

  const acked: PushResponse['acked'] = [];
  const rejected: PushResponse['rejected'] = [];

  // ---- replays: answer with what was stored the first time ----
  const replays = events.filter((e) => e.seq <= last);
  if (replays.length) {
    const stored = (await trx('events')
      .where('terminal_id', terminal.id)
      .andWhere('seq', '>=', replays[0]!.seq)
      .andWhere('seq', '<=', replays[replays.length - 1]!.seq)
      .select('seq', 'id', 'status', 'reject_code', 'reject_message', 'applied_version')) as EventRow[];
    const bySeq = new Map(stored.map((r) => [Number(r.seq), r]));
    for (const ev of replays) {
      const row = bySeq.get(ev.seq);
      if (!row)
        rejected.push({
          id: ev.id,
          seq: ev.seq,
          code: 'BEFORE_ENROLLMENT',
          message: `seq ${ev.seq} comes before this terminal's enrollment (first seq ${terminal.first_seq}).`,
        });
      else if (row.id !== ev.id)
        rejected.push({
          id: ev.id,
          seq: ev.seq,
          code: 'SEQ_CONFLICT',
          message: `seq ${ev.seq} was already used by event ${row.id}: this event was never applied.`,
        });
      else if (row.status === 'applied')
        acked.push({
          id: ev.id,
          seq: ev.seq,
          ...(row.applied_version !== null ? { appliedVersion: Number(row.applied_version) } : {}),
        });
      else
        rejected.push({
          id: ev.id,
          seq: ev.seq,
          code: row.reject_code ?? 'REJECTED',
          message: row.reject_message ?? '',
        });
    }
  }

  const fresh = events.filter((e) => e.seq > last).slice(0, plan.take);
  plan.took = { count: fresh.length, firstSeq: fresh[0]?.seq ?? null };
  if (fresh.length === 0)
    return { response: { acked, rejected, lastSeq: last }, replays: replays.length, fresh: 0 };

  // ---- new events ----
  const batch = new Batch(trx, db.dialect, terminal, now);
  const known = new Set(
    (
      (await trx('events')
        .whereIn(
          'id',
          fresh.map((e) => e.id),
        )
        .whereNot('status', 'duplicate')
        .select('id')) as { id: string }[]
    ).map((r) => r.id),
  );
  type Decided =
    | { status: 'applied'; outcome: ApplyOutcome }
    | { status: 'rejected' | 'duplicate'; code: string; message: string };
  const decided = new Map<number, Decided>();
  const parsed = new Map<number, unknown>();
  const seenIds = new Set<string>();
  for (const ev of fresh) {
    if (known.has(ev.id) || seenIds.has(ev.id)) {
      decided.set(ev.seq, {
        status: 'duplicate',
        code: 'DUPLICATE_EVENT_ID',
        message: `Event ${ev.id} is already on the server: not applied twice.`,
      });
      continue;
    }
    seenIds.add(ev.id);
    const failure = plan.held.get(ev.seq);
    if (failure !== undefined) {
      decided.set(ev.seq, {
        status: 'rejected',
        code: SERVER_ERROR,
        message: `The server failed to apply this ${ev.type} event (${failure}); kept for review. Retry it once the server is fixed, or mark it resolved.`,
      });
      continue;
    }
    const applier = appliers[ev.type];
    if (!applier) {
      decided.set(ev.seq, {
        status: 'rejected',
        code: 'UNKNOWN_EVENT_TYPE',
        message: `The server does not know event type "${ev.type}" yet; kept for review.`,
      });
      continue;
    }
    const result = applier.schema.safeParse(ev.payload);
    if (!result.success) {
      decided.set(ev.seq, {
        status: 'rejected',
        code: 'INVALID_PAYLOAD',
        message: `Bad ${ev.type} payload: ${describeIssues(result.error.issues)}`,
      });
      continue;
    }
    parsed.set(ev.seq, result.data);
  }
  const accounts: string[] = [];
  const transactionIds: string[] = [];
  for (const ev of fresh) {
    if (!parsed.has(ev.seq)) continue;
    const applier = appliers[ev.type]!;
    try {
      accounts.push(...(applier.accounts?.(parsed.get(ev.seq)) ?? []));
      transactionIds.push(...(applier.transactionIds?.(parsed.get(ev.seq)) ?? []));
    } catch (err) {
      throw new EventFailure(ev.seq, err);
    }
  }
  await batch.loadAccounts(accounts);
  await batch.loadTransactionIds(transactionIds);
  for (const ev of fresh) {
    if (!parsed.has(ev.seq)) continue;
    try {
      const outcome = await appliers[ev.type]!.apply(
        batch,
        { id: ev.id, seq: ev.seq, type: ev.type, occurredAt: ev.occurredAt },
        parsed.get(ev.seq),
      );
      decided.set(ev.seq, { status: 'applied', outcome });
    } catch (err) {
      // Anything but a Rejection may have left the batch half-changed: the whole attempt is redone.
      if (!(err instanceof Rejection)) throw new EventFailure(ev.seq, err);
      decided.set(ev.seq, { status: 'rejected', code: err.code, message: err.message });
    }
  }
  const { versions, head } = await batch.finish();

  const rows = fresh.map((ev) => {
    const d = decided.get(ev.seq)!;
    const appliedVersion =
      d.status === 'applied'
        ? d.outcome.account
          ? (versions.get(`account:${d.outcome.account}`) ?? head)
          : head
        : null;
    if (d.status === 'applied')
      acked.push({ id: ev.id, seq: ev.seq, ...(appliedVersion !== null ? { appliedVersion } : {}) });
    else rejected.push({ id: ev.id, seq: ev.seq, code: d.code, message: d.message });
    return {
      terminal_id: terminal.id,
      seq: ev.seq,
      id: ev.id,
      type: ev.type,
      // An older counter may still send a whole bank account number: it is not kept here either.
      payload: JSON.stringify(redactChecksForSync(ev.payload ?? null)),
      occurred_at: ev.occurredAt,
      received_at: now,
      status: d.status,
      reject_code: d.status === 'applied' ? null : d.code,
      reject_message: d.status === 'applied' ? null : d.message,
      applied_version: appliedVersion,
    };
  });
  await insertChunked(trx, 'events', rows, 300);
  const lastSeq = fresh[fresh.length - 1]!.seq;
  await trx('terminals').where('id', terminal.id).update({ last_applied_seq: lastSeq, last_seen_at: now });
  await opts.beforeCommit?.({ terminalId: terminal.id, events: fresh.length });
  return { response: { acked, rejected, lastSeq }, replays: replays.length, fresh: fresh.length };
}
