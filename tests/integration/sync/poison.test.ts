/**
 * The server never lets one event jam a terminal's queue, on SQLite AND on PostgreSQL (Fastify inject):
 * - a void of a payment that reached the server in an EARLIER push applies (its allocations are
 *   given back without copying the stored rows' own ids);
 * - an applier that throws an unexpected error for one event in the middle of a batch: that event is
 *   held for review (SERVER_ERROR, with the error), the events before and after it apply, and the
 *   half-applied in-memory state of the failed one leaves no trace;
 * - a failure while writing the batch that no event can be blamed for: the server applies the first
 *   half, the terminal sends the rest, down to the single event that fails, which is held;
 * - a held event sent again as a new event (the supervisor's retry) applies once, never twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { appliers, type Applier } from '../../../server/src/domain/appliers/index.js';
import type { PushOptions } from '../../../server/src/domain/push.js';
import type { PushEvent, PushResponse } from '../../../shared/sync/protocol.js';
import { SERVER_TODAY, TEST_SERVERS, type Terminal, type TestServer } from '../../support/server-setup.js';
import { expectServerBooksBalance, serverBalance } from '../../support/sync-checks.js';
import { event, paymentEvent, tillPayload, type paymentPayload } from '../../support/sync-events.js';

const TODAY = SERVER_TODAY;

/** The push options the servers run with: a test sets a fault point on it for a while. */
const pushHooks: PushOptions = {};

/** The reversal of a payment as the counter's void posts it (ledger.posted, kind void). */
function voidEvent(seq: number, payment: ReturnType<typeof paymentPayload>): PushEvent {
  return event(
    seq,
    'ledger.posted',
    tillPayload({
      transactionId: `void-${payment.transactionId}`,
      kind: 'void',
      accountNumber: payment.accountNumber,
      amountCents: payment.amountCents,
      journal: payment.journal.map((l) => ({ ...l, cents: -l.cents, memo: `void: ${l.memo}` })),
      tenders: [{ type: 'cash', amountCents: -payment.amountCents, netCents: -payment.amountCents }],
      reversesId: payment.transactionId,
      reason: 'wrong account',
      tillId: 'till-v',
      businessDate: TODAY,
    }),
  );
}

