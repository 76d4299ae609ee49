/**
 * Shared by the sync benchmarks: a throwaway PostgreSQL database with the demo system of record, the
 * server as its own process (as in production), terminals enrolled directly in the database, and
 * payment events as counters make them (valid under the shared tender rules).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { v7 } from 'uuid';

import { demoAccountNumber } from '../resources/demo/generate.js';
import { openServerDb, type ServerDb } from '../server/src/db/connection.js';
import { createEnrollmentCode, enrollTerminal } from '../server/src/domain/enroll.js';
import { seedDemo } from '../server/src/domain/seed.js';
import { paymentJournal, settleTenders } from '../shared/domain/tenders.js';
import { tenderReferences, type LedgerPosted } from '../shared/sync/ledger.js';
import { mixedPayment } from '../tests/support/payment-mix.js';
import { freePort } from '../tests/support/counter.js';
import { createTestDatabase, type TestDatabase } from '../tests/support/pg.js';
import { listeningChild } from './util.js';

export const BENCH_ACCOUNTS = 2000;

export type BenchServer = {
  url: string;
  db: ServerDb;
  pg: TestDatabase;
  child: ChildProcess;
  stop(): Promise<void>;
};

/** A new database, seeded, and `npm run server` on it in a child process. */
export async function startBenchServer(name: string): Promise<BenchServer> {
  const pg = await createTestDatabase(`ct_bench_${name}`);
  const db = await openServerDb({ client: 'pg', url: pg.url, poolMax: 4 });
  await seedDemo(db, { count: BENCH_ACCOUNTS, months: 3, today: new Date().toISOString().slice(0, 10) });
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (see README).
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...prof, '--import', 'tsx', path.resolve('server/src/cli.ts'), 'start'],
    {
      env: { ...process.env, DATABASE_URL: pg.url, COUNTERTOP_SERVER_PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const started = listeningChild(child, 'server');
  const url = await started.url;
  return {
    url,
    db,
    pg,
    child,
    async stop() {
      child.kill('SIGTERM');
      await started.exited;
      await db.close();
      await pg.drop();
    },
  };
}

export async function enrollBenchTerminal(
  db: ServerDb,
  i: number,
): Promise<{ terminalId: string; token: string; serverId: string; code: string }> {
  const { code } = await createEnrollmentCode(db, { branch: 'MAIN' });
  const terminalCode = `BENCH-${String(i).padStart(2, '0')}`;
  const res = await enrollTerminal(db, {
    code,
    terminalCode,
    terminalName: terminalCode,
    branch: 'MAIN',
    nextSeq: 1,
  });
  return { terminalId: res.terminalId, token: res.token, serverId: res.serverId, code: terminalCode };
}

/** A payment's ledger.posted envelope like a counter's: cash with change, card, or check + cash. */
export function benchPayment(i: number, terminalCode: string): LedgerPosted & { receiptNumber: string } {
  const accountNumber = demoAccountNumber(Math.floor(Math.random() * BENCH_ACCOUNTS));
  const { cents, tenders } = mixedPayment(i);
  const s = settleTenders(cents, tenders, { cashOnly: false });
  const now = new Date().toISOString();
  return {
    transactionId: v7(),
    requestId: randomUUID(),
    posting: 'payment',
    kind: 'payment',
    accountNumber,
    amountCents: cents,
    appliedCents: s.appliedCents,
    changeCents: s.changeCents,
    creditCents: s.creditCents,
    tenders: tenders.map((t, k) => ({
      type: t.type,
      amountCents: t.amountCents,
      netCents: s.net[k]?.cents ?? 0,
      ...tenderReferences(t),
    })),
    journal: paymentJournal(accountNumber, s),
    reversesId: null,
    reason: null,
    approvedBy: null,
    receiptNumber: `${terminalCode.replace('-', '')}-${String(i + 1).padStart(6, '0')}`,
    cashierId: '1001',
    terminalCode,
    branch: 'MAIN',
    tillId: null,
    businessDate: now.slice(0, 10),
    createdAt: now,
    detail: { capability: 'payment', allocations: [], unappliedCents: 0 },
  };
}
