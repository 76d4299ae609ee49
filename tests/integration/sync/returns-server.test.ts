/**
 * Returned checks through the server, on SQLite AND on PostgreSQL: a real counter takes check payments,
 * records returns (one of them starting cash only) and a supervisor's lift; the sync worker pushes them,
 * the server applies them and the counter pulls back: replica and server agree to the cent, cash-only
 * flag and reason included. A second terminal then pushes hand-made returns that break the rules (the
 * same check again, a voided payment, a fee the schedule does not give, a cash tender): each is
 * rejected with its code and changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CounterHost } from '../../../electron/host/create-host.js';
import type { Session } from '../../../electron/services/auth/auth.js';
import type { DbConfig } from '../../../server/src/db/connection.js';
import { createEnrollmentCode } from '../../../server/src/domain/enroll.js';
import type { ReturnRecorded } from '../../../shared/api/channels/returns.js';
import type { PostPaymentOutput } from '../../../shared/api/contract.js';
import { PushResponseSchema } from '../../../shared/sync/protocol.js';
import type { LedgerPosted } from '../../../shared/sync/ledger.js';
import type { ReturnedCheckDetail } from '../../../shared/sync/returns.js';
import { ANY_BALANCE, signInWithTill, startTestHost, tempDir } from '../../support/counter.js';
import { createTestDatabase } from '../../support/pg.js';
import { expectReplicaEqualsServer } from '../../support/sync-checks.js';
import { event } from '../../support/sync-events.js';
import {
  call,
  enrollWithCode,
  outboxCounts,
  seedServer,
  startServer,
  waitFor,
  type RunningServer,
} from '../../support/sync-server.js';

/** A return as it travels: the ledger envelope with the returned-check detail. */
type ReturnedCheckPosted = LedgerPosted & { accountNumber: string; detail: ReturnedCheckDetail };
const FAST = { backoff: { baseMs: 50, capMs: 300 }, pullIntervalMs: 3_600_000, requestTimeoutMs: 5_000 };
const ACCOUNTS = 60;

const check = (amountCents: number, checkNumber: string) => ({
  type: 'check',
  amountCents,
  checkNumber,
  routingNumber: '011000015',
  bankAccount: '12345678',
});

