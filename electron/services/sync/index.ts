/**
 * Sync with the central server, as the host sees it: enrollment, online/offline, the outbox queue for
 * the status bar and the monitor, and the worker that pushes and pulls (worker.ts). Until the terminal
 * is enrolled it is "not enrolled" and everything stays queued in the outbox (nothing is lost).
 */
import path from 'node:path';

import type { EnrollmentInfo, PullResult, SyncMonitor } from '../../../shared/api/channels/sync.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Status } from '../../../shared/api/status.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { outboxStats } from '../outbox/outbox.js';
import { enrollRequest, joinUrl, SyncRequestError } from './client.js';
import { lookUpAnchor, type AnchorLookup } from './anchor.js';
import { fileCredentialStore, type CredentialStore, type Enrollment } from './credentials.js';
import { nextSeqForEnrollment, summarize } from './queue.js';
import { resolveHeld, retryHeld } from './review.js';
import { getSetting, setSetting, SETTING } from './settings.js';
import { DEFAULT_WORKER_OPTIONS, SyncWorker, type WorkerOptions } from './worker.js';

export type SyncOptions = Partial<WorkerOptions> & {
  /** The server's address; when set it is used instead of the one stored at enrollment (same server, new address). */
  url?: string;
  /** Enroll with this one-time code at start when not enrolled yet (the demo's embedded server). */
  enrollCode?: string;
  /** Where the enrollment (token) is kept; a 0600 file in the data folder by default. */
  credentials?: CredentialStore;
};

export type CounterSync = {
  isOnline(): boolean;
  lastSyncAt(): string | null;
  status(): Promise<Status['sync']>;
  /** Something was queued: push soon. */
  nudge(): void;
  enrollment(): EnrollmentInfo | null;
  enroll(input: { serverUrl: string; code: string }): Promise<EnrollmentInfo>;
  monitor(limit: number): Promise<SyncMonitor>;
  /** A supervisor sends a held event again (a new outbox event); audited. */
  retryHeld(id: string, actor: string): Promise<{ id: string; retryId: string; retrySeq: number }>;
  /** A supervisor marks a held event resolved, with the reason; audited. */
  resolveHeld(id: string, actor: string, reason: string): Promise<{ id: string; resolvedAt: string }>;
  pullNow(): Promise<PullResult>;
  /** The server's latest anchor of this counter's audit log (for the audit check). */
  serverAnchor(): Promise<AnchorLookup>;
  close(): Promise<void>;
};

export type SyncDeps = {
  /** Folder for the enrollment file (`<dataDir>/sync/enrollment.json`). */
  dataDir?: string;
  options?: SyncOptions | null;
  /** Called when anything the status bar shows has changed. */
  onChange?: () => void;
};

function info(e: Enrollment): EnrollmentInfo {
  return { serverUrl: e.serverUrl, terminalId: e.terminalId, branch: e.branch, enrolledAt: e.enrolledAt };
}

function memoryStore(): CredentialStore {
  let value: Enrollment | null = null;
  return { load: () => value, save: (e) => void (value = e), clear: () => void (value = null) };
}

