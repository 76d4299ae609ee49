/**
 * A real counter (SQLite file, host, sync worker) against a real server over loopback HTTP: the queue
 * never jams.
 * - Every kind of posting that has a reversal (payment void, credit refund, deposit refund, equipment
 *   return) reversed AFTER the original reached the server, on SQLite AND PostgreSQL: the queue drains,
 *   nothing is held, and the counter's replica and the server agree to the cent.
 * - An applier that throws an unexpected error for one event in the middle of a batch: that event is
 *   held, the ones before and after it apply, the status is not Offline and receipts do not say OFFLINE.
 *   A supervisor retries it once the server is fixed (applied once, audited), or marks another held
 *   event resolved with a reason (audited).
 * - A server that answers 500: "Server error", not "Offline"; receipts are not marked offline.
 */
import { randomUUID } from 'node:crypto';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { CounterHost } from '../../../electron/host/create-host.js';
import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { appliers, type Applier } from '../../../server/src/domain/appliers/index.js';
import type { SyncMonitor } from '../../../shared/api/channels/sync.js';
import type { Status } from '../../../shared/api/status.js';
import { signInWithTill } from '../../support/counter.js';
import { expectReplicaEqualsServer, expectServerBooksBalance } from '../../support/sync-checks.js';
import { call, drained, enrollCounter, outboxCounts, paymentInput } from '../../support/sync-server.js';
import { SERVER_DATABASES, signedIn, syncRig, waitFor } from '../../support/sync-server.js';
import type { SeededServer } from '../../support/sync-server.js';

const ACCOUNTS = 40;
const MARIA = '1000042517';
const SUPERVISOR = { supervisorId: '2001', pin: '2468' };
const MODEM = [{ sku: 'MDM-D31', mode: 'lease', quantity: 1 }];
const CARD_50 = [{ type: 'card', amountCents: 5000, brand: 'Visa', last4: '4242', authCode: 'A1B2' }];

const rig = syncRig('countertop-held-');

/** A counter knowing `demoCount` demo accounts, not enrolled. */
function counter(name: string, demoCount = ACCOUNTS, on = rig): ReturnType<typeof rig.counter> {
  return on.counter(name, { demo: { count: demoCount } });
}

function sqliteServer(name: string, config = {}): Promise<SeededServer> {
  return rig.server('sqlite', { name, accounts: ACCOUNTS, config });
}

async function lastReceiptOffline(h: CounterHost): Promise<boolean> {
  const r = (await h.ctx.db('receipts').orderBy('number', 'desc').first('model')) as {
    model: string;
  };
  return (JSON.parse(r.model) as { offline: boolean }).offline;
}

