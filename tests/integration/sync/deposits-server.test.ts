/**
 * The server's deposit ledger, on SQLite AND on PostgreSQL: a real counter collects deposits in
 * installments, runs the interest batch, refunds one deposit and applies another to a final bill; the
 * sync worker pushes it all, the server applies it (deposits held per account, each deposit's movements
 * and interest credits) and the counter pulls it back: both ledgers agree to the cent. A second terminal
 * pushes events that break the server's rules (interest of the wrong amount, interest credited twice,
 * a refund of more than is held, a deposit on a closed account, a journal that does not follow from the
 * amounts, policies with a gap): each is rejected, kept for review, and changes nothing.
 */
import { randomUUID } from 'node:crypto';

import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';

import type { CounterHost } from '../../../electron/host/create-host.js';
import type { Session } from '../../../electron/services/auth/auth.js';
import { loadDeposits } from '../../../electron/services/deposits/records.js';
import { DEMO_DEPOSIT_POLICIES, demoDepositRates } from '../../../resources/demo/deposits.js';
import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { loadServerDeposits } from '../../../server/src/domain/deposits.js';
import {
  depositBalances,
  depositCollectJournal,
  depositInterestJournal,
  depositPayoutJournal,
} from '../../../shared/domain/deposit-ledger.js';
import { interestCreditsDue } from '../../../shared/domain/deposits.js';
import { settleTenders } from '../../../shared/domain/tenders.js';
import type { DepositData } from '../../../shared/sync/deposits.js';
import type { DepositPosted } from '../../../shared/sync/legacy.js';
import { rowCounts, signInWithTill } from '../../support/counter.js';
import { enrollOn, pushTo, type Terminal } from '../../support/server-setup.js';
import { expectReplicaEqualsServer, expectServerBooksBalance } from '../../support/sync-checks.js';
import { event } from '../../support/sync-events.js';
import { call, enrollWithCode, FAST_SYNC, firstPull, outboxCounts } from '../../support/sync-server.js';
import { SERVER_DATABASES, syncRig, TEST_TODAY, waitFor } from '../../support/sync-server.js';
import type { SeededServer } from '../../support/sync-server.js';

const ACCOUNTS = 70;
const MARIA = '1000042517';
const RAJ = '1100000007';
const CLOSED = demoAccountNumber(60);
const SUPERVISOR = { supervisorId: '2001', pin: '2468' };

