/**
 * Security deposits on a real SQLite file, through the host's handler map (roles, validation and the
 * services exactly as the screens call them): the required amount with its working; collecting in
 * installments as the days pass; interest accrued from the deposit day (none inside the grace period);
 * the supervisor's yearly interest batch, run twice (nothing new the second time); refunds of principal
 * + interest; the final bill; the fund report adding up; every journal balancing; and every bad input
 * refused with a clear error and nothing written.
 *
 * Hand figures use the demo data: today 2026-11-25, rates as published 4.71 (2023), 5.02 (2024),
 * 4.26 (2025), 3.85 (2026) % used to the nearest tenth: 4.7, 5, 4.3, 3.9 %; actual/365.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Calculation, DepositAccount, FundReport } from '../../shared/api/channels/deposits.js';
import type { AccountDetail, PaymentSummary, Receipt } from '../../shared/api/schemas.js';
import type { DepositPolicy, InterestRateTable } from '../../shared/domain/deposits.js';
import { manualClock } from '../../electron/services/clock.js';
import type { Session } from '../../electron/services/auth/auth.js';
import { zParts } from '../../electron/host/capabilities.js';
import { tillFigures, type TillRow } from '../../electron/services/till/till.js';
import { signInWithTill, startTestHost, TEST_NOW } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
type Reply = Awaited<ReturnType<Host['call']>>;

const SUPERVISOR = { supervisorId: '2001', pin: '2468' };
const MARIA = '1000042517';
const DAY = 86_400_000;

function value<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function refused(r: Reply): { code: string; message: string; field?: string } {
  if (r.ok) throw new Error('expected a refusal, got a result');
  return r.error;
}

/** Everything a deposit posting could write. */
async function writes(host: Host): Promise<(number | string)[]> {
  const db = host.ctx.db;
  const n = async (t: string) => Number(((await db(t).count({ n: '*' }).first()) as { n: number }).n);
  const policies = (await db('policies').orderBy('key').pluck('value')) as string[];
  return [
    ...(await Promise.all(
      [
        'transactions',
        'journal_lines',
        'tenders',
        'outbox',
        'receipts',
        'audit_log',
        'deposits',
        'deposit_movements',
        'deposit_credits',
        'counters',
      ].map(n),
    )),
    policies.join('|'),
  ];
}

async function unbalanced(host: Host): Promise<string[]> {
  return (
    (await host.ctx.db.raw(
      'SELECT transaction_id FROM journal_lines GROUP BY transaction_id HAVING SUM(cents) <> 0',
    )) as { transaction_id: string }[]
  ).map((r) => r.transaction_id);
}

async function journalOf(host: Host, transactionId: string): Promise<[string, number][]> {
  const rows = (await host.ctx
    .db('journal_lines')
    .where('transaction_id', transactionId)
    .orderBy('id')
    .select('ledger_account', 'cents')) as { ledger_account: string; cents: number }[];
  return rows.map((r) => [r.ledger_account, r.cents]);
}

const cash = (cents: number) => [{ type: 'cash', amountCents: cents }];

// ---------------------------------------------------------------------------------------------------

