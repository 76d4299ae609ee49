/**
 * A new terminal's first pull from the server's snapshot (PostgreSQL): the replica equals the server
 * and then follows the change log; a snapshot cut mid-stream resumes after the last staged row; a
 * counter killed mid-snapshot finishes it after a restart; and at no moment does the counter's replica
 * hold part of a snapshot (staging only, swapped in one transaction).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import knexFactory, { type Knex } from 'knex';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_TERMINAL } from '../../../electron/host/create-host.js';
import { fileCredentialStore } from '../../../electron/services/sync/credentials.js';
import { demoAccountNumber } from '../../../resources/demo/generate.js';
import type { ServerDb } from '../../../server/src/db/connection.js';
import { createEnrollmentCode, enrollTerminal } from '../../../server/src/domain/enroll.js';
import { PushResponseSchema } from '../../../shared/sync/protocol.js';
import { startTestHost } from '../../support/counter.js';
import { expectReplicaEqualsServer } from '../../support/sync-checks.js';
import { paymentEvent } from '../../support/sync-events.js';
import {
  call,
  firstPull,
  signedIn,
  syncRig,
  waitFor,
  type RunningServer,
} from '../../support/sync-server.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';

const ACCOUNTS = 400;

const rig = syncRig('countertop-snapshot-');
let serverDb: ServerDb;
let srv: RunningServer;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  srv = await rig.server('pg', { name: 'snapshot', accounts: ACCOUNTS, months: 6, poolMax: 8 });
  serverDb = srv.db;
}, 120_000);

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Enrolls a terminal on the server and saves its enrollment into `dataDir`, as `sync.enroll` would. */
async function enrollInto(
  dataDir: string,
  serverUrl: string,
  code: string,
): Promise<{ terminalId: string; token: string }> {
  const { code: enrollCode } = await createEnrollmentCode(serverDb, { branch: 'MAIN' });
  const res = await enrollTerminal(serverDb, {
    code: enrollCode,
    terminalCode: code,
    terminalName: code,
    branch: 'MAIN',
    nextSeq: 1,
  });
  fileCredentialStore(path.join(dataDir, 'sync')).save({
    serverUrl,
    terminalId: res.terminalId,
    token: res.token,
    branch: 'MAIN',
    serverId: res.serverId,
    enrolledAt: new Date().toISOString(),
  });
  return { terminalId: res.terminalId, token: res.token };
}

/** Every URL the counter (in this process) asks for; requests pass through untouched. */
function recordRequests(): string[] {
  const urls: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return original(input, init);
  };
  cleanups.push(() => Promise.resolve((globalThis.fetch = original)));
  return urls;
}