export function createSync(
  ctx: Pick<ServiceContext, 'db' | 'clock' | 'terminal' | 'log'>,
  deps: SyncDeps = {},
): CounterSync {
  const { db, clock, terminal, log } = ctx;
  const options = deps.options ?? {};
  const store =
    options.credentials ??
    (deps.dataDir ? fileCredentialStore(path.join(deps.dataDir, 'sync')) : memoryStore());
  let enrollment: Enrollment | null = null;
  try {
    enrollment = store.load();
  } catch (err) {
    log.error({ err }, 'the enrollment file cannot be read: enroll this terminal again');
  }
  const effective = (): Enrollment | null =>
    enrollment && options.url ? { ...enrollment, serverUrl: options.url } : enrollment;

  let changeTimer: NodeJS.Timeout | null = null;
  let closed = false;
  const changed = (): void => {
    if (closed || changeTimer || !deps.onChange) return;
    changeTimer = setTimeout(() => {
      changeTimer = null;
      deps.onChange?.();
    }, 50);
  };

  const workerOptions: WorkerOptions = {
    ...DEFAULT_WORKER_OPTIONS,
    ...Object.fromEntries(
      Object.entries(options).filter(([k, v]) => v !== undefined && k in DEFAULT_WORKER_OPTIONS),
    ),
  };
  let worker: SyncWorker | null = null;
  const ready = getSetting(db, SETTING.lastSyncAt).then(
    (last) => {
      worker = new SyncWorker(db, log, effective, () => clock.now(), workerOptions, changed, last);
      worker.start();
      if (!enrollment && options.enrollCode && options.url) void autoEnroll(options.url, options.enrollCode);
    },
    (err: unknown) => log.error({ err }, 'sync did not start'),
  );

  async function enroll(input: { serverUrl: string; code: string }): Promise<EnrollmentInfo> {
    const serverUrl = input.serverUrl.trim().replace(/\/+$/, '');
    let res;
    try {
      res = await enrollRequest(
        serverUrl,
        {
          code: input.code,
          terminalCode: terminal.code,
          terminalName: terminal.name,
          branch: terminal.branch,
          nextSeq: await nextSeqForEnrollment(db),
        },
        { timeoutMs: workerOptions.requestTimeoutMs },
      );
    } catch (err) {
      if (err instanceof SyncRequestError) {
        if (err.kind === 'network')
          throw new CounterError(
            'INVALID_INPUT',
            `${err.message} Check the address ${joinUrl(serverUrl, '')}.`,
            'serverUrl',
          );
        if (err.kind === 'http' && err.status !== null && err.status < 500)
          throw new CounterError(
            'INVALID_INPUT',
            err.message,
            err.code === 'BRANCH_MISMATCH' ? 'serverUrl' : 'code',
          );
        throw new CounterError('CONFLICT', `The server could not enroll this terminal: ${err.message}`);
      }
      throw err;
    }
    const previous = enrollment;
    enrollment = {
      serverUrl,
      terminalId: res.terminalId,
      token: res.token,
      branch: res.branch,
      serverId: res.serverId,
      enrolledAt: res.enrolledAt,
    };
    store.save(enrollment);
    // Another server: its change-log versions mean nothing here, so pull everything again.
    if (previous?.serverId !== res.serverId) await setSetting(db, SETTING.cursor, '0');
    log.info({ terminalId: res.terminalId, serverUrl, branch: res.branch }, 'terminal enrolled');
    worker?.pullNow().catch(() => undefined);
    changed();
    return info(enrollment);
  }

  async function autoEnroll(url: string, code: string): Promise<void> {
    for (let attempt = 1; attempt <= 8 && !enrollment; attempt++) {
      try {
        const enrolled = await enroll({ serverUrl: url, code });
        // No cashier asked for this one (the start-up configuration did): the audit says so.
        await db.transaction((trx) =>
          appendAudit(
            trx,
            {
              actor: 'system',
              action: 'sync.enroll',
              entityType: 'terminal',
              entityId: enrolled.terminalId,
              details: { serverUrl: enrolled.serverUrl, branch: enrolled.branch, automatic: true },
            },
            clock.now(),
          ),
        );
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.warn({ attempt, err: message }, 'automatic enrollment failed');
        if (err instanceof CounterError && err.field === 'code') return;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }

  async function status(): Promise<Status['sync']> {
    const stats = await outboxStats(db);
    const w = worker as SyncWorker | null;
    return {
      state: !enrollment ? 'not_enrolled' : (w?.connection ?? 'offline'),
      queued: stats.queued,
      oldestQueuedAt: stats.oldestQueuedAt,
      lastSyncAt: w?.lastSyncAt ?? null,
      rejected: stats.rejected,
      detail: w?.detail ?? null,
      pull: w?.pull ?? null,
    };
  }

  async function monitor(limit: number): Promise<SyncMonitor> {
    const s = await status();
    const w = worker as SyncWorker | null;
    type Row = {
      seq: number;
      id: string;
      type: string;
      payload: string;
      occurred_at: string;
      attempts: number;
      last_error: string | null;
      acked_at: string | null;
      reject_code: string | null;
      reject_message: string | null;
      applied_version: number | null;
      resolution: 'retried' | 'resolved' | null;
      resolved_at: string | null;
      resolved_by: string | null;
      resolution_note: string | null;
    };
    const [queued, rejected, sent, counts] = await Promise.all([
      db('outbox').where('state', 'queued').orderBy('seq').limit(limit) as Promise<Row[]>,
      db('outbox')
        .where('state', 'rejected')
        .orderByRaw('resolution IS NOT NULL')
        .orderBy('seq', 'desc')
        .limit(limit) as Promise<Row[]>,
      db('outbox').where('state', 'acked').orderBy('seq', 'desc').limit(limit) as Promise<Row[]>,
      db('outbox').select('state').count({ n: '*' }).groupBy('state') as Promise<
        { state: string; n: number }[]
      >,
    ]);
    const count = (state: string): number => Number(counts.find((c) => c.state === state)?.n ?? 0);
    const retried = rejected.filter((r) => r.resolution === 'retried').map((r) => r.id);
    const retries = new Map(
      (
        (await db('outbox').whereIn('retry_of', retried).select('retry_of', 'seq', 'state')) as {
          retry_of: string;
          seq: number;
          state: string;
        }[]
      ).map((r) => [r.retry_of, { seq: r.seq, state: r.state }]),
    );
    const base = (r: Row) => ({
      seq: r.seq,
      id: r.id,
      type: r.type,
      occurredAt: r.occurred_at,
      summary: summarize(r.type, r.payload),
    });
    return {
      state: s.state,
      detail: s.detail,
      enrollment: enrollment ? info(effective() as Enrollment) : null,
      lastSyncAt: s.lastSyncAt,
      lastPullAt: await getSetting(db, SETTING.lastPullAt),
      nextAttemptAt: w?.nextAttemptAt ? new Date(w.nextAttemptAt).toISOString() : null,
      failures: w?.failures ?? 0,
      pull: s.pull,
      counts: { queued: count('queued'), sent: count('acked'), rejected: s.rejected },
      oldestQueuedAt: s.oldestQueuedAt,
      queued: queued.map((r) => ({ ...base(r), attempts: r.attempts, lastError: r.last_error })),
      rejected: rejected.map((r) => ({
        ...base(r),
        code: r.reject_code ?? 'REJECTED',
        message: r.reject_message ?? '',
        payload: JSON.parse(r.payload) as unknown,
        resolution: r.resolution
          ? {
              kind: r.resolution,
              at: r.resolved_at ?? '',
              by: r.resolved_by ?? '',
              note: r.resolution_note ?? '',
              retry: retries.get(r.id) ?? null,
            }
          : null,
      })),
      sent: sent.map((r) => ({ ...base(r), ackedAt: r.acked_at, appliedVersion: r.applied_version })),
    };
  }

  return {
    isOnline: () => Boolean(enrollment && worker?.reachable),
    lastSyncAt: () => worker?.lastSyncAt ?? null,
    status,
    nudge: () => worker?.nudge(),
    enrollment: () => (enrollment ? info(effective() as Enrollment) : null),
    enroll,
    monitor,
    async retryHeld(id, actor) {
      const result = await retryHeld(db, { id, actor, now: clock.now() });
      log.info({ held: id, retry: result.retryId }, 'a held event was sent again');
      worker?.nudge();
      changed();
      return result;
    },
    async resolveHeld(id, actor, reason) {
      const result = await resolveHeld(db, { id, actor, reason, now: clock.now() });
      changed();
      return result;
    },
    async pullNow() {
      await ready;
      if (!enrollment || !worker)
        throw new CounterError(
          'CONFLICT',
          'This terminal is not enrolled with a server yet: an IT admin enrolls it.',
        );
      try {
        return await worker.pullNow();
      } catch (err) {
        if (err instanceof SyncRequestError)
          throw new CounterError('CONFLICT', `Could not sync now: ${err.message}`);
        throw err;
      }
    },
    serverAnchor: () => lookUpAnchor(effective(), workerOptions.requestTimeoutMs),
    async close() {
      closed = true;
      await ready;
      if (changeTimer) clearTimeout(changeTimer);
      changeTimer = null;
      await worker?.close();
    },
  };
}