describe('collect in installments, accrue, refund (a clock that moves)', () => {
  const clock = manualClock(TEST_NOW, 'America/Chicago');
  let host: Host;
  let dana: Session;
  /** Raj Jensen: residential, 12 bills of $44.87, no deposit. */
  const RAJ = '1100000007';

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 120 }, clock, idleLockSeconds: 100_000_000 });
    dana = await signInWithTill(host);
  });
  afterAll(() => host.close());

  const forAccount = async (n: string) =>
    value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber: n }, dana));

  it('calculates the required deposit with the working a CSR can read out', async () => {
    const calc = value<Calculation>(await host.call('deposits.calculate', { accountNumber: RAJ }, dana));
    // Window: the 12 service months 2025-11 … 2026-10 (bills issued 2025-12-15 … 2026-11-15), each $44.87.
    // Average 538.44 ÷ 12 = 44.87; × 2 = 89.74 (cap $500.00 not reached).
    // Installments: 50 % of 89.74 = 44.87 now; the rest 44.87 over 2 bills: 22.44 (odd cent first), 22.43.
    expect(calc.policy.id).toBe('RES-2024');
    expect(calc.working).toMatchObject({
      windowFrom: '2025-11',
      windowTo: '2026-10',
      totalCents: 53_844,
      averageOrHighestCents: 4_487,
      multiple: '2',
      beforeCapCents: 8_974,
      capCents: 50_000,
      capped: false,
      usedDefault: false,
    });
    expect(calc.working.monthsUsed).toHaveLength(12);
    expect(calc.amountCents).toBe(8_974);
    expect(calc.installments).toEqual([
      { dueWith: 'now', amountCents: 4_487 },
      { dueWith: 'bill 1', amountCents: 2_244 },
      { dueWith: 'bill 2', amountCents: 2_243 },
    ]);
    expect(calc.explanation).toContain('Required deposit: $89.74.');
    expect(calc.collectInstallmentCents).toBe(4_487);
    expect(calc.collectFullCents).toBe(8_974);
  });

  it('collects the down payment: one transaction with tenders, journal, movement, receipt, outbox event, audit', async () => {
    const before = await writes(host);
    const requestId = randomUUID();
    const input = {
      requestId,
      accountNumber: RAJ,
      part: 'installment',
      amountCents: 4_487,
      tenders: cash(5_000),
    };
    const out = value<{
      payment: PaymentSummary;
      receipt: Receipt;
      account: AccountDetail;
      drawerOpened: boolean;
    }>(await host.call('deposits.collect', input, dana));
    expect(out.payment).toMatchObject({ kind: 'deposit', amountCents: 4_487, changeCents: 513 });
    expect(out.account.depositHeldCents).toBe(4_487);
    expect(out.receipt.lines).toContain('DEPOSIT');
    expect(out.receipt.lines.join('\n')).toContain('Still due: with bill 1 $22.44, with bill 2');
    expect(await journalOf(host, out.payment.transactionId)).toEqual([
      ['drawer:cash', 4_487],
      [`deposits_held:${RAJ}`, -4_487],
    ]);
    const after = await writes(host);
    // transactions, journal lines ×2, tender, outbox, receipt, audit, deposit, movement, receipt counter.
    expect(after.slice(0, 9).map((v, i) => Number(v) - Number(before[i]))).toEqual([
      1, 2, 1, 1, 1, 1, 1, 1, 0,
    ]);
    const event = (await host.ctx.db('outbox').orderBy('seq', 'desc').first()) as {
      type: string;
      payload: string;
    };
    expect(event.type).toBe('ledger.posted');
    expect(JSON.parse(event.payload)).toMatchObject({
      kind: 'deposit',
      detail: { capability: 'deposit', movement: { kind: 'payment', amountCents: 4_487 } },
      amountCents: 4_487,
      accountNumber: RAJ,
    });
    const audit = (await host.ctx.db('audit_log').orderBy('seq', 'desc').first()) as { action: string };
    expect(audit.action).toBe('deposit.collect');

    // The same request again (a double Enter): the first result, nothing new.
    const again = value<{ payment: PaymentSummary }>(await host.call('deposits.collect', input, dana));
    expect(again.payment.transactionId).toBe(out.payment.transactionId);
    expect(await writes(host)).toEqual(after);

    const view = await forAccount(RAJ);
    const dep = view.deposits[0]!;
    expect(dep).toMatchObject({
      status: 'partially_paid',
      datePaid: '2026-11-25',
      paidCents: 4_487,
      heldCents: 4_487,
      outstanding: [
        { dueWith: 'bill 1', amountCents: 2_244 },
        { dueWith: 'bill 2', amountCents: 2_243 },
      ],
    });
    // The till counts it: deposits collected, cash expected.
    const till = (await host.ctx.db('tills').where('status', 'open').first()) as TillRow;
    const figures = await tillFigures(host.ctx.db, till, zParts.lines);
    expect(figures.lines.find((l) => l.key === 'deposits')).toMatchObject({ count: 1, cents: 4_487 });
    expect(figures.expectedCashCents).toBe(20_000 + 4_487);
  });

  it('takes the next installments on later days; inside the 30-day grace a refund earns nothing, after it interest runs from day one', async () => {
    clock.advance(20 * DAY); // 2026-12-15
    value(
      await host.call(
        'deposits.collect',
        {
          requestId: randomUUID(),
          accountNumber: RAJ,
          part: 'installment',
          amountCents: 2_244,
          tenders: [
            {
              type: 'check',
              amountCents: 2_244,
              checkNumber: '311',
              routingNumber: '021000021',
              bankAccount: '99887766',
            },
          ],
        },
        dana,
      ),
    );
    // Day 29 (held 2026-11-25 … 2026-12-23 if refunded on 12-24): inside the 30-day grace a refund
    // pays the principal only.
    clock.advance(9 * DAY); // 2026-12-24
    let dep = (await forAccount(RAJ)).deposits[0]!;
    expect(dep.refund.availableCents).toBe(6_731);
    // Accrued so far shows (44.87 × 20 + 67.31 × 9 days = 1,503.19 dollar-days × 3.9 % ÷ 365 = 0.1606… →
    // $0.16), but it is paid only if the deposit stays past the grace.
    expect(dep.uncreditedCents).toBe(16);
    clock.advance(1 * DAY); // 2026-12-25
    value(
      await host.call(
        'deposits.collect',
        {
          requestId: randomUUID(),
          accountNumber: RAJ,
          part: 'full',
          amountCents: 2_243,
          tenders: cash(2_243),
        },
        dana,
      ),
    );
    dep = (await forAccount(RAJ)).deposits[0]!;
    expect(dep.status).toBe('paid');
    expect(dep.outstanding).toEqual([]);
    clock.advance(6 * DAY); // 2026-12-31
    dep = (await forAccount(RAJ)).deposits[0]!;
    // Held 36 days, past the grace: simple interest from the deposit day at 3.9 % (2026), on the balance of each stretch:
    //   44.87 × 20 days (11-25 … 12-14) + 67.31 × 10 days (12-15 … 12-24) + 89.74 × 6 days (12-25 … 12-30)
    //   = 2,108.94 dollar-days × 3.9 % ÷ 365 = 0.22534… → $0.23
    expect(dep.interest?.years).toEqual([
      expect.objectContaining({ year: 2026, days: 36, rateApplied: '3.9', interestCents: 23 }),
    ]);
    expect(dep.interest?.totalCents).toBe(23);
    expect(dep.refund.availableCents).toBe(8_997);
  });

  it('refunds principal + interest as a credit to the account (over the limit: a supervisor approves)', async () => {
    const view = await forAccount(RAJ);
    const dep = view.deposits[0]!;
    const before = await writes(host);
    const base = {
      requestId: randomUUID(),
      accountNumber: RAJ,
      depositId: dep.id,
      method: 'account_credit',
      reason: 'Customer moving to paperless autopay',
    };
    expect(refused(await host.call('deposits.refund', base, dana))).toMatchObject({
      code: 'NEEDS_SUPERVISOR',
    });
    expect(await writes(host)).toEqual(before);
    const balanceBefore = value<AccountDetail>(
      await host.call('accounts.get', { accountNumber: RAJ }, dana),
    ).balanceCents;
    const out = value<{
      transactionId: string;
      receipt: Receipt;
      paidOutCents: number;
      drawerOpened: boolean;
    }>(await host.call('deposits.refund', { ...base, approval: SUPERVISOR }, dana));
    expect(out.paidOutCents).toBe(8_997);
    expect(out.drawerOpened).toBe(false);
    expect(await journalOf(host, out.transactionId)).toEqual([
      ['deposit_interest_expense', 23],
      [`deposits_held:${RAJ}`, -23],
      [`deposits_held:${RAJ}`, 8_997],
      [`ar:${RAJ}`, -8_997],
    ]);
    const account = value<AccountDetail>(await host.call('accounts.get', { accountNumber: RAJ }, dana));
    expect(account.depositHeldCents).toBe(0);
    expect(account.balanceCents).toBe(balanceBefore - 8_997);
    const after = (await forAccount(RAJ)).deposits[0]!;
    expect(after).toMatchObject({ status: 'refunded', heldCents: 0, creditedCents: 23 });
    expect(after.credits).toEqual([{ creditDate: '2026-12-31', kind: 'closing', amountCents: 23 }]);
    const receipt = out.receipt.lines.join('\n');
    expect(receipt).toContain('DEPOSIT REFUND');
    expect(receipt).toContain('2026: 36 days at 3.9% = $0.23');
    expect(receipt).toContain('20 days x $44.87 (11-25 to 12-14)');
    expect(receipt).toContain('6 days x $89.74 (12-25 to 12-30)');
    expect(receipt).toMatch(/Credited to account\s+\$89\.97/);
    expect(await unbalanced(host)).toEqual([]);
  });
});

