/**
 * Returned checks on a real counter (SQLite file, demo data, virtual printer): the return is a new
 * transaction today that reverses only the check's part, reopens what it paid, posts the fee from the
 * schedule, prints the back-office slip and writes the customer's letter; cash only follows the points
 * and refuses the next check until a supervisor lifts it. Bad input and racing returns write nothing.
 */
import { randomUUID } from 'node:crypto';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import type { Channel, ChannelOutput } from '../../shared/api/contract.js';
import type { Reply } from '../../shared/api/errors.js';
import { getAccountDetail } from '../../electron/services/accounts/accounts.js';
import { expectBooksHold, fireAtOnce, refusalCodes } from '../support/concurrency.js';
import { signInWithTill, startTestHost, ANY_BALANCE } from '../support/counter.js';
import { pdfText } from '../support/pdf.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
let host: Host;
let dana: Session;
let sam: Session;
let accounts: string[];
let nextAccount = 0;

const cash = (amountCents: number) => ({ type: 'cash', amountCents });
const check = (amountCents: number, checkNumber = '1042') => ({
  type: 'check',
  amountCents,
  checkNumber,
  routingNumber: '011000015',
  bankAccount: '12345678',
});

/** host.call typed by the contract. */
async function rpc<C extends Channel>(
  channel: C,
  input: unknown,
  s: Session,
): Promise<Reply<ChannelOutput<C>>> {
  return (await host.call(channel, input, s)) as Reply<ChannelOutput<C>>;
}

async function counts(): Promise<number[]> {
  const db = host.ctx.db;
  const n = async (t: string) => Number(((await db(t).count({ n: '*' }).first()) as { n: number }).n);
  return [
    await n('transactions'),
    await n('journal_lines'),
    await n('allocations'),
    await n('outbox'),
    await n('receipts'),
    await n('returned_checks'),
    await n('audit_log'),
  ];
}

