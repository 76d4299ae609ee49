/**
 * Posting properties on a real SQLite file: fast-check generates sequences of valid payments (random
 * demo accounts, amounts, cash/check/card/money-order splits that cover the amount, cash over-tender,
 * sometimes a confirmed non-cash over-tender) and posts them through the host's handler map. After each
 * sequence the books must hold: balanced journals, allocations equal to what was applied, one outbox
 * event and one audit entry per transaction, and balances equal to the demo data minus what was paid here.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import { demoAccount, demoAccountNumber, type DemoOptions } from '../../resources/demo/generate.js';
import type { PostPaymentOutput } from '../../shared/api/contract.js';
import type { Reply } from '../../shared/api/errors.js';
import type { AccountDetail, Tender } from '../../shared/api/schemas.js';
import { ANY_BALANCE, FLOAT_COUNTS, startTestHost } from '../support/counter.js';

/** What startTestHost seeds: 300 accounts, 12 months, "today" 2026-11-25 (TEST_NOW in America/Chicago). */
const DEMO: DemoOptions = { count: 300, months: 12, today: '2026-11-25' };

/** Balance at seed time, straight from the generator's bills and payments. */
function seededBalance(index: number): number {
  const { bills, payments } = demoAccount(index, DEMO);
  return bills.reduce((s, b) => s + b.totalCents, 0) - payments.reduce((s, p) => s + p.amountCents, 0);
}

type Host = Awaited<ReturnType<typeof startTestHost>>;

function unwrap<T>(reply: Reply<unknown>, what: string): T {
  if (!reply.ok)
    throw new Error(`${what}: ${reply.error.code} ${reply.error.message} (${reply.error.field ?? ''})`);
  return reply.value as T;
}

async function withHost(run: (host: Host, session: Session) => Promise<void>): Promise<void> {
  const host = await startTestHost();
  try {
    const session = host.newSession();
    unwrap(await host.call('session.signIn', { cashierId: '1001', pin: '1234' }, session), 'sign in');
    unwrap(await host.call('till.open', { counts: FLOAT_COUNTS }, session), 'open till');
    await run(host, session);
  } finally {
    await host.close();
    fs.rmSync(host.dataDir, { recursive: true, force: true });
  }
}

type PlannedPayment = {
  index: number;
  amount: number;
  nonCash: { type: 'check' | 'card' | 'money_order'; weight: number }[];
  nonCashPercent: number;
  cashExtra: number;
  creditExtra: number;
  cashFirst: boolean;
};

const paymentArb: fc.Arbitrary<PlannedPayment> = fc.record({
  index: fc.oneof(fc.constant(0), fc.constant(5), fc.integer({ min: 0, max: 299 })),
  amount: fc.integer({ min: 1, max: 150_000 }),
  nonCash: fc.array(
    fc.record({
      type: fc.constantFrom('check' as const, 'card' as const, 'money_order' as const),
      weight: fc.integer({ min: 1, max: 10 }),
    }),
    { maxLength: 4 },
  ),
  nonCashPercent: fc.integer({ min: 0, max: 100 }),
  cashExtra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 })),
  creditExtra: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
  cashFirst: fc.boolean(),
});