describe.each(SERVER_DATABASES)('reversals after the original reached the server, on %s', (name, kind) => {
  // Its own rig: this server (and its PostgreSQL database) goes when these tests are done.
  const own = syncRig(`countertop-reversals-${kind}-`);
  let server: SeededServer;

  beforeAll(async () => {
    server = await own.server(kind, { name: `reversals-${name}`, accounts: ACCOUNTS });
  }, 60_000);

  it('voids, refunds and returns after sync: the queue drains, nothing is held, balances agree', async () => {
    const h = await counter(`reversals-${name}`, ACCOUNTS, own);
    await enrollCounter(h, server.db, server.url);
    const csr = await signInWithTill(h);
    const supervisor = await signedIn(h, '2001', '2468');
    await call(h, supervisor, 'sync.pullNow');
    const alice = demoAccountNumber(5);
    const bob = demoAccountNumber(6);

    // The originals, each acked by the server before its reversal is taken.
    const { payment } = await call<{ payment: { transactionId: string } }>(h, csr, 'payments.post', {
      ...paymentInput(0, bob),
      amountCents: 2500,
      tenders: [{ type: 'cash', amountCents: 2500 }],
    });
    const owed = (await call<{ balanceCents: number }>(h, csr, 'accounts.get', { accountNumber: MARIA }))
      .balanceCents;
    await call(h, csr, 'payments.post', {
      ...paymentInput(1, MARIA),
      amountCents: Math.max(0, owed) + 700,
      tenders: [{ type: 'cash', amountCents: Math.max(0, owed) + 700 }],
    });
    await call(h, csr, 'equipment.order', {
      requestId: randomUUID(),
      accountNumber: alice,
      lines: MODEM,
      scans: [{ lineIndex: 0, serial: 'A42B8C01EF95' }],
      tenders: CARD_50,
    });
    await drained(h);
    expect(await outboxCounts(h)).not.toHaveProperty('rejected');

    // The reversals.
    await call(h, csr, 'payments.void', {
      transactionId: payment.transactionId,
      reason: 'wrong account',
      approval: SUPERVISOR,
    });
    await call(h, csr, 'refunds.post', {
      requestId: randomUUID(),
      accountNumber: MARIA,
      amountCents: 700,
      method: 'cash',
      reason: 'customer asked',
      approval: SUPERVISOR,
    });
    const deposits = await call<{ deposits: { id: string }[] }>(h, csr, 'deposits.forAccount', {
      accountNumber: MARIA,
    });
    await call(h, csr, 'deposits.refund', {
      requestId: randomUUID(),
      accountNumber: MARIA,
      depositId: deposits.deposits[0]!.id,
      method: 'cash',
      reason: 'Good payment record',
      approval: SUPERVISOR,
    });
    await call(h, csr, 'equipment.return', {
      requestId: randomUUID(),
      accountNumber: alice,
      serial: 'A42B8C01EF95',
      condition: 'good',
      refundMethod: 'account',
    });
    await drained(h);
    const counts = await outboxCounts(h);
    expect(counts).not.toHaveProperty('rejected');
    const status = await call<Status>(h, csr, 'status.get');
    expect(status.sync).toMatchObject({ state: 'online', queued: 0, rejected: 0 });
    const types = (await h.ctx.db('outbox').orderBy('seq').select('type', 'payload')) as {
      type: string;
      payload: string;
    }[];
    // Every ledger transaction is one envelope; its detail names the capability that posted it.
    const kinds = types.map((t) => {
      const p = JSON.parse(t.payload) as { kind?: string; detail?: { capability?: string } };
      return `${t.type}:${String(p.detail?.capability)}:${String(p.kind)}`;
    });
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ledger.posted:till:void',
        'ledger.posted:till:refund',
        'ledger.posted:deposit:deposit_refund',
      ]),
    );
    expect(kinds.some((k) => k.startsWith('ledger.posted:equipment:') && /return/.test(k))).toBe(true);

    await call(h, supervisor, 'sync.pullNow');
    await expectReplicaEqualsServer(h, server.db);
    await expectServerBooksBalance(server.db);
  }, 120_000);
});

