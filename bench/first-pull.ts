/**
 * First pull of a large system of record into a new terminal (budget: 1,000,000 accounts < 30 s, memory
 * bounded). The server runs on PostgreSQL (a bench database, seeded once and kept for later runs); a new
 * counter (its own process: bench/first-pull-child.ts) enrolls with a one-time code and loads the
 * server's snapshot; the figure is enroll-to-first-pull-done, with the counter's peak RSS.
 *
 * BENCH_PULL_ACCOUNTS overrides the size (default 1,000,000).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import knexFactory from 'knex';
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
  try {
    // The snapshot (the default for a new terminal); BENCH_PULL_COMPARE=1 also replays the change log.
    const modes = process.env.BENCH_PULL_COMPARE ? (['snapshot', 'log'] as const) : (['snapshot'] as const);
    for (const mode of modes) {
      const code = await enrollWithCode(db);
      const load0 = os.loadavg()[0]!;
      // Not spawnSync: the server answering the child runs in this process.
      const child = spawn(
        process.execPath,
        [
          ...(process.env.BENCH_CPU_PROF
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
            : []),
          '--import',
          'tsx',
          path.resolve('bench/first-pull-child.ts'),
          server.url,
          code,
          mode,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      if (status !== 0) throw new Error(`first-pull child failed:\n${out}`);
      const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
        seconds: number;
        accounts: number;
        peakRssMb: number;
      };
      const load = round((load0 + os.loadavg()[0]!) / 2, 2);
      const how = mode === 'snapshot' ? 'snapshot' : 'change-log replay';
      figures.push(
        {
          name: `first pull of ${r.accounts.toLocaleString('en-US')} accounts into a new terminal (${how})`,
          value: round(r.seconds, 1),
          unit: 's',
          budget: '< 30 s',
          ok: r.seconds < 30,
          load,
        },
        { name: `  rate (${how})`, value: Math.round(r.accounts / r.seconds), unit: 'acct/s', load },
        { name: `  counter peak RSS (${how})`, value: round(r.peakRssMb, 0), unit: 'MB', load },
      );
    }
  } finally {
    await server.stop();
  }
  return figures;
}