/** Reads a counter database file from outside its process (WAL: never blocks the writer). */
function openReader(dataDir: string): Knex {
  const k = knexFactory({
    client: 'sqlite3',
    connection: { filename: path.join(dataDir, 'counter.db') },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  cleanups.push(() => k.destroy());
  return k;
}

type Look = { staged: { loaded: number; after: unknown } | null; accounts: number };

/** The staging state and the replica's account count, read together in one read transaction. */
async function look(k: Knex): Promise<Look> {
  return k.transaction(async (trx) => {
    const s = (await trx('settings').where('key', 'sync.snapshot').first('value')) as
      { value: string } | undefined;
    const a = (await trx('accounts').count({ n: '*' }).first()) as { n: number };
    return { staged: s ? (JSON.parse(s.value) as Look['staged']) : null, accounts: Number(a.n) };
  });
}

/** Samples `look` until stopped; any moment with a snapshot staged AND accounts in the replica is a violation. */
function watchNeverHalfUsed(k: Knex): { stop(): Promise<Look[]> } {
  const seen: Look[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        seen.push(await look(k));
      } catch {
        // the file may not have its tables yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

describe('first pull from a snapshot', () => {
  it('loads the snapshot, equals the server, then follows the change log from its version', async () => {
    const dataDir = path.join(rig.dir, 'plain');
    fs.mkdirSync(dataDir, { recursive: true });
    // Enrolled under the counter's own terminal code: its cashiers' PIN verifiers are derived for it.
    await enrollInto(dataDir, srv.url, DEFAULT_TERMINAL.code);
    const urls = recordRequests();
    const h = await startTestHost({ dataDir, demo: null, server: { pullIntervalMs: 3_600_000 } });
    cleanups.push(() => h.close());
    await firstPull(h, 60_000);

    expect(urls.filter((u) => u.includes('/v1/sync/snapshot'))).toHaveLength(1);
    expect(urls.some((u) => u.includes('/v1/sync/pull?cursor=0&'))).toBe(false);
    await expectReplicaEqualsServer(h, serverDb);
    expect(Number((await h.ctx.db('accounts').count({ n: '*' }).first())!.n)).toBe(ACCOUNTS);
    expect(await h.ctx.db('snapshot_rows').first()).toBeUndefined();
    expect(await h.ctx.db('settings').where('key', 'sync.snapshot').first()).toBeUndefined();
    // The search index was built at the swap.
    const supervisor = await signedIn(h, '2001', '2468');
    const name = (await h.ctx.db('accounts').first('name')) as { name: string };
    const found = await call<{ results: { name: string }[] }>(h, supervisor, 'accounts.search', {
      query: name.name.split(' ')[0],
    });
    expect(found.results.map((r) => r.name)).toContain(name.name);

    // Another terminal's payments land on the server; the next pull brings them through the change log.
    const other = await enrollInto(path.join(rig.dir, 'other'), srv.url, 'SNAP-02');
    const events = [1, 2, 3].map((i) =>
      paymentEvent(i, {
        accountNumber: demoAccountNumber(i),
        amountCents: 1000 + i,
        terminalCode: 'SNAP-02',
      }),
    );
    const res = await fetch(`${srv.url}/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other.token}` },
      body: JSON.stringify({ terminalId: other.terminalId, events }),
    });
    expect(PushResponseSchema.parse(await res.json()).acked).toHaveLength(3);
    await call(h, supervisor, 'sync.pullNow');
    await expectReplicaEqualsServer(h, serverDb);
    expect(urls.filter((u) => u.includes('/v1/sync/snapshot'))).toHaveLength(1);
  }, 120_000);

  it('cut mid-stream: resumes after the last staged row, and the replica is never half a snapshot', async () => {
    const dataDir = path.join(rig.dir, 'cut');
    fs.mkdirSync(dataDir, { recursive: true });
    const target = new URL(srv.url);
    const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    cleanups.push(() => proxy.close());
    await enrollInto(dataDir, proxy.url, DEFAULT_TERMINAL.code);
    const urls = recordRequests();
    // Every connection is cut after 40 kB of answer: the snapshot stream, each time, part-way through.
    proxy.setFaults({ cutResponseAfterBytes: 40_000 });
    const h = await startTestHost({
      dataDir,
      demo: null,
      server: {
        pullIntervalMs: 3_600_000,
        snapshotStageRows: 150,
        backoff: { baseMs: 20, capMs: 100 },
        requestTimeoutMs: 3000,
      },
    });
    cleanups.push(() => h.close());
    const watch = watchNeverHalfUsed(openReader(dataDir));
    await waitFor(
      'a snapshot cut after some rows were staged, and resumed',
      () => proxy.stats.cutResponses >= 1 && urls.some((u) => u.includes('/v1/sync/snapshot?afterEntity=')),
      90_000,
    );
    await firstPull(h, 90_000);
    expect(proxy.stats.cutResponses).toBeGreaterThan(1);
    const seen = await watch.stop();

    expect(seen.filter((s) => s.staged !== null && s.accounts > 0)).toEqual([]);
    expect(seen.some((s) => s.staged !== null && s.staged.loaded > 0)).toBe(true);
    await expectReplicaEqualsServer(h, serverDb);
    expect(await h.ctx.db('snapshot_rows').first()).toBeUndefined();
  }, 180_000);

  it('counter killed mid-snapshot: nothing half-used, and the restarted counter finishes it', async () => {
    const dataDir = path.join(rig.dir, 'killed');
    fs.mkdirSync(dataDir, { recursive: true });
    const target = new URL(srv.url);
    // Slow enough that the stream is still running when the counter dies.
    const proxy = await startTcpProxy(
      { host: target.hostname, port: Number(target.port) },
      { delayMs: [20, 40] },
    );
    cleanups.push(() => proxy.close());
    await enrollInto(dataDir, proxy.url, DEFAULT_TERMINAL.code);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('tests/support/snapshot-counter-child.ts'), dataDir, '150'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const reader = openReader(dataDir);
    await waitFor('ready', () => out.includes('ready'), 60_000);
    await waitFor(
      'rows staged',
      async () => {
        try {
          const s = await look(reader);
          return s.staged !== null && s.staged.loaded >= 300;
        } catch {
          return false;
        }
      },
      90_000,
      5,
    );
    child.kill('SIGKILL');
    await exited;
    expect(out).not.toContain('pulled');
    const after = await look(reader);
    expect(after.staged).not.toBeNull();
    expect(after.accounts).toBe(0);

    proxy.setFaults({ delayMs: [0, 0] });
    const urls = recordRequests();
    const h = await startTestHost({ dataDir, demo: null, server: { pullIntervalMs: 3_600_000 } });
    cleanups.push(() => h.close());
    await firstPull(h, 90_000);
    // Resumed after what the killed counter had staged, not started over.
    expect(urls.filter((u) => u.includes('/v1/sync/snapshot?afterEntity='))).toHaveLength(1);
    await expectReplicaEqualsServer(h, serverDb);
  }, 180_000);
});
