/**
 * The sync worker: one loop, off the UI's path (every call it makes is async I/O; a posting only ever
 * nudges it). It pushes the outbox in seq order, batch after batch, then pulls the server's changes
 * on a timer or on demand. Any failure: capped exponential backoff with jitter; a nudge (a new
 * posting) or "sync now" tries again at once, and the first answer from the server resumes the drain.
 * The outbox is the only truth: after a restart the loop simply starts again from what is queued.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';

import { MAX_PUSH_EVENTS, type PushEvent, type PushResponse } from '../../../shared/sync/protocol.js';

import { invalidatePolicies } from '../ledger/policies.js';
import { auditHead } from '../audit/audit.js';
import { anchorRequest, pullRequest, pushRequest, snapshotRequest, SyncRequestError } from './client.js';
import type { Enrollment } from './credentials.js';
import {
  fitBytes,
  readQueued,
  recordPushFailure,
  recordPushResult,
  requeueFrom,
  toPushEvent,
} from './queue.js';
import { applyChanges, rebuildAccountIndex } from './replica.js';
import { getSetting, setSetting, SETTING } from './settings.js';
import { loadSnapshot, snapshotWanted, type SnapshotSource } from './snapshot.js';

export type WorkerOptions = {
  /**
   * The most events one push carries (the server takes up to MAX_PUSH_EVENTS); the first push carries
   * a quarter of it and each answered push doubles it, a 413 halves it.
   */
  pushBatchSize: number;
  /** The most payload one push carries (the server refuses bodies over 4 MiB by default). */
  pushMaxBytes: number;
  pullPageSize: number;
  pullIntervalMs: number;
  backoff: { baseMs: number; capMs: number };
  requestTimeoutMs: number;
  /** A new terminal's first pull loads the server's snapshot (else it replays the whole change log). */
  firstPullSnapshot: boolean;
  /** Snapshot rows staged per transaction: each commit is a point an interrupted snapshot resumes from. */
  snapshotStageRows: number;
};

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  pushBatchSize: MAX_PUSH_EVENTS,
  pushMaxBytes: 2 * 1024 * 1024,
  pullPageSize: 2000,
  pullIntervalMs: 15_000,
  backoff: { baseMs: 500, capMs: 10_000 },
  requestTimeoutMs: 15_000,
  firstPullSnapshot: true,
  snapshotStageRows: 20_000,
};

export type PullOutcome = { changes: number; cursor: number; lastPullAt: string | null };

/** A push on its way: the events it carries and the server's answer to come. */
type InFlight = { events: PushEvent[]; first: number; last: number; answer: Promise<PushResponse> };

type Deferred<T> = { resolve(v: T): void; reject(e: unknown): void };

