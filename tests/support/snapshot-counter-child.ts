/**
 * Child process for the snapshot fault test: opens an enrolled, never-pulled counter on a data folder
 * (the enrollment already saved there) and lets its sync worker take the first pull, staging
 * `stageRows` rows per commit; prints "pulled" when it is done, unless the parent SIGKILLs it first.
 */
import { quietCounterHost } from './child-host.js';
import { fixedClock } from '../../electron/services/clock.js';
import { TEST_NOW } from './counter.js';

const [dataDir, stageRows] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: snapshot-counter-child <dataDir> [stageRows]');

const host = await quietCounterHost(dataDir, {
  clock: fixedClock(TEST_NOW, 'America/Chicago'),
  server: {
    pullIntervalMs: 3_600_000,
    snapshotStageRows: Number(stageRows ?? 20_000),
    backoff: { baseMs: 50, capMs: 400 },
    requestTimeoutMs: 10_000,
  },
});
process.stdout.write('ready\n');
while (!(await host.ctx.db('settings').where('key', 'sync.lastPullAt').first())) {
  await new Promise((r) => setTimeout(r, 20));
}
await host.close();
process.stdout.write('pulled\n');
process.exit(0);