async function pay(account: string, tenders: unknown[], amountCents: number) {
  const r = await rpc(
    'payments.post',
    { requestId: randomUUID(), accountNumber: account, amountCents, tenders, ...ANY_BALANCE },
    dana,
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function balance(account: string): Promise<number> {
  return (await getAccountDetail(host.ctx.db, account, host.ctx.clock.today())).balanceCents;
}

function account(): string {
  const a = accounts[nextAccount++];
  if (!a) throw new Error('out of demo accounts');
  return a;
}

beforeAll(async () => {
  host = await startTestHost({ demo: { count: 150, months: 3 } });
  dana = await signInWithTill(host);
  sam = await signInWithTill(host, '2001', '2468');
  accounts = (await host.ctx
    .db('accounts')
    .where({ cash_only: 0, status: 'active' })
    .andWhere('balance_cents', '>', 15000)
    .orderBy('account_number')
    .pluck('account_number')) as string[];
});

afterAll(async () => {
  await host?.close();
});

describe('recording a returned check', () => {
  it('reverses only the check part of a split payment, reopens what it paid, posts the fee, prints and writes the letter', async () => {
    const acct = account();
    const before = await balance(acct);
    const itemsBefore = (await host.ctx.db('open_items').where('account_number', acct)) as unknown[];
    const paid = await pay(acct, [cash(6000), check(9000)], 15000);
    const found = await rpc('returns.find', { query: paid.payment.receiptNumber }, dana);
    expect(found.ok && found.value.checks).toMatchObject([
      {
        tenderPosition: 1,
        faceCents: 9000,
        checkNumber: '1042',
        otherTenders: [{ type: 'cash', amountCents: 6000 }],
        blocked: null,
      },
    ]);
    const r = await rpc(
      'returns.record',
      { transactionId: paid.payment.transactionId, tenderPosition: 1, reasonCode: 'nsf' },
      dana,
    );
    if (!r.ok) throw new Error(r.error.message);
    // $90.00 is in the $50.01–$300.00 tier: $30.00; 5% = $4.50; the greater is $30.00.
    expect(r.value.feeCents).toBe(3000);
    expect(r.value.faceCents).toBe(9000);
    expect(r.value.reopened.reduce((s, x) => s + x.cents, 0)).toBe(9000);
    // The cash part stays paid: the balance is back up by the check and the fee only.
    expect(await balance(acct)).toBe(before - 15000 + 9000 + 3000);
    // One NSF is 1 point of the 2 it takes: checks are still fine.
    expect(r.value.cashOnly).toMatchObject({ active: false, points: 1, threshold: 2 });
    expect(r.value.receipt.lines.join('\n')).toMatch(/RETURNED CHECK[\s\S]*NSF fee/);
    // The original is untouched: same journal, not voided.
    const original = (await host.ctx.db('transactions').where('id', paid.payment.transactionId).first()) as {
      voided_by_id: string | null;
      business_date: string;
    };
    expect(original.voided_by_id).toBeNull();
    const ret = (await host.ctx.db('transactions').where('id', r.value.transactionId).first()) as {
      kind: string;
      reverses_id: string;
      business_date: string;
    };
    expect(ret).toMatchObject({ kind: 'returned_check', reverses_id: paid.payment.transactionId });
    expect(ret.business_date).toBe(host.ctx.clock.today());
    // Open items as before the payment minus what the cash paid.
    const open = (await getAccountDetail(host.ctx.db, acct, host.ctx.clock.today())).aging;
    expect(open.current + open.d30 + open.d60 + open.d90).toBeGreaterThan(0);
    expect(itemsBefore.length).toBeGreaterThan(0);
    const letter = await pdfText(r.value.letterPath);
    expect(letter).toContain('check number 1042 for $90.00');
    expect(letter).toContain('Insufficient funds (NSF)');
    expect(letter).toContain('Returned check fee: $30.00');
    expect(letter).toContain('state law caps it at $40.00');
    expect(letter).toMatch(/Now due: \$[\d,]+\.\d\d/);
    expect(letter).toContain('At 2 points we accept only cash, card or money order for 12 months');
    const ev = (await host.ctx.db('outbox').orderBy('seq', 'desc').first()) as {
      type: string;
      payload: string;
    };
    expect(ev.type).toBe('ledger.posted');
    expect(JSON.parse(ev.payload)).toMatchObject({
      kind: 'returned_check',
      reversesId: paid.payment.transactionId,
      detail: { capability: 'returned_check', faceCents: 9000, feeCents: 3000 },
    });
    await expectBooksHold(host);
  });

  it('an account-closed return puts the account on cash only: the next check is refused until a supervisor lifts it', async () => {
    const acct = account();
    const paid = await pay(acct, [check(12000, '555')], 12000);
    const r = await rpc(
      'returns.record',
      {
        transactionId: paid.payment.transactionId,
        tenderPosition: 0,
        reasonCode: 'account_closed',
        itemType: 'echeck',
      },
      sam,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.cashOnly).toMatchObject({ active: true, until: '2027-11-25', points: 2 });
    expect(r.value.account.cashOnly).toBe(true);
    expect(r.value.account.cashOnlyReason).toContain('Cash only until 2027-11-25');
    expect(await pdfText(r.value.letterPath)).toContain(
      'Until 2027-11-25 we can accept only cash, card or money order',
    );
    const refused = await rpc(
      'payments.post',
      {
        requestId: randomUUID(),
        accountNumber: acct,
        amountCents: 1000,
        tenders: [check(1000)],
        ...ANY_BALANCE,
      },
      dana,
    );
    expect(!refused.ok && refused.error.code).toBe('CASH_ONLY');
    const csrLift = await rpc(
      'returns.liftCashOnly',
      { accountNumber: acct, reason: 'Manager approved' },
      dana,
    );
    expect(!csrLift.ok && csrLift.error.code).toBe('FORBIDDEN');
    const lifted = await rpc(
      'returns.liftCashOnly',
      { accountNumber: acct, reason: 'Bank confirmed its error' },
      sam,
    );
    expect(lifted.ok && lifted.value.active).toBe(false);
    const audit = (await host.ctx.db('audit_log').where('action', 'cashOnly.lift').first()) as {
      details: string;
    };
    expect(JSON.parse(audit.details)).toMatchObject({ reason: 'Bank confirmed its error' });
    expect((await host.ctx.db('outbox').orderBy('seq', 'desc').first('type')) as { type: string }).toEqual({
      type: 'cash_only.lifted',
    });
    await pay(acct, [check(1000)], 1000);
  });

  it('a bank-error return carries no fee and no points', async () => {
    const acct = account();
    const paid = await pay(acct, [check(100000)], 100000);
    const r = await rpc(
      'returns.record',
      { transactionId: paid.payment.transactionId, tenderPosition: 0, reasonCode: 'bank_error' },
      dana,
    );
    expect(r.ok && [r.value.feeCents, r.value.cashOnly.points]).toEqual([0, 0]);
  });
});

describe('bad input writes nothing', () => {
  it('refuses a payment with no check, a tender that is not the check, a voided payment, an unknown reason, a second return', async () => {
    const acct = account();
    const cashOnly = await pay(acct, [cash(2000)], 2000);
    const split = await pay(acct, [cash(2000), check(3000)], 5000);
    const voided = await pay(acct, [check(2500)], 2500);
    const v = await rpc(
      'payments.void',
      { transactionId: voided.payment.transactionId, reason: 'Wrong account' },
      sam,
    );
    expect(v.ok).toBe(true);
    const first = await rpc(
      'returns.record',
      { transactionId: split.payment.transactionId, tenderPosition: 1, reasonCode: 'nsf' },
      dana,
    );
    expect(first.ok).toBe(true);
    const before = await counts();
    const tries = [
      [
        { transactionId: cashOnly.payment.transactionId, tenderPosition: 0, reasonCode: 'nsf' },
        'INVALID_INPUT',
        /without a check/,
      ],
      [
        { transactionId: split.payment.transactionId, tenderPosition: 0, reasonCode: 'nsf' },
        'INVALID_INPUT',
        /not a check/,
      ],
      [
        { transactionId: voided.payment.transactionId, tenderPosition: 0, reasonCode: 'nsf' },
        'CONFLICT',
        /voided/,
      ],
      [
        { transactionId: split.payment.transactionId, tenderPosition: 0, reasonCode: 'lost_in_mail' },
        'INVALID_INPUT',
        /not a return reason/,
      ],
      [
        { transactionId: split.payment.transactionId, tenderPosition: 1, reasonCode: 'nsf' },
        'CONFLICT',
        /already recorded as returned/,
      ],
      [
        { transactionId: split.payment.transactionId, tenderPosition: 1, reasonCode: 'stop_payment' },
        'CONFLICT',
        /already recorded as returned/,
      ],
      [{ transactionId: 'nope', tenderPosition: 0, reasonCode: 'nsf' }, 'NOT_FOUND', /No payment/],
    ] as const;
    for (const [input, code, message] of tries) {
      const r = await rpc('returns.record', input, dana);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(message);
      }
    }
    expect(await counts()).toEqual(before);
  });

  it('5 identical and 5 conflicting returns fired at once: one return, the books hold', async () => {
    const acct = account();
    const a = await pay(acct, [check(4000, '7001')], 4000);
    const b = await pay(acct, [check(6000, '7002')], 6000);
    const before = await balance(acct);
    const same = await fireAtOnce(host, dana, 'returns.record', 5, () => ({
      transactionId: a.payment.transactionId,
      tenderPosition: 0,
      reasonCode: 'nsf',
    }));
    expect(same.ok).toHaveLength(1);
    expect(refusalCodes(same)).toEqual({ CONFLICT: 4 });
    const reasons = ['nsf', 'stop_payment', 'account_closed', 'other', 'stolen'];
    const conflicting = await fireAtOnce(host, sam, 'returns.record', 5, (i) => ({
      transactionId: b.payment.transactionId,
      tenderPosition: 0,
      reasonCode: reasons[i],
    }));
    expect(conflicting.ok).toHaveLength(1);
    expect(refusalCodes(conflicting)).toEqual({ CONFLICT: 4 });
    expect(
      await host.ctx
        .db('returned_checks')
        .whereIn('original_transaction_id', [a.payment.transactionId, b.payment.transactionId])
        .count({ n: '*' }),
    ).toEqual([{ n: 2 }]);
    // $40.00 NSF: tier 1 $25.00 (5% = $2.00). $60.00: tier 2 $30.00 whatever the reason (none is fee-free).
    expect(await balance(acct)).toBe(before + 4000 + 2500 + 6000 + 3000);
    await expectBooksHold(host);
  });
});

describe('property: a return then a new payment of the same amount', () => {
  it('leaves the balance where it was, plus the fee', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 250_000 }),
        fc.integer({ min: 0, max: 5000 }),
        async (face, cashCents) => {
          const acct = account();
          const paid = await pay(
            acct,
            cashCents > 0 ? [cash(cashCents), check(face)] : [check(face)],
            face + cashCents,
          );
          const before = await balance(acct);
          const r = await rpc(
            'returns.record',
            {
              transactionId: paid.payment.transactionId,
              tenderPosition: cashCents > 0 ? 1 : 0,
              reasonCode: 'nsf',
            },
            dana,
          );
          if (!r.ok) throw new Error(r.error.message);
          await pay(acct, [cash(face)], face);
          expect(await balance(acct)).toBe(before + r.value.feeCents);
          expect(r.value.feeCents).toBeGreaterThan(0);
        },
      ),
      { numRuns: 12 },
    );
    await expectBooksHold(host);
  });
});