/** Turns a plan into tenders that cover the amount; checks become money orders on cash-only accounts. */
function tendersFor(
  p: PlannedPayment,
  cashOnly: boolean,
  serial: number,
): { tenders: Tender[]; confirm: boolean } {
  const totalWeight = p.nonCash.reduce((s, t) => s + t.weight, 0);
  const nonCashTotal = totalWeight === 0 ? 0 : Math.floor((p.amount * p.nonCashPercent) / 100);
  const nonCash: Tender[] = [];
  let given = 0;
  p.nonCash.forEach((t, i) => {
    const last = i === p.nonCash.length - 1;
    const cents = last ? nonCashTotal - given : Math.floor((nonCashTotal * t.weight) / totalWeight);
    given += cents;
    if (cents <= 0) return;
    const type = t.type === 'check' && cashOnly ? 'money_order' : t.type;
    if (type === 'check')
      nonCash.push({
        type,
        amountCents: cents,
        checkNumber: String(1000 + serial),
        routingNumber: '011000015',
        bankAccount: '123456789',
      });
    else if (type === 'card')
      nonCash.push({ type, amountCents: cents, brand: 'Visa', last4: '4242', authCode: `AU${serial}` });
    else nonCash.push({ type, amountCents: cents, serial: `MO-${100_000 + serial}` });
  });
  const covered = nonCash.reduce((s, t) => s + t.amountCents, 0);
  let confirm = false;
  const first = nonCash[0];
  if (p.creditExtra > 0 && first) {
    first.amountCents += p.creditExtra;
    confirm = true;
  }
  const cash = p.amount - covered + p.cashExtra;
  const tenders: Tender[] =
    cash > 0
      ? p.cashFirst
        ? [{ type: 'cash', amountCents: cash }, ...nonCash]
        : [...nonCash, { type: 'cash', amountCents: cash }]
      : nonCash;
  return { tenders, confirm };
}

type TxRow = {
  id: string;
  account_number: string;
  amount_cents: number;
  applied_cents: number;
  change_cents: number;
};

async function checkBooks(
  host: Host,
  session: Session,
  expectedApplied: Map<string, number>,
  posted: number,
) {
  const db = host.ctx.db;
  const txs = (await db('transactions')
    .select('id', 'account_number', 'amount_cents', 'applied_cents', 'change_cents')
    .where('kind', 'payment')) as TxRow[];
  expect(txs).toHaveLength(posted);

  const perTx = (await db.raw(`
    SELECT t.id, t.applied_cents,
      (SELECT COALESCE(SUM(cents), 0) FROM journal_lines j WHERE j.transaction_id = t.id) AS journal_sum,
      (SELECT COUNT(*) FROM journal_lines j WHERE j.transaction_id = t.id) AS journal_lines,
      (SELECT COALESCE(SUM(cents), 0) FROM journal_lines j WHERE j.transaction_id = t.id
          AND j.ledger_account = 'ar:' || t.account_number) AS ar_cents,
      (SELECT COALESCE(SUM(cents), 0) FROM allocations a WHERE a.transaction_id = t.id) AS allocated,
      (SELECT COALESCE(SUM(net_cents), 0) FROM tenders d WHERE d.transaction_id = t.id) AS tender_net,
      (SELECT COUNT(*) FROM outbox o WHERE o.type = 'ledger.posted'
          AND json_extract(o.payload, '$.transactionId') = t.id) AS events,
      (SELECT COUNT(*) FROM audit_log l WHERE l.action = 'payment.post' AND l.entity_id = t.id) AS audits
    FROM transactions t WHERE t.kind = 'payment'`)) as {
    id: string;
    applied_cents: number;
    journal_sum: number;
    journal_lines: number;
    ar_cents: number;
    allocated: number;
    tender_net: number;
    events: number;
    audits: number;
  }[];
  for (const t of perTx) {
    expect(t.journal_sum, `journal of ${t.id}`).toBe(0);
    expect(t.journal_lines).toBeGreaterThanOrEqual(2);
    expect(t.ar_cents).toBe(-t.applied_cents);
    expect(t.allocated, `allocations of ${t.id}`).toBe(t.applied_cents);
    expect(t.tender_net).toBe(t.applied_cents);
    expect(t.events, `outbox events of ${t.id}`).toBe(1);
    expect(t.audits, `audit entries of ${t.id}`).toBe(1);
  }
  const [outbox] = (await db('outbox')
    .where('type', 'ledger.posted')
    .whereRaw("json_extract(payload, '$.kind') = 'payment'")
    .count({ n: '*' })) as { n: number }[];
  expect(Number(outbox?.n)).toBe(posted);
  const [audits] = (await db('audit_log').where('action', 'payment.post').count({ n: '*' })) as {
    n: number;
  }[];
  expect(Number(audits?.n)).toBe(posted);

  // No open item is ever paid beyond what it had open.
  const overpaid = (await db.raw(`
    SELECT o.id FROM open_items o
     WHERE o.open_cents < (SELECT COALESCE(SUM(a.cents), 0) FROM allocations a WHERE a.item_id = o.id)`)) as unknown[];
  expect(overpaid).toEqual([]);

  // Balances: seeded balance (Σ bills − Σ payments) minus what was applied here.
  for (const [accountNumber, applied] of expectedApplied) {
    const index = accountNumber === demoAccountNumber(0) ? 0 : (Number(accountNumber) - 1_100_000_000) / 7;
    expect(demoAccountNumber(index)).toBe(accountNumber);
    const detail = unwrap<AccountDetail>(
      await host.call('accounts.get', { accountNumber }, session),
      'accounts.get',
    );
    expect(detail.balanceCents, accountNumber).toBe(seededBalance(index) - applied);
    expect(detail.pendingCents).toBe(applied);
    const fromDb = txs
      .filter((t) => t.account_number === accountNumber)
      .reduce((s, t) => s + t.applied_cents, 0);
    expect(fromDb).toBe(applied);
  }
}

