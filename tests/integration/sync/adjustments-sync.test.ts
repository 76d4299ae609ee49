/**
 * Adjustments and back billing through sync, on SQLite AND on PostgreSQL: a real counter posts an
 * outage credit (supervisor-approved), a debit adjustment and a back-billing plan while offline; once
 * enrolled its queue drains into the server, which moves the balance by exactly the journal, credits
 * the item the adjustment corrects, adds the debit and the installments as open items (installments
 * flagged not grounds for disconnection) and writes its own tables; after a pull the counter shows
 * them as posted, no longer pending.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CounterHost } from '../../../electron/host/create-host.js';
import type { Session } from '../../../electron/services/auth/auth.js';
import type { DbConfig } from '../../../server/src/db/connection.js';
import { signInWithTill, startTestHost, tempDir } from '../../support/counter.js';
import { createTestDatabase, type TestDatabase } from '../../support/pg.js';
import {
  call,
  enrollCounter,
  outboxCounts,
  seedServer,
  signedIn,
  startServer,
  waitFor,
  type RunningServer,
} from '../../support/sync-server.js';

const FAST = { backoff: { baseMs: 50, capMs: 300 }, pullIntervalMs: 3_600_000, requestTimeoutMs: 5_000 };
const ACCOUNTS = 40;

type AccountView = {
  openItems: { id: string; openCents: number; pending: boolean; notDisconnectable: boolean }[];
  billLines: { id: string; amountCents: number }[];
  adjustments: { pending: boolean }[];
  backBills: { pending: boolean }[];
};

describe.each([
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'pg'],
] as const)('adjustments sync on %s', (_name, kind) => {
  let dir: string;
  let pg: TestDatabase | null = null;
  let server: RunningServer;
  let host: CounterHost & { dataDir: string };
  let csr: Session;
  let sup: Session;
  let account: string;

  beforeAll(async () => {
    dir = tempDir('countertop-adjsync-');
    let db: DbConfig;
    if (kind === 'pg') {
      pg = await createTestDatabase('ct_adjust');
      db = { client: 'pg', url: pg.url };
    } else db = { client: 'sqlite', filename: path.join(dir, 'server.db') };
    await seedServer(db, ACCOUNTS, 2);
    server = await startServer(db);
    host = await startTestHost({
      dataDir: path.join(dir, 'MAIN-02'),
      demo: { count: ACCOUNTS },
      server: FAST,
    });
    csr = await signInWithTill(host);
    sup = await signedIn(host, '2001', '2468');
    const row = (await host.ctx
      .db('open_items as o')
      .join('bills as b', 'b.account_number', 'o.account_number')
      .join('bill_lines as l', 'l.bill_id', 'b.id')
      .where('l.amount_cents', '>=', 4000)
      .orderBy('o.account_number')
      .first('o.account_number')) as { account_number: string };
    account = row.account_number;
  });

  afterAll(async () => {
    await host?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await pg?.drop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('posts offline, drains, lands in the system of record, and is no longer pending after a pull', async () => {
    const s = server.db.knex;
    const before = (await s('accounts').where('account_number', account).first('balance_cents')) as {
      balance_cents: string | number;
    };
    const view = await call<AccountView>(host, csr, 'adjustments.account', { accountNumber: account });
    // The last item in the allocation order: a credit still goes to the item it corrects first.
    const item = view.openItems.at(-1);
    const line = view.billLines.find((l) => l.amountCents >= 4000);
    if (!item || !line) throw new Error('demo account without an open item or a service line');
    const credit = await call<{ adjustment: { amountCents: number; transactionId: string } }>(
      host,
      csr,
      'adjustments.post',
      {
        requestId: randomUUID(),
        accountNumber: account,
        direction: 'credit',
        reasonCode: 'outage_credit',
        outage: { billLineId: line.id, daysOut: 25, month: '2026-11' },
        itemId: item.id,
        memo: 'Outage after the storm',
        approval: { supervisorId: '2001', pin: '2468' },
      },
    );
    await call(host, csr, 'adjustments.post', {
      requestId: randomUUID(),
      accountNumber: account,
      direction: 'debit',
      reasonCode: 'billing_error',
      amountCents: 1234,
      itemId: null,
      memo: 'Rate error on the last bill',
    });
    const charges = [
      {
        description: 'Meter never billed',
        category: 'basic_local',
        fromMonth: '2026-05',
        toMonth: '2026-07',
        amountPerPeriodCents: 1000,
        customerCaused: false,
      },
    ];
    const preview = await call<{ plan: { installments: { cents: number }[] } }>(
      host,
      sup,
      'backBilling.preview',
      { accountNumber: account, jurisdiction: 'CA', charges },
    );
    await call(host, sup, 'backBilling.post', {
      requestId: randomUUID(),
      accountNumber: account,
      jurisdiction: 'CA',
      charges,
      installments: preview.plan.installments.map((i) => i.cents),
    });

    await enrollCounter(host, server.db, server.url);
    await waitFor('outbox drained', async () => (await outboxCounts(host)).queued === undefined, 30_000);
    const events = (await s('events').select('type', 'status', 'reject_message', 'payload')) as {
      type: string;
      status: string;
      payload: string;
    }[];
    expect(events.filter((e) => e.status !== 'applied')).toEqual([]);
    // One ledger envelope each, with the adjustment capability's detail.
    const details = events
      .filter((e) => e.type === 'ledger.posted')
      .map((e) => (JSON.parse(e.payload) as { detail: { capability: string; type?: string } }).detail)
      .filter((d) => d.capability === 'adjustment');
    expect(details.map((d) => d.type).sort()).toEqual(['adjustment', 'adjustment', 'back_bill']);
    const onItem = (await s('allocations')
      .where({ transaction_id: credit.adjustment.transactionId, item_id: item.id })
      .sum({ cents: 'cents' })
      .first()) as { cents: number | string | null };
    expect(Number(onItem.cents)).toBe(Math.min(item.openCents, credit.adjustment.amountCents));

    const after = (await s('accounts').where('account_number', account).first('balance_cents')) as {
      balance_cents: string | number;
    };
    // −credit + 12.34 + 30.00 (three months of 10.00).
    expect(Number(after.balance_cents) - Number(before.balance_cents)).toBe(
      -credit.adjustment.amountCents + 1234 + 3000,
    );
    const adjustments = (await s('adjustments')
      .where('account_number', account)
      .orderBy('direction')) as Record<string, unknown>[];
    expect(adjustments.map((a) => [a.direction, Number(a.amount_cents)])).toEqual([
      ['credit', credit.adjustment.amountCents],
      ['debit', 1234],
    ]);
    const installments = (await s('open_items')
      .where('account_number', account)
      .andWhere('category', 'back_billing')) as Record<string, unknown>[];
    expect(installments.length).toBe(preview.plan.installments.length);
    expect(installments.every((i) => Boolean(i.not_disconnectable))).toBe(true);
    expect(installments.reduce((a, i) => a + Number(i.open_cents), 0)).toBe(3000);
    const debitItem = (await s('open_items')
      .where('account_number', account)
      .andWhere('id', 'like', 'adj-%')
      .first()) as Record<string, unknown> | undefined;
    expect(Number(debitItem?.open_cents)).toBe(1234);
    const plans = (await s('back_bill_plans').where('account_number', account)) as Record<string, unknown>[];
    expect(plans.map((p) => [p.jurisdiction, Number(p.total_cents), p.length_from])).toEqual([
      ['CA', 3000, 'age'],
    ]);

    await call(host, sup, 'sync.pullNow', {});
    const pulled = await call<AccountView>(host, csr, 'adjustments.account', { accountNumber: account });
    expect(pulled.adjustments.every((a) => !a.pending)).toBe(true);
    expect(pulled.backBills.every((b) => !b.pending)).toBe(true);
    const flagged = pulled.openItems.filter((i) => i.notDisconnectable);
    expect(flagged.length).toBe(preview.plan.installments.length);
    expect(flagged.every((i) => !i.pending)).toBe(true);
  });
});