describe.each(SERVER_DATABASES)('deposits through the server on %s', (_name, kind) => {
  const rig = syncRig('countertop-deposits-');
  let srv: SeededServer;
  let host: CounterHost;
  let dana: Session;
  let sam: Session;
  let t2: Terminal;
  let seq = 0;

  beforeAll(async () => {
    srv = await rig.server(kind, { name: 'deposits', accounts: ACCOUNTS });
    const code = await enrollWithCode(srv.config);
    host = await rig.counter('counter', {
      demo: { count: ACCOUNTS },
      server: { ...FAST_SYNC, url: srv.url, enrollCode: code },
    });
    await firstPull(host);
    dana = await signInWithTill(host);
    sam = await signInWithTill(host, '2001', '2468');
    t2 = await enrollOn(srv.server, srv.db, { terminalCode: 'MAIN-07', terminalName: 'Hand-made events' });
  });

  const k = () => srv.db.knex;

  /** Everything a rejected event could have changed on the server (besides its own review record). */
  async function ledger(): Promise<unknown[]> {
    const accounts = (await k()('accounts')
      .orderBy('account_number')
      .select('account_number', 'balance_cents', 'deposit_held_cents')) as Record<string, unknown>[];
    const policies = (await k()('policies').orderBy('key').pluck('value')) as string[];
    const tables = ['transactions', 'journal_lines', 'deposits', 'deposit_movements', 'deposit_credits'];
    return [
      ...(await rowCounts(k(), [...tables, 'change_log'])),
      JSON.stringify(
        accounts.map((a) => [a.account_number, Number(a.balance_cents), Number(a.deposit_held_cents)]),
      ),
      policies.join('|'),
    ];
  }

  async function push(
    type: string,
    payload: unknown,
  ): Promise<{ acked: boolean; code?: string; message?: string }> {
    seq += 1;
    const body = await pushTo(srv.server, t2, [event(seq, type, payload)]);
    const r = body.rejected[0];
    return r ? { acked: false, code: r.code, message: r.message } : { acked: body.acked.length === 1 };
  }

  function base(
    accountNumber: string,
    dep: DepositData,
  ): Omit<DepositPosted, 'kind' | 'movement' | 'credits' | 'amountCents' | 'journal'> {
    return {
      transactionId: v7(),
      requestId: randomUUID(),
      accountNumber,
      deposit: {
        id: dep.id,
        accountNumber: dep.accountNumber,
        policyId: dep.policyId,
        requiredCents: dep.requiredCents,
        schedule: dep.schedule,
        requestedOn: dep.requestedOn,
      },
      tenders: [],
      changeCents: 0,
      creditCents: 0,
      method: null,
      appliedToBillCents: 0,
      refundCents: 0,
      receiptNumber: null,
      cashierId: '1001',
      approvedBy: '2001',
      terminalCode: 'MAIN-07',
      branch: 'MAIN',
      tillId: null,
      businessDate: TEST_TODAY,
      createdAt: new Date().toISOString(),
    };
  }

  it('refuses events that break its rules: kept for review, nothing changed', async () => {
    // A demo deposit held for more than a year (not Maria's): its first anniversary is not credited yet.
    const held = (await k()('deposits as d')
      .join('accounts as a', 'a.account_number', 'd.account_number')
      .where('a.status', 'active')
      .whereNot('d.account_number', MARIA)
      .where('d.requested_on', '<', '2025-11-01')
      .orderBy('d.id')
      .first('d.id', 'd.account_number')) as { id: string; account_number: string };
    const dep = (await loadServerDeposits(k(), [held.id])).get(held.id)!;
    const policy = DEMO_DEPOSIT_POLICIES.find((p) => p.id === dep.policyId)!;
    const record = {
      movements: dep.movements.map((m) => ({ date: m.date, kind: m.kind, amountCents: m.amountCents })),
    };
    const first = interestCreditsDue(policy, record, demoDepositRates(TEST_TODAY), TEST_TODAY, [])
      .credits[0]!;
    const interest = (cents: number): DepositPosted => ({
      ...base(held.account_number, dep),
      kind: 'interest',
      movement: null,
      credits: [
        {
          id: v7(),
          creditDate: first.creditDate,
          kind: 'anniversary',
          from: first.from,
          to: first.to,
          days: first.days,
          amountCents: cents,
          transactionId: null,
        },
      ],
      amountCents: cents,
      journal: depositInterestJournal(held.account_number, cents, 'deposit interest'),
    });

    let before = await ledger();
    const wrong = await push('deposit.posted', interest(first.amountCents + 1));
    expect(wrong).toMatchObject({ acked: false, code: 'INTEREST_MISMATCH' });
    expect(wrong.message).toContain(`policy ${policy.id} on the server's record gives`);
    expect(await ledger()).toEqual(before);

    const right = await push('deposit.posted', interest(first.amountCents));
    expect(right).toEqual({ acked: true });
    const account = (await k()('accounts')
      .where('account_number', held.account_number)
      .first('deposit_held_cents')) as {
      deposit_held_cents: number;
    };
    expect(Number(account.deposit_held_cents)).toBe(depositBalances(dep).heldCents + first.amountCents);

    before = await ledger();
    const twice = await push('deposit.posted', interest(first.amountCents));
    expect(twice).toMatchObject({ acked: false, code: 'ALREADY_CREDITED' });
    expect(await ledger()).toEqual(before);

    // A refund of more principal than the server holds on Maria's deposit.
    const maria = (await loadServerDeposits(k(), [`DEP${MARIA}`])).get(`DEP${MARIA}`)!;
    const tooMuch: DepositPosted = {
      ...base(MARIA, maria),
      kind: 'refund',
      movement: {
        id: v7(),
        date: TEST_TODAY,
        kind: 'refund',
        amountCents: 20_000,
        interestOutCents: 0,
        transactionId: null,
      },
      credits: [],
      amountCents: 20_000,
      method: 'check_request',
      refundCents: 20_000,
      journal: depositPayoutJournal(MARIA, {
        interestCents: 0,
        paidOutCents: 20_000,
        appliedToBillCents: 0,
        refundCents: 20_000,
        method: 'check_request',
      }),
    };
    expect(await push('deposit.posted', tooMuch)).toMatchObject({ acked: false, code: 'MORE_THAN_HELD' });
    expect(await ledger()).toEqual(before);

    // A deposit collected on a closed account.
    const settlement = settleTenders(10_000, [{ type: 'cash', amountCents: 10_000 }], { cashOnly: false });
    const fresh: DepositData = {
      id: v7(),
      accountNumber: CLOSED,
      policyId: 'RES-2024',
      requiredCents: 10_000,
      schedule: [{ dueWith: 'now', amountCents: 10_000 }],
      requestedOn: TEST_TODAY,
      movements: [],
      credits: [],
    };
    const collect: DepositPosted = {
      ...base(CLOSED, fresh),
      kind: 'collect',
      movement: {
        id: v7(),
        date: TEST_TODAY,
        kind: 'payment',
        amountCents: 10_000,
        interestOutCents: 0,
        transactionId: null,
      },
      credits: [],
      amountCents: 10_000,
      tenders: [{ type: 'cash', amountCents: 10_000 }],
      journal: depositCollectJournal(CLOSED, 10_000, settlement),
    };
    const closed = await push('deposit.posted', collect);
    expect(closed).toMatchObject({ acked: false, code: 'ACCOUNT_CLOSED' });
    expect(closed.message).toContain(`Account ${CLOSED} is closed`);
    // The same on an open account, but a journal that does not follow from the amount.
    const open: DepositPosted = {
      ...collect,
      ...base(RAJ, { ...fresh, accountNumber: RAJ }),
      kind: 'collect',
      movement: collect.movement,
      credits: [],
      amountCents: 10_000,
      tenders: collect.tenders,
      journal: [
        { ledgerAccount: 'drawer:cash', cents: 9_000, memo: 'x' },
        { ledgerAccount: `deposits_held:${RAJ}`, cents: -9_000, memo: 'x' },
      ],
    };
    expect(await push('deposit.posted', open)).toMatchObject({ acked: false, code: 'JOURNAL_MISMATCH' });
    // Policies with a gap.
    const gap = DEMO_DEPOSIT_POLICIES.map((p) =>
      p.id === 'RES-2024' ? { ...p, effectiveFrom: '2024-03-01' } : p,
    );
    const saved = await push('deposit.settings_saved', {
      policies: JSON.stringify(gap),
      rates: JSON.stringify(demoDepositRates(TEST_TODAY)),
      savedBy: '2001',
      savedAt: new Date().toISOString(),
      terminalCode: 'MAIN-07',
      branch: 'MAIN',
    });
    expect(saved).toMatchObject({ acked: false, code: 'INVALID_POLICIES' });
    expect(saved.message).toContain('Gap in the residential deposit policies');
    expect(await ledger()).toEqual(before);
    // Every refusal is on record for review.
    const rejected = (await k()('events')
      .where({ terminal_id: t2.terminalId, status: 'rejected' })
      .pluck('reject_code')) as string[];
    expect(rejected.sort()).toEqual(
      [
        'ACCOUNT_CLOSED',
        'ALREADY_CREDITED',
        'INTEREST_MISMATCH',
        'INVALID_POLICIES',
        'JOURNAL_MISMATCH',
        'MORE_THAN_HELD',
      ].sort(),
    );
  });

  it('applies what the counter posts; the counter pulls it back and both ledgers agree to the cent', async () => {
    // The credit the other terminal made comes to this counter first.
    await call(host, sam, 'sync.pullNow');
    const calc = await call<{ collectInstallmentCents: number; installments: { amountCents: number }[] }>(
      host,
      dana,
      'deposits.calculate',
      { accountNumber: RAJ },
    );
    await call(host, dana, 'deposits.collect', {
      requestId: randomUUID(),
      accountNumber: RAJ,
      part: 'installment',
      amountCents: calc.collectInstallmentCents,
      tenders: [{ type: 'cash', amountCents: 10_000 }],
    });
    await call(host, dana, 'deposits.collect', {
      requestId: randomUUID(),
      accountNumber: RAJ,
      part: 'installment',
      amountCents: calc.installments[1]!.amountCents,
      tenders: [
        {
          type: 'card',
          amountCents: calc.installments[1]!.amountCents,
          brand: 'Visa',
          last4: '4242',
          authCode: 'OK1234',
        },
      ],
    });
    const batch = await call<{ count: number }>(host, sam, 'deposits.creditInterestBatch', {});
    expect(batch.count).toBeGreaterThan(0);
    const maria = await call<{ deposits: { id: string }[] }>(host, dana, 'deposits.forAccount', {
      accountNumber: MARIA,
    });
    await call(host, dana, 'deposits.refund', {
      requestId: randomUUID(),
      accountNumber: MARIA,
      depositId: maria.deposits[0]!.id,
      method: 'cash',
      reason: 'Good payment record',
      approval: SUPERVISOR,
    });
    const closed = await call<{ openDepositId: string }>(host, dana, 'deposits.forAccount', {
      accountNumber: CLOSED,
    });
    await call(host, dana, 'deposits.applyFinal', {
      requestId: randomUUID(),
      accountNumber: CLOSED,
      depositId: closed.openDepositId,
      method: 'check_request',
      approval: SUPERVISOR,
    });
    await waitFor('everything acked', async () => {
      const c = await outboxCounts(host);
      return !c.queued && !c.rejected;
    });
    await call(host, sam, 'sync.pullNow');

    await expectReplicaEqualsServer(host, srv.db);
    // Each deposit record, movement by movement and credit by credit.
    const local = await loadDeposits(host.ctx.db, (q) => q);
    const remote = await loadServerDeposits(
      k(),
      local.map((d) => d.id),
    );
    expect(remote.size).toBe(local.length);
    const shape = (d: {
      id: string;
      accountNumber: string;
      requiredCents: number;
      movements: { id: string; date: string; kind: string; amountCents: number; interestOutCents: number }[];
      credits: { creditDate: string; amountCents: number }[];
    }) => ({
      id: d.id,
      accountNumber: d.accountNumber,
      requiredCents: d.requiredCents,
      movements: d.movements.map((m) => [m.id, m.date, m.kind, m.amountCents, m.interestOutCents]).sort(),
      credits: d.credits.map((c) => [c.creditDate, c.amountCents]).sort(),
    });
    for (const d of local) expect(shape(remote.get(d.id)!)).toEqual(shape(d));
    // The server's ledger adds up: what each account holds = its deposit records.
    const serverHeld = (await k()('accounts')
      .where('deposit_held_cents', '<>', 0)
      .select('account_number', 'deposit_held_cents')) as {
      account_number: string;
      deposit_held_cents: number;
    }[];
    const byAccount = new Map<string, number>();
    for (const d of remote.values())
      byAccount.set(d.accountNumber, (byAccount.get(d.accountNumber) ?? 0) + depositBalances(d).heldCents);
    for (const a of serverHeld)
      expect([a.account_number, Number(a.deposit_held_cents)]).toEqual([
        a.account_number,
        byAccount.get(a.account_number),
      ]);
    expect(
      Number(
        (
          (await k()('accounts').where('account_number', MARIA).first('deposit_held_cents')) as {
            deposit_held_cents: number;
          }
        ).deposit_held_cents,
      ),
    ).toBe(0);
    // verify: every journal balances, every balance = opening + what was applied.
    await expectServerBooksBalance(srv.db);
    const kinds = (await k()('transactions')
      .where('terminal_id', '<>', t2.terminalId)
      .whereLike('kind', 'deposit%')
      .pluck('kind')) as string[];
    expect(new Set(kinds)).toEqual(
      new Set(['deposit', 'deposit_interest', 'deposit_refund', 'deposit_apply']),
    );
  });
});
