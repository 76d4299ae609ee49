/**
 * The counter side of the first-pull benchmark, in a process of its own so its peak RSS is the
 * counter's alone: opens a new terminal with a one-time code, waits for the first pull to finish and
 * prints one JSON line (seconds, accounts, peak RSS).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { quietCounterHost } from '../tests/support/child-host.js';

const [url, code, mode] = process.argv.slice(2);
if (!url || !code) throw new Error('usage: first-pull-child <serverUrl> <enrollCode> [snapshot|log]');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-first-pull-'));
try {
  const started = process.hrtime.bigint();
  const host = await quietCounterHost(dataDir, {
    server: {
      url,
      enrollCode: code,
      pullIntervalMs: 3_600_000,
      firstPullSnapshot: mode !== 'log',
      ...(process.env.BENCH_PULL_PAGE ? { pullPageSize: Number(process.env.BENCH_PULL_PAGE) } : {}),
    },
  });
  for (;;) {
    const done = await host.ctx.db('settings').where('key', 'sync.lastPullAt').first();
    if (done) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const n = Number(((await host.ctx.db('accounts').count({ n: '*' }).first()) as { n: number }).n);
  await host.close();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ seconds, accounts: n, peakRssMb }));
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
