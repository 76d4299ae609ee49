/**
 * Attacker tests against PIN checks on a real counter (real SQLite file): a burst of wrong PINs in
 * parallel must lock the cashier after exactly MAX_PIN_FAILURES of them, supervisor approvals share
 * the same counters, many IDs from one terminal hit a terminal-wide limit, and the answers never tell
 * whether a cashier ID exists.
 */
import { randomUUID } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MAX_PIN_FAILURES, TERMINAL_MAX_FAILURES } from '../../../electron/services/auth/auth.js';
import { manualClock } from '../../../electron/services/clock.js';
import { signInWithTill, startTestHost, TEST_NOW } from '../../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;

let host: Host;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock(TEST_NOW, 'America/Chicago');
  host = await startTestHost({ clock, demo: { count: 20, months: 1 } });
});
afterEach(async () => {
  await host.close();
});

async function failures(id: string): Promise<number> {
  const row = (await host.ctx.db('cashiers').where('id', id).first('failed_attempts')) as {
    failed_attempts: number;
  };
  return row.failed_attempts;
}

async function signIn(cashierId: string, pin: string) {
  return host.call('session.signIn', { cashierId, pin }, host.newSession());
}

describe('PIN lockout under concurrency', () => {
  it('120 wrong PINs in parallel lock the cashier; the right PIN is then refused', async () => {
    const results = await Promise.all(Array.from({ length: 120 }, () => signIn('1002', '0000')));
    expect(results.every((r) => !r.ok)).toBe(true);
    const codes = results.map((r) => (r.ok ? 'OK' : r.error.code));
    expect(codes.filter((c) => c === 'BAD_CREDENTIALS')).toHaveLength(MAX_PIN_FAILURES - 1);
    expect(await failures('1002')).toBe(MAX_PIN_FAILURES);
    const right = await signIn('1002', '2345');
    expect(right.ok ? null : right.error.code).toBe('LOCKED_OUT');
    const lockedAudit = (await host.ctx
      .db('audit_log')
      .where({ actor: '1002', action: 'session.lockedOut' })
      .count({ n: '*' })
      .first()) as { n: number };
    expect(Number(lockedAudit.n)).toBe(1);
    clock.advance(16 * 60_000);
    expect((await signIn('1002', '2345')).ok).toBe(true);
    expect(await failures('1002')).toBe(0);
  });

  it('130 wrong supervisor PINs in parallel at the counter lock the supervisor', async () => {
    const dana = await signInWithTill(host, '1001', '1234');
    const paidOut = (pin: string) =>
      host.call(
        'till.paidOut',
        {
          requestId: randomUUID(),
          amountCents: 100,
          reason: 'stamps',
          approval: { supervisorId: '2001', pin },
        },
        dana,
      );
    const results = await Promise.all(Array.from({ length: 130 }, () => paidOut('1111')));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await failures('2001')).toBe(MAX_PIN_FAILURES);
    const right = await paidOut('2468');
    expect(right.ok ? null : right.error.code).toBe('LOCKED_OUT');
    const paid = (await host.ctx.db('transactions').where('kind', 'paid_out').count({ n: '*' }).first()) as {
      n: number;
    };
    expect(Number(paid.n)).toBe(0);
  });

  it('twelve right supervisor PINs in parallel all approve: right PINs side by side never lock anyone', async () => {
    const dana = await signInWithTill(host, '1001', '1234');
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        host.call(
          'till.paidOut',
          {
            requestId: randomUUID(),
            amountCents: 100,
            reason: 'stamps',
            approval: { supervisorId: '2001', pin: '2468' },
          },
          dana,
        ),
      ),
    );
    expect(results.map((r) => (r.ok ? 'OK' : r.error.code))).toEqual(Array.from({ length: 12 }, () => 'OK'));
    expect(await failures('2001')).toBe(0);
  });

  it('many different IDs from one terminal hit the terminal limit, in parallel too', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => String(5000 + i));
    const results = await Promise.all(ids.map((id) => signIn(id, '0000')));
    const bad = results.filter((r) => !r.ok && r.error.code === 'BAD_CREDENTIALS');
    expect(bad).toHaveLength(TERMINAL_MAX_FAILURES);
    // Even a real cashier with the right PIN waits until the terminal's window has passed.
    const right = await signIn('1001', '1234');
    expect(right.ok ? null : right.error.message).toMatch(/on this terminal/);
    clock.advance(16 * 60_000);
    expect((await signIn('1001', '1234')).ok).toBe(true);
  });

  it('21 wrong sign-ins in parallel on one cashier lock it', async () => {
    await Promise.all(Array.from({ length: 21 }, () => signIn('1001', '9999')));
    expect(await failures('1001')).toBe(MAX_PIN_FAILURES);
    const right = await signIn('1001', '1234');
    expect(right.ok ? null : right.error.code).toBe('LOCKED_OUT');
  });

  it('answers the same for an unknown ID as for a real one, up to and including the lockout', async () => {
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < MAX_PIN_FAILURES + 1; i++) {
      const k = await signIn('1002', '0000');
      const u = await signIn('1003', '0000');
      known.push(k.ok ? 'ok' : `${k.error.code} ${k.error.message.replace('1002', 'ID')}`);
      unknown.push(u.ok ? 'ok' : `${u.error.code} ${u.error.message.replace('1003', 'ID')}`);
    }
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toMatch(/^LOCKED_OUT/);
  });
});
