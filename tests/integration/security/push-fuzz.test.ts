/**
 * Random and adversarial events at the server's push, from a terminal with a valid token (fast-check,
 * bounded in runs): valid payments with one field bent (amounts, accounts, journal lines, tenders,
 * terminal, till, cashier, ids reused), unknown types, and arbitrary JSON payloads. The server must
 * answer every push (no 5xx), move the terminal's seq on, and keep its books: every journal sums to
 * zero, every balance is its opening plus what was applied, and a transaction exists only for an
 * event it acked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v7 } from 'uuid';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { verify } from '../../../server/src/domain/verify.js';
import { PushResponseSchema, type PushEvent } from '../../../shared/sync/protocol.js';
import { pgServer, sqliteServer } from '../../support/server-setup.js';
import { event, paymentPayload } from '../../support/sync-events.js';

const LEDGER_TYPES = ['payment.posted', 'ledger.posted', 'deposit.posted', 'equipment.posted'];

const cents = fc.oneof(
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.constantFrom(0, 1, -1, Number.MAX_SAFE_INTEGER, 2 ** 53, 0.5),
);
const account = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((i) => demoAccountNumber(i)),
  fc.constantFrom('0000000000', 'ABC', '', '9999999999'),
);

/** One field of a valid payment bent out of shape (or left alone). */
const bend = fc.oneof(
  fc.constant({}),
  cents.map((amountCents) => ({ amountCents })),
  cents.map((appliedCents) => ({ appliedCents })),
  account.map((accountNumber) => ({ accountNumber })),
  fc
    .record({ ledgerAccount: fc.constantFrom('safe:cash', 'drawer:cash', 'ar:0000000001', 'x'), cents })
    .map((l) => ({
      journal: [l, { ...l, cents: -l.cents }],
    })),
  fc
    .array(fc.record({ type: fc.constantFrom('cash', 'check', 'card', 'gold'), amountCents: cents }), {
      maxLength: 3,
    })
    .map((tenders) => ({ tenders })),
  fc.constantFrom('MAIN-01', 'NORTH-02', '').map((terminalCode) => ({ terminalCode })),
  fc.constantFrom('NORTH', '').map((branch) => ({ branch })),
  fc.constantFrom('9999', '', '1001').map((cashierId) => ({ cashierId })),
  fc.constantFrom('till-of-someone-else', null).map((tillId) => ({ tillId })),
  fc.constantFrom('not-a-date', '2099-01-01').map((businessDate) => ({ businessDate })),
);

const anEvent = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 50_000 }), bend),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LEDGER_TYPES, 'till.closed', 'x.y'), fc.jsonValue()) },
);

describe.each([
  ['SQLite', sqliteServer, 60],
  ['PostgreSQL', pgServer, 20],
])('push fuzz on %s', (_name, make, runs) => {
  it('answers every push, moves the seq on, and keeps its books', async () => {
    const s = await make(12);
    try {
      const t = await s.enroll();
      const lastSeq = async (): Promise<number> =>
        Number(
          (
            (await s.db.knex('terminals').where('id', t.terminalId).first('last_applied_seq')) as {
              last_applied_seq: number | string;
            }
          ).last_applied_seq,
        );
      let seq: number;
      let ackedLedger = 0;
      const transactionsBefore = await s.count('transactions');
      const reused: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.array(anEvent, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          async (specs, reuse) => {
            // From the server's own count, so a refused push (and fast-check's shrinking) leaves no gap.
            seq = await lastSeq();
            const before = seq;
            const events: PushEvent[] = specs.map((spec) => {
              seq += 1;
              if (spec.length === 2) return event(seq, spec[0], spec[1]);
              const [i, amountCents, bent] = spec;
              const payload = {
                ...paymentPayload({ accountNumber: demoAccountNumber(i), amountCents }),
                ...bent,
              };
              if (reuse && reused.length > 0) payload.transactionId = reused[reused.length - 1]!;
              else reused.push(payload.transactionId);
              return event(seq, 'payment.posted', payload, v7());
            });
            const reply = await s.pushReply(t, events);
            // A whole push may be refused (another branch's events: 403), never with a server error.
            expect(reply.statusCode, reply.body).toBeLessThan(500);
            if (reply.statusCode !== 200) {
              expect(await lastSeq()).toBe(before);
              return;
            }
            const res = PushResponseSchema.parse(reply.json());
            expect(res.lastSeq).toBe(seq);
            expect(res.acked.length + res.rejected.length).toBe(events.length);
            const ackedIds = new Set(res.acked.map((a) => a.id));
            ackedLedger += events.filter((e) => ackedIds.has(e.id) && LEDGER_TYPES.includes(e.type)).length;
          },
        ),
        { numRuns: runs, interruptAfterTimeLimit: 60_000 },
      );
      const report = await verify(s.db);
      expect(report.unbalancedJournals).toEqual([]);
      expect(report.balanceMismatches).toEqual([]);
      expect((await s.count('transactions')) - transactionsBefore).toBe(ackedLedger);
    } finally {
      await s.close();
    }
  }, 180_000);
});
