/**
 * The central server on its own (Fastify inject, no network), on SQLite AND on PostgreSQL: enrollment
 * codes, authentication, push (apply, replay, gap, duplicates, rejections, branch), bad requests, pull
 * paging, the day-end till reconciliation and verify. Every refusal is checked to have written nothing.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { buildServer, type CountertopServer } from '../../../server/src/app.js';
import { createEnrollmentCode } from '../../../server/src/domain/enroll.js';
import { verify } from '../../../server/src/domain/verify.js';
import { PullResponseSchema, PushResponseSchema, type PushEvent } from '../../../shared/sync/protocol.js';
import { enrollOn, SERVER_TODAY, TEST_ADMIN_TOKEN, TEST_SERVERS } from '../../support/server-setup.js';
import type { Terminal, TestServer } from '../../support/server-setup.js';
import { expectServerBooksBalance, serverBalance } from '../../support/sync-checks.js';
import { event, paymentEvent, paymentPayload, tillPayload } from '../../support/sync-events.js';

const ADMIN = TEST_ADMIN_TOKEN;
const TODAY = SERVER_TODAY;
const ACCOUNTS = 60;

describe.each(TEST_SERVERS)('server on %s', (_name, start) => {
  let s: TestServer;
  let app: CountertopServer['app'];

  beforeAll(async () => {
    s = await start(ACCOUNTS);
    app = s.server.app;
  });
  afterAll(() => s?.close());

  const count = (table: string): Promise<number> => s.count(table);
  const balance = (accountNumber: string): Promise<number> => serverBalance(s.db, accountNumber);
  /** Everything a refused request could have written. */
  const snapshot = async (): Promise<number[]> =>
    Promise.all(['events', 'transactions', 'terminals', 'change_log', 'journal_lines'].map(count));

  const enroll = (branch = 'MAIN', terminalCode = 'MAIN-02', nextSeq = 1) =>
    enrollOn(s.server, s.db, { branch, terminalCode, nextSeq });
  const push = (t: Terminal, events: PushEvent[]) => s.pushReply(t, events);

  describe('enrollment', () => {
    it('a code works once; used, expired, unknown and wrong-branch codes are refused and write nothing', async () => {
      const { code } = await createEnrollmentCode(s.db, { branch: 'MAIN' });
      const body = {
        code: code.toLowerCase(),
        terminalCode: 'MAIN-09',
        terminalName: 'x',
        branch: 'MAIN',
        nextSeq: 1,
      };
      const first = await app.inject({ method: 'POST', url: '/v1/enroll', payload: body });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ branch: 'MAIN', token: expect.stringMatching(/^ct1\./) });
      // The server keeps only a hash of the token.
      const row = (await s.db
        .knex('terminals')
        .where('id', first.json<{ terminalId: string }>().terminalId)
        .first()) as {
        token_hash: string;
      };
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(first.json<{ token: string }>().token);

      const before = await snapshot();
      const again = await app.inject({ method: 'POST', url: '/v1/enroll', payload: body });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: { code: 'ENROLL_CODE_USED' } });

      const old = await createEnrollmentCode(s.db, {
        branch: 'MAIN',
        ttlMinutes: 5,
        now: new Date(Date.now() - 3_600_000),
      });
      const expired = await app.inject({
        method: 'POST',
        url: '/v1/enroll',
        payload: { ...body, code: old.code },
      });
      expect(expired.statusCode).toBe(410);
      expect(expired.json()).toMatchObject({ error: { code: 'ENROLL_CODE_EXPIRED' } });

      const unknown = await app.inject({
        method: 'POST',
        url: '/v1/enroll',
        payload: { ...body, code: 'AAAA-BBBB-CCCC' },
      });
      expect(unknown.statusCode).toBe(403);

      const north = await createEnrollmentCode(s.db, { branch: 'NORTH' });
      const mismatch = await app.inject({
        method: 'POST',
        url: '/v1/enroll',
        payload: { ...body, code: north.code },
      });
      expect(mismatch.statusCode).toBe(409);
      expect(mismatch.json()).toMatchObject({ error: { code: 'BRANCH_MISMATCH' } });

      const malformed = await app.inject({ method: 'POST', url: '/v1/enroll', payload: { code: 'x' } });
      expect(malformed.statusCode).toBe(400);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('push', () => {
    it('applies payments once: balances move, replays are acked again and never applied twice', async () => {
      const t = await enroll();
      const a = demoAccountNumber(1);
      const b = demoAccountNumber(2);
      const [balA, balB] = [await balance(a), await balance(b)];
      const events = [
        paymentEvent(1, { accountNumber: a, amountCents: 1234 }),
        paymentEvent(2, {
          accountNumber: b,
          amountCents: 5000,
          tenders: [{ type: 'cash', amountCents: 6000 }],
        }),
        paymentEvent(3, { accountNumber: a, amountCents: 66 }),
      ];
      const res = await push(t, events);
      expect(res.statusCode, res.body).toBe(200);
      const body = PushResponseSchema.parse(res.json());
      expect(body.rejected).toEqual([]);
      expect(body.acked.map((x) => x.seq)).toEqual([1, 2, 3]);
      expect(body.lastSeq).toBe(3);
      // Both payments on account a carry the version of a's replica row (it includes both).
      expect(body.acked[0]!.appliedVersion).toBe(body.acked[2]!.appliedVersion);
      expect(await balance(a)).toBe(balA - 1234 - 66);
      expect(await balance(b)).toBe(balB - 5000);

      const before = await snapshot();
      const replay = PushResponseSchema.parse((await push(t, events)).json());
      expect(replay.acked).toEqual(body.acked);
      expect(await snapshot()).toEqual(before);
      expect(await balance(a)).toBe(balA - 1234 - 66);

      // A batch overlapping what was applied: the old part is a replay, the new part is applied.
      const more = [...events.slice(1), paymentEvent(4, { accountNumber: b, amountCents: 100 })];
      const overlap = PushResponseSchema.parse((await push(t, more)).json());
      expect(overlap.acked.map((x) => x.seq)).toEqual([2, 3, 4]);
      expect(await balance(b)).toBe(balB - 5100);
    });

    it('applies a void (ledger.posted): the balance and the open items the payment paid come back', async () => {
      const t = await enroll();
      const a = demoAccountNumber(9);
      const items = async () =>
        (
          (await s.db
            .knex('open_items')
            .where('account_number', a)
            .orderBy('id')
            .select('id', 'open_cents')) as { id: string; open_cents: number }[]
        ).map((i) => [i.id, Number(i.open_cents)]);
      const [bal, before] = [await balance(a), await items()];
      const pay = paymentEvent(1, { accountNumber: a, amountCents: 3000 });
      const p = pay.payload as ReturnType<typeof paymentPayload>;
      const voidEvent = event(
        2,
        'ledger.posted',
        tillPayload({
          transactionId: `void-${p.transactionId}`,
          kind: 'void',
          accountNumber: a,
          amountCents: 3000,
          journal: p.journal.map((l) => ({ ...l, cents: -l.cents, memo: `void: ${l.memo}` })),
          tenders: [{ type: 'cash', amountCents: -3000, netCents: -3000 }],
          reversesId: p.transactionId,
          reason: 'wrong account',
          tillId: 'till-v',
          businessDate: TODAY,
        }),
      );
      const res = PushResponseSchema.parse((await push(t, [pay, voidEvent])).json());
      expect(res.rejected).toEqual([]);
      expect(await balance(a)).toBe(bal);
      expect(await items()).toEqual(before);
      const history = (await s.db
        .knex('account_payments')
        .where('account_number', a)
        .whereIn('id', [p.transactionId, `void-${p.transactionId}`])
        .orderBy('amount_cents')) as {
        amount_cents: number;
        method: string;
      }[];
      expect(history.map((h) => [Number(h.amount_cents), h.method])).toEqual([
        [-3000, 'void'],
        [3000, 'cash'],
      ]);
      await expectServerBooksBalance(s.db);
    });

    it('refuses a gap (409, resend from the expected seq) and a batch that is not in order (400), writing nothing', async () => {
      const t = await enroll();
      const a = demoAccountNumber(3);
      const before = await snapshot();
      const gap = await push(t, [paymentEvent(3, { accountNumber: a, amountCents: 100 })]);
      expect(gap.statusCode).toBe(409);
      expect(gap.json()).toMatchObject({ error: { code: 'SEQ_GAP', expectedSeq: 1 } });
      const shuffled = await push(t, [
        paymentEvent(2, { accountNumber: a, amountCents: 100 }),
        paymentEvent(1, { accountNumber: a, amountCents: 100 }),
      ]);
      expect(shuffled.statusCode).toBe(400);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses unauthenticated, foreign-terminal and other-branch pushes with a clear status, writing nothing', async () => {
      const main = await enroll();
      const north = await enroll('NORTH', 'NORTH-01');
      const ev = [paymentEvent(1, { accountNumber: demoAccountNumber(4), amountCents: 700 })];
      const before = await snapshot();
      const noAuth = await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        payload: { terminalId: main.terminalId, events: ev },
      });
      expect(noAuth.statusCode).toBe(401);
      const badToken = await push({ ...main, token: `ct1.${'A'.repeat(43)}` }, ev);
      expect(badToken.statusCode).toBe(401);
      const otherTerminal = await push({ terminalId: main.terminalId, token: north.token }, ev);
      expect(otherTerminal.statusCode).toBe(403);
      expect(otherTerminal.json()).toMatchObject({ error: { code: 'WRONG_TERMINAL' } });
      // NORTH's own token, posting a payment that says it was taken at branch MAIN.
      const wrongBranch = await push(north, ev);
      expect(wrongBranch.statusCode).toBe(403);
      expect(wrongBranch.json()).toMatchObject({ error: { code: 'WRONG_BRANCH' } });
      const pull = await app.inject({ method: 'GET', url: '/v1/sync/pull' });
      expect(pull.statusCode).toBe(401);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses malformed, oversized and wrongly typed requests with 400/413/415, writing nothing', async () => {
      const t = await enroll();
      const auth = { authorization: `Bearer ${t.token}` };
      const before = await snapshot();
      const notJson = await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{"terminalId": "x", "events": [',
      });
      expect(notJson.statusCode).toBe(400);
      const wrongShape = await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: auth,
        payload: { terminalId: t.terminalId, events: [{ seq: 'one' }] },
      });
      expect(wrongShape.statusCode).toBe(400);
      expect(wrongShape.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
      const extraField = await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: auth,
        payload: {
          terminalId: t.terminalId,
          events: [paymentEvent(1, { accountNumber: demoAccountNumber(5), amountCents: 1 })],
          sql: 'drop table accounts',
        },
      });
      expect(extraField.statusCode).toBe(400);
      const huge = await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: auth,
        payload: {
          terminalId: t.terminalId,
          events: [event(1, 'payment.posted', { blob: 'x'.repeat(300 * 1024) })],
        },
      });
      expect(huge.statusCode).toBe(413);
      const tooMany = await push(
        t,
        Array.from({ length: 1001 }, (_, i) => event(i + 1, 'receipt.reprinted', {})),
      );
      expect([400, 413]).toContain(tooMany.statusCode);
      const text = await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: { ...auth, 'content-type': 'text/plain' },
        payload: 'hello',
      });
      expect(text.statusCode).toBe(415);
      const badQuery = await app.inject({ method: 'GET', url: '/v1/sync/pull?cursor=-1', headers: auth });
      expect(badQuery.statusCode).toBe(400);
      expect(await snapshot()).toEqual(before);
    });

    it('records rule breaks as rejected, keeps them for review and keeps the queue moving', async () => {
      const t = await enroll();
      const a = demoAccountNumber(6);
      const bal = await balance(a);
      const dupId = paymentEvent(1, { accountNumber: a, amountCents: 300 });
      const unbalanced = paymentPayload({ accountNumber: a, amountCents: 500 });
      unbalanced.journal[0]!.cents += 1;
      const res = await push(t, [
        dupId,
        paymentEvent(2, { accountNumber: '9999999999', amountCents: 4200 }),
        event(3, 'payment.posted', { accountNumber: a }),
        event(4, 'loyalty.points', { points: 10 }),
        event(5, 'ledger.posted', unbalanced),
        { ...paymentEvent(6, { accountNumber: a, amountCents: 1 }), id: dupId.id },
        paymentEvent(7, { accountNumber: a, amountCents: 200 }),
      ]);
      expect(res.statusCode, res.body).toBe(200);
      const body = PushResponseSchema.parse(res.json());
      expect(body.lastSeq).toBe(7);
      expect(body.acked.map((x) => x.seq)).toEqual([1, 7]);
      expect(Object.fromEntries(body.rejected.map((r) => [r.seq, r.code]))).toEqual({
        2: 'UNKNOWN_ACCOUNT',
        3: 'INVALID_PAYLOAD',
        4: 'UNKNOWN_EVENT_TYPE',
        5: 'UNBALANCED',
        6: 'DUPLICATE_EVENT_ID',
      });
      expect(body.rejected.find((r) => r.seq === 2)!.message).toMatch(
        /Account 9999999999 is not on the server/,
      );
      expect(await balance(a)).toBe(bal - 500);

      // The server side of the monitor: every rejected event, with its reason and payload.
      const review = await app.inject({
        method: 'GET',
        url: `/v1/admin/events?status=rejected&terminalId=${t.terminalId}`,
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(review.statusCode).toBe(200);
      const events = review.json<{
        events: { seq: number; code: string; payload: { accountNumber?: string } }[];
      }>().events;
      expect(events.map((e) => e.seq).sort()).toEqual([2, 3, 4, 5]);
      expect(events.find((e) => e.seq === 2)!.payload.accountNumber).toBe('9999999999');
      const noAdmin = await app.inject({
        method: 'GET',
        url: '/v1/admin/events',
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(noAdmin.statusCode).toBe(401);

      // Verify names the terminal's rejected payments as differences.
      const report = await verify(s.db);
      const mine = report.terminals.find((x) => x.terminalId === t.terminalId)!;
      expect(mine.differences.join('\n')).toMatch(/UNKNOWN_ACCOUNT/);
      expect(report.unbalancedJournals).toEqual([]);
      expect(report.balanceMismatches).toEqual([]);
    });
  });

  describe('pull', () => {
    it('pages through everything on a first pull, then brings only deltas in version order', async () => {
      const t = await enroll();
      const auth = { authorization: `Bearer ${t.token}` };
      const seen = new Map<string, number>();
      let cursor = 0;
      let pages = 0;
      for (;;) {
        const res = await app.inject({
          method: 'GET',
          url: `/v1/sync/pull?cursor=${cursor}&limit=150`,
          headers: auth,
        });
        expect(res.statusCode).toBe(200);
        const page = PullResponseSchema.parse(res.json());
        pages++;
        let last = cursor;
        for (const c of page.changes) {
          expect(c.version).toBeGreaterThan(last);
          last = c.version;
          seen.set(`${c.entity}:${c.key}`, c.version);
        }
        cursor = page.cursor;
        if (!page.hasMore) {
          expect(page.head).toBe(cursor);
          break;
        }
      }
      expect(pages).toBeGreaterThan(2);
      expect(seen.size).toBe(await count('change_log'));
      expect([...seen.keys()].filter((k) => k.startsWith('account:')).length).toBe(ACCOUNTS);

      // A payment: its account, its payment row and the open items it paid come as a delta.
      const a = demoAccountNumber(7);
      const ack = PushResponseSchema.parse(
        (await push(t, [paymentEvent(1, { accountNumber: a, amountCents: 999 })])).json(),
      ).acked[0]!;
      const delta = PullResponseSchema.parse(
        (await app.inject({ method: 'GET', url: `/v1/sync/pull?cursor=${cursor}`, headers: auth })).json(),
      );
      expect(delta.hasMore).toBe(false);
      const entities = delta.changes.map((c) => c.entity);
      expect(entities).toContain('account_payment');
      expect(entities.at(-1)).toBe('account');
      const account = delta.changes.find((c) => c.entity === 'account' && c.key === a)!;
      expect(account.version).toBe(ack.appliedVersion);
      expect(account.data).toMatchObject({ accountNumber: a, balanceCents: await balance(a) });
      // Nothing new: an empty page with the same cursor.
      const none = PullResponseSchema.parse(
        (
          await app.inject({ method: 'GET', url: `/v1/sync/pull?cursor=${delta.cursor}`, headers: auth })
        ).json(),
      );
      expect(none).toMatchObject({ changes: [], cursor: delta.cursor, hasMore: false });
    });
  });

  describe('day-end closing', () => {
    it('reconciles a till closing with the payments the server applied and flags differences', async () => {
      const t = await enroll();
      const a = demoAccountNumber(8);
      const till = `till-${Date.now()}`;
      const closing = (
        seq: number,
        tillId: string,
        totals: { type: string; count: number; cents: number }[],
      ) =>
        event(seq, 'till.closed', {
          tillId,
          cashierId: '1001',
          terminalCode: 'MAIN-02',
          branch: 'MAIN',
          businessDate: TODAY,
          openedAt: new Date().toISOString(),
          closedAt: new Date().toISOString(),
          floatCents: 10000,
          totals,
          expected: {
            cashCents: 0,
            checks: { count: 0, cents: 0 },
            moneyOrders: { count: 0, cents: 0 },
            cardCents: 0,
          },
          counted: {
            cashCents: 0,
            checks: { count: 0, cents: 0 },
            moneyOrders: { count: 0, cents: 0 },
            cardBatchCents: 0,
          },
          overShortCents: 0,
          approvedBy: null,
          zNumber: 'Z-1',
          transactionCount: 2,
        });
      const res = await push(t, [
        paymentEvent(1, {
          accountNumber: a,
          amountCents: 2000,
          tillId: till,
          tenders: [{ type: 'cash', amountCents: 2500 }],
        }),
        paymentEvent(2, {
          accountNumber: a,
          amountCents: 1500,
          tillId: till,
          tenders: [{ type: 'card', amountCents: 1500, brand: 'Visa', last4: '4242', authCode: 'OK1' }],
        }),
        closing(3, till, [
          { type: 'cash', count: 1, cents: 2000 },
          { type: 'card', count: 1, cents: 1500 },
        ]),
        paymentEvent(4, { accountNumber: a, amountCents: 700, tillId: `${till}-b` }),
        closing(5, `${till}-b`, [{ type: 'cash', count: 2, cents: 1400 }]),
      ]);
      expect(PushResponseSchema.parse(res.json()).rejected).toEqual([]);
      const get = (id: string) =>
        app.inject({
          method: 'GET',
          url: `/v1/sync/tills/${id}`,
          headers: { authorization: `Bearer ${t.token}` },
        });
      expect((await get(till)).json()).toMatchObject({ status: 'balanced' });
      const off = (await get(`${till}-b`)).json<{ status: string; lines: unknown[] }>();
      expect(off.status).toBe('differences');
      expect(off.lines).toEqual([
        {
          type: 'cash',
          terminal: { type: 'cash', count: 2, cents: 1400 },
          server: { type: 'cash', count: 1, cents: 700 },
          differenceCents: 700,
          countDifference: 1,
        },
      ]);
      const report = await verify(s.db);
      expect(report.tillDifferences.map((d) => d.tillId)).toContain(`${till}-b`);
    });
  });

  it('rate-limits enrollment attempts per address', async () => {
    const limited = await buildServer({
      db: s.db,
      logger: pino({ level: 'silent' }),
      rateLimit: { max: 1000, timeWindowMs: 60_000, enrollMax: 3 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (
            await limited.app.inject({
              method: 'POST',
              url: '/v1/enroll',
              payload: {
                code: 'AAAA-BBBB-CCCC',
                terminalCode: 'MAIN-02',
                terminalName: 'x',
                branch: 'MAIN',
                nextSeq: 1,
              },
            })
          ).statusCode,
        );
      expect(statuses).toEqual([403, 403, 403, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
