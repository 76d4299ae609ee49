/**
 * Test support for sync: the central server in this process (Fastify on a loopback port) or as a child
 * process that a test can SIGKILL and start again, and helpers to enroll and drive a counter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import fs from 'node:fs';

import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';

import type { CounterHost, HostConfig } from '../../electron/host/create-host.js';
import type { Session } from '../../electron/services/auth/auth.js';
import { buildServer, type CountertopServer, type ServerConfig } from '../../server/src/app.js';
import { openServerDb, type DbConfig, type ServerDb } from '../../server/src/db/connection.js';
import { createEnrollmentCode } from '../../server/src/domain/enroll.js';
import { seedDemo } from '../../server/src/domain/seed.js';
import { ANY_BALANCE, startTestHost, tempDir, TEST_NOW } from './counter.js';
import { mixedPayment } from './payment-mix.js';
import { createTestDatabase } from './pg.js';

// The sync tests take the port for a server they restart from here, with the rest of its helpers.
export { freePort } from './counter.js';

/** The business date of TEST_NOW in the test clock's zone: seed the server with it so the ids match the counter's demo replica. */
export const TEST_TODAY = '2026-11-25';

export type RunningServer = { url: string; server: CountertopServer; db: ServerDb; stop(): Promise<void> };

export async function seedServer(db: DbConfig, count: number, months = 12): Promise<void> {
  const s = await openServerDb(db);
  try {
    await seedDemo(s, { count, months, today: TEST_TODAY }, new Date(TEST_NOW));
  } finally {
    await s.close();
  }
}

/** Sync timings for a test's counter: quick retries, no pull on a timer (tests pull when they mean to). */
export const FAST_SYNC = {
  backoff: { baseMs: 50, capMs: 300 },
  pullIntervalMs: 3_600_000,
  requestTimeoutMs: 5_000,
};

/**
 * The server in this process on a SQLite file in `dir` (server.db), seeded with `accounts` demo
 * accounts and `months` of history.
 */
export async function startSqliteServer(
  dir: string,
  accounts: number,
  opts: { months?: number; config?: Partial<ServerConfig> } = {},
): Promise<RunningServer> {
  return startSeededServer('sqlite', dir, { accounts, ...opts });
}

export type ServerKind = 'sqlite' | 'pg';

/** The two databases the server runs on, for `describe.each(SERVER_DATABASES)`: [title, kind]. */
export const SERVER_DATABASES = [
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'pg'],
] as const;

export type SeededDb = { db: DbConfig; drop(): Promise<void> };

/**
 * A seeded server database: a SQLite file `<name>.db` in `dir` (it goes with the folder), or a
 * PostgreSQL database of its own (`ct_<name>_…`) that `drop()` removes.
 */
export async function seededDb(
  kind: ServerKind,
  dir: string,
  opts: { name?: string; accounts: number; months?: number; poolMax?: number },
): Promise<SeededDb> {
  const name = opts.name ?? 'server';
  let seeded: SeededDb;
  if (kind === 'pg') {
    const pg = await createTestDatabase(`ct_${name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`);
    seeded = { db: { client: 'pg', url: pg.url, poolMax: opts.poolMax ?? 5 }, drop: () => pg.drop() };
  } else {
    const filename = path.join(dir, `${name}.db`);
    seeded = { db: { client: 'sqlite', filename }, drop: () => Promise.resolve() };
  }
  await seedServer(seeded.db, opts.accounts, opts.months);
  return seeded;
}

export type SeededServer = RunningServer & { config: DbConfig };

/** `seededDb` and the server in this process on it; `stop()` also drops a PostgreSQL database. */
export async function startSeededServer(
  kind: ServerKind,
  dir: string,
  opts: Parameters<typeof seededDb>[2] & { port?: number; config?: Partial<ServerConfig> },
): Promise<SeededServer> {
  const seeded = await seededDb(kind, dir, opts);
  const running = await startServer(seeded.db, { port: opts.port, config: opts.config });
  return {
    ...running,
    config: seeded.db,
    async stop() {
      await running.stop();
      await seeded.drop();
    },
  };
}

export type SyncRig = {
  /** The rig's temp folder: server files and counters' data folders. */
  readonly dir: string;
  /** A seeded server (`startSeededServer` in the rig's folder), stopped when the rig closes. */
  server(kind: ServerKind, opts: Parameters<typeof startSeededServer>[2]): Promise<SeededServer>;
  /** A counter in `<dir>/<name>` syncing on FAST_SYNC (not enrolled), closed when the rig closes. */
  counter(name: string, overrides?: Partial<HostConfig>): Promise<CounterHost & { dataDir: string }>;
  /** Something else to undo when the rig closes (last added, first undone). */
  onClose(undo: () => Promise<unknown>): void;
};

/**
 * Servers and counters for the tests of the enclosing describe (or file): a temp folder made before
 * them; afterwards every counter closed and server stopped, newest first, and the folder removed.
 */
