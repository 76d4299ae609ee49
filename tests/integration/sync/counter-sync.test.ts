/**
 * A real counter (SQLite file, host, sync worker) against a real server over HTTP on loopback:
 * enrollment and the first pull with progress, the replica equal to the server, balances while
 * offline (server balance as of the last pull minus what is queued here: never twice, never dropped),
 * and a rejected event that does not block the queue and shows in the monitor on both sides.
 */
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { SyncMonitor } from '../../../shared/api/channels/sync.js';
import type { AccountDetail } from '../../../shared/api/schemas.js';
import type { Status } from '../../../shared/api/status.js';
import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { reviewEvents } from '../../../server/src/domain/review.js';
import { freePort, signInWithTill } from '../../support/counter.js';
import { expectExactlyOnce, expectReplicaEqualsServer, serverBalance } from '../../support/sync-checks.js';
import { call, drained, enrollCounter, enrollWithCode, outboxCounts } from '../../support/sync-server.js';
import {
  FAST_SYNC,
  firstPull,
  paymentInput,
  signedIn,
  startServer,
  syncRig,
} from '../../support/sync-server.js';

const rig = syncRig('countertop-sync-');

describe('a new terminal', () => {
  it('enrolls with a one-time code, pulls everything with progress, and its replica equals the server', async () => {
    const s = await rig.server('sqlite', { name: 'fresh', accounts: 120 });
    const code = await enrollWithCode(s.config);
    const progress: NonNullable<Status['sync']['pull']>[] = [];
    const h = await rig.counter('fresh-counter', {
      demo: null,
      server: { ...FAST_SYNC, url: s.url, enrollCode: code, pullPageSize: 500 },
    });
    h.onEvent((name, payload) => {
      if (name === 'status.changed' && (payload as Status).sync.pull)
        progress.push((payload as Status).sync.pull!);
    });
    await firstPull(h);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.done <= p.total)).toBe(true);
    await expectReplicaEqualsServer(h, s.db);
    expect((await h.ctx.db('accounts').count({ n: '*' }).first()) as { n: number }).toEqual({ n: 120 });
    // The search index, deferred during the first pull, was built at its end: names and phones are found.
    expect(await h.ctx.db('settings').where('key', 'replica.ftsDeferred').first()).toBeUndefined();
    const fts = (await h.ctx.db.raw(`SELECT COUNT(*) AS n FROM accounts_fts_docsize`)) as { n: number }[];
    expect(fts[0]?.n).toBe(120);
    const someone = (await h.ctx
      .db('accounts')
      .where('account_number', demoAccountNumber(7))
      .first('name', 'phone_digits')) as {
      name: string;
      phone_digits: string;
    };
    const hits = (await h.ctx.db.raw(`SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH ?`, [
      `phone : "${someone.phone_digits}"`,
    ])) as unknown[];
    expect(hits.length).toBeGreaterThan(0);
    // The enrollment file holds the token, readable by this user only.
    const file = path.join(h.dataDir, 'sync', 'enrollment.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The cashiers came with the pull: a CSR signs in and takes a payment, which reaches the server.
    const csr = await signInWithTill(h);
    await call(h, csr, 'payments.post', paymentInput(0, demoAccountNumber(3)));
    await drained(h, 60_000);
    const status = await call<Status>(h, csr, 'status.get');
    expect(status.sync).toMatchObject({ state: 'online', queued: 0, rejected: 0 });
    const terminalId = (
      await call<{ terminalId: string }>(h, await signedIn(h, '2001', '2468'), 'sync.enrollment')
    ).terminalId;
    await expectExactlyOnce(h, s.db, terminalId);
    const supervisor = await signedIn(h, '2001', '2468');
    await call(h, supervisor, 'sync.pullNow');
    await expectReplicaEqualsServer(h, s.db);
  });
});

