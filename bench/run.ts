/**
 * `npm run bench`: every benchmark, one after another, printing its figures against the budgets of
 * DESIGN.md §8. Figures, never pass/fail tests: a slow machine prints slower numbers.
 */
import { runFirstPullBench } from './first-pull.js';
import { runLookupBench } from './lookup.js';
import { runPeersBench } from './peers.js';
import { runRendererSize } from './renderer-size.js';
import { runServerIngestBench } from './server-ingest.js';
import { runSyncDrainBench } from './sync-drain.js';
import { printFigures } from './util.js';

const only = process.argv[2];

if (!only || only === 'renderer') printFigures('Renderer', runRendererSize());
if (!only || only === 'counter') printFigures('Counter (1,000,000-account replica)', await runLookupBench());
if (!only || only === 'sync') {
  printFigures('Sync (PostgreSQL at 127.0.0.1:5432)', [
    ...(await runSyncDrainBench()),
    ...(await runServerIngestBench()),
  ]);
}
// The peer comparison installs its own packages (bench/peers/) and takes a few minutes: only on request.
if (only === 'peers') printFigures('Drain against a peer (same run, alternating)', await runPeersBench());
if (!only || only === 'first-pull')
  printFigures('First pull (PostgreSQL server, new terminal)', await runFirstPullBench());
