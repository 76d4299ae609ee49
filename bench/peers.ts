/**
 * `npm run bench -- peers`: the drain against a peer doing the same job in the same run. The peer is
 * PouchDB replicating to express-pouchdb (the CouchDB replication protocol over loopback HTTP, both
 * ends on LevelDB), installed on demand into bench/peers/ (its own package.json; never part of the
 * app's dependencies). The same 10,000 payment documents go both ways, alternating peer and drain
 * rounds so both see the same machine; the figure that holds across runs is drain / peer.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { drainOnce, drainPayloads } from './sync-drain.js';
import { listeningChild, round, type Figure } from './util.js';

const PEERS_DIR = path.resolve('bench/peers');
const EVENTS = Number(process.env.BENCH_DRAIN_EVENTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_PEER_ROUNDS ?? 3);

function ensurePeersInstalled(): void {
  if (fs.existsSync(path.join(PEERS_DIR, 'node_modules', 'express-pouchdb', 'package.json'))) return;
  console.log('installing the peer (PouchDB + express-pouchdb) into bench/peers/ …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('npm install --prefix bench/peers failed');
}

/** One replication of `docsFile` into a new express-pouchdb server; seconds and documents written. */
async function peerOnce(docsFile: string): Promise<{ seconds: number; written: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-bench-peer-'));
  fs.mkdirSync(path.join(dir, 'server'));
  const server = spawn(process.execPath, [path.join(PEERS_DIR, 'server.mjs'), path.join(dir, 'server')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = listeningChild(server, 'peer server');
  try {
    const url = await started.url;
    const r = spawnSync(
      process.execPath,
      [path.join(PEERS_DIR, 'replicate.mjs'), dir, docsFile, `${url}/payments`],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    if (r.status !== 0) throw new Error(`peer replication failed:\n${r.stderr}`);
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
      seconds: number;
      docsWritten: number;
      remoteDocs: number;
    };
    if (res.remoteDocs !== res.docsWritten) throw new Error(`peer: ${res.remoteDocs} of ${res.docsWritten}`);
    return { seconds: res.seconds, written: res.remoteDocs };
  } finally {
    server.kill('SIGTERM');
    await started.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function runPeersBench(): Promise<Figure[]> {
  ensurePeersInstalled();
  const payloads = drainPayloads(EVENTS);
  const docsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-bench-docs-'));
  const docsFile = path.join(docsDir, 'payments.ndjson');
  fs.writeFileSync(docsFile, payloads.map((p) => JSON.stringify({ _id: p.transactionId, ...p })).join('\n'));
  const figures: Figure[] = [];
  const drains: number[] = [];
  const peers: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // Peer first in even rounds, drain first in odd ones: neither always runs on a warmer machine.
      const order = r % 2 === 0 ? (['peer', 'drain'] as const) : (['drain', 'peer'] as const);
      for (const which of order) {
        const load0 = os.loadavg()[0]!;
        if (which === 'peer') {
          const { seconds, written } = await peerOnce(docsFile);
          peers.push(seconds);
          const load = round((load0 + os.loadavg()[0]!) / 2, 2);
          figures.push({
            name: `round ${r + 1}: peer, PouchDB -> express-pouchdb, ${written.toLocaleString('en-US')} docs`,
            value: round(seconds, 2),
            unit: 's',
            load,
          });
        } else {
          const { seconds, applied } = await drainOnce(payloads);
          drains.push(seconds);
          const load = round((load0 + os.loadavg()[0]!) / 2, 2);
          figures.push({
            name: `round ${r + 1}: drain to the server (PostgreSQL), ${applied.toLocaleString('en-US')} applied`,
            value: round(seconds, 2),
            unit: 's',
            ok: applied === EVENTS,
            load,
          });
        }
      }
    }
  } finally {
    fs.rmSync(docsDir, { recursive: true, force: true });
  }
  const ratio = median(drains) / median(peers);
  figures.push(
    { name: 'drain, median', value: round(median(drains), 2), unit: 's' },
    { name: 'peer, median', value: round(median(peers), 2), unit: 's' },
    {
      name: 'drain / peer (same run)',
      value: round(ratio, 2),
      unit: 'x',
      budget: '<= 0.5x (design goal)',
      ok: ratio <= 0.5,
    },
  );
  return figures;
}