describe('on the till', () => {
  it('the till’s figures count the returns recorded while it was open, as their own line', async () => {
    const acct = account();
    const line = async () => {
      const r = await rpc('till.list', {}, sam);
      if (!r.ok) throw new Error(r.error.message);
      const mine = r.value.tills.find((t) => t.cashierId === '1001' && t.status === 'open');
      return mine?.figures.lines.find((l) => l.key === 'returnedChecks');
    };
    const before = (await line()) ?? { count: 0, cents: 0 };
    const paid = await pay(acct, [cash(1000), check(4200, '8801')], 5200);
    const r = await rpc(
      'returns.record',
      { transactionId: paid.payment.transactionId, tenderPosition: 1, reasonCode: 'nsf' },
      dana,
    );
    expect(r.ok).toBe(true);
    // The check's face value, not the fee: the drawer never held the fee.
    expect(await line()).toMatchObject({
      label: 'Returned checks',
      count: before.count + 1,
      cents: before.cents + 4200,
    });
  });

  it('a payment whose check was returned cannot be voided: the return reversed part of it; nothing is written', async () => {
    const acct = account();
    const paid = await pay(acct, [cash(1500), check(3500, '8802')], 5000);
    const r = await rpc(
      'returns.record',
      { transactionId: paid.payment.transactionId, tenderPosition: 1, reasonCode: 'nsf' },
      dana,
    );
    expect(r.ok).toBe(true);
    const before = [await counts(), await balance(acct)];
    const v = await rpc(
      'payments.void',
      { transactionId: paid.payment.transactionId, reason: 'Customer changed mind' },
      sam,
    );
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.error.code).toBe('CONFLICT');
      expect(v.error.message).toMatch(/already reversed in part.*cannot be voided/);
    }
    expect([await counts(), await balance(acct)]).toEqual(before);
    await expectBooksHold(host);
  });
});