describe('posting payments on a real SQLite file', () => {
  it('keeps the books balanced for any sequence of valid payments', async () => {
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(paymentArb, { minLength: 1, maxLength: 6 }), async (plans) => {
        await withHost(async (host, session) => {
          const expectedApplied = new Map<string, number>();
          for (const plan of plans) {
            serial++;
            const bundle = demoAccount(plan.index, DEMO);
            const accountNumber = bundle.account.accountNumber;
            const { tenders, confirm } = tendersFor(plan, bundle.account.cashOnly, serial);
            const tendered = tenders.reduce((s, t) => s + t.amountCents, 0);
            const nonCash = tenders.filter((t) => t.type !== 'cash').reduce((s, t) => s + t.amountCents, 0);
            // Hand rule: non-cash above the amount is credit (confirmed); the rest above it is cash change.
            const applied = plan.amount + Math.max(0, nonCash - plan.amount);
            const out = unwrap<PostPaymentOutput>(
              await host.call(
                'payments.post',
                {
                  requestId: randomUUID(),
                  accountNumber,
                  amountCents: plan.amount,
                  tenders,
                  confirmOvertenderCredit: confirm,
                  ...ANY_BALANCE,
                },
                session,
              ),
              `payment ${JSON.stringify(plan)}`,
            );
            expect(out.payment.amountCents).toBe(applied);
            expect(out.payment.changeCents).toBe(tendered - applied);
            expect(out.payment.tenders.map((t) => t.type)).toEqual(tenders.map((t) => t.type));
            expect(out.receipt.lines.some((l) => l.includes(out.payment.receiptNumber))).toBe(true);
            expect(out.drawerOpened).toBe(tenders.some((t) => t.type !== 'card'));
            expectedApplied.set(accountNumber, (expectedApplied.get(accountNumber) ?? 0) + applied);
            expect(out.account.balanceCents).toBe(
              seededBalance(plan.index) - (expectedApplied.get(accountNumber) ?? 0),
            );
          }
          await checkBooks(host, session, expectedApplied, plans.length);
        });
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('a retried request (same requestId) posts once', async () => {
    await withHost(async (host, session) => {
      const input = {
        requestId: randomUUID(),
        accountNumber: '1000042517',
        amountCents: 7_345,
        tenders: [{ type: 'cash', amountCents: 10_000 }],
        ...ANY_BALANCE,
      };
      const first = unwrap<PostPaymentOutput>(await host.call('payments.post', input, session), 'first');
      const again = unwrap<PostPaymentOutput>(await host.call('payments.post', input, session), 'again');
      expect(again.payment.transactionId).toBe(first.payment.transactionId);
      expect(again.drawerOpened).toBe(false);
      // Maria owed 73.45; paid 73.45 with 100.00 → change 26.55, balance 0.
      expect(first.payment.changeCents).toBe(2_655);
      expect(first.account.balanceCents).toBe(0);
      await checkBooks(host, session, new Map([['1000042517', 7_345]]), 1);
    });
  });
});
