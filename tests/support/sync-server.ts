/**
 * Test support for sync: the central server in this process (Fastify on a loopback port) or as a child
 * process that a test can SIGKILL and start again, and helpers to enroll and drive a counter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import pino from 'pino';

import type { CounterHost } from '../../electron/host/create-host.js';
import type { Session } from '../../electron/services/auth/auth.js';
import { buildServer, type CountertopServer, type ServerConfig } from '../../server/src/app.js';
import { openServerDb, type DbConfig, type ServerDb } from '../../server/src/db/connection.js';
import { createEnrollmentCode } from '../../server/src/domain/enroll.js';
import { seedDemo } from '../../server/src/domain/seed.js';
import { ANY_BALANCE, TEST_NOW } from './counter.js';
import { mixedPayment } from './payment-mix.js';

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
  const db = { client: 'sqlite' as const, filename: path.join(dir, 'server.db') };
  await seedServer(db, accounts, opts.months);
  return startServer(db, { config: opts.config });
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
