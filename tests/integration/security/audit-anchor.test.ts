/**
 * The audit log's head is anchored on the server. A counter whose log was cut short (the last payment
 * deleted with its audit entry: the local chain and ledger still verify) or rewritten with its chain
 * recomputed (still verifies locally) is caught by `audit:verify` against the server's anchor; a head
 * that contradicts an anchor the server holds is an alert in the server's `verify`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import type { CounterHost } from '../../../electron/host/create-host.js';
import { auditHead } from '../../../electron/services/audit/audit.js';
import { auditExitCode, verifyCounterAudit } from '../../../electron/services/audit/verify.js';
import { lookUpAnchorFromFiles } from '../../../electron/services/sync/anchor.js';
import { openCounterDb } from '../../../electron/services/db/connection.js';
import { latestAnchor } from '../../../server/src/domain/anchors.js';
import { verify } from '../../../server/src/domain/verify.js';
import { signInWithTill, startTestHost, tempDir } from '../../support/counter.js';
import { pgServer, sqliteServer } from '../../support/server-setup.js';
import {
  call,
  enrollCounter,
  outboxCounts,
  FAST_SYNC,
  paymentInput,
  signedIn,
  startSqliteServer,
  waitFor,
  type RunningServer,
} from '../../support/sync-server.js';

let dir: string;
let s: RunningServer;
beforeAll(async () => {
  dir = tempDir('countertop-anchor-');
  s = await startSqliteServer(dir, 30);
});
afterAll(async () => {
  await s.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A counter that took `n` payments, all pushed, its head anchored; closed again. Returns its data folder. */
type OnScreen = { anchor: string; anchorOk: boolean | null };
async function syncedCounter(
  name: string,
  n: number,
): Promise<{ dataDir: string; terminalId: string; onScreen: OnScreen }> {
  const dataDir = path.join(dir, name);
  const h: CounterHost = await startTestHost({ dataDir, demo: { count: 30 }, server: FAST_SYNC });
  try {
    await enrollCounter(h, s.db, s.url);
    const csr = await signInWithTill(h);
    for (let i = 0; i < n; i++)
      await call(h, csr, 'payments.post', paymentInput(i, demoAccountNumber(i + 1)));
    await waitFor('pushed', async () => (await outboxCounts(h)).queued === undefined);
    const terminalId = (
      JSON.parse(fs.readFileSync(path.join(dataDir, 'sync', 'enrollment.json'), 'utf8')) as {
        terminalId: string;
      }
    ).terminalId;
    const head = await auditHead(h.ctx.db);
    await waitFor('anchored', async () => (await latestAnchor(s.db.knex, terminalId))?.hash === head?.hash);
    // What the supervisor's till screen (A) says, from the running counter's own enrollment.
    const onScreen = await call<OnScreen>(h, await signedIn(h, '2001', '2468'), 'audit.verify');
    return { dataDir, terminalId, onScreen };
  } finally {
    await h.close();
  }
}