describe('a poison event', () => {
  const original = appliers['ledger.posted']!;
  afterEach(() => {
    appliers['ledger.posted'] = original;
  });

  it('is held, the events around it apply, the status is not Offline; a supervisor retries it after the fix (audited)', async () => {
    const server = await sqliteServer('poison');
    const h = await counter('poison');
    const csr = await signInWithTill(h);
    const [a, poison, c] = [demoAccountNumber(1), demoAccountNumber(2), demoAccountNumber(3)];
    // A bug in the server's payment applier, for one account: it changes the batch, then throws.
    appliers['ledger.posted'] = {
      ...original,
      async apply(batch, ev, payload) {
        const outcome = await original.apply(batch, ev, payload);
        if ((payload as { accountNumber: string }).accountNumber === poison)
          throw new RangeError('Invalid time value');
        return outcome;
      },
    } as Applier<unknown>;
    // Queued before enrollment, so they go in one batch: till float, a, poison, c.
    for (const [i, acct] of [a, poison, c].entries())
      await call(h, csr, 'payments.post', paymentInput(i, acct));
    await enrollCounter(h, server.db, server.url);
    await drained(h);
    expect(await outboxCounts(h)).toEqual({ acked: 3, rejected: 1 });
    const events = (await server.db.knex('events').orderBy('seq').select('seq', 'status', 'reject_code')) as {
      seq: number;
      status: string;
      reject_code: string | null;
    }[];
    expect(events.map((e) => [Number(e.seq), e.status, e.reject_code])).toEqual([
      [1, 'applied', null],
      [2, 'applied', null],
      [3, 'rejected', 'SERVER_ERROR'],
      [4, 'applied', null],
    ]);
    const status = await call<Status>(h, csr, 'status.get');
    expect(status.sync).toMatchObject({ state: 'online', queued: 0, rejected: 1 });
    // Receipts taken now are not marked offline: the server is reachable.
    await call(h, csr, 'payments.post', paymentInput(5, a));
    expect(await lastReceiptOffline(h)).toBe(false);
    await drained(h);

    const supervisor = await signedIn(h, '2001', '2468');
    let monitor = await call<SyncMonitor>(h, supervisor, 'sync.monitor', {});
    expect(monitor.counts.rejected).toBe(1);
    const held = monitor.rejected[0]!;
    expect(held).toMatchObject({
      seq: 3,
      code: 'SERVER_ERROR',
      message: expect.stringMatching(/Invalid time value/),
      resolution: null,
    });
    // Held: the payment taken here stays pending on the account until it is resolved.
    expect(
      (await call<{ pendingCents: number }>(h, csr, 'accounts.get', { accountNumber: poison })).pendingCents,
    ).toBe((held.payload as { appliedCents: number }).appliedCents);
    // A CSR may not retry.
    expect(await h.call('sync.retryHeld', { id: held.id }, csr)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // The server is fixed; the supervisor retries: the same payload, as a new event, applied once.
    appliers['ledger.posted'] = original;
    const retry = await call<{ retryId: string; retrySeq: number }>(h, supervisor, 'sync.retryHeld', {
      id: held.id,
    });
    expect(retry.retrySeq).toBeGreaterThan(held.seq);
    await drained(h);
    const txId = (held.payload as { transactionId: string }).transactionId;
    expect(await server.db.knex('transactions').where('id', txId).select('id')).toHaveLength(1);
    expect(
      (await h.ctx.db('outbox').where('id', retry.retryId).first('state', 'retry_of')) as object,
    ).toEqual({
      state: 'acked',
      retry_of: held.id,
    });
    monitor = await call<SyncMonitor>(h, supervisor, 'sync.monitor', {});
    expect(monitor.counts.rejected).toBe(0);
    expect(monitor.rejected[0]!.resolution).toMatchObject({
      kind: 'retried',
      by: '2001',
      retry: { seq: retry.retrySeq, state: 'acked' },
    });
    expect((await call<Status>(h, csr, 'status.get')).sync).toMatchObject({ state: 'online', rejected: 0 });
    // The money is no longer pending here once pulled: the server has it.
    await call(h, supervisor, 'sync.pullNow');
    expect(
      (await call<{ pendingCents: number }>(h, csr, 'accounts.get', { accountNumber: poison })).pendingCents,
    ).toBe(0);
    // Retried once only.
    expect(await h.call('sync.retryHeld', { id: held.id }, supervisor)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/already retried/) },
    });
    const audit = (await h.ctx
      .db('audit_log')
      .where('action', 'sync.retryHeld')
      .select('actor', 'entity_id', 'details')) as {
      actor: string;
      entity_id: string;
      details: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: '2001', entity_id: held.id });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ retryId: retry.retryId, code: 'SERVER_ERROR' });
  }, 120_000);

  it('a write failure no applier is blamed for: the counter sends again what the answer did not cover, the bad event is held', async () => {
    const server = await sqliteServer('write-failure');
    const h = await counter('write-failure');
    const csr = await signInWithTill(h);
    const poison = demoAccountNumber(4);
    // A row the database refuses when the batch is written at the end.
    appliers['ledger.posted'] = {
      ...original,
      async apply(batch, ev, payload) {
        const outcome = await original.apply(batch, ev, payload);
        const p = payload as { accountNumber: string; transactionId: string };
        if (p.accountNumber === poison)
          batch.insert('journal_lines', { transaction_id: p.transactionId, no_such_column: 1 });
        return outcome;
      },
    } as Applier<unknown>;
    const accounts = [1, 2, 3, poison, 5, 6, 7].map((a) =>
      typeof a === 'number' ? demoAccountNumber(a) : a,
    );
    for (const [i, acct] of accounts.entries()) await call(h, csr, 'payments.post', paymentInput(i, acct));
    await enrollCounter(h, server.db, server.url);
    await drained(h);
    expect(await outboxCounts(h)).toEqual({ acked: 7, rejected: 1 });
    const held = (await h.ctx.db('outbox').where('state', 'rejected').first('seq', 'reject_code')) as {
      seq: number;
      reject_code: string;
    };
    expect(held).toEqual({ seq: 5, reject_code: 'SERVER_ERROR' });
    const stored = (await server.db.knex('events').orderBy('seq').select('seq', 'status')) as {
      seq: number;
      status: string;
    }[];
    expect(stored.map((e) => [Number(e.seq), e.status])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seq) => [seq, seq === 5 ? 'rejected' : 'applied']),
    );
    expect((await call<Status>(h, csr, 'status.get')).sync).toMatchObject({
      state: 'online',
      queued: 0,
      rejected: 1,
    });
    await expectServerBooksBalance(server.db);
  }, 60_000);

  it('a supervisor marks a held event resolved with a required reason (audited)', async () => {
    const server = await sqliteServer('resolve');
    // The counter knows 50 accounts, the server only 40: a payment to the 45th is held.
    const h = await counter('resolve', 50);
    await enrollCounter(h, server.db, server.url);
    const csr = await signInWithTill(h);
    await call(h, csr, 'payments.post', paymentInput(0, demoAccountNumber(45)));
    await drained(h);
    const supervisor = await signedIn(h, '2001', '2468');
    const monitor = await call<SyncMonitor>(h, supervisor, 'sync.monitor', {});
    const held = monitor.rejected[0]!;
    expect(held.code).toBe('UNKNOWN_ACCOUNT');
    const auditRows = async (): Promise<number> =>
      Number(((await h.ctx.db('audit_log').count({ n: '*' }).first()) as { n: number }).n);
    const before = await auditRows();
    expect(await h.call('sync.resolveHeld', { id: held.id, reason: '  ' }, supervisor)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await auditRows()).toBe(before);
    await call(h, supervisor, 'sync.resolveHeld', { id: held.id, reason: 'Re-entered on the right account' });
    const after = await call<SyncMonitor>(h, supervisor, 'sync.monitor', {});
    expect(after.counts.rejected).toBe(0);
    expect(after.rejected[0]!.resolution).toMatchObject({
      kind: 'resolved',
      by: '2001',
      note: 'Re-entered on the right account',
      retry: null,
    });
    expect((await call<Status>(h, csr, 'status.get')).sync).toMatchObject({ state: 'online', rejected: 0 });
    const audit = (await h.ctx.db('audit_log').where('action', 'sync.resolveHeld').first()) as {
      actor: string;
      entity_id: string;
      details: string;
    };
    expect(audit).toMatchObject({ actor: '2001', entity_id: held.id });
    expect(JSON.parse(audit.details)).toMatchObject({ reason: 'Re-entered on the right account' });
    // Resolved is final: neither a retry nor a second resolution.
    expect(await h.call('sync.retryHeld', { id: held.id }, supervisor)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  }, 60_000);
});

