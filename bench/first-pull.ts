/**
 * First pull of a large system of record into a new terminal (budget: 1,000,000 accounts < 60 s).
 * The server runs on PostgreSQL (a bench database, seeded once and kept for later runs); a new counter
 * enrolls with a one-time code and pages through everything; the figure is enroll-to-last-page.
 *
 * BENCH_PULL_ACCOUNTS overrides the size (default 1,000,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import knexFactory from 'knex';
import pino from 'pino';

import { createCounterHost, DEFAULT_COMPANY, DEFAULT_TERMINAL } from '../electron/host/create-host.js';
import { openServerDb } from '../server/src/db/connection.js';
import { seedDemo } from '../server/src/domain/seed.js';
import { PG_HOST_URL } from '../tests/support/pg.js';
import { enrollWithCode, startServer } from '../tests/support/sync-server.js';
import { round, type Figure } from './util.js';

const COUNT = Number(process.env.BENCH_PULL_ACCOUNTS ?? 1_000_000);

async function ensureDatabase(name: string): Promise<string> {
  const admin = knexFactory({ client: 'pg', connection: `${PG_HOST_URL}/postgres` });
  try {
    const exists = (await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name])) as {
      rows: unknown[];
    };
    if (exists.rows.length === 0) await admin.raw(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.destroy();
  }
  return `${PG_HOST_URL}/${name}`;
}

export async function runFirstPullBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const url = await ensureDatabase(`ct_bench_first_pull_${COUNT}`);
  const db = { client: 'pg' as const, url };
  const seeding = await openServerDb(db);
  const t0 = Date.now();
  const seeded = await seedDemo(seeding, {
    count: COUNT,
    months: 1,
    today: new Date().toISOString().slice(0, 10),
  });
  await seeding.close();
  if (seeded > 0)
    figures.push({
      name: `seed ${COUNT.toLocaleString()} accounts on the server (once, kept)`,
      value: round((Date.now() - t0) / 1000, 1),
      unit: 's',
    });

  const server = await startServer(db);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-first-pull-'));
  try {
    const code = await enrollWithCode(db);
    const started = Date.now();
    const host = await createCounterHost({
      dataDir,
      terminal: DEFAULT_TERMINAL,
      company: DEFAULT_COMPANY,
      demo: null,
      logger: pino({ level: 'silent' }),
      server: {
        url: server.url,
        enrollCode: code,
        pullIntervalMs: 3_600_000,
        ...(process.env.BENCH_PULL_PAGE ? { pullPageSize: Number(process.env.BENCH_PULL_PAGE) } : {}),
      },
    });
    for (;;) {
      const done = await host.ctx.db('settings').where('key', 'sync.lastPullAt').first();
      if (done) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - started) / 1000;
    const n = Number(((await host.ctx.db('accounts').count({ n: '*' }).first()) as { n: number }).n);
    figures.push({
      name: `first pull of ${n.toLocaleString()} accounts into a new terminal`,
      value: round(seconds, 1),
      unit: 's',
      budget: '< 60 s',
      ok: seconds < 60,
    });
    figures.push({ name: 'first pull rate', value: Math.round(n / seconds), unit: 'acct/s' });
    await host.close();
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
