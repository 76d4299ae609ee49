/**
 * The server's command line (`npm run server -- <command>`):
 *
 *   start (default)              migrate, then serve on COUNTERTOP_SERVER_HOST:COUNTERTOP_SERVER_PORT
 *   migrate                      run the migrations and exit
 *   enroll --branch MAIN [--ttl M]   print a one-time enrollment code (expires after M minutes, default 60)
 *   verify                       compare every terminal's posted totals with the server's; exit 1 on a difference
 *   seed-demo --count N [--months 12] [--today YYYY-MM-DD]   load the demo data as the system of record
 *   rejected [--limit N]         list rejected events with their reasons (the server side of the monitor)
 *
 * The database is DATABASE_URL (postgres://…) or the SQLite file COUNTERTOP_SERVER_DB
 * (default .countertop-server/server.db).
 */
import { parseArgs } from 'node:util';

import pino from 'pino';

import { buildServer } from './app.js';
import { configFromEnv, describeDb } from './config.js';
import { migrate, openServerDb } from './db/connection.js';
import { createEnrollmentCode } from './domain/enroll.js';
import { reviewEvents } from './domain/review.js';
import { seedDemo } from './domain/seed.js';
import { formatVerifyReport, verify } from './domain/verify.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    branch: { type: 'string' },
    ttl: { type: 'string' },
    count: { type: 'string' },
    months: { type: 'string' },
    today: { type: 'string' },
    limit: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
  },
});
const command = positionals[0] ?? 'start';
const env = configFromEnv();

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  switch (command) {
    case 'start': {
      const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', name: 'countertop-server' });
      const delay = env.faultCommitDelayMs;
      const server = await buildServer({
        db: env.db,
        logger,
        adminToken: env.adminToken,
        enrollCodeTtlMinutes: env.enrollCodeTtlMinutes,
        pinMinLength: env.pinMinLength,
        push: {
          observe: (info) => {
            if (info.replays) logger.info(info, 'replayed events acked again (a retry after a lost answer)');
          },
          ...(delay > 0
            ? {
                beforeCommit: async (info: { terminalId: string; events: number }) => {
                  logger.warn(info, 'fault: holding the push transaction before COMMIT');
                  await new Promise((r) => setTimeout(r, delay));
                },
              }
            : {}),
        },
      });
      const url = await server.listen({
        host: values.host ?? env.host,
        port: values.port ? Number(values.port) : env.port,
      });
      console.log(`Countertop server listening on ${url} (database: ${describeDb(env.db)})`);
      const stop = (): void => {
        void server.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      const db = await openServerDb(env.db, { migrate: false });
      const done = await migrate(db);
      console.log(
        done.length
          ? `Migrated ${describeDb(env.db)}: ${done.join(', ')}`
          : `${describeDb(env.db)} is up to date.`,
      );
      await db.close();
      return;
    }
    case 'enroll': {
      if (!values.branch) fail('usage: npm run server -- enroll --branch MAIN [--ttl 60]');
      const db = await openServerDb(env.db);
      try {
        const code = await createEnrollmentCode(db, {
          branch: values.branch,
          ttlMinutes: values.ttl ? Number(values.ttl) : env.enrollCodeTtlMinutes,
          createdBy: 'cli',
        });
        console.log(`Enrollment code for branch ${code.branch}: ${code.code}`);
        console.log(`One use only; expires ${new Date(code.expiresAt).toLocaleString()}.`);
      } finally {
        await db.close();
      }
      return;
    }
    case 'verify': {
      const db = await openServerDb(env.db);
      try {
        const report = await verify(db);
        console.log(formatVerifyReport(report));
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        await db.close();
      }
      return;
    }
    case 'seed-demo': {
      const count = Number(values.count ?? 2000);
      if (!Number.isInteger(count) || count < 1) fail('usage: npm run server -- seed-demo --count 2000');
      const db = await openServerDb(env.db);
      try {
        const today = values.today ?? new Date().toISOString().slice(0, 10);
        const written = await seedDemo(db, { count, months: Number(values.months ?? 12), today });
        console.log(
          written
            ? `Loaded ${written} demo accounts (bills as of ${today}).`
            : 'The server already has accounts: nothing loaded.',
        );
      } finally {
        await db.close();
      }
      return;
    }
    case 'rejected': {
      const db = await openServerDb(env.db);
      try {
        const events = await reviewEvents(db, { status: 'rejected', limit: Number(values.limit ?? 100) });
        if (events.length === 0) console.log('No rejected events.');
        for (const e of events)
          console.log(
            `${e.receivedAt} ${e.terminalCode ?? e.terminalId} seq ${e.seq} ${e.type}: ${e.code} — ${e.message}`,
          );
      } finally {
        await db.close();
      }
      return;
    }
    default:
      fail(`Unknown command "${command}". Commands: start, migrate, enroll, verify, seed-demo, rejected.`);
  }
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(message.length > 600 ? `${message.slice(0, 300)} … ${message.slice(-300)}` : message);
  process.exit(1);
});