async function withDb<T>(
  dataDir: string,
  fn: (db: Awaited<ReturnType<typeof openCounterDb>>) => Promise<T>,
): Promise<T> {
  const db = await openCounterDb(path.join(dataDir, 'counter.db'));
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Rewrites every hash from entry `fromSeq` on, as someone who knows the hash recipe would. */
async function recomputeChain(db: Awaited<ReturnType<typeof openCounterDb>>, fromSeq: number): Promise<void> {
  const rows = (await db('audit_log').orderBy('seq').select('*')) as Record<string, string | number | null>[];
  let prev = '0'.repeat(64);
  for (const r of rows) {
    if ((r.seq as number) >= fromSeq) {
      const canonical = JSON.stringify([
        r.id,
        r.at,
        r.actor,
        r.action,
        r.entity_type,
        r.entity_id,
        r.approved_by,
        r.details,
        prev,
      ]);
      const hash = createHash('sha256').update(canonical).digest('hex');
      await db('audit_log').where('seq', r.seq).update({ prev_hash: prev, hash });
      r.hash = hash;
    }
    prev = r.hash as string;
  }
}

describe('audit:verify against the server anchor', () => {
  it('passes an untouched counter, and names a log cut short at its end', async () => {
    const { dataDir, onScreen } = await syncedCounter('cut', 3);
    expect(onScreen).toMatchObject({
      anchorOk: true,
      anchor: expect.stringMatching(/Matches the server's anchor/),
    });
    const before = await withDb(dataDir, (db) =>
      verifyCounterAudit(db, () => lookUpAnchorFromFiles(dataDir)),
    );
    expect(before.chain.ok).toBe(true);
    expect(before.anchor).toMatchObject({ ok: true });
    expect(auditExitCode(before, true)).toBe(0);

    // The last payment goes, with everything of it and every audit entry from its own on: the chain
    // is still whole from the start and no transaction lacks its entry, so the local check passes.
    await withDb(dataDir, async (db) => {
      await db.raw('PRAGMA foreign_keys = OFF'); // whoever edits the file is not bound by them
      const entry = (await db('audit_log')
        .where('action', 'payment.post')
        .orderBy('seq', 'desc')
        .first('seq')) as {
        seq: number;
      };
      const gone = (await db('audit_log')
        .where('seq', '>=', entry.seq)
        .whereNotNull('entity_id')
        .pluck('entity_id')) as string[];
      for (const t of ['journal_lines', 'transaction_tenders', 'allocations', 'receipts', 'outbox'])
        if ((await db.schema.hasTable(t)) && (await db.schema.hasColumn(t, 'transaction_id')))
          await db(t).whereIn('transaction_id', gone).delete();
      await db('transactions').whereIn('id', gone).delete();
      await db('audit_log').where('seq', '>=', entry.seq).delete();
    });
    const after = await withDb(dataDir, (db) => verifyCounterAudit(db, () => lookUpAnchorFromFiles(dataDir)));
    expect(after.chain, JSON.stringify(after.chain)).toMatchObject({ ok: true });
    expect(after.anchor).toMatchObject({ ok: false, kind: 'truncated' });
    expect(auditExitCode(after, false)).toBe(1);
  });

  it('names a log rewritten with its chain recomputed', async () => {
    const { dataDir } = await syncedCounter('rewritten', 2);
    await withDb(dataDir, async (db) => {
      const first = (await db('audit_log').orderBy('seq').first('seq')) as { seq: number };
      await db('audit_log').where('seq', first.seq).update({ actor: 'someone-else' });
      await recomputeChain(db, first.seq);
    });
    const r = await withDb(dataDir, (db) => verifyCounterAudit(db, () => lookUpAnchorFromFiles(dataDir)));
    expect(r.chain.ok).toBe(true);
    expect(r.anchor).toMatchObject({ ok: false, kind: 'rewritten' });
    expect(auditExitCode(r, false)).toBe(1);
  });

  it('says the anchor was not compared when the server cannot be asked, and fails only when it is required', async () => {
    const dataDir = path.join(dir, 'alone');
    const h = await startTestHost({ dataDir, demo: { count: 5 } });
    await h.close();
    const r = await withDb(dataDir, (db) => verifyCounterAudit(db, () => lookUpAnchorFromFiles(dataDir)));
    expect(r.chain.ok).toBe(true);
    expect(r.anchor).toBeNull();
    expect(r.anchorNote).toMatch(/not enrolled/);
    expect(auditExitCode(r, false)).toBe(0);
    expect(auditExitCode(r, true)).toBe(3);
  });
});

describe.each([
  ['SQLite', sqliteServer],
  ['PostgreSQL', pgServer],
])('the server keeps anchors (%s)', (_name, make) => {
  it('answers the latest anchor, takes heads out of order, and raises an alert for a contradicting head', async () => {
    const srv = await make(5);
    try {
      const t = await srv.enroll();
      const h = (n: number) => createHash('sha256').update(String(n)).digest('hex');
      const post = (seq: number, hash: string) =>
        srv.server.app.inject({
          method: 'POST',
          url: '/v1/sync/anchor',
          headers: { authorization: `Bearer ${t.token}` },
          payload: { terminalId: t.terminalId, auditHead: { seq, hash } },
        });
      expect((await post(10, h(10))).statusCode).toBe(200);
      // An earlier head arriving late (two pushes in flight) is no alert.
      const late = await post(7, h(7));
      expect(late.json()).toMatchObject({ anchor: { seq: 10, hash: h(10) } });
      expect((await verify(srv.db)).auditAlerts).toEqual([]);
      // The same entry number with another hash: the log there was rewritten.
      await post(10, h(999));
      const report = await verify(srv.db);
      expect(report.ok).toBe(false);
      expect(report.auditAlerts).toMatchObject([{ terminalId: t.terminalId, seq: 10, anchoredHash: h(10) }]);
      // The anchor stays what was first seen at that number.
      expect(await latestAnchor(srv.db.knex, t.terminalId)).toMatchObject({ seq: 10, hash: h(10) });
      // Bad input: a head that is not a hash, or another terminal's id, is refused and kept nowhere.
      const bad = await post(11, 'not-a-hash');
      expect(bad.statusCode).toBe(400);
      const other = await srv.server.app.inject({
        method: 'POST',
        url: '/v1/sync/anchor',
        headers: { authorization: `Bearer ${t.token}` },
        payload: { terminalId: 'someone-else', auditHead: { seq: 12, hash: h(12) } },
      });
      expect(other.statusCode).toBe(403);
      expect(await srv.count('audit_anchors')).toBe(2);
    } finally {
      await srv.close();
    }
  });
});
