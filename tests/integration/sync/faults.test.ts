/**
 * Faults, against PostgreSQL: nothing lost, nothing doubled, totals equal to the cent.
 * - 500 payments taken while the server is down, then it comes up;
 * - the server SIGKILLed in the middle of a batch (inside its DB transaction), then restarted;
 * - the counter SIGKILLed mid-push (its batch committed on the server, the answer never recorded);
 * - a TCP proxy that drops connections, delays, stalls and cuts answers after the server committed.
 */
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { Status } from '../../../shared/api/status.js';
import type { CounterHost } from '../../../electron/host/create-host.js';
import { openServerDb, type DbConfig, type ServerDb } from '../../../server/src/db/connection.js';
import { signInWithTill, startTestHost } from '../../support/counter.js';
import { expectExactlyOnce, expectReplicaEqualsServer } from '../../support/sync-checks.js';
import { call, enrollCounter, FAST_SYNC, freePort, outboxCounts } from '../../support/sync-server.js';
import { postPayments, seededDb, signedIn, spawnCounter, spawnServer } from '../../support/sync-server.js';
import { startServer, syncRig, waitFor, waitForOutput } from '../../support/sync-server.js';
import type { ServerProcess } from '../../support/sync-server.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';

const ACCOUNTS = 100;
const MONTHS = 3;

const rig = syncRig('countertop-faults-');
let db: DbConfig;
let serverDb: ServerDb;

beforeAll(async () => {
  const seeded = await seededDb('pg', rig.dir, { name: 'faults', accounts: ACCOUNTS, months: MONTHS });
  rig.onClose(() => seeded.drop());
  db = seeded.db;
  serverDb = await openServerDb(db);
  rig.onClose(() => serverDb.close());
}, 60_000);

async function server(port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await spawnServer({ db, port, env });
  rig.onClose(() => s.kill('SIGKILL'));
  return s;
}

/** A counter with patient timeouts (a server child restarts under it). */
function counter(name: string, server: Record<string, unknown> = {}): ReturnType<typeof rig.counter> {
  return rig.counter(name, {
    demo: { count: ACCOUNTS, months: MONTHS },
    server: { ...FAST_SYNC, backoff: { baseMs: 50, capMs: 500 }, requestTimeoutMs: 10_000, ...server },
  });
}

async function terminalIdOf(h: CounterHost): Promise<string> {
  return (await call<{ terminalId: string }>(h, await signedIn(h, '2001', '2468'), 'sync.enrollment'))
    .terminalId;
}

const drained = (h: CounterHost) => async () => (await outboxCounts(h)).queued === undefined;

