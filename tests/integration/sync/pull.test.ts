/**
 * Pull on PostgreSQL: a new terminal's first pull pages through everything and its replica equals the
 * server; while several terminals push at once, with commits held back at random so they land out of
 * order, a reader pulling all the time never skips a version; the deltas bring the counter level again.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import type { CounterHost } from '../../../electron/host/create-host.js';
import type { ServerDb } from '../../../server/src/db/connection.js';
import { createEnrollmentCode } from '../../../server/src/domain/enroll.js';
import { PullResponseSchema, PushResponseSchema, type PushEvent } from '../../../shared/sync/protocol.js';
import { startTestHost } from '../../support/counter.js';
import { expectReplicaEqualsServer } from '../../support/sync-checks.js';
import { paymentEvent } from '../../support/sync-events.js';
import { call, firstPull, signedIn, syncRig, type RunningServer } from '../../support/sync-server.js';

const ACCOUNTS = 150;

const rig = syncRig('countertop-pull-');
let serverDb: ServerDb;
let srv: RunningServer;
let host: CounterHost | null = null;

beforeAll(async () => {
  // Every push holds its transaction open for a random moment after taking its versions, so that
  // transactions commit in a different order than they started.
  srv = await rig.server('pg', {
    name: 'pull',
    accounts: ACCOUNTS,
    months: 6,
    poolMax: 12,
    config: { push: { beforeCommit: () => new Promise((r) => setTimeout(r, Math.random() * 40)) } },
  });
  serverDb = srv.db;
}, 60_000);

afterAll(async () => {
  await host?.close();
}, 60_000);

async function enrollTerminal(branch: string, code: string): Promise<{ terminalId: string; token: string }> {
  const { code: enrollCode } = await createEnrollmentCode(serverDb, { branch });
  const res = await fetch(`${srv.url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: enrollCode, terminalCode: code, terminalName: code, branch, nextSeq: 1 }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { terminalId: string; token: string };
}

type Replica = Map<string, { version: number; data: unknown; op: string }>;

async function pullInto(
  replica: Replica,
  token: string,
  cursor: number,
  limit: number,
): Promise<{ cursor: number; hasMore: boolean }> {
  const res = await fetch(`${srv.url}/v1/sync/pull?cursor=${cursor}&limit=${limit}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const page = PullResponseSchema.parse(await res.json());
  for (const c of page.changes)
    replica.set(`${c.entity}:${c.key}`, { version: c.version, data: c.data, op: c.op });
  return { cursor: page.cursor, hasMore: page.hasMore };
}

async function serverChangeLog(): Promise<Replica> {
  const rows = (await serverDb
    .knex('change_log')
    .select('entity', 'entity_key', 'version', 'op', 'data')) as {
    entity: string;
    entity_key: string;
    version: number;
    op: string;
    data: string | null;
  }[];
  return new Map(
    rows.map((r) => [
      `${r.entity}:${r.entity_key}`,
      { version: Number(r.version), data: r.data === null ? null : JSON.parse(r.data), op: r.op },
    ]),
  );
}

describe('pull (PostgreSQL)', () => {
  it('a new terminal pages through everything on its first pull; its replica equals the server', async () => {
    const { code } = await createEnrollmentCode(serverDb, { branch: 'MAIN' });
    host = await startTestHost({
      dataDir: path.join(rig.dir, 'counter'),
      demo: null,
      server: {
        url: srv.url,
        enrollCode: code,
        pullPageSize: 700,
        pullIntervalMs: 3_600_000,
        backoff: { baseMs: 50, capMs: 300 },
      },
    });
    await firstPull(host);
    const cursor = Number(
      ((await host.ctx.db('settings').where('key', 'sync.cursor').first('value')) as { value: string }).value,
    );
    const total = (await serverDb.knex('change_log').count({ n: '*' }).first()) as { n: number };
    expect(Number(total.n)).toBeGreaterThan(700 * 3);
    expect(cursor).toBe(
      Number(((await serverDb.knex('sync_state').first('value')) as { value: number }).value),
    );
    await expectReplicaEqualsServer(host, serverDb);
  });

  it('while 8 terminals push at once and commit out of order, a reader pulling all the time never skips a version', async () => {
    const terminals = await Promise.all(
      Array.from({ length: 8 }, (_, i) => enrollTerminal(i % 2 ? 'NORTH' : 'MAIN', `T-${i}`)),
    );
    const reader = await enrollTerminal('MAIN', 'READER');
    const replica: Replica = new Map();
    let cursor = 0;
    for (let more = true; more;)
      ({ cursor, hasMore: more } = await pullInto(replica, reader.token, cursor, 2000));

    let writing = true;
    let pulls = 0;
    const readerLoop = (async () => {
      while (writing) {
        ({ cursor } = await pullInto(replica, reader.token, cursor, 37));
        pulls++;
      }
    })();
    let seqs = 0;
    await Promise.all(
      terminals.map(async (t, i) => {
        const branch = i % 2 ? 'NORTH' : 'MAIN';
        for (let b = 0; b < 8; b++) {
          const events: PushEvent[] = Array.from({ length: 15 }, (_, k) =>
            paymentEvent(b * 15 + k + 1, {
              accountNumber: demoAccountNumber(Math.floor(Math.random() * ACCOUNTS)),
              amountCents: 100 + Math.floor(Math.random() * 5000),
              branch,
              terminalCode: `T-${i}`,
            }),
          );
          const res = await fetch(`${srv.url}/v1/sync/push`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
            body: JSON.stringify({ terminalId: t.terminalId, events }),
          });
          expect(res.status).toBe(200);
          expect(PushResponseSchema.parse(await res.json()).rejected).toEqual([]);
          seqs += events.length;
        }
      }),
    );
    writing = false;
    await readerLoop;
    for (let more = true; more;)
      ({ cursor, hasMore: more } = await pullInto(replica, reader.token, cursor, 500));
    expect(seqs).toBe(8 * 8 * 15);
    expect(pulls).toBeGreaterThan(5);
    // Every entity at its latest version with its latest data: nothing was skipped.
    const log = await serverChangeLog();
    expect(replica.size).toBe(log.size);
    for (const [key, entry] of log) {
      const got = replica.get(key);
      if (!key.startsWith('cashier:') || !got?.data) {
        expect(got, key).toEqual(entry);
        continue;
      }
      // Cashiers come with this terminal's PIN verifier, which the change log never holds.
      const { pinVerifier, ...data } = got.data as { pinVerifier: string };
      expect(pinVerifier, key).toMatch(/^tv1\$/);
      expect({ ...got, data }, key).toEqual(entry);
    }

    // The counter catches up with a delta pull and equals the server again.
    await call(host!, await signedIn(host!, '2001', '2468'), 'sync.pullNow');
    await expectReplicaEqualsServer(host!, serverDb);
  }, 120_000);
});