export function syncRig(prefix: string): SyncRig {
  let dir = '';
  const undo: (() => Promise<unknown>)[] = [];
  beforeAll(() => {
    dir = tempDir(prefix);
  });
  afterAll(async () => {
    for (const u of undo.splice(0).reverse()) await u().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  return {
    get dir() {
      return dir;
    },
    async server(kind, opts) {
      const s = await startSeededServer(kind, dir, opts);
      undo.push(() => s.stop());
      return s;
    },
    async counter(name, overrides = {}) {
      const h = await startTestHost({ dataDir: path.join(dir, name), server: FAST_SYNC, ...overrides });
      undo.push(() => h.close());
      return h;
    },
    onClose(u) {
      undo.push(u);
    },
  };
}

/** The server in this process; `stop()` closes it (and its database), like pulling the plug on the service. */
export async function startServer(
  db: DbConfig,
  opts: { port?: number; config?: Partial<ServerConfig> } = {},
): Promise<RunningServer> {
  const open = await openServerDb(db);
  const server = await buildServer({
    db: open,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    rateLimit: false,
    ...opts.config,
  });
  const url = await server.listen({ port: opts.port ?? 0 });
  return {
    url,
    server,
    db: open,
    async stop() {
      await server.close();
      await open.close();
    },
  };
}

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves when the child has exited. */
  exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
};

/** The server as its own process (`server/src/cli.ts start`), on a fixed port so it can come back there. */
export async function spawnServer(opts: {
  db: DbConfig;
  port: number;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    COUNTERTOP_SERVER_PORT: String(opts.port),
    ...(opts.db.client === 'pg'
      ? { DATABASE_URL: opts.db.url }
      : { DATABASE_URL: '', COUNTERTOP_SERVER_DB: opts.db.filename }),
    ...opts.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/src/cli.ts'), 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function signedIn(host: CounterHost, cashierId: string, pin: string): Promise<Session> {
  const session = host.newSession();
  const reply = await host.call('session.signIn', { cashierId, pin }, session);
  if (!reply.ok) throw new Error(reply.error.message);
  return session;
}

export async function call<T = unknown>(
  host: CounterHost,
  session: Session,
  channel: string,
  input: unknown = {},
): Promise<T> {
  const reply = await host.call(channel, input, session);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

/** Enrolls the counter with a fresh code, as the IT admin does from the settings screen. */
export async function enrollCounter(
  host: CounterHost,
  serverDb: ServerDb,
  url: string,
  branch = 'MAIN',
): Promise<void> {
  const { code } = await createEnrollmentCode(serverDb, { branch });
  const admin = await signedIn(host, '9001', '9999');
  await call(host, admin, 'sync.enroll', { serverUrl: url, code });
}

export async function enrollWithCode(db: DbConfig, branch = 'MAIN'): Promise<string> {
  const s = await openServerDb(db);
  try {
    return (await createEnrollmentCode(s, { branch })).code;
  } finally {
    await s.close();
  }
}

/** Payment i of a deterministic mix: cash with change, card, check + cash. */
export function paymentInput(i: number, accountNumber: string): Record<string, unknown> {
  const { cents, tenders } = mixedPayment(i);
  return { requestId: randomUUID(), accountNumber, amountCents: cents, tenders, ...ANY_BALANCE };
}

export async function postPayments(host: CounterHost, session: Session, n: number, from = 0): Promise<void> {
  const accounts = (await host.ctx
    .db('accounts')
    .where('cash_only', 0)
    .orderBy('account_number')
    .limit(40)
    .select('account_number')) as {
    account_number: string;
  }[];
  for (let i = from; i < from + n; i++)
    await call(
      host,
      session,
      'payments.post',
      paymentInput(i, accounts[i % accounts.length]!.account_number),
    );
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until the counter has sent everything it queued (acked or rejected, none waiting). */
export async function drained(host: CounterHost, timeoutMs = 30_000): Promise<void> {
  await waitFor('outbox drained', async () => (await outboxCounts(host)).queued === undefined, timeoutMs);
}

/** Whether the counter has finished its first pull. */
export async function pulled(host: CounterHost): Promise<boolean> {
  return (await host.ctx.db('settings').where('key', 'sync.lastPullAt').first()) !== undefined;
}

/** Waits for the counter's first pull to finish. */
export function firstPull(host: CounterHost, timeoutMs = 60_000): Promise<void> {
  return waitFor('first pull', () => pulled(host), timeoutMs);
}

export async function outboxCounts(host: CounterHost): Promise<Record<string, number>> {
  const rows = (await host.ctx.db('outbox').select('state').count({ n: '*' }).groupBy('state')) as {
    state: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

export type CounterProcess = {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
};

/** An enrolled counter in its own process, draining its outbox (tests/support/sync-counter-child.ts). */
export function spawnCounter(dataDir: string, serverUrl: string, batchSize = 50): CounterProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.resolve('tests/support/sync-counter-child.ts'),
      dataDir,
      serverUrl,
      String(batchSize),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor: (re, timeoutMs = 60_000) => waitFor(`counter child ${re}`, () => re.test(out), timeoutMs, 20),
  };
}

/** Waits until `re` shows in a server child's output. */
export function waitForOutput(proc: { output(): string }, re: RegExp, timeoutMs = 60_000): Promise<void> {
  return waitFor(`output ${re}`, () => re.test(proc.output()), timeoutMs, 10);
}