describe('faults (PostgreSQL)', () => {
  it('500 payments taken while the server is down all arrive exactly once when it comes back', async () => {
    const port = await freePort();
    let srv = await server(port);
    const h = await counter('outage', { pushBatchSize: 100 });
    await enrollCounter(h, serverDb, srv.url);
    const csr = await signInWithTill(h);
    await waitFor('till event sent', drained(h));

    await srv.kill('SIGKILL');
    await postPayments(h, csr, 500);
    const offline = await call<Status>(h, csr, 'status.get');
    expect(offline.sync).toMatchObject({ state: 'offline', queued: 500 });
    expect(
      (await serverDb
        .knex('transactions')
        .where({ terminal_id: await terminalIdOf(h), kind: 'payment' })
        .count({ n: '*' })
        .first()) as { n: number },
    ).toEqual({ n: 0 });

    srv = await server(port);
    await waitFor('drain', drained(h), 90_000);
    expect((await call<Status>(h, csr, 'status.get')).sync).toMatchObject({
      state: 'online',
      queued: 0,
      rejected: 0,
    });
    await expectExactlyOnce(h, serverDb, await terminalIdOf(h));
  }, 180_000);

  it('the server SIGKILLed in the middle of a batch, then restarted: nothing lost, nothing doubled', async () => {
    const port = await freePort();
    const slow = { COUNTERTOP_FAULT_COMMIT_DELAY_MS: '400' };
    let srv = await server(port, slow);
    const h = await counter('server-kill', { pushBatchSize: 40 });
    await enrollCounter(h, serverDb, srv.url);
    const csr = await signInWithTill(h);
    await postPayments(h, csr, 240);
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      // The batch is applied and the transaction is open, holding before COMMIT: kill it there.
      const seen = (srv.output().match(/holding the push transaction/g) ?? []).length;
      await waitFor(
        'a batch in flight',
        () => (srv.output().match(/holding the push transaction/g) ?? []).length > seen,
        30_000,
        5,
      );
      await srv.kill('SIGKILL');
      kills++;
      srv = await server(port, round < 2 ? slow : {});
    }
    expect(kills).toBe(3);
    await waitFor('drain', drained(h), 90_000);
    await expectExactlyOnce(h, serverDb, await terminalIdOf(h));
  }, 180_000);

  it('the counter SIGKILLed mid-push, then restarted: the committed batch is acked as a replay, never applied twice', async () => {
    const port = await freePort();
    let srv = await server(port);
    const dataDir = path.join(rig.dir, 'counter-kill');
    // Prepare: an enrolled counter with 200 payments queued while the server was away.
    {
      const h = await startTestHost({
        dataDir,
        demo: { count: ACCOUNTS, months: MONTHS },
        server: { pullIntervalMs: 3_600_000 },
      });
      await enrollCounter(h, serverDb, srv.url);
      const csr = await signInWithTill(h);
      await waitFor('till event sent', drained(h));
      await srv.kill('SIGKILL');
      await postPayments(h, csr, 200);
      await h.close();
    }
    srv = await server(port, { COUNTERTOP_FAULT_COMMIT_DELAY_MS: '300', LOG_LEVEL: 'info' });
    for (let round = 0; round < 3; round++) {
      const child = spawnCounter(dataDir, srv.url, 40);
      const seen = (srv.output().match(/holding the push transaction/g) ?? []).length;
      await waitFor(
        'a push in flight',
        () => (srv.output().match(/holding the push transaction/g) ?? []).length > seen,
        60_000,
        5,
      );
      child.child.kill('SIGKILL');
      await child.exited;
    }
    // The server committed what it was holding; the killed counter never recorded those answers.
    await waitForOutput(srv, /holding the push transaction/);
    const child = spawnCounter(dataDir, srv.url, 40);
    await child.waitFor(/drained/, 120_000);
    expect(await child.exited).toBe(0);
    expect(srv.output()).toMatch(/replayed events acked again/);

    const h = await startTestHost({ dataDir, demo: null, server: { pullIntervalMs: 3_600_000 } });
    rig.onClose(() => h.close());
    await expectExactlyOnce(h, serverDb, await terminalIdOf(h));
  }, 240_000);

  it('through a proxy that drops, delays, stalls and cuts answers after the commit: exactly once', async () => {
    const replays: number[] = [];
    const srv = await startServer(db, { config: { push: { observe: (i) => replays.push(i.replays) } } });
    rig.onClose(() => srv.stop());
    const target = new URL(srv.url);
    const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    rig.onClose(() => proxy.close());
    const h = await counter('proxy', {
      pushBatchSize: 20,
      requestTimeoutMs: 1500,
      backoff: { baseMs: 20, capMs: 200 },
      pullIntervalMs: 300,
    });
    await enrollCounter(h, serverDb, proxy.url);
    const csr = await signInWithTill(h);
    proxy.setFaults({ dropRate: 0.2, delayMs: [0, 25], cutResponseRate: 0.2, stallRate: 0.03 });
    await postPayments(h, csr, 300);
    await waitFor(
      'answers cut after commit, then resent',
      () => proxy.stats.cutResponses >= 3 && replays.some((r) => r > 0),
      90_000,
    );
    proxy.setFaults({ dropRate: 0, delayMs: [0, 0], cutResponseRate: 0, stallRate: 0 });
    await waitFor('drain', drained(h), 90_000);
    expect(proxy.stats.dropped).toBeGreaterThan(0);
    await expectExactlyOnce(h, serverDb, await terminalIdOf(h));
    // Pulls ran through the same faults: one clean pull and the replica equals the server. The
    // counter's 1.5 s request timeout can still lapse on a loaded machine; the supervisor asks again.
    const supervisor = await signedIn(h, '2001', '2468');
    await waitFor('a clean pull', () =>
      call(h, supervisor, 'sync.pullNow').then(
        () => true,
        () => false,
      ),
    );
    await expectReplicaEqualsServer(h, serverDb);
  }, 180_000);
});
