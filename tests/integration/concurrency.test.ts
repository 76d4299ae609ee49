/**
 * Every posting channel under many calls at once, on a real SQLite file: N identical calls (one request
 * id) post once and answer alike; N conflicting calls competing for the same money post only what the
 * money allows (a credit refunded once, a drawer never below zero, a payment voided once, a till opened
 * and closed once). The books hold afterwards. The kernel's request-id rules are checked here too.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import { expectBooksHold, fireAtOnce, drawerCash, refusalCodes } from '../support/concurrency.js';
import { ANY_BALANCE, signInWithTill, startTestHost } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
type Reply = Awaited<ReturnType<Host['call']>>;

function value<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function count(host: Host, table: string, where: Record<string, unknown> = {}): Promise<number> {
  return Number(((await host.ctx.db(table).where(where).count({ n: '*' }).first()) as { n: number }).n);
}

async function balance(host: Host, session: Session, accountNumber: string): Promise<number> {
  return value<{ balanceCents: number }>(await host.call('accounts.get', { accountNumber }, session))
    .balanceCents;
}

async function accounts(host: Host, n: number): Promise<string[]> {
  const rows = (await host.ctx
    .db('accounts')
    .orderBy('account_number')
    .limit(n)
    .select('account_number')) as {
    account_number: string;
  }[];
  return rows.map((r) => r.account_number);
}

function payInput(accountNumber: string, cents: number, requestId = randomUUID()) {
  return {
    requestId,
    accountNumber,
    amountCents: cents,
    tenders: [{ type: 'cash', amountCents: cents }],
    ...ANY_BALANCE,
  };
}

describe('posting channels under concurrent calls', () => {
  let host: Host;
  let dana: Session;
  let sam: Session;
  let acct: string[];
  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 40, months: 2 } });
    dana = await signInWithTill(host, '1001', '1234');
    sam = await signInWithTill(host, '2001', '2468');
    acct = await accounts(host, 12);
  });
  afterAll(() => host.close());

  it('ten identical payments (one request id) post once and all answer with the same receipt', async () => {
    const input = payInput(acct[0]!, 1_000);
    const before = await count(host, 'transactions');
    const f = await fireAtOnce(host, dana, 'payments.post', 10, () => input);
    expect(f.refused).toEqual([]);
    const receipts = new Set(
      f.ok.map((r) => value<{ payment: { receiptNumber: string } }>(r).payment.receiptNumber),
    );
    expect(receipts.size).toBe(1);
    expect(await count(host, 'transactions')).toBe(before + 1);
    expect(await count(host, 'outbox', { type: 'ledger.posted' })).toBeGreaterThan(0);
    await expectBooksHold(host);
  });

  it('ten $50 cash refunds of one $50 credit at once: one posts, nine are refused', async () => {
    const a = acct[1]!;
    const owed = Math.max(0, await balance(host, dana, a));
    value(await host.call('payments.post', payInput(a, owed + 5_000), dana));
    expect(await balance(host, dana, a)).toBe(-5_000);
    const f = await fireAtOnce(host, dana, 'refunds.post', 10, () => ({
      requestId: randomUUID(),
      accountNumber: a,
      amountCents: 5_000,
      method: 'cash',
      reason: 'credit refund',
    }));
    expect(f.ok).toHaveLength(1);
    expect(refusalCodes(f)).toEqual({ INVALID_INPUT: 9 });
    expect(await balance(host, dana, a)).toBe(0);
    await expectBooksHold(host);
  });

  it('five drops of $150 from a $200 float at once: one posts, the drawer never goes below zero', async () => {
    const till = value<{ id: string }>(await host.call('till.current', {}, sam));
    const cash = await drawerCash(host, till.id);
    const f = await fireAtOnce(host, sam, 'till.drop', 5, () => ({
      requestId: randomUUID(),
      counts: { b20: 5, b10: 5 },
    }));
    expect(f.ok).toHaveLength(Math.floor(cash / 15_000));
    expect(await drawerCash(host, till.id)).toBe(cash - 15_000 * f.ok.length);
    expect(await drawerCash(host, till.id)).toBeGreaterThanOrEqual(0);
    await expectBooksHold(host);
  });

  it('paid-outs at once never take more cash than the drawer holds', async () => {
    const till = value<{ id: string }>(await host.call('till.current', {}, sam));
    const cash = await drawerCash(host, till.id);
    const each = Math.max(100, Math.floor(cash / 3) + 1);
    const f = await fireAtOnce(host, sam, 'till.paidOut', 6, () => ({
      requestId: randomUUID(),
      amountCents: each,
      reason: 'supplies',
    }));
    expect(f.ok).toHaveLength(Math.floor(cash / each));
    expect(await drawerCash(host, till.id)).toBe(cash - each * f.ok.length);
    await expectBooksHold(host);
  });

  it('six voids of one payment at once: one void, five refused', async () => {
    const paid = value<{ payment: { transactionId: string } }>(
      await host.call('payments.post', payInput(acct[2]!, 2_500), sam),
    ).payment;
    const f = await fireAtOnce(host, sam, 'payments.void', 6, () => ({
      transactionId: paid.transactionId,
      reason: 'keyed twice',
    }));
    expect(f.ok).toHaveLength(1);
    expect(refusalCodes(f)).toEqual({ CONFLICT: 5 });
    expect(await count(host, 'transactions', { reverses_id: paid.transactionId })).toBe(1);
    await expectBooksHold(host);
  });

  it('a till opened five times at once opens once; closed four times at once closes once', async () => {
    const luis = host.newSession();
    value(await host.call('session.signIn', { cashierId: '1002', pin: '2345' }, luis));
    const opens = await fireAtOnce(host, luis, 'till.open', 5, () => ({ counts: { b20: 5 } }));
    expect(opens.ok).toHaveLength(1);
    expect(refusalCodes(opens)).toEqual({ CONFLICT: 4 });
    expect(await count(host, 'tills', { cashier_id: '1002', status: 'open' })).toBe(1);
    const closes = await fireAtOnce(host, luis, 'till.close', 4, () => ({
      cashCounts: { b20: 5 },
      checks: { count: 0, cents: 0 },
      moneyOrders: { count: 0, cents: 0 },
      cardBatchCents: 0,
    }));
    // The close's request id is the till's: repeats answer with the first close, never close again.
    expect(closes.refused.map((r) => (r.ok ? '' : `${r.error.code}: ${r.error.message}`))).toEqual([]);
    const zs = new Set(closes.ok.map((r) => value<{ z: { zNumber: string } }>(r).z.zNumber));
    expect(zs.size).toBe(1);
    expect(await count(host, 'transactions', { kind: 'till_close', cashier_id: '1002' })).toBe(1);
    await expectBooksHold(host);
  });
});

describe('the kernel’s request-id rules', () => {
  let host: Host;
  let dana: Session;
  let acct: string[];
  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 20, months: 2 } });
    dana = await signInWithTill(host, '1001', '1234');
    acct = await accounts(host, 4);
  });
  afterAll(() => host.close());

  it('a request id reused with other details is refused and writes nothing', async () => {
    const requestId = randomUUID();
    value(await host.call('payments.post', payInput(acct[0]!, 1_000, requestId), dana));
    const before = await count(host, 'transactions');
    const r = await host.call('payments.post', payInput(acct[0]!, 1_100, requestId), dana);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('CONFLICT');
      expect(r.error.message).toMatch(/other details/);
    }
    expect(await count(host, 'transactions')).toBe(before);
  });

  it('a request id used for a payment is refused for a refund', async () => {
    const requestId = randomUUID();
    const a = acct[1]!;
    const owed = Math.max(0, await balance(host, dana, a));
    value(await host.call('payments.post', payInput(a, owed + 1_000, requestId), dana));
    const before = await count(host, 'transactions');
    const r = await host.call(
      'refunds.post',
      { requestId, accountNumber: a, amountCents: 500, method: 'cash', reason: 'credit refund' },
      dana,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/another kind of posting/);
    expect(await count(host, 'transactions')).toBe(before);
  });

  it('a supervisor PIN mistyped for a refund that needs no approval does not block it', async () => {
    const a = acct[2]!;
    const owed = Math.max(0, await balance(host, dana, a));
    value(await host.call('payments.post', payInput(a, owed + 1_000), dana));
    const r = await host.call(
      'refunds.post',
      {
        requestId: randomUUID(),
        accountNumber: a,
        amountCents: 1_000,
        method: 'cash',
        reason: 'credit refund',
        approval: { supervisorId: '2001', pin: '0000' },
      },
      dana,
    );
    expect(r.ok).toBe(true);
    const failures = (await host.ctx.db('cashiers').where('id', '2001').first()) as Record<string, unknown>;
    expect(Number(failures.failed_attempts ?? 0)).toBe(0);
  });
});
