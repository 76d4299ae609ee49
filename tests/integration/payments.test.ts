/**
 * Bad input at the host (what a tampered renderer or a script could send): a clear, specific error
 * and nothing written — no transaction, no outbox event, no audit entry, no receipt number used.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import type { Reply } from '../../shared/api/errors.js';
import { rowCounts, signInWithTill, startTestHost } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
let host: Host;
let session: Session;
let cashOnlyAccount: string;
/** An account that owes nothing (its balance set to zero for the test). */
let paidUpAccount: string;

const cash = (amountCents: number) => ({ type: 'cash', amountCents });
const check = (amountCents: number, routingNumber = '011000015', bankAccount = '12345678') => ({
  type: 'check',
  amountCents,
  checkNumber: '101',
  routingNumber,
  bankAccount,
});
const card = (amountCents: number, extra: Record<string, string> = {}) => ({
  type: 'card',
  amountCents,
  brand: 'Visa',
  last4: '4242',
  authCode: 'AB12CD',
  ...extra,
});

/** The posted payment and the account after it; fails the test with the counter's message otherwise. */
type Posted = { payment: { amountCents: number; changeCents: number }; account: { balanceCents: number } };
function posted(reply: Reply<unknown>): Posted {
  if (!reply.ok) expect.fail(reply.error.message);
  return reply.value as Posted;
}

async function counts(): Promise<number[]> {
  return rowCounts(host.ctx.db, ['transactions', 'journal_lines', 'outbox', 'receipts', 'counters']);
}

beforeAll(async () => {
  host = await startTestHost({ demo: { count: 120, months: 2 } });
  session = await signInWithTill(host);
  cashOnlyAccount = (
    (await host.ctx.db('accounts').where('cash_only', 1).first('account_number')) as {
      account_number: string;
    }
  ).account_number;
  paidUpAccount = (
    (await host.ctx
      .db('accounts')
      .where('cash_only', 0)
      .andWhere('status', 'active')
      .whereNot('account_number', '1000042517')
      .orderBy('account_number', 'desc')
      .first('account_number')) as { account_number: string }
  ).account_number;
  await host.ctx.db('accounts').where('account_number', paidUpAccount).update({ balance_cents: 0 });
});
afterAll(() => host.close());

const cases: [string, () => Record<string, unknown>, string, RegExp][] = [
  [
    'a negative amount',
    () => ({ accountNumber: '1000042517', amountCents: -500, tenders: [cash(500)] }),
    'INVALID_INPUT',
    /more than zero/,
  ],
  [
    'a zero amount',
    () => ({ accountNumber: '1000042517', amountCents: 0, tenders: [cash(500)] }),
    'INVALID_INPUT',
    /more than zero/,
  ],
  [
    'a fractional cent',
    () => ({ accountNumber: '1000042517', amountCents: 10.5, tenders: [cash(500)] }),
    'INVALID_INPUT',
    /whole cents/,
  ],
  [
    'a non-numeric amount',
    () => ({ accountNumber: '1000042517', amountCents: '73.45', tenders: [cash(7345)] }),
    'INVALID_INPUT',
    /number/,
  ],
  [
    'tenders that do not cover the amount',
    () => ({ accountNumber: '1000042517', amountCents: 7345, tenders: [cash(5000), card(1000)] }),
    'TENDER_SHORT',
    /\$13\.45 still due/,
  ],
  [
    'change on a card (over-tender without confirmation)',
    () => ({ accountNumber: '1000042517', amountCents: 7345, tenders: [card(10000)] }),
    'OVERTENDER_NEEDS_CONFIRMATION',
    /No change is given/,
  ],
  [
    'an invalid routing number',
    () => ({ accountNumber: '1000042517', amountCents: 1000, tenders: [check(1000, '123456789')] }),
    'INVALID_INPUT',
    /123456789 is not valid/,
  ],
  [
    'a check from a cash-only account',
    () => ({ accountNumber: cashOnlyAccount, amountCents: 1000, tenders: [check(1000)] }),
    'CASH_ONLY',
    /cash only/,
  ],
  [
    'a full card number as the bank account',
    () => ({
      accountNumber: '1000042517',
      amountCents: 1000,
      tenders: [check(1000, '011000015', '4111111111111111')],
    }),
    'INVALID_INPUT',
    /full card number/,
  ],
  [
    'a full card number as the auth code',
    () => ({
      accountNumber: '1000042517',
      amountCents: 1000,
      tenders: [card(1000, { authCode: '5555555555554444' })],
    }),
    'INVALID_INPUT',
    /./,
  ],
  [
    'a full card number in the note',
    () => ({
      accountNumber: '1000042517',
      amountCents: 1000,
      tenders: [cash(1000)],
      note: 'card 4242 4242 4242 4242',
    }),
    'INVALID_INPUT',
    /full card number/,
  ],
  [
    'a card with more than 4 digits as last 4',
    () => ({
      accountNumber: '1000042517',
      amountCents: 1000,
      tenders: [card(1000, { last4: '4111111111111111' })],
    }),
    'INVALID_INPUT',
    /Last 4/,
  ],
  [
    'the cash handed over typed as the amount to pay ($500.00 on $73.45 owed), not confirmed as credit',
    () => ({ accountNumber: '1000042517', amountCents: 50000, tenders: [cash(50000)] }),
    'CREDIT_NEEDS_CONFIRMATION',
    /\$500\.00 is \$426\.55 more than the \$73\.45 due\. The \$426\.55 is credit on the account, not change/,
  ],
  [
    'a payment on an account that owes nothing, without a reason',
    () => ({ accountNumber: paidUpAccount, amountCents: 8000, tenders: [cash(8000)] }),
    'PREPAY_NEEDS_REASON',
    /owes nothing.*credit on the account, not change/,
  ],
  [
    'a reason that is not one of the list',
    () => ({
      accountNumber: paidUpAccount,
      amountCents: 8000,
      tenders: [cash(8000)],
      prepayReason: 'because',
    }),
    'INVALID_INPUT',
    /./,
  ],
  [
    'an unknown account',
    () => ({ accountNumber: '9999999999', amountCents: 1000, tenders: [cash(1000)] }),
    'NOT_FOUND',
    /No account 9999999999/,
  ],
];

