/**
 * Till control on a real SQLite file: every bad input gets a clear error and writes nothing; roles
 * are checked by the host itself; the cash expected in the drawer always equals the float plus the
 * cash effects of whatever happened (property test), and an exact count closes with zero over/short;
 * an edited audit entry is named by the verifier (also `npm run audit:verify`).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import { tillExpected } from '../../electron/services/till/till.js';
import { addCents } from '../../shared/money.js';
import {
  ANY_BALANCE,
  FLOAT_CENTS,
  FLOAT_COUNTS,
  rowCounts,
  signInWithTill,
  startTestHost,
} from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
type Reply = Awaited<ReturnType<Host['call']>>;

const SUPERVISOR = { supervisorId: '2001', pin: '2468' };

function value<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function writes(host: Host): Promise<number[]> {
  return rowCounts(host.ctx.db, ['transactions', 'journal_lines', 'outbox', 'tills', 'counters']);
}

async function pay(
  host: Host,
  session: Session,
  accountNumber: string,
  cents: number,
  tender: Record<string, unknown> = { type: 'cash', amountCents: cents },
) {
  return value<{ payment: { transactionId: string; receiptNumber: string } }>(
    await host.call(
      'payments.post',
      { requestId: randomUUID(), accountNumber, amountCents: cents, tenders: [tender], ...ANY_BALANCE },
      session,
    ),
  ).payment;
}

describe('till bad input: a clear error and nothing written', () => {
  let host: Host;
  let dana: Session;
  let luis: Session;
  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 60, months: 2 } });
    dana = await signInWithTill(host, '1001', '1234');
    luis = host.newSession();
    value(await host.call('session.signIn', { cashierId: '1002', pin: '2345' }, luis));
  });
  afterAll(() => host.close());

  it('a payment without an open till', async () => {
    const before = await writes(host);
    const r = await host.call(
      'payments.post',
      {
        requestId: randomUUID(),
        accountNumber: '1000042517',
        amountCents: 100,
        tenders: [{ type: 'cash', amountCents: 100 }],
      },
      luis,
    );
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'TILL_NOT_OPEN',
      message: expect.stringMatching(/Open your till first/),
    });
    expect(await writes(host)).toEqual(before);
  });

  it.each([
    [{ b20: -1 }, /cannot be negative/],
    [{ b20: 1.5 }, /whole numbers/],
    [{ b3: 2 }, /Unknown denomination "b3"/],
  ])('counts %j', async (counts, message) => {
    const before = await writes(host);
    const r = await host.call('till.open', { counts }, luis);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error.message).toMatch(message);
    expect(await writes(host)).toEqual(before);
  });

  it('a second open till for the same cashier on this terminal', async () => {
    const before = await writes(host);
    const r = await host.call('till.open', { counts: FLOAT_COUNTS }, dana);
    expect(r.ok ? null : r.error.code).toBe('CONFLICT');
    expect(await writes(host)).toEqual(before);
  });

  it('a drop larger than the cash in the drawer', async () => {
    const before = await writes(host);
    const r = await host.call(
      'till.drop',
      { requestId: randomUUID(), counts: { b100: 3 }, approval: SUPERVISOR },
      dana,
    );
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'A drop cannot be more than the cash in the drawer.',
    });
    expect(await writes(host)).toEqual(before);
  });

  it('a drop without a supervisor, and with a wrong supervisor PIN', async () => {
    const before = await writes(host);
    const none = await host.call('till.drop', { requestId: randomUUID(), counts: { b20: 1 } }, dana);
    expect(none.ok ? null : none.error.code).toBe('NEEDS_SUPERVISOR');
    const wrong = await host.call(
      'till.drop',
      { requestId: randomUUID(), counts: { b20: 1 }, approval: { supervisorId: '2001', pin: '0000' } },
      dana,
    );
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'BAD_CREDENTIALS', field: 'approval.pin' });
    const csr = await host.call(
      'till.drop',
      { requestId: randomUUID(), counts: { b20: 1 }, approval: { supervisorId: '1002', pin: '2345' } },
      dana,
    );
    expect(csr.ok ? null : csr.error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Luis Ortega is not a supervisor.',
    });
    expect((await writes(host))[0]).toBe(before[0]);
  });

  it('a void of another cashier’s payment without a supervisor; a void from a closed till', async () => {
    const p = await pay(host, dana, '1000042517', 1000);
    const luisSession = await signInWithTill(host, '1002', '2345');
    const before = await writes(host);
    const r = await host.call(
      'payments.void',
      { transactionId: p.transactionId, reason: 'wrong account' },
      luisSession,
    );
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'NEEDS_SUPERVISOR',
      message: expect.stringMatching(/another cashier/),
    });
    expect(await writes(host)).toEqual(before);

    // Close Luis's till (empty but for the float), then try to void a payment of it.
    const lp = await pay(host, luisSession, '1000042517', 500);
    const expected = await tillExpected(
      host.ctx.db,
      ((await host.ctx.db('tills').where({ cashier_id: '1002', status: 'open' }).first()) as { id: string })
        .id,
    );
    expect(expected.cashCents).toBe(FLOAT_CENTS + 500);
    const closed = value<{ status: string }>(
      await host.call(
        'till.close',
        {
          cashCounts: { ...FLOAT_COUNTS, b5: (FLOAT_COUNTS.b5 ?? 0) + 1 },
          checks: { count: 0, cents: 0 },
          moneyOrders: { count: 0, cents: 0 },
          cardBatchCents: 0,
        },
        luisSession,
      ),
    );
    expect(closed.status).toBe('closed');
    const before2 = await writes(host);
    const r2 = await host.call(
      'payments.void',
      { transactionId: lp.transactionId, reason: 'late void', approval: SUPERVISOR },
      luisSession,
    );
    expect(r2.ok ? null : r2.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/till .* is closed/),
    });
    expect(await writes(host)).toEqual(before2);
  });

  it('a refund larger than the credit, and a refund with no credit', async () => {
    const before = await writes(host);
    const none = await host.call(
      'refunds.post',
      {
        requestId: randomUUID(),
        accountNumber: '1100000007',
        amountCents: 100,
        method: 'cash',
        reason: 'no credit here',
      },
      dana,
    );
    expect(none.ok ? null : none.error.message).toMatch(/no credit to refund|cannot be more than the credit/);
    // Give Maria a $5.00 credit, then ask for $6.00 back.
    const balance = value<{ balanceCents: number }>(
      await host.call('accounts.get', { accountNumber: '1000042517' }, dana),
    ).balanceCents;
    await pay(host, dana, '1000042517', Math.max(0, balance) + 500);
    const mid = await writes(host);
    const r = await host.call(
      'refunds.post',
      {
        requestId: randomUUID(),
        accountNumber: '1000042517',
        amountCents: 600,
        method: 'cash',
        reason: 'customer asked',
      },
      dana,
    );
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The refund cannot be more than the credit of $5.00.',
    });
    expect(await writes(host)).toEqual(mid);
    expect(before[0]).toBeLessThan(mid[0]!);
    // $5.00 is fine, in cash, without a supervisor (under the limit).
    const ok = value<{ drawerOpened: boolean }>(
      await host.call(
        'refunds.post',
        {
          requestId: randomUUID(),
          accountNumber: '1000042517',
          amountCents: 500,
          method: 'cash',
          reason: 'customer asked',
        },
        dana,
      ),
    );
    expect(ok.drawerOpened).toBe(true);
    expect(
      value<{ balanceCents: number }>(await host.call('accounts.get', { accountNumber: '1000042517' }, dana))
        .balanceCents,
    ).toBe(0);
  });

  it('a CSR calling supervisor-only handlers directly', async () => {
    for (const [channel, input] of [
      ['till.list', {}],
      ['audit.verify', {}],
    ] as const) {
      const r = await host.call(channel, input, dana);
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'FORBIDDEN',
        message: 'Only a supervisor or an IT admin can do that.',
      });
    }
  });

  it('a supervisor PIN guessed five times locks the supervisor out', async () => {
    const s = host.newSession();
    value(await host.call('session.signIn', { cashierId: '1001', pin: '1234' }, s));
    // Earlier tests already spent one wrong PIN on 2001: count what is left before lockout.
    const spent = (
      (await host.ctx.db('cashiers').where('id', '2001').first('failed_attempts')) as {
        failed_attempts: number;
      }
    ).failed_attempts;
    expect(spent).toBe(1);
    for (let i = 0; i < 4 - spent; i++) {
      const r = await host.call(
        'till.paidOut',
        {
          requestId: randomUUID(),
          amountCents: 100,
          reason: 'stamps',
          approval: { supervisorId: '2001', pin: '1111' },
        },
        s,
      );
      expect(r.ok ? null : r.error.code).toBe('BAD_CREDENTIALS');
    }
    const locked = await host.call(
      'till.paidOut',
      {
        requestId: randomUUID(),
        amountCents: 100,
        reason: 'stamps',
        approval: { supervisorId: '2001', pin: '1111' },
      },
      s,
    );
    expect(locked.ok ? null : locked.error.code).toBe('LOCKED_OUT');
    const evenRight = await host.call(
      'till.paidOut',
      { requestId: randomUUID(), amountCents: 100, reason: 'stamps', approval: SUPERVISOR },
      s,
    );
    expect(evenRight.ok ? null : evenRight.error.code).toBe('LOCKED_OUT');
    const audits = (await host.ctx
      .db('audit_log')
      .where('action', 'approval.lockedOut')
      .count({ n: '*' })
      .first()) as { n: number };
    expect(Number(audits.n)).toBe(1);
  });
});

describe('expected cash = float + cash effects, for any shift (property)', () => {
  type Step =
    | { kind: 'pay'; cents: number; tendered: number; tender: 'cash' | 'card' | 'check' }
    | { kind: 'void'; which: number }
    | { kind: 'drop'; twenties: number }
    | { kind: 'paidOut'; cents: number }
    | { kind: 'refund'; cents: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('pay' as const),
      cents: fc.integer({ min: 1, max: 30_000 }),
      tendered: fc.integer({ min: 0, max: 10_000 }),
      tender: fc.constantFrom('cash' as const, 'card' as const, 'check' as const),
    }),
    fc.record({ kind: fc.constant('void' as const), which: fc.nat() }),
    fc.record({ kind: fc.constant('drop' as const), twenties: fc.integer({ min: 1, max: 10 }) }),
    fc.record({ kind: fc.constant('paidOut' as const), cents: fc.integer({ min: 1, max: 5_000 }) }),
    fc.record({ kind: fc.constant('refund' as const), cents: fc.integer({ min: 1, max: 3_000 }) }),
  );

  it('holds after every step, and an exact count closes with zero over/short', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const host = await startTestHost({ demo: { count: 20, months: 1 } });
        try {
          const s = await signInWithTill(host, '2001', '2468'); // a supervisor approves their own actions
          let cash = FLOAT_CENTS;
          const payments: { id: string; netCash: number; voided?: boolean }[] = [];
          for (const st of steps) {
            if (st.kind === 'pay') {
              const tender =
                st.tender === 'cash'
                  ? { type: 'cash', amountCents: st.cents + st.tendered }
                  : st.tender === 'card'
                    ? { type: 'card', amountCents: st.cents, brand: 'Visa', last4: '4242', authCode: 'AB12' }
                    : {
                        type: 'check',
                        amountCents: st.cents,
                        checkNumber: '10',
                        routingNumber: '011000015',
                        bankAccount: '12345678',
                      };
              const p = await pay(host, s, '1000042517', st.cents, tender);
              const netCash = st.tender === 'cash' ? st.cents : 0;
              cash = addCents(cash, netCash);
              payments.push({ id: p.transactionId, netCash });
            } else if (st.kind === 'void') {
              const target = payments[st.which % Math.max(1, payments.length)];
              if (!target) continue;
              const r = await host.call(
                'payments.void',
                { transactionId: target.id, reason: 'property test' },
                s,
              );
              if (r.ok) {
                cash = addCents(cash, -target.netCash);
                target.voided = true;
              }
              // Already void; or the cash it gives back is no longer in the drawer (dropped to the safe).
              else
                expect(r.error.code).toBe(
                  !target.voided && target.netCash > cash ? 'INVALID_INPUT' : 'CONFLICT',
                );
            } else if (st.kind === 'drop') {
              const r = await host.call(
                'till.drop',
                { requestId: randomUUID(), counts: { b20: st.twenties } },
                s,
              );
              if (st.twenties * 2000 <= cash) {
                expect(r.ok).toBe(true);
                cash = addCents(cash, -st.twenties * 2000);
              } else expect(r.ok).toBe(false);
            } else if (st.kind === 'paidOut') {
              const r = await host.call(
                'till.paidOut',
                { requestId: randomUUID(), amountCents: st.cents, reason: 'property test' },
                s,
              );
              if (st.cents <= cash) {
                expect(r.ok).toBe(true);
                cash = addCents(cash, -st.cents);
              } else expect(r.ok).toBe(false);
            } else {
              const balance = value<{ balanceCents: number }>(
                await host.call('accounts.get', { accountNumber: '1000042517' }, s),
              ).balanceCents;
              const r = await host.call(
                'refunds.post',
                {
                  requestId: randomUUID(),
                  accountNumber: '1000042517',
                  amountCents: st.cents,
                  method: 'cash',
                  reason: 'property test',
                },
                s,
              );
              if (balance < 0 && st.cents <= -balance && st.cents <= cash) {
                expect(r.ok).toBe(true);
                cash = addCents(cash, -st.cents);
              } else expect(r.ok).toBe(false);
            }
            const till = (await host.ctx
              .db('tills')
              .where({ cashier_id: '2001', status: 'open' })
              .first()) as { id: string };
            expect((await tillExpected(host.ctx.db, till.id)).cashCents).toBe(cash);
          }
          // Close with the exact count (in cents: 1¢ coins) and the exact check and card figures.
          const till = (await host.ctx.db('tills').where({ cashier_id: '2001', status: 'open' }).first()) as {
            id: string;
          };
          const exp = await tillExpected(host.ctx.db, till.id);
          const closed = value<{
            status: string;
            figures: { overShortCents: number; needsSupervisor: boolean };
          }>(
            await host.call(
              'till.close',
              {
                cashCounts: { c1: cash },
                checks: exp.checks,
                moneyOrders: exp.moneyOrders,
                cardBatchCents: exp.card.cents,
              },
              s,
            ),
          );
          expect(closed.status).toBe('closed');
          expect(closed.figures.overShortCents).toBe(0);
          expect(closed.figures.needsSupervisor).toBe(false);
          const lines = (await host.ctx
            .db('journal_lines')
            .select(host.ctx.db.raw('SUM(cents) as total'))
            .first()) as { total: number };
          expect(lines.total).toBe(0);
          const drawer = (await host.ctx
            .db('journal_lines')
            .where('ledger_account', 'drawer:cash')
            .select(host.ctx.db.raw('SUM(cents) as total'))
            .first()) as { total: number };
          expect(drawer.total).toBe(0);
        } finally {
          await host.close();
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe('a void gives cash back only from cash in the drawer', () => {
  it('refuses to void a cash payment whose cash went to the safe, and writes nothing', async () => {
    const host = await startTestHost({ demo: { count: 10, months: 1 } });
    const sam = await signInWithTill(host, '2001', '2468');
    const paid = await pay(host, sam, '1000042517', 100);
    for (const counts of [FLOAT_COUNTS, { b1: 1 }])
      value(await host.call('till.drop', { requestId: randomUUID(), counts }, sam));
    const before = await writes(host);
    const r = await host.call(
      'payments.void',
      { transactionId: paid.transactionId, reason: 'keyed twice' },
      sam,
    );
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/drawer holds \$0\.00, less than the \$1\.00 in cash/),
    });
    expect(await writes(host)).toEqual(before);
    await host.close();
  });
});

describe('audit chain', () => {
  it('names an entry edited in the database file (host and npm run audit:verify)', async () => {
    const host = await startTestHost({ demo: { count: 10, months: 1 } });
    const s = await signInWithTill(host, '2001', '2468');
    await pay(host, s, '1000042517', 700);
    expect(value<{ ok: boolean }>(await host.call('audit.verify', {}, s)).ok).toBe(true);
    const target = (await host.ctx.db('audit_log').where('action', 'payment.post').first('seq', 'id')) as {
      seq: number;
      id: string;
    };
    await host.ctx
      .db('audit_log')
      .where('seq', target.seq)
      .update({ details: JSON.stringify({ amountCents: 1 }) });
    const r = value<{ ok: boolean; brokenAt: number; id: string; reason: string }>(
      await host.call('audit.verify', {}, s),
    );
    expect(r).toMatchObject({
      ok: false,
      brokenAt: target.seq,
      id: target.id,
      reason: expect.stringMatching(/edited/),
    });
    await host.close();
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.resolve('scripts/audit-verify.ts'), host.dataDir],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`BROKEN at entry #${target.seq} (id ${target.id})`);
  });

  it('names a ledger row edited in the file, though the audit chain itself is untouched', async () => {
    const host = await startTestHost({ demo: { count: 10, months: 1 } });
    const s = await signInWithTill(host, '2001', '2468');
    const paid = await pay(host, s, '1000042517', 700);
    expect(value<{ ok: boolean }>(await host.call('audit.verify', {}, s)).ok).toBe(true);
    // Pocket $5 of a cash payment: the journal and the tender both say $2 now, and they balance.
    const db = host.ctx.db;
    await db('journal_lines')
      .where({ transaction_id: paid.transactionId, ledger_account: 'drawer:cash' })
      .update({ cents: 200 });
    await db('journal_lines')
      .where({ transaction_id: paid.transactionId, ledger_account: 'ar:1000042517' })
      .update({ cents: -200 });
    await db('tenders')
      .where('transaction_id', paid.transactionId)
      .update({ amount_cents: 200, net_cents: 200 });
    const r = value<{ ok: boolean; reason: string }>(await host.call('audit.verify', {}, s));
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(new RegExp(`ledger rows of transaction ${paid.transactionId} were changed`));
    await host.close();
  });

  it('names a transaction written straight into the file, with no audit entry', async () => {
    const host = await startTestHost({ demo: { count: 10, months: 1 } });
    const s = await signInWithTill(host, '2001', '2468');
    const paid = await pay(host, s, '1000042517', 700);
    const row = (await host.ctx.db('transactions').where('id', paid.transactionId).first()) as Record<
      string,
      unknown
    >;
    await host.ctx.db('transactions').insert({
      ...row,
      id: `${paid.transactionId}x`,
      request_id: 'forged',
      receipt_number: null,
    });
    const r = value<{ ok: boolean; reason: string }>(await host.call('audit.verify', {}, s));
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/no audit entry/);
    await host.close();
  });
});