describe('Maria: the yearly interest batch, the refund, the final bill, the fund report', () => {
  let host: Host;
  let dana: Session;
  let sam: Session;
  let maria: DepositAccount;

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 120 } });
    dana = await signInWithTill(host);
    sam = await signInWithTill(host, '2001', '2468');
  });
  afterAll(() => host.close());

  it("shows Maria's deposit: $150.00 paid 2023-03-17, interest by calendar year, eligible for refund", async () => {
    maria = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber: MARIA }, dana));
    const dep = maria.deposits[0]!;
    expect(dep).toMatchObject({
      policyId: 'RES-2018',
      status: 'paid',
      datePaid: '2023-03-17',
      heldCents: 15_000,
    });
    // 2023: 290 days × 150.00 × 4.7 % ÷ 365 = 5.6013… → 5.60
    // 2024: 366 days × 150.00 × 5 %   ÷ 365 = 7.5205… → 7.52   (leap year, still ÷ 365)
    // 2025: 365 days × 150.00 × 4.3 % ÷ 365           = 6.45
    // 2026: 328 days × 150.00 × 3.9 % ÷ 365 = 5.2570… → 5.26   total 24.83
    expect(dep.interest?.years.map((y) => [y.year, y.days, y.rateApplied, y.interestCents])).toEqual([
      [2023, 290, '4.7', 560],
      [2024, 366, '5', 752],
      [2025, 365, '4.3', 645],
      [2026, 328, '3.9', 526],
    ]);
    expect(dep.interest?.totalCents).toBe(2_483);
    expect(dep.refund.eligible).toBe(true);
    expect(dep.refund.reason).toMatch(/^Eligible for refund: 12 consecutive months 2025-11 to 2026-10/);
    // Anniversary credits due (accrued at each anniversary less the one before):
    //   2024-03-17: 5.60 + 2024 76 days → 1.5616… → 1.56              = 7.16
    //   2025-03-17: 5.60 + 7.52 + 2025 75 days → 1.3253… → 1.33 = 14.45 → 14.45 − 7.16 = 7.29
    //   2026-03-17: 5.60 + 7.52 + 6.45 + 2026 75 days → 1.2020… → 1.20 = 20.77 → 20.77 − 14.45 = 6.32
    expect(dep.creditsDue).toEqual([
      { creditDate: '2024-03-17', amountCents: 716 },
      { creditDate: '2025-03-17', amountCents: 729 },
      { creditDate: '2026-03-17', amountCents: 632 },
    ]);
  });

  it('the interest batch is the supervisor’s, and running it twice credits nothing new', async () => {
    const before = await writes(host);
    expect(refused(await host.call('deposits.creditInterestBatch', {}, dana))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await writes(host)).toEqual(before);

    const preview = value<{ count: number; totalCents: number }>(
      await host.call('deposits.creditInterestBatch', { dryRun: true }, sam),
    );
    expect(await writes(host)).toEqual(before);
    const first = value<{
      count: number;
      totalCents: number;
      credited: { accountNumber: string; amountCents: number }[];
    }>(await host.call('deposits.creditInterestBatch', {}, sam));
    expect(first.count).toBe(preview.count);
    expect(first.totalCents).toBe(preview.totalCents);
    expect(first.credited.filter((c) => c.accountNumber === MARIA).map((c) => c.amountCents)).toEqual([
      716, 729, 632,
    ]);
    const afterFirst = await writes(host);

    const second = value<{ count: number; totalCents: number; alreadyCredited: number }>(
      await host.call('deposits.creditInterestBatch', {}, sam),
    );
    expect(second).toMatchObject({ count: 0, totalCents: 0, alreadyCredited: first.count });
    // Nothing but the batch's own audit entry.
    const afterSecond = await writes(host);
    expect(afterSecond.map((v, i) => (i === 5 ? Number(v) - 1 : v))).toEqual(afterFirst);

    const dep = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber: MARIA }, dana))
      .deposits[0]!;
    expect(dep).toMatchObject({
      status: 'credited',
      creditedCents: 2_077,
      heldCents: 17_077,
      uncreditedCents: 406,
    });
    expect(
      value<AccountDetail>(await host.call('accounts.get', { accountNumber: MARIA }, dana)).depositHeldCents,
    ).toBe(17_077);
    const interestTx = (await host.ctx
      .db('transactions')
      .where({ kind: 'deposit_interest', account_number: MARIA })
      .first('id', 'till_id')) as { id: string; till_id: string | null };
    expect(interestTx.till_id).toBeNull();
    expect(await journalOf(host, interestTx.id)).toEqual([
      ['deposit_interest_expense', 716],
      [`deposits_held:${MARIA}`, -716],
      ['deposit_interest_expense', 729],
      [`deposits_held:${MARIA}`, -729],
      ['deposit_interest_expense', 632],
      [`deposits_held:${MARIA}`, -632],
    ]);
  });

  it('refunds Maria in cash: principal + interest credited + interest since the last anniversary', async () => {
    const before = await writes(host);
    const out = value<{
      transactionId: string;
      receipt: Receipt;
      paidOutCents: number;
      drawerOpened: boolean;
    }>(
      await host.call(
        'deposits.refund',
        {
          requestId: randomUUID(),
          accountNumber: MARIA,
          depositId: maria.deposits[0]!.id,
          method: 'cash',
          reason: 'Twelve months paid on time',
          approval: SUPERVISOR,
        },
        dana,
      ),
    );
    // 150.00 + 20.77 credited + (24.83 − 20.77 =) 4.06 closing = 174.83
    expect(out.paidOutCents).toBe(17_483);
    expect(await journalOf(host, out.transactionId)).toEqual([
      ['deposit_interest_expense', 406],
      [`deposits_held:${MARIA}`, -406],
      [`deposits_held:${MARIA}`, 17_483],
      ['drawer:cash', -17_483],
    ]);
    const receipt = out.receipt.lines.join('\n');
    expect(receipt).toMatch(/Deposit principal\s+\$150\.00/);
    expect(receipt).toMatch(/Interest credited earlier\s+\$20\.77/);
    expect(receipt).toMatch(/Interest to today\s+\$4\.06/);
    expect(receipt).toMatch(/Cash paid out\s+\$174\.83/);
    expect(receipt).toContain('Approved by Sam Okafor (2001)');
    const after = await writes(host);
    // transaction, 4 journal lines, 1 cash tender, outbox, receipt, audit, movement, closing credit
    expect(after.slice(0, 9).map((v, i) => Number(v) - Number(before[i]))).toEqual([
      1, 4, 1, 1, 1, 1, 0, 1, 1,
    ]);
    // Refunded already: a second refund is refused, nothing written.
    const again = await host.call(
      'deposits.refund',
      {
        requestId: randomUUID(),
        accountNumber: MARIA,
        depositId: maria.deposits[0]!.id,
        method: 'cash',
        reason: 'again',
        approval: SUPERVISOR,
      },
      dana,
    );
    expect(refused(again)).toMatchObject({ code: 'CONFLICT', message: 'This deposit is already refunded.' });
    expect(await writes(host)).toEqual(after);
    const till = (await host.ctx
      .db('tills')
      .where({ status: 'open', cashier_id: '1001' })
      .first()) as TillRow;
    const { lines } = await tillFigures(host.ctx.db, till, zParts.lines);
    expect(lines.find((l) => l.key === 'depositRefunds')).toMatchObject({ count: 1, cents: 17_483 });
  });

  it('applies a closed account’s deposit + interest to its final bill and refunds the rest', async () => {
    const closed = (await host.ctx.db('accounts').where('status', 'closed').first()) as {
      account_number: string;
      balance_cents: number;
      deposit_held_cents: number;
    };
    expect(closed).toBeDefined();
    const view = value<DepositAccount>(
      await host.call('deposits.forAccount', { accountNumber: closed.account_number }, dana),
    );
    const dep = view.deposits.find((d) => d.id === view.openDepositId)!;
    const available = dep.refund.availableCents;
    const applied = Math.min(available, Math.max(0, view.balanceCents));
    const rest = available - applied;
    expect(applied).toBeGreaterThan(0);
    const out = value<{
      transactionId: string;
      receipt: Receipt;
      appliedToBillCents: number;
      refundCents: number;
    }>(
      await host.call(
        'deposits.applyFinal',
        {
          requestId: randomUUID(),
          accountNumber: closed.account_number,
          depositId: dep.id,
          method: 'check_request',
          approval: SUPERVISOR,
        },
        dana,
      ),
    );
    expect(out).toMatchObject({ appliedToBillCents: applied, refundCents: rest });
    const journal = await journalOf(host, out.transactionId);
    const interest = available - dep.heldCents;
    expect(journal).toEqual([
      ...(interest > 0
        ? [
            ['deposit_interest_expense', interest],
            [`deposits_held:${closed.account_number}`, -interest],
          ]
        : []),
      [`deposits_held:${closed.account_number}`, available],
      [`ar:${closed.account_number}`, -applied],
      ...(rest > 0 ? [['refunds_payable', -rest]] : []),
    ]);
    const account = value<AccountDetail>(
      await host.call('accounts.get', { accountNumber: closed.account_number }, dana),
    );
    expect(account.balanceCents).toBe(view.balanceCents - applied);
    expect(account.depositHeldCents).toBe(0);
    const after = value<DepositAccount>(
      await host.call('deposits.forAccount', { accountNumber: closed.account_number }, dana),
    );
    expect(after.deposits.find((d) => d.id === dep.id)?.status).toBe('applied');
    expect(out.receipt.lines.join('\n')).toContain('DEPOSIT - FINAL BILL');
  });

  it('the fund report adds up: held = Σ accounts = Σ deposit records; today = what was posted here', async () => {
    const fund = value<FundReport>(await host.call('deposits.fundReport', {}, sam));
    const db = host.ctx.db;
    const replica = Number(
      ((await db('accounts').sum({ s: 'deposit_held_cents' }).first()) as { s: number }).s,
    );
    const pending = (await db('journal_lines')
      .where('ledger_account', 'like', 'deposits_held:%')
      .sum({ s: 'cents' })
      .first()) as {
      s: number;
    };
    expect(fund.totalHeldCents).toBe(replica - Number(pending.s));
    expect(fund.differences).toEqual([]);
    const sumOf = async (kind: string, column: string) =>
      Number(
        ((await db('transactions').where('kind', kind).sum({ s: column }).first()) as { s: number | null })
          .s ?? 0,
      );
    expect(fund.today.refunded.cents).toBe(
      (await sumOf('deposit_refund', 'amount_cents')) + (await sumOf('deposit_apply', 'amount_cents')),
    );
    expect(fund.today.applied.cents).toBe(await sumOf('deposit_apply', 'applied_cents'));
    expect(fund.today.interestCredited.cents).toBe(await sumOf('deposit_interest', 'amount_cents'));
    expect(fund.today.collected).toEqual({ count: 0, cents: 0 });
    expect(fund.creditsDue).toEqual({ count: 0, cents: 0 });
    expect(fund.accruedInterestCents).toBeGreaterThan(0);
    expect(fund.byClass.reduce((a, c) => a + c.heldCents, 0)).toBe(fund.totalHeldCents);
    expect(refused(await host.call('deposits.fundReport', {}, dana))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await unbalanced(host)).toEqual([]);
  });
});

