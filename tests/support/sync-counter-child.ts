/**
 * Child process for the sync fault tests: opens an enrolled counter on a data folder and lets its sync
 * worker push until the outbox is empty, printing "queued <n>" as it drains and "drained" at the end,
 * unless the parent kills it with SIGKILL first (mid-push).
 */
import { quietCounterHost } from './child-host.js';
import { fixedClock } from '../../electron/services/clock.js';
import { TEST_NOW } from './counter.js';

const [dataDir, serverUrl, batch] = process.argv.slice(2);
if (!dataDir || !serverUrl) throw new Error('usage: sync-counter-child <dataDir> <serverUrl> [batchSize]');

const host = await quietCounterHost(dataDir, {
  clock: fixedClock(TEST_NOW, 'America/Chicago'),
  server: {
    url: serverUrl,
    pushBatchSize: Number(batch ?? 50),
    backoff: { baseMs: 50, capMs: 400 },
    requestTimeoutMs: 10_000,
    pullIntervalMs: 3_600_000,
  },
});
process.stdout.write('ready\n');
let last = -1;
for (;;) {
  const row = (await host.ctx.db('outbox').where('state', 'queued').count({ n: '*' }).first()) as {
    n: number;
  };
  const n = Number(row.n);
  if (n !== last) process.stdout.write(`queued ${n}\n`);
  last = n;
  if (n === 0) break;
  await new Promise((r) => setTimeout(r, 20));
}
await host.close();
process.stdout.write('drained\n');
process.exit(0);
