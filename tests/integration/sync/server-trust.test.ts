/**
 * The server trusts no terminal. Each case is an event a terminal with a valid token could push, whose
 * shape is valid but whose meaning is not: it is refused into the review monitor with a reason, the
 * terminal's queue goes on, and nothing of it is applied (balances and the ledger unchanged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 } from 'uuid';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import type { PushEvent } from '../../../shared/sync/protocol.js';
import type { LedgerPosted } from '../../../shared/sync/ledger.js';
import { event, paymentEvent, paymentPayload, tillPayload } from '../../support/sync-events.js';
import { serverBalance } from '../../support/sync-checks.js';
import { SERVER_TODAY, TEST_SERVERS, type TestServer } from '../../support/server-setup.js';

function ledger(seq: number, fields: Partial<LedgerPosted> & Pick<LedgerPosted, 'kind'>): PushEvent {
  return event(seq, 'ledger.posted', tillPayload({ businessDate: SERVER_TODAY, ...fields }));
}

describe.each(TEST_SERVERS)('server on %s refuses what a terminal may not post', (_name, start) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  }, 60_000);
  afterAll(() => s?.close());

  const balance = (a: string): Promise<number> => serverBalance(s.db, a);

  async function refused(events: PushEvent[], code: string): Promise<void> {
    const t = await s.enroll();
    const before = [await s.count('transactions'), await s.count('journal_lines')];
    const res = await s.push(t, events);
    expect(res.acked).toEqual([]);
    expect(res.rejected.map((r) => r.code)).toEqual(events.map(() => code));
    expect(res.lastSeq).toBe(events.length);
    expect([await s.count('transactions'), await s.count('journal_lines')]).toEqual(before);
  }

  it('a balanced "drop" that credits $1,000 to a customer with no tender', async () => {
    const a = demoAccountNumber(3);
    const bal = await balance(a);
    await refused(
      [
        ledger(1, {
          kind: 'drop',
          accountNumber: a,
          amountCents: 100_000,
          journal: [
            { ledgerAccount: 'safe:cash', cents: 100_000, memo: 'cash drop' },
            { ledgerAccount: `ar:${a}`, cents: -100_000, memo: 'cash drop' },
          ],
        }),
      ],
      'ACCOUNT_NOT_ALLOWED',
    );
    expect(await balance(a)).toBe(bal);
  });

  it('a payment under another terminal’s code', async () => {
    await refused(
      [paymentEvent(1, { accountNumber: demoAccountNumber(4), amountCents: 1_000, terminalCode: 'MAIN-07' })],
      'WRONG_TERMINAL',
    );
  });

  it('a payment into another terminal’s till', async () => {
    const owner = await s.enroll();
    const till = `till-${v7()}`;
    const own = await s.push(owner, [
      paymentEvent(1, { accountNumber: demoAccountNumber(5), amountCents: 500, tillId: till }),
    ]);
    expect(own.rejected).toEqual([]);
    await refused(
      [paymentEvent(1, { accountNumber: demoAccountNumber(5), amountCents: 700, tillId: till })],
      'WRONG_TILL',
    );
  });

  it('a payment by a cashier the server does not know, and a void approved by a CSR', async () => {
    const p = {
      ...paymentPayload({ accountNumber: demoAccountNumber(6), amountCents: 900 }),
      cashierId: '7777',
    };
    await refused([event(1, 'ledger.posted', p)], 'UNKNOWN_CASHIER');
    const t = await s.enroll();
    const pay = paymentPayload({ accountNumber: demoAccountNumber(6), amountCents: 900 });
    const res = await s.push(t, [
      event(1, 'ledger.posted', pay),
      ledger(2, {
        kind: 'void',
        accountNumber: pay.accountNumber,
        amountCents: 900,
        approvedBy: '1002',
        reversesId: pay.transactionId,
        journal: pay.journal.map((l) => ({ ...l, cents: -l.cents })),
        tenders: [{ type: 'cash', amountCents: -900, netCents: -900 }],
      }),
    ]);
    expect(res.rejected.map((r) => r.code)).toEqual(['UNKNOWN_APPROVER']);
  });

  it('a void that does not negate the payment, and a second void of the same payment', async () => {
    const t = await s.enroll();
    const pay = paymentPayload({ accountNumber: demoAccountNumber(7), amountCents: 2_000 });
    const voidOf = (seq: number, cents: number) =>
      ledger(seq, {
        kind: 'void',
        accountNumber: pay.accountNumber,
        amountCents: cents,
        reversesId: pay.transactionId,
        journal: [
          { ledgerAccount: 'drawer:cash', cents: -cents, memo: 'void' },
          { ledgerAccount: `ar:${pay.accountNumber}`, cents, memo: 'void' },
        ],
        tenders: [{ type: 'cash', amountCents: -cents, netCents: -cents }],
      });
    const res = await s.push(t, [
      event(1, 'ledger.posted', pay),
      voidOf(2, 5_000),
      voidOf(3, 2_000),
      voidOf(4, 2_000),
    ]);
    expect(res.acked.map((a) => a.seq)).toEqual([1, 3]);
    expect(res.rejected.map((r) => [r.seq, r.code])).toEqual([
      [2, 'NOT_A_REVERSAL'],
      [4, 'ALREADY_REVERSED'],
    ]);
  });

  it('a refund whose cash tender disagrees with its journal', async () => {
    const a = demoAccountNumber(8);
    await refused(
      [
        ledger(1, {
          kind: 'refund',
          accountNumber: a,
          amountCents: 1_000,
          journal: [
            { ledgerAccount: `ar:${a}`, cents: 1_000, memo: 'credit refunded' },
            { ledgerAccount: 'refunds_payable', cents: -1_000, memo: 'credit refunded' },
          ],
          tenders: [{ type: 'cash', amountCents: -1_000, netCents: -1_000 }],
        }),
      ],
      'TENDERS_DISAGREE',
    );
  });
});