describe('bad input: a clear error and nothing written', () => {
  let host: Host;
  let dana: Session;
  let luis: Session;
  let sam: Session;
  let policies: DepositPolicy[];
  let rates: InterestRateTable;

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 120 } });
    dana = await signInWithTill(host);
    sam = await signInWithTill(host, '2001', '2468');
    luis = host.newSession();
    value(await host.call('session.signIn', { cashierId: '1002', pin: '2345' }, luis));
    const p = value<{ policies: DepositPolicy[]; rates: InterestRateTable }>(
      await host.call('deposits.policies', {}, dana),
    );
    policies = p.policies;
    rates = p.rates;
  });
  afterAll(() => host.close());

  async function expectRefused(
    channel: string,
    input: unknown,
    session: Session,
    match: Record<string, unknown>,
  ) {
    const before = await writes(host);
    const r = await host.call(channel, input, session);
    expect(refused(r)).toMatchObject(match);
    expect(await writes(host)).toEqual(before);
  }

  const withPolicy = (id: string, patch: Partial<DepositPolicy>) =>
    policies.map((p) => (p.id === id ? { ...p, ...patch } : p));

  it('policies with a gap or an overlap in their dates', async () => {
    await expectRefused(
      'deposits.savePolicies',
      { policies: withPolicy('RES-2024', { effectiveFrom: '2024-02-01' }), rates },
      sam,
      {
        code: 'INVALID_INPUT',
        message:
          'Gap in the residential deposit policies: none is in force from 2024-01-01 to 2024-01-31 (between RES-2018 and RES-2024).',
      },
    );
    await expectRefused(
      'deposits.savePolicies',
      { policies: withPolicy('COM-2024', { effectiveFrom: '2023-07-01' }), rates },
      sam,
      {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(
          /^The commercial deposit policies overlap: COM-2018 runs to 2023-12-31 but COM-2024 starts on 2023-07-01/,
        ),
      },
    );
    await expectRefused(
      'deposits.savePolicies',
      { policies: withPolicy('RES-2024', { effectiveTo: '2025-12-31' }), rates },
      sam,
      {
        code: 'INVALID_INPUT',
        message:
          'No residential deposit policy is in force today (2026-11-25): every account class needs one.',
      },
    );
    await expectRefused(
      'deposits.savePolicies',
      {
        policies: policies
          .filter((p) => p.id !== 'RES-2018')
          .map((p) => (p.id === 'RES-2024' ? { ...p, effectiveFrom: '2018-01-01' } : p)),
        rates,
      },
      sam,
      {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('Policy RES-2018 is used by deposits on record'),
      },
    );
    await expectRefused(
      'deposits.savePolicies',
      { policies: withPolicy('RES-2024', { multiple: '-2' }), rates },
      sam,
      {
        code: 'INVALID_INPUT',
        message: 'The multiple cannot be negative.',
      },
    );
  });

  it('a rate table missing a year, or with a year twice', async () => {
    await expectRefused(
      'deposits.savePolicies',
      { policies, rates: { ...rates, rates: rates.rates.filter((r) => r.year !== 2025) } },
      sam,
      {
        code: 'INVALID_INPUT',
        message: 'No interest rate for 2025 in the rate table: enter the rate published for 2025.',
      },
    );
    await expectRefused(
      'deposits.savePolicies',
      { policies, rates: { ...rates, rates: [...rates.rates, { year: 2024, ratePercent: '4' }] } },
      sam,
      {
        code: 'INVALID_INPUT',
        message: '2024 appears twice in the rate table: keep only the rate published for 2024.',
      },
    );
    // A CSR cannot change policies at all.
    await expectRefused('deposits.savePolicies', { policies, rates }, dana, { code: 'FORBIDDEN' });
    // And a valid save works (same data): the policies and an outbox event for the server.
    const before = await writes(host);
    value(await host.call('deposits.savePolicies', { policies, rates }, sam));
    const after = await writes(host);
    expect(Number(after[3]) - Number(before[3])).toBe(1);
    const saved = (await host.ctx.db('policies').where('key', 'deposit.policies').first('value')) as {
      value: string;
    };
    expect(JSON.parse(saved.value)).toEqual(policies);
  });

  it('a refund more than the deposit held', async () => {
    const dep = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber: MARIA }, dana))
      .deposits[0]!;
    await expectRefused(
      'deposits.refund',
      {
        requestId: randomUUID(),
        accountNumber: MARIA,
        depositId: dep.id,
        method: 'cash',
        amountCents: 15_001,
        reason: 'Partial refund',
        approval: SUPERVISOR,
      },
      dana,
      {
        code: 'INVALID_INPUT',
        message: 'A refund of $150.01 is more than the $150.00 deposit held.',
        field: 'amountCents',
      },
    );
  });

  it('collecting a deposit on a closed account, or applying a deposit to the final bill of an open one', async () => {
    const closed = (await host.ctx.db('accounts').where('status', 'closed').first('account_number')) as {
      account_number: string;
    };
    await expectRefused(
      'deposits.collect',
      {
        requestId: randomUUID(),
        accountNumber: closed.account_number,
        part: 'full',
        amountCents: 10_000,
        tenders: cash(10_000),
      },
      dana,
      {
        code: 'ACCOUNT_CLOSED',
        message: `Account ${closed.account_number} is closed: a deposit cannot be collected on it.`,
      },
    );
    const dep = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber: MARIA }, dana))
      .deposits[0]!;
    await expectRefused(
      'deposits.applyFinal',
      {
        requestId: randomUUID(),
        accountNumber: MARIA,
        depositId: dep.id,
        method: 'cash',
        approval: SUPERVISOR,
      },
      dana,
      { code: 'CONFLICT', message: expect.stringContaining('only when service has ended') },
    );
  });

  it('dates in the future', async () => {
    await expectRefused('deposits.forAccount', { accountNumber: MARIA, asOf: '2026-11-26' }, dana, {
      code: 'INVALID_INPUT',
      message: '2026-11-26 is in the future (today is 2026-11-25).',
    });
    await expectRefused('deposits.calculate', { accountNumber: MARIA, asOf: '2027-01-01' }, dana, {
      code: 'INVALID_INPUT',
    });
    await expectRefused('deposits.creditInterestBatch', { asOf: '2026-12-01' }, sam, {
      code: 'INVALID_INPUT',
    });
    await expectRefused('deposits.fundReport', { asOf: '2026-12-01' }, sam, { code: 'INVALID_INPUT' });
    await expectRefused('deposits.forAccount', { accountNumber: MARIA, asOf: '2026-02-30' }, dana, {
      code: 'INVALID_INPUT',
    });
  });

  it('a negative month in the billing history', async () => {
    const acct = '1100000014';
    const last = (await host.ctx
      .db('bills')
      .where('account_number', acct)
      .orderBy('bill_date', 'desc')
      .first('id')) as {
      id: string;
    };
    // A credit bill in the window (service month 2026-09): negative history.
    const bills = (await host.ctx
      .db('bills')
      .where('account_number', acct)
      .orderBy('bill_date', 'desc')
      .pluck('id')) as string[];
    expect(bills[0]).toBe(last.id);
    await host.ctx.db('bills').where('id', bills[1]).update({ total_cents: -5_000 });
    await expectRefused('deposits.calculate', { accountNumber: acct }, dana, {
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /is negative \(-\$50\.00\): a billing history cannot have negative months/,
      ),
    });
    await expectRefused(
      'deposits.collect',
      {
        requestId: randomUUID(),
        accountNumber: acct,
        part: 'full',
        amountCents: 10_000,
        tenders: cash(10_000),
      },
      dana,
      { code: 'INVALID_INPUT', message: expect.stringMatching(/negative/) },
    );
  });

  it('an amount the counter no longer computes, a collection without an open till, an early refund without a supervisor', async () => {
    await expectRefused(
      'deposits.collect',
      {
        requestId: randomUUID(),
        accountNumber: '1100000007',
        part: 'full',
        amountCents: 8_000,
        tenders: cash(8_000),
      },
      dana,
      { code: 'CONFLICT', message: 'The deposit due now is $89.74, not $80.00: calculate again.' },
    );
    await expectRefused(
      'deposits.collect',
      {
        requestId: randomUUID(),
        accountNumber: '1100000007',
        part: 'full',
        amountCents: 8_974,
        tenders: cash(8_974),
      },
      luis,
      { code: 'TILL_NOT_OPEN' },
    );
    await expectRefused(
      'deposits.collect',
      {
        requestId: randomUUID(),
        accountNumber: '1100000007',
        part: 'full',
        amountCents: 8_974,
        tenders: cash(8_000),
      },
      dana,
      { code: 'TENDER_SHORT' },
    );
    // Maria misses her payments (none on record): not eligible; even a $10.00 refund needs a supervisor.
    await host.ctx.db('account_payments').where('account_number', MARIA).delete();
    const dep = value<DepositAccount>(await host.call('deposits.forAccount', { accountNumber: MARIA }, dana))
      .deposits[0]!;
    expect(dep.refund.eligible).toBe(false);
    await expectRefused(
      'deposits.refund',
      {
        requestId: randomUUID(),
        accountNumber: MARIA,
        depositId: dep.id,
        method: 'cash',
        amountCents: 1_000,
        reason: 'Moving away',
      },
      dana,
      {
        code: 'NEEDS_SUPERVISOR',
        message: expect.stringMatching(
          /^A supervisor must approve an early deposit refund \(Not eligible yet: /,
        ),
      },
    );
    expect(await unbalanced(host)).toEqual([]);
  });
});