describe.each([
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'pg'],
] as const)('returned checks through the server on %s', (_name, kind) => {
  let dir: string;
  let db: DbConfig;
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let srv: RunningServer;
  let host: CounterHost;
  let dana: Session;
  let sam: Session;
  let t2: { terminalId: string; token: string };
  let seq = 0;
  let accounts: string[];

  beforeAll(async () => {
    dir = tempDir('countertop-returns-');
    if (kind === 'sqlite') db = { client: 'sqlite', filename: path.join(dir, 'server.db') };
    else {
      const pg = await createTestDatabase('ct_returns');
      db = { client: 'pg', url: pg.url, poolMax: 5 };
      cleanup = () => pg.drop();
    }
    await seedServer(db, ACCOUNTS);
    srv = await startServer(db);
    const code = await enrollWithCode(db);
    host = await startTestHost({
      dataDir: path.join(dir, 'counter'),
      demo: { count: ACCOUNTS },
      server: { ...FAST, url: srv.url, enrollCode: code },
    });
    await waitFor(
      'first pull',
      async () => (await host.ctx.db('settings').where('key', 'sync.lastPullAt').first()) !== undefined,
    );
    dana = await signInWithTill(host);
    sam = await signInWithTill(host, '2001', '2468');
    const { code: code2 } = await createEnrollmentCode(srv.db, { branch: 'MAIN' });
    const res = await srv.server.app.inject({
      method: 'POST',
      url: '/v1/enroll',
      payload: {
        code: code2,
        terminalCode: 'MAIN-07',
        terminalName: 'Hand-made',
        branch: 'MAIN',
        nextSeq: 1,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    t2 = res.json<{ terminalId: string; token: string }>();
    accounts = (await host.ctx
      .db('accounts')
      .where({ cash_only: 0, status: 'active' })
      .andWhere('balance_cents', '>', 10000)
      .orderBy('account_number')
      .pluck('account_number')) as string[];
  });

  afterAll(async () => {
    await host?.close();
    await srv?.stop();
    await cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const k = () => srv.db.knex;

  async function pay(account: string, tenders: unknown[], amountCents: number): Promise<PostPaymentOutput> {
    return call<PostPaymentOutput>(host, dana, 'payments.post', {
      requestId: randomUUID(),
      accountNumber: account,
      amountCents,
      tenders,
      ...ANY_BALANCE,
    });
  }

  async function synced(): Promise<void> {
    await waitFor('everything acked', async () => {
      const c = await outboxCounts(host);
      return !c.queued && !c.rejected;
    });
    await call(host, sam, 'sync.pullNow');
  }

  async function serverState(): Promise<unknown[]> {
    const n = async (t: string) =>
      Number(((await k()(t).count({ n: '*' }).first()) as { n: number | string }).n);
    const accts = (await k()('accounts')
      .orderBy('account_number')
      .select('account_number', 'balance_cents', 'cash_only')) as Record<string, unknown>[];
    return [
      await n('transactions'),
      await n('journal_lines'),
      await n('allocations'),
      await n('returned_checks'),
      await n('open_items'),
      JSON.stringify(accts.map((a) => [a.account_number, Number(a.balance_cents), Boolean(a.cash_only)])),
    ];
  }

  async function push(type: string, payload: unknown): Promise<{ acked: boolean; code?: string }> {
    seq += 1;
    const res = await srv.server.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: { authorization: `Bearer ${t2.token}` },
      payload: { terminalId: t2.terminalId, events: [event(seq, type, payload)] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = PushResponseSchema.parse(res.json());
    const r = body.rejected[0];
    return r ? { acked: false, code: r.code } : { acked: body.acked.length === 1 };
  }

  let firstReturn: ReturnedCheckPosted;
  let voidedPayment: PostPaymentOutput;
  let cashPayment: PostPaymentOutput;

  it('applies the counter’s returns and lift; replica and server agree, cash only included', async () => {
    const [a, b, c] = accounts as [string, string, string];
    const split = await pay(a, [{ type: 'cash', amountCents: 3000 }, check(7000, '201')], 10000);
    const closed = await pay(b, [check(5000, '301')], 5000);
    const lifted = await pay(c, [check(8000, '401')], 8000);
    voidedPayment = await pay(c, [check(2500, '402')], 2500);
    cashPayment = await pay(c, [{ type: 'cash', amountCents: 2000 }], 2000);
    await call(host, sam, 'payments.void', {
      transactionId: voidedPayment.payment.transactionId,
      reason: 'Wrong account',
    });
    await synced();
    const balanceA = Number(
      ((await k()('accounts').where('account_number', a).first()) as { balance_cents: number }).balance_cents,
    );

    const r1 = await call<ReturnRecorded>(host, dana, 'returns.record', {
      transactionId: split.payment.transactionId,
      tenderPosition: 1,
      reasonCode: 'nsf',
    });
    await call<ReturnRecorded>(host, dana, 'returns.record', {
      transactionId: closed.payment.transactionId,
      tenderPosition: 0,
      reasonCode: 'account_closed',
    });
    await call<ReturnRecorded>(host, sam, 'returns.record', {
      transactionId: lifted.payment.transactionId,
      tenderPosition: 0,
      reasonCode: 'stop_payment',
    });
    await call(host, sam, 'returns.liftCashOnly', {
      accountNumber: c,
      reason: 'Customer paid with cashier check',
    });
    await synced();

    // $70.00 in tier 2 ($30.00; 5% = $3.50): the server moved the balance by the check and the fee.
    expect(r1.feeCents).toBe(3000);
    const after = (await k()('accounts').where('account_number', a).first()) as { balance_cents: number };
    expect(Number(after.balance_cents)).toBe(balanceA + 7000 + 3000);
    const flags = (await k()('accounts').whereIn('account_number', [b, c]).orderBy('account_number')) as {
      cash_only: boolean | number;
      cash_only_reason: string | null;
    }[];
    expect(flags.map((f) => Boolean(f.cash_only))).toEqual([true, false]);
    expect(flags[0]?.cash_only_reason).toContain('Cash only until 2027-11-25');
    expect(await k()('returned_checks').count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(await k()('cash_only_lifts').where('account_number', c).pluck('reason')).toEqual([
      'Customer paid with cashier check',
    ]);
    await expectReplicaEqualsServer(host, srv.db);
    const ev = (await host.ctx
      .db('outbox')
      .where('type', 'ledger.posted')
      .andWhere('payload', 'like', '%"capability":"returned_check"%')
      .orderBy('seq')
      .first()) as {
      payload: string;
    };
    firstReturn = JSON.parse(ev.payload) as ReturnedCheckPosted;
  });

  it('rejects hand-made returns that break its rules; nothing changes', async () => {
    const before = await serverState();
    const mk = (over: Partial<ReturnedCheckPosted>, detail: Partial<ReturnedCheckPosted['detail']> = {}) => ({
      ...firstReturn,
      transactionId: v7(),
      requestId: randomUUID(),
      terminalCode: 'MAIN-07',
      tillId: null,
      receiptNumber: null,
      ...over,
      detail: { ...firstReturn.detail, ...detail },
    });
    // The same check again, from another terminal.
    expect(await push('ledger.posted', mk({}))).toEqual({ acked: false, code: 'ALREADY_RETURNED' });
    // A voided payment.
    const v = voidedPayment.payment.transactionId;
    const acct = voidedPayment.payment.accountNumber;
    const journal = (fee: number, face = 2500, no = '402') => [
      { ledgerAccount: `ar:${acct}`, cents: face, memo: `returned check #${no}` },
      { ledgerAccount: 'returned_items', cents: -face, memo: `returned check #${no}` },
      { ledgerAccount: `ar:${acct}`, cents: fee, memo: 'NSF fee' },
      { ledgerAccount: 'fee_income', cents: -fee, memo: 'NSF fee' },
    ];
    const onVoided = mk(
      { accountNumber: acct, reversesId: v, amountCents: 2500, journal: journal(2500) },
      {
        originalTransactionId: v,
        tenderPosition: 0,
        checkNumber: '402',
        faceCents: 2500,
        feeCents: 2500,
        reopened: [],
      },
    );
    expect(await push('ledger.posted', onVoided)).toEqual({ acked: false, code: 'ORIGINAL_VOIDED' });
    // A payment in cash: no check at that position.
    const cashId = cashPayment.payment.transactionId;
    expect(
      await push(
        'ledger.posted',
        mk(
          { accountNumber: acct, reversesId: cashId, amountCents: 2000, journal: journal(3000, 2000) },
          { originalTransactionId: cashId, tenderPosition: 0, faceCents: 2000 },
        ),
      ),
    ).toEqual({ acked: false, code: 'NOT_A_CHECK' });
    expect(await serverState()).toEqual(before);
  });

  it('checks the fee against its own schedule', async () => {
    const [, , , d] = accounts as [string, string, string, string];
    const paid = await pay(d, [check(7000, '501')], 7000);
    await synced();
    const before = await serverState();
    const acct = d;
    const payload: ReturnedCheckPosted = {
      ...firstReturn,
      transactionId: v7(),
      requestId: randomUUID(),
      terminalCode: 'MAIN-07',
      tillId: null,
      accountNumber: acct,
      reversesId: paid.payment.transactionId,
      amountCents: 7000,
      receiptNumber: null,
      journal: [
        { ledgerAccount: `ar:${acct}`, cents: 7000, memo: 'returned check #501' },
        { ledgerAccount: 'returned_items', cents: -7000, memo: 'returned check #501' },
        { ledgerAccount: `ar:${acct}`, cents: 1000, memo: 'NSF fee' },
        { ledgerAccount: 'fee_income', cents: -1000, memo: 'NSF fee' },
      ],
      detail: {
        ...firstReturn.detail,
        originalTransactionId: paid.payment.transactionId,
        tenderPosition: 0,
        checkNumber: '501',
        faceCents: 7000,
        feeCents: 1000,
        reopened: [],
      },
    };
    expect(await push('ledger.posted', payload)).toEqual({ acked: false, code: 'FEE_MISMATCH' });
    expect(await serverState()).toEqual(before);
    // With the schedule's fee it applies.
    const good = {
      ...payload,
      journal: payload.journal.map((l) =>
        l.memo === 'NSF fee' ? { ...l, cents: Math.sign(l.cents) * 3000 } : l,
      ),
      detail: { ...payload.detail, feeCents: 3000 },
    };
    expect(await push('ledger.posted', good)).toEqual({ acked: true });
  });
});