/** Full jitter between half and all of the capped exponential delay. */
export function backoffDelay(failures: number, base: number, cap: number, random = Math.random): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Where the server stands, as far as this terminal can tell: `offline` only when it cannot be reached
 * (no connection, a timeout, a gateway's 502/503/504); `server_error` when it answers but fails or
 * refuses. Receipts say OFFLINE only for the first: the second is not a connection problem.
 */
export type Connection = 'online' | 'offline' | 'server_error';

/** A transport failure: the server was not reached (a proxy in front of it answering 502/503/504 counts). */
export function isTransportFailure(err: unknown): boolean {
  if (!(err instanceof SyncRequestError)) return false;
  return err.kind === 'network' || (err.kind === 'http' && [502, 503, 504].includes(err.status ?? 0));
}

export class SyncWorker {
  connection: Connection = 'offline';
  detail: string | null = null;
  failures = 0;
  nextAttemptAt: number | null = null;
  lastSyncAt: string | null;
  pull: { done: number; total: number } | null = null;

  private closed = false;
  private wakeUp: (() => void) | null = null;
  private nudged = false;
  private pullRequested = true;
  private nextPullAt = 0;
  private batchSize: number;
  private readonly maxBatch: number;
  private pullWaiters: Deferred<PullOutcome>[] = [];
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  /** The audit head the server last received from this worker (its anchor); null before the first. */
  private anchored: string | null = null;
  /** A server without the anchor route (older than this counter) answered 404: don't ask again. */
  private anchorUnsupported = false;

  constructor(
    private readonly db: Knex,
    private readonly log: Logger,
    private readonly enrollment: () => Enrollment | null,
    private readonly now: () => Date,
    private readonly opts: WorkerOptions,
    private readonly changed: () => void,
    lastSyncAt: string | null,
  ) {
    this.maxBatch = Math.max(1, Math.min(MAX_PUSH_EVENTS, opts.pushBatchSize));
    this.batchSize = Math.max(1, Math.floor(this.maxBatch / 4));
    this.lastSyncAt = lastSyncAt;
  }

  start(): void {
    this.loop ??= this.run().catch((err: unknown) => this.log.error({ err }, 'sync worker stopped'));
  }

  /** Something was queued (or enrolled): try now, whatever the backoff says. */
  nudge(): void {
    this.nudged = true;
    this.wakeUp?.();
  }

  pullNow(): Promise<PullOutcome> {
    return new Promise<PullOutcome>((resolve, reject) => {
      this.pullWaiters.push({ resolve, reject });
      this.pullRequested = true;
      this.nudge();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    this.wakeUp?.();
    await this.loop;
    for (const w of this.pullWaiters.splice(0)) w.reject(new Error('sync stopped'));
  }

  private sleep(ms: number): Promise<void> {
    if (this.nudged || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(0, ms)) : null;
      function done(): void {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }

  /** The server answers (pushes and pulls go through, or it fails in a way only it can fix). */
  get reachable(): boolean {
    return this.connection !== 'offline';
  }

  private setConnection(connection: Connection, detail: string | null): void {
    const was = [this.connection, this.detail].join();
    this.connection = connection;
    this.detail = detail;
    if ([connection, detail].join() !== was) this.changed();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      this.nudged = false;
      const enrollment = this.enrollment();
      if (!enrollment) {
        this.setConnection('offline', null);
        await this.sleep(Infinity);
        continue;
      }
      try {
        const sent = await this.pushAll(enrollment);
        this.succeeded();
        if (sent > 0) continue; // more may be queued: keep draining before anything else
        if (this.pullRequested || Date.now() >= this.nextPullAt) await this.pullAll(enrollment);
        await this.anchorIfMoved(enrollment);
        await this.sleep(this.nextPullAt - Date.now());
      } catch (err) {
        if (this.closed) break;
        const delay = this.failed(err);
        await this.sleep(delay);
      }
    }
  }

  private succeeded(): void {
    this.failures = 0;
    this.nextAttemptAt = null;
    this.setConnection('online', null);
  }

  /** Records a failure; returns how long to wait before the next try. */
  private failed(err: unknown): number {
    this.failures++;
    const e = err instanceof SyncRequestError ? err : null;
    let delay = backoffDelay(this.failures, this.opts.backoff.baseMs, this.opts.backoff.capMs);
    let detail = err instanceof Error ? err.message : String(err);
    if (e?.status === 401) {
      detail = `The server refused this terminal's token (${e.message}) Enroll it again.`;
      delay = Math.max(delay, 60_000);
    } else if (e?.status === 403) {
      detail = `The server refused the push: ${e.message}`;
      delay = Math.max(delay, 60_000);
    } else if (e && e.kind === 'http') {
      detail = `The server answered ${e.status ?? '?'}: ${e.message}`;
    } else if (!e) {
      detail = `Sync failed on this counter: ${detail}`;
    }
    if (!e || e.kind !== 'network') this.log.warn({ err: detail }, 'sync failed');
    this.nextAttemptAt = Date.now() + delay;
    // Only a server that cannot be reached is "offline"; one that answers with an error is up (and
    // receipts must not say OFFLINE for it). A failure here on the counter says nothing either way.
    if (e) this.setConnection(isTransportFailure(e) ? 'offline' : 'server_error', detail);
    else this.setConnection(this.connection, detail);
    for (const w of this.pullWaiters.splice(0)) w.reject(err);
    this.changed();
    return delay;
  }

  private async send(enrollment: Enrollment, afterSeq: number): Promise<InFlight | null> {
    const rows = fitBytes(await readQueued(this.db, this.batchSize, afterSeq), this.opts.pushMaxBytes);
    if (rows.length === 0) return null;
    const events = rows.map(toPushEvent);
    const head = await auditHead(this.db);
    const answer = pushRequest(
      enrollment.serverUrl,
      enrollment.token,
      { terminalId: enrollment.terminalId, events, ...(head ? { auditHead: head } : {}) },
      { timeoutMs: this.opts.requestTimeoutMs, signal: this.abort.signal },
    );
    // Awaited in order by pushAll; this only keeps an answer nobody waits for any more from going unhandled.
    answer.then(
      () => {
        if (head) this.anchored = head.hash;
      },
      () => undefined,
    );
    return { events, first: rows[0]!.seq, last: rows[rows.length - 1]!.seq, answer };
  }

  /**
   * Pushes everything queued, two pushes in the air: the next batch travels, and waits on the server
   * for this terminal's row lock, while the one before it is applied, so the server still applies them
   * strictly in seq order (a push that overtakes its predecessor is refused with SEQ_GAP and sent
   * again). Answers are recorded in order. Anything but a clean answer ends the drain: the answer of
   * the push behind it is awaited and dropped (its events stay queued; if the server did apply them,
   * the resend is a replay it acks with the stored result), and the run loop starts over from the outbox.
   * Returns how many events the server answered for (or 1 to say "go round again").
   */
  private async pushAll(enrollment: Enrollment): Promise<number> {
    let total = 0;
    let previous: InFlight | null = null;
    let current = await this.send(enrollment, 0);
    while (current) {
      let next: InFlight | null = null;
      let settled: number;
      try {
        if (!this.closed) next = await this.send(enrollment, current.last);
        settled = await this.settle(current, previous);
      } catch (err) {
        await next?.answer.catch(() => undefined);
        throw err;
      }
      if (settled < 0) {
        await next?.answer.catch(() => undefined);
        return total || 1;
      }
      total += settled;
      this.succeeded();
      previous = current;
      current = next;
    }
    return total;
  }

  /** Records one push's answer; -1 when it must be sent again (the drain then starts over). */
  private async settle(batch: InFlight, previous: InFlight | null): Promise<number> {
    const { events, first, last } = batch;
    try {
      const res = await batch.answer;
      const nowIso = this.now().toISOString();
      const { acked, rejected } = await recordPushResult(this.db, events, res, nowIso);
      if (rejected)
        this.log.warn({ rejected: res.rejected }, 'the server rejected events; see the sync monitor');
      this.touchSync(nowIso);
      this.batchSize = Math.min(this.maxBatch, this.batchSize * 2);
      this.changed();
      return acked + rejected;
    } catch (err) {
      if (
        err instanceof SyncRequestError &&
        err.code === 'SEQ_GAP' &&
        err.expectedSeq !== undefined &&
        err.expectedSeq < first
      ) {
        // Overtook the push before it (now acked): nothing is missing, send it again.
        if (previous && err.expectedSeq >= previous.first) return -1;
        // The server is missing events we thought it had (restored from a backup): resend from its seq.
        const n = await requeueFrom(this.db, err.expectedSeq);
        this.log.warn(
          { expectedSeq: err.expectedSeq, requeued: n },
          'server asked to resend from an earlier seq',
        );
        return -1;
      }
      if (err instanceof SyncRequestError && err.status === 413 && this.batchSize > 1) {
        this.batchSize = Math.max(1, Math.floor(Math.min(this.batchSize, events.length) / 2));
        return -1;
      }
      await recordPushFailure(
        this.db,
        first,
        last,
        err instanceof Error ? err.message : String(err),
        this.now().toISOString(),
      );
      throw err;
    }
  }

  /**
   * Sends the audit head on its own when the log moved since the server last saw it and nothing was
   * pushed (sign-ins, reprints, settings write audit entries but no events).
   */
  private async anchorIfMoved(enrollment: Enrollment): Promise<void> {
    if (this.anchorUnsupported) return;
    const head = await auditHead(this.db);
    if (!head || head.hash === this.anchored) return;
    try {
      await anchorRequest(
        enrollment.serverUrl,
        enrollment.token,
        { terminalId: enrollment.terminalId, auditHead: head },
        { timeoutMs: this.opts.requestTimeoutMs, signal: this.abort.signal },
      );
      this.anchored = head.hash;
    } catch (err) {
      if (err instanceof SyncRequestError && err.status === 404) this.anchorUnsupported = true;
      else throw err;
    }
  }

  private touchSync(nowIso: string): void {
    this.lastSyncAt = nowIso;
    void setSetting(this.db, SETTING.lastSyncAt, nowIso).catch(() => undefined);
  }

  /**
   * The snapshot, staged and swapped in (snapshot.ts); the stream is abandoned when it goes quiet for
   * requestTimeoutMs. Returns the version the change-log pull continues from.
   */
  private async pullSnapshot(enrollment: Enrollment): Promise<number> {
    const quiet = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const touch = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => quiet.abort(), this.opts.requestTimeoutMs);
    };
    const signal = AbortSignal.any([this.abort.signal, quiet.signal]);
    const source: SnapshotSource = async (after) => {
      touch();
      const body = await snapshotRequest(enrollment.serverUrl, enrollment.token, after, { signal });
      const reader = body.getReader();
      return (async function* () {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            touch();
            yield value;
          }
        } finally {
          await reader.cancel().catch(() => undefined);
        }
      })();
    };
    try {
      return await loadSnapshot(
        this.db,
        source,
        (p) => {
          this.pull = p.total > 0 ? p : null;
          this.changed();
        },
        () => this.now().toISOString(),
        this.opts.snapshotStageRows,
      );
    } catch (err) {
      if (err instanceof SyncRequestError || !(err instanceof Error)) throw err;
      if (err.name === 'AbortError' || err.name === 'TypeError' || /terminated|aborted/i.test(err.message))
        throw new SyncRequestError(
          'network',
          null,
          'NETWORK',
          quiet.signal.aborted
            ? 'The server stopped sending the snapshot; it resumes where it stopped.'
            : 'The connection dropped during the snapshot; it resumes where it stopped.',
        );
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      this.pull = null;
    }
  }

  private async pullAll(enrollment: Enrollment): Promise<void> {
    const waiters = this.pullWaiters.splice(0);
    this.pullRequested = false;
    try {
      let cursor = Number((await getSetting(this.db, SETTING.cursor)) ?? 0);
      if (this.opts.firstPullSnapshot && (await snapshotWanted(this.db, cursor)))
        cursor = await this.pullSnapshot(enrollment);
      const start = cursor;
      let changes = 0;
      // A first pull into an empty replica builds the account search index once, at the end.
      if (start === 0) await setSetting(this.db, SETTING.ftsDeferred, this.now().toISOString());
      const fetchPage = (from: number) =>
        pullRequest(enrollment.serverUrl, enrollment.token, from, this.opts.pullPageSize, {
          timeoutMs: this.opts.requestTimeoutMs,
          signal: this.abort.signal,
        });
      let next = fetchPage(cursor);
      for (;;) {
        const page = await next;
        // The next page travels while this one is written.
        if (page.hasMore) {
          next = fetchPage(page.cursor);
          next.catch(() => undefined);
        }
        const asOf = this.now().toISOString();
        if (page.changes.length || page.cursor !== cursor) {
          const applied = await this.db.transaction(async (trx) => {
            const summary = await applyChanges(trx, page.changes, asOf);
            await setSetting(trx, SETTING.cursor, String(page.cursor));
            if (!page.hasMore && (await getSetting(trx, SETTING.ftsDeferred))) await rebuildAccountIndex(trx);
            return summary;
          });
          if (applied.policiesChanged) invalidatePolicies(this.db);
        } else if (!page.hasMore && (await getSetting(this.db, SETTING.ftsDeferred))) {
          await this.db.transaction((trx) => rebuildAccountIndex(trx));
        }
        changes += page.changes.length;
        cursor = page.cursor;
        const total = page.head - start;
        const big = total > this.opts.pullPageSize;
        this.pull = big && page.hasMore ? { done: cursor - start, total } : null;
        if (big || page.changes.length) this.changed();
        if (!page.hasMore) break;
      }
      const nowIso = this.now().toISOString();
      await setSetting(this.db, SETTING.lastPullAt, nowIso);
      this.touchSync(nowIso);
      this.nextPullAt = Date.now() + this.opts.pullIntervalMs;
      if (changes) this.log.info({ changes, cursor }, 'pulled from the server');
      for (const w of waiters) w.resolve({ changes, cursor, lastPullAt: nowIso });
    } catch (err) {
      this.pull = null;
      this.pullWaiters.unshift(...waiters);
      this.pullRequested = true;
      throw err;
    }
  }
}