describe('payments.post refuses bad input and writes nothing', () => {
  for (const [name, make, code, message] of cases) {
    it(name, async () => {
      const before = await counts();
      const reply = await host.call('payments.post', { requestId: randomUUID(), ...make() }, session);
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.code).toBe(code);
      expect(reply.error.message).toMatch(message);
      expect(await counts()).toEqual(before);
    });
  }

  it('a confirmed card over-tender posts, and the excess is account credit (no change)', async () => {
    const reply = await host.call(
      'payments.post',
      {
        requestId: randomUUID(),
        accountNumber: '1000042517',
        amountCents: 7345,
        tenders: [card(10000)],
        confirmOvertenderCredit: true,
      },
      session,
    );
    expect(reply.ok).toBe(true);
    const v = reply.ok
      ? (reply.value as {
          payment: { amountCents: number; changeCents: number };
          account: { balanceCents: number };
        })
      : null;
    expect(v?.payment).toMatchObject({ amountCents: 10000, changeCents: 0 });
    expect(v?.account.balanceCents).toBe(7345 - 10000);
  });

  it('more than owed, confirmed as credit: posts the whole amount, no change, and the rest is credit', async () => {
    const before = (await host.ctx
      .db('accounts')
      .where('account_number', cashOnlyAccount)
      .first('balance_cents')) as {
      balance_cents: number;
    };
    const over = before.balance_cents + 2500;
    const reply = await host.call(
      'payments.post',
      {
        requestId: randomUUID(),
        accountNumber: cashOnlyAccount,
        amountCents: over,
        tenders: [cash(over)],
        confirmCreditBalance: true,
      },
      session,
    );
    const v = posted(reply);
    expect(v.payment).toMatchObject({ amountCents: over, changeCents: 0 });
    expect(v.account.balanceCents).toBe(-2500);
  });

  it('on an account that owes nothing, a payment with a reason posts and leaves a credit balance', async () => {
    const reply = await host.call(
      'payments.post',
      {
        requestId: randomUUID(),
        accountNumber: paidUpAccount,
        amountCents: 8000,
        tenders: [cash(10000)],
        prepayReason: 'next_bill',
      },
      session,
    );
    const v = posted(reply);
    expect(v.payment).toMatchObject({ amountCents: 8000, changeCents: 2000 });
    expect(v.account.balanceCents).toBe(-8000);
  });
});