describe('balances while offline', () => {
  it('shows the server balance as of the last pull minus what is queued here: never twice, never dropped', async () => {
    // A port the system just handed out (not a random guess that may be taken): the server restarts on it.
    const port = await freePort();
    let s = await rig.server('sqlite', { name: 'balances', accounts: 80, port });
    const h = await rig.counter('balances-counter', { demo: { count: 80 } });
    await enrollCounter(h, s.db, s.url);
    const supervisor = await signedIn(h, '2001', '2468');
    const csr = await signInWithTill(h);
    await call(h, supervisor, 'sync.pullNow');
    const account = demoAccountNumber(5);
    const onServer = (): Promise<number> => serverBalance(s.db, account);
    const shown = async (): Promise<AccountDetail> =>
      call<AccountDetail>(h, csr, 'accounts.get', { accountNumber: account });
    const start = await onServer();
    expect((await shown()).balanceCents).toBe(start);

    // Online: acked at a version newer than the replica's row: still pending here, counted once.
    await call(h, csr, 'payments.post', {
      ...paymentInput(0, account),
      amountCents: 1000,
      tenders: [{ type: 'cash', amountCents: 1000 }],
    });
    await drained(h, 60_000);
    const tx = (await h.ctx.db('transactions').where('kind', 'payment').first('server_version')) as {
      server_version: number;
    };
    const row = (await h.ctx.db('accounts').where('account_number', account).first('version')) as {
      version: number;
    };
    expect(tx.server_version).toBeGreaterThan(row.version);
    expect(await onServer()).toBe(start - 1000);
    expect((await shown()).balanceCents).toBe(start - 1000);
    expect((await shown()).pendingCents).toBe(1000);
    expect((await shown()).recentPayments[0]).toMatchObject({ amountCents: 1000, where: 'here, pending' });
    // Pulled: the replica has it, nothing pending, the same balance.
    await call(h, supervisor, 'sync.pullNow');
    expect(await shown()).toMatchObject({ balanceCents: start - 1000, pendingCents: 0 });
    expect((await shown()).recentPayments.filter((p) => p.amountCents === 1000)).toHaveLength(1);

    // Offline: queued here, subtracted from the last pulled balance.
    // (The rig stops it again when it closes: a second stop only fails, and that is let pass.)
    await s.stop();
    const pull = await h.call('sync.pullNow', {}, supervisor);
    expect(pull).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Could not sync now: Cannot reach the server/) },
    });
    await call(h, csr, 'payments.post', {
      ...paymentInput(1, account),
      amountCents: 250,
      tenders: [{ type: 'cash', amountCents: 250 }],
    });
    const offline = await call<Status>(h, csr, 'status.get');
    expect(offline.sync).toMatchObject({ state: 'offline', queued: 1 });
    expect(offline.sync.detail).toMatch(/Cannot reach the server/);
    expect(await shown()).toMatchObject({ balanceCents: start - 1250, pendingCents: 250 });
    const receipt = (await h.ctx.db('receipts').orderBy('number', 'desc').first('model')) as {
      model: string;
    };
    expect(JSON.parse(receipt.model)).toMatchObject({ offline: true });

    // Back: the queue drains by itself; after the pull the replica carries both, counted once.
    const back = await startServer(s.config, { port });
    rig.onClose(() => back.stop());
    s = { ...back, config: s.config };
    await drained(h, 20_000);
    expect(await shown()).toMatchObject({ balanceCents: start - 1250 });
    await call(h, supervisor, 'sync.pullNow');
    expect(await shown()).toMatchObject({ balanceCents: start - 1250, pendingCents: 0 });
    expect(await onServer()).toBe(start - 1250);
  });
});

describe('a rejected event', () => {
  it('does not block the queue and shows, with the reason and the event, in the monitor on both sides', async () => {
    // The counter knows 60 accounts, the server only the first 40.
    const s = await rig.server('sqlite', { name: 'rejects', accounts: 40 });
    const h = await rig.counter('rejects-counter', { demo: { count: 60 } });
    await enrollCounter(h, s.db, s.url);
    const csr = await signInWithTill(h);
    const unknown = demoAccountNumber(50);
    await call(h, csr, 'payments.post', paymentInput(0, demoAccountNumber(1)));
    await call(h, csr, 'payments.post', {
      ...paymentInput(3, unknown),
      amountCents: 4321,
      tenders: [{ type: 'cash', amountCents: 5000 }],
    });
    await call(h, csr, 'payments.post', paymentInput(6, demoAccountNumber(2)));
    await drained(h, 60_000);
    // The till's opening float (ledger.posted) and two payments acked; one payment rejected.
    expect(await outboxCounts(h)).toEqual({ acked: 3, rejected: 1 });

    const supervisor = await signedIn(h, '2001', '2468');
    const monitor = await call<SyncMonitor>(h, supervisor, 'sync.monitor', {});
    expect(monitor.counts).toEqual({ queued: 0, sent: 3, rejected: 1 });
    expect(monitor.rejected[0]).toMatchObject({
      code: 'UNKNOWN_ACCOUNT',
      message: expect.stringMatching(new RegExp(`Account ${unknown} is not on the server`)),
      summary: expect.stringMatching(new RegExp(`Payment \\$43\\.21 to ${unknown}`)),
      payload: { accountNumber: unknown, appliedCents: 4321, changeCents: 679 },
    });
    const status = await call<Status>(h, csr, 'status.get');
    expect(status.sync).toMatchObject({ state: 'online', queued: 0, rejected: 1 });
    // A CSR may not open the monitor.
    const denied = await h.call('sync.monitor', {}, csr);
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The server kept it for review.
    const review = await reviewEvents(s.db, { status: 'rejected' });
    expect(review).toHaveLength(1);
    expect(review[0]).toMatchObject({ code: 'UNKNOWN_ACCOUNT', payload: { accountNumber: unknown } });
    // The money taken stays visible at the counter as pending until someone resolves it.
    expect((await call<AccountDetail>(h, csr, 'accounts.get', { accountNumber: unknown })).pendingCents).toBe(
      4321,
    );
  });
});
