/**
 * Deposit payouts called concurrently, on a real SQLite file through the host's handler map (as two
 * windows, a retried call or a double Enter would): the same request N times posts once and answers
 * every call with that posting; N different refunds of one deposit post exactly once, the others are
 * refused with a clear error; cash refunds of several deposits never take the drawer below zero; N
 * collections of one installment take it once; two interest batches credit each anniversary once. After
 * each burst the fund and the drawer still add up: every journal balances, what each account holds in
 * deposits matches its deposit records, and the drawer's cash is never negative. Last, a payout stored
 * before postings kept their result still replays with its figures.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DepositAccount, DepositView, FundReport } from '../../shared/api/channels/deposits.js';
import type { Session } from '../../electron/services/auth/auth.js';
import { tillFigures, type TillRow } from '../../electron/services/till/till.js';
import { signInWithTill, startTestHost } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
type Reply = Awaited<ReturnType<Host['call']>>;

const SUPERVISOR = { supervisorId: '2001', pin: '2468' };
const N = 10;

function value<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

type Slip = { transactionId: string; paidOutCents: number; drawerOpened: boolean };

describe('concurrent deposit postings', () => {
  let host: Host;
  let dana: Session;
  let sam: Session;
  /** Active accounts holding a paid deposit, largest deposit first. */
  let held: { accountNumber: string; dep: DepositView }[];

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 120 } });
    dana = await signInWithTill(host);
    sam = await signInWithTill(host, '2001', '2468');
    const accounts = (await host.ctx
      .db('accounts as a')
      .join('deposits as d', 'd.account_number', 'a.account_number')
      .where('a.status', 'active')
      .where('a.deposit_held_cents', '>', 0)
      .distinct('a.account_number')
      .orderBy('a.account_number')
      .pluck('a.account_number')) as string[];
    held = [];
    for (const accountNumber of accounts) {
      const view = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber }, dana));
      const dep = view.deposits.find((d) => d.id === view.openDepositId);
      if (dep && dep.status === 'paid' && dep.principalHeldCents > 0) held.push({ accountNumber, dep });
    }
    held.sort((a, b) => b.dep.refund.availableCents - a.dep.refund.availableCents);
    expect(held.length).toBeGreaterThanOrEqual(7);
  });
  afterAll(() => host.close());

  const refund = (
    accountNumber: string,
    dep: DepositView,
    extra: { requestId?: string; method?: string; amountCents?: number } = {},
  ) =>
    host.call(
      'deposits.refund',
      {
        requestId: extra.requestId ?? randomUUID(),
        accountNumber,
        depositId: dep.id,
        method: extra.method ?? 'account_credit',
        ...(extra.amountCents !== undefined ? { amountCents: extra.amountCents } : {}),
        reason: 'Moving away',
        approval: SUPERVISOR,
      },
      dana,
    );

  const count = async (table: string, where: Record<string, unknown>) =>
    Number(((await host.ctx.db(table).where(where).count({ n: '*' }).first()) as { n: number }).n);

  /** Every journal balances, the fund matches the deposit records, no drawer holds negative cash. */
  async function invariants(): Promise<void> {
    const unbalanced = (await host.ctx.db.raw(
      'SELECT transaction_id FROM journal_lines GROUP BY transaction_id HAVING SUM(cents) <> 0',
    )) as unknown[];
    expect(unbalanced).toEqual([]);
    const fund = value<FundReport>(await host.call('deposits.fundReport', {}, sam));
    expect(fund.differences).toEqual([]);
    const tills = (await host.ctx.db('tills').where('status', 'open')) as TillRow[];
    for (const till of tills)
      expect((await tillFigures(host.ctx.db, till)).expectedCashCents).toBeGreaterThanOrEqual(0);
  }

  it('the same refund request N times at once posts once; every call answers with that posting', async () => {
    const { accountNumber, dep } = held[0]!;
    const requestId = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: N }, () => refund(accountNumber, dep, { requestId })),
    );
    const slips = replies.map((r) => value<Slip>(r));
    expect(new Set(slips.map((s) => s.transactionId)).size).toBe(1);
    expect(slips.every((s) => s.paidOutCents === dep.refund.availableCents)).toBe(true);
    expect(await count('transactions', { request_id: requestId })).toBe(1);
    expect(await count('deposit_movements', { deposit_id: dep.id, kind: 'refund' })).toBe(1);
    const events = (await host.ctx.db('outbox').where('payload', 'like', `%${requestId}%`)) as unknown[];
    expect(events).toHaveLength(1);
    await invariants();
  });

  it('N different refunds of one deposit at once: exactly one posts, the others are refused', async () => {
    const { accountNumber, dep } = held[1]!;
    const replies = await Promise.all(Array.from({ length: N }, () => refund(accountNumber, dep)));
    const posted = replies.filter((r) => r.ok);
    expect(posted).toHaveLength(1);
    for (const r of replies.filter((x) => !x.ok))
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'CONFLICT',
        message: 'This deposit is already refunded.',
      });
    expect(await count('deposit_movements', { deposit_id: dep.id, kind: 'refund' })).toBe(1);
    await invariants();
  });

  it('N partial refunds of one deposit at once: only what the deposit holds is paid out', async () => {
    const { accountNumber, dep } = held[2]!;
    // Each for 40 % of the principal: two fit, the third would be more than what is left.
    const part = Math.floor(dep.principalHeldCents * 0.4);
    const replies = await Promise.all(
      Array.from({ length: N }, () => refund(accountNumber, dep, { amountCents: part })),
    );
    expect(replies.filter((r) => r.ok)).toHaveLength(2);
    for (const r of replies.filter((x) => !x.ok))
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'amountCents',
        message: expect.stringMatching(/^A refund of .* is more than the .* deposit held\.$/),
      });
    const after = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber }, dana));
    expect(after.deposits.find((d) => d.id === dep.id)?.principalHeldCents).toBe(
      dep.principalHeldCents - 2 * part,
    );
    await invariants();
  });

  it('cash refunds of several deposits at once never take the drawer below zero', async () => {
    const till = (await host.ctx
      .db('tills')
      .where({ status: 'open', cashier_id: '1001' })
      .first()) as TillRow;
    const cashBefore = (await tillFigures(host.ctx.db, till)).expectedCashCents;
    const rest = held.slice(3, -1).filter((h) => h.dep.refund.availableCents <= cashBefore);
    const asked = rest.reduce((s, h) => s + h.dep.refund.availableCents, 0);
    // Each one alone fits in the drawer; all of them together do not.
    expect(asked).toBeGreaterThan(cashBefore);
    const replies = await Promise.all(rest.map((h) => refund(h.accountNumber, h.dep, { method: 'cash' })));
    const paid = replies.flatMap((r) => (r.ok ? [(r.value as Slip).paidOutCents] : []));
    expect(paid.length).toBeGreaterThan(0);
    expect(paid.length).toBeLessThan(rest.length);
    for (const r of replies.filter((x) => !x.ok))
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'method',
        message: expect.stringMatching(/^There is not enough cash in the drawer for /),
      });
    const cashAfter = (await tillFigures(host.ctx.db, till)).expectedCashCents;
    expect(cashAfter).toBe(cashBefore - paid.reduce((s, c) => s + c, 0));
    expect(cashAfter).toBeGreaterThanOrEqual(0);
    await invariants();
  });

  it('N collections of the same deposit at once: one posts, the others are told what is due now', async () => {
    // Raj Jensen: residential, no deposit; $89.74 required, $44.87 down in installments.
    const RAJ = '1100000007';
    const replies = await Promise.all(
      Array.from({ length: N }, () =>
        host.call(
          'deposits.collect',
          {
            requestId: randomUUID(),
            accountNumber: RAJ,
            part: 'installment',
            amountCents: 4_487,
            tenders: [{ type: 'cash', amountCents: 4_487 }],
          },
          dana,
        ),
      ),
    );
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    for (const r of replies.filter((x) => !x.ok))
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'CONFLICT',
        message: 'The deposit due now is $22.44, not $44.87: calculate again.',
      });
    expect(await count('deposits', { account_number: RAJ })).toBe(1);
    const view = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber: RAJ }, dana));
    expect(view.deposits[0]).toMatchObject({ paidCents: 4_487, status: 'partially_paid' });
    await invariants();
  });

  it('two interest batches at once credit each anniversary once', async () => {
    type Batch = { count: number; totalCents: number; credited: { depositId: string; creditDate: string }[] };
    const preview = value<Batch>(await host.call('deposits.creditInterestBatch', { dryRun: true }, sam));
    expect(preview.count).toBeGreaterThan(0);
    const [a, b] = (
      await Promise.all([
        host.call('deposits.creditInterestBatch', {}, sam),
        host.call('deposits.creditInterestBatch', {}, sam),
      ])
    ).map((r) => value<Batch>(r));
    expect(a!.count + b!.count).toBe(preview.count);
    expect(a!.totalCents + b!.totalCents).toBe(preview.totalCents);
    const dup = (await host.ctx.db.raw(
      'SELECT deposit_id, credit_date FROM deposit_credits GROUP BY deposit_id, credit_date HAVING COUNT(*) > 1',
    )) as unknown[];
    expect(dup).toEqual([]);
    await invariants();
  });

  it('a payout posted before payouts stored their result replays with the figures of its transaction', async () => {
    const { accountNumber, dep } = held.at(-1)!;
    const requestId = randomUUID();
    const first = value<Slip>(await refund(accountNumber, dep, { requestId, method: 'check_request' }));
    expect(first.paidOutCents).toBe(dep.refund.availableCents);
    // As the counter stored a posting before the kernel: no posting name, fingerprint or result.
    await host.ctx
      .db('transactions')
      .where('request_id', requestId)
      .update({ posting: null, request_hash: null, result: null });
    const again = value<Slip>(await refund(accountNumber, dep, { requestId, method: 'check_request' }));
    expect(again).toMatchObject({ transactionId: first.transactionId, paidOutCents: first.paidOutCents });
  });
});