describe.each(TEST_SERVERS)('server on %s', (_name, start) => {
  let s: TestServer;
  const original = appliers['ledger.posted']!;

  beforeAll(async () => {
    s = await start(30, { rateLimit: false, push: pushHooks });
  }, 60_000);
  afterAll(() => s?.close());
  afterEach(() => {
    appliers['ledger.posted'] = original;
    delete pushHooks.beforeCommit;
  });

  const enroll = (): Promise<Terminal> => s.enroll();
  const push = (t: Terminal, events: PushEvent[]): Promise<PushResponse> => s.push(t, events);

  /** Pushes like the counter's worker: whatever the answer's lastSeq did not cover is sent again. */
  async function pushAll(
    t: Terminal,
    events: PushEvent[],
  ): Promise<{ acked: number[]; rejected: Map<number, { code: string; message: string }>; pushes: number }> {
    const acked: number[] = [];
    const rejected = new Map<number, { code: string; message: string }>();
    let rest = events;
    let pushes = 0;
    while (rest.length) {
      const res = await push(t, rest);
      pushes++;
      acked.push(...res.acked.map((a) => a.seq));
      for (const r of res.rejected) rejected.set(r.seq, { code: r.code, message: r.message });
      expect(res.lastSeq).toBeGreaterThanOrEqual(rest[0]!.seq);
      rest = rest.filter((e) => e.seq > res.lastSeq);
    }
    return { acked, rejected, pushes };
  }

  const balance = (accountNumber: string): Promise<number> => serverBalance(s.db, accountNumber);
  const items = async (accountNumber: string): Promise<[string, number][]> =>
    (
      (await s.db
        .knex('open_items')
        .where('account_number', accountNumber)
        .orderBy('id')
        .select('id', 'open_cents')) as { id: string; open_cents: number }[]
    ).map((i) => [i.id, Number(i.open_cents)]);
  const lastSeq = async (terminalId: string): Promise<number> =>
    Number(
      (
        (await s.db.knex('terminals').where('id', terminalId).first('last_applied_seq')) as {
          last_applied_seq: number;
        }
      ).last_applied_seq,
    );

  it('voids a payment that reached the server in an earlier push: balance and open items come back', async () => {
    const t = await enroll();
    const a = demoAccountNumber(3);
    const [bal, before] = [await balance(a), await items(a)];
    const pay = paymentEvent(1, { accountNumber: a, amountCents: 4500 });
    const p = pay.payload as ReturnType<typeof paymentPayload>;
    expect((await push(t, [pay])).acked.map((x) => x.seq)).toEqual([1]);
    expect(await balance(a)).toBe(bal - 4500);

    const res = await push(t, [voidEvent(2, p)]);
    expect(res.rejected).toEqual([]);
    expect(res.acked.map((x) => x.seq)).toEqual([2]);
    expect(await balance(a)).toBe(bal);
    expect(await items(a)).toEqual(before);
    await expectServerBooksBalance(s.db);
  });

  /** Makes the payment applier fail, the way a bug would, for one transaction id. */
  function breakPaymentsFor(transactionId: string, how: 'after-changing' | 'at-write'): void {
    appliers['ledger.posted'] = {
      ...original,
      async apply(batch, ev, payload) {
        const outcome = await original.apply(batch, ev, payload);
        if ((payload as { transactionId: string }).transactionId !== transactionId) return outcome;
        // The batch was already changed (balance moved, items allocated): the failure leaves it half-done.
        if (how === 'after-changing')
          throw new TypeError(`Cannot read properties of undefined (reading 'x')`);
        // A row the database refuses when the batch is written at the end: no applier to blame.
        batch.insert('journal_lines', { transaction_id: transactionId, no_such_column: 1 });
        return outcome;
      },
    } as Applier<unknown>;
  }

  it('holds an event whose applier throws an unexpected error; the events before and after it apply', async () => {
    const t = await enroll();
    const [a, b] = [demoAccountNumber(4), demoAccountNumber(5)];
    const [balA, balB] = [await balance(a), await balance(b)];
    const events = [
      paymentEvent(1, { accountNumber: a, amountCents: 100 }),
      paymentEvent(2, { accountNumber: b, amountCents: 200 }),
      paymentEvent(3, { accountNumber: a, amountCents: 300 }),
      paymentEvent(4, { accountNumber: b, amountCents: 400 }),
    ];
    breakPaymentsFor((events[1]!.payload as { transactionId: string }).transactionId, 'after-changing');
    const res = await push(t, events);
    expect(res.lastSeq).toBe(4);
    expect(res.acked.map((x) => x.seq)).toEqual([1, 3, 4]);
    expect(res.rejected).toEqual([
      {
        id: events[1]!.id,
        seq: 2,
        code: 'SERVER_ERROR',
        message: expect.stringMatching(/failed to apply this ledger\.posted event \(Cannot read properties/),
      },
    ]);
    // The failed event's half-done effect is gone: only the applied payments moved the balances.
    expect(await balance(a)).toBe(balA - 400);
    expect(await balance(b)).toBe(balB - 400);
    expect(await lastSeq(t.terminalId)).toBe(4);
    const held = (await s.db.knex('events').where({ terminal_id: t.terminalId, seq: 2 }).first()) as {
      status: string;
      reject_code: string;
    };
    expect(held).toMatchObject({ status: 'rejected', reject_code: 'SERVER_ERROR' });
    await expectServerBooksBalance(s.db);

    // Fixed: the supervisor's retry sends the same payload as a new event, which applies once.
    appliers['ledger.posted'] = original;
    const retry = event(5, 'ledger.posted', events[1]!.payload);
    expect((await push(t, [retry])).acked.map((x) => x.seq)).toEqual([5]);
    expect(await balance(b)).toBe(balB - 600);
    // A second retry of the same transaction is refused, not applied twice.
    const again = await push(t, [event(6, 'ledger.posted', events[1]!.payload)]);
    expect(again.rejected).toMatchObject([{ seq: 6, code: 'DUPLICATE_TRANSACTION' }]);
    expect(await balance(b)).toBe(balB - 600);
  });

  it('a failure while writing the batch: the first half applies, the rest is sent again, the one bad event is held', async () => {
    const t = await enroll();
    const a = demoAccountNumber(7);
    const bal = await balance(a);
    const events = Array.from({ length: 9 }, (_, i) =>
      paymentEvent(i + 1, { accountNumber: a, amountCents: 10 * (i + 1) }),
    );
    breakPaymentsFor((events[5]!.payload as { transactionId: string }).transactionId, 'at-write');
    const { acked, rejected, pushes } = await pushAll(t, events);
    expect(pushes).toBeGreaterThan(1);
    expect(acked.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
    expect([...rejected.keys()]).toEqual([6]);
    expect(rejected.get(6)).toMatchObject({ code: 'SERVER_ERROR' });
    expect(await balance(a)).toBe(bal - (450 - 60));
    expect(await lastSeq(t.terminalId)).toBe(9);
    const stored = (await s.db
      .knex('events')
      .where('terminal_id', t.terminalId)
      .orderBy('seq')
      .select('seq', 'status')) as { seq: number; status: string }[];
    expect(stored.map((e) => [Number(e.seq), e.status])).toEqual(
      events.map((e) => [e.seq, e.seq === 6 ? 'rejected' : 'applied']),
    );
    await expectServerBooksBalance(s.db);
  });

  it("a failure that is no event's fault and does not pass: 500, nothing written, no event held", async () => {
    const t = await enroll();
    const a = demoAccountNumber(8);
    const bal = await balance(a);
    const events = [1, 2, 3].map((seq) => paymentEvent(seq, { accountNumber: a, amountCents: 100 * seq }));
    let attempts = 0;
    pushHooks.beforeCommit = () => {
      attempts++;
      return Promise.reject(new Error('the change log is full'));
    };
    const res = await s.server.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: { authorization: `Bearer ${t.token}` },
      payload: { terminalId: t.terminalId, events },
    });
    expect(res.statusCode).toBe(500);
    // Halved to one event, that one held, still failing: given up (finitely), everything rolled back.
    expect(attempts).toBe(3); // all three, then the first alone, then the first alone held
    expect(await s.db.knex('events').where('terminal_id', t.terminalId).select('seq')).toEqual([]);
    expect(await lastSeq(t.terminalId)).toBe(0);
    expect(await balance(a)).toBe(bal);
    // Once it passes, the same push applies everything.
    delete pushHooks.beforeCommit;
    expect((await push(t, events)).acked.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(await balance(a)).toBe(bal - 600);
  });
});