describe('a server that answers with an error', () => {
  it('is "Server error", not "Offline", and receipts are not marked offline; it drains once fixed', async () => {
    let broken = false;
    const server = await sqliteServer('answers-500', {
      push: {
        beforeCommit: () =>
          broken
            ? Promise.reject(
                Object.assign(new Error('the database connection was lost'), { code: 'ECONNRESET' }),
              )
            : Promise.resolve(),
      },
    });
    const h = await counter('answers-500');
    await enrollCounter(h, server.db, server.url);
    const csr = await signInWithTill(h);
    await drained(h);
    broken = true;
    await call(h, csr, 'payments.post', paymentInput(0, demoAccountNumber(1)));
    await waitFor(
      'server error',
      async () => (await call<Status>(h, csr, 'status.get')).sync.state === 'server_error',
    );
    const status = await call<Status>(h, csr, 'status.get');
    expect(status.sync).toMatchObject({ state: 'server_error', queued: 1 });
    expect(status.sync.detail).toMatch(/The server answered 500/);
    await call(h, csr, 'payments.post', paymentInput(1, demoAccountNumber(2)));
    expect(await lastReceiptOffline(h)).toBe(false);
    broken = false;
    await drained(h);
    expect((await call<Status>(h, csr, 'status.get')).sync).toMatchObject({ state: 'online', queued: 0 });
  }, 60_000);
});
