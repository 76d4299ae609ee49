/**
 * Equipment through sync, on SQLite AND on PostgreSQL (a database of its own, dropped afterwards): two
 * real counters (MAIN-02 and MAIN-03, their own SQLite files) working offline on the same last pull
 * both hand over the SAME modem serial to different customers. When they come online the server keeps
 * the first handover and REJECTS the second whole (serial already assigned), recorded for review on
 * both sides, never overwriting the first; the rest of the second counter's queue still applies.
 * Stock moves (a shipment received at one counter) reach the other counter's replica with its pull;
 * returns, lease charges and trouble tickets land in the system of record.
 */
import { randomUUID } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import type { CounterHost } from '../../../electron/host/create-host.js';
import type { Session } from '../../../electron/services/auth/auth.js';
import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { reviewEvents } from '../../../server/src/domain/review.js';
import type { SyncMonitor } from '../../../shared/api/channels/sync.js';
import { signInWithTill } from '../../support/counter.js';
import { expectServerBooksBalance, serverBalance } from '../../support/sync-checks.js';
import {
  call,
  drained,
  enrollCounter,
  SERVER_DATABASES,
  signedIn,
  syncRig,
} from '../../support/sync-server.js';
import type { SeededServer } from '../../support/sync-server.js';

const ACCOUNTS = 40;
const SERIAL = 'A42B8C01EF95';
const ALICE = demoAccountNumber(5);
const BOB = demoAccountNumber(6);
const MODEM = [{ sku: 'MDM-D31', mode: 'lease', quantity: 1 }];

type Counter = { host: CounterHost & { dataDir: string }; csr: Session; supervisor: Session };

const CARD_50 = [{ type: 'card', amountCents: 5000, brand: 'Visa', last4: '4242', authCode: 'A1B2' }];

/** An order of one unit; a leased modem is due its 50.00 deposit, a leased router nothing now. */
function orderInput(accountNumber: string, serial: string, lines = MODEM, tenders: unknown[] = CARD_50) {
  return { requestId: randomUUID(), accountNumber, lines, scans: [{ lineIndex: 0, serial }], tenders };
}

describe.each(SERVER_DATABASES)('equipment sync on %s', (_name, kind) => {
  const rig = syncRig('countertop-eqsync-');
  let server: SeededServer;
  let a: Counter;
  let b: Counter;

  async function counter(code: string): Promise<Counter> {
    const host = await rig.counter(code, {
      terminal: { code, name: `Main St ${code}`, branch: 'MAIN' },
      demo: { count: ACCOUNTS },
    });
    return { host, csr: await signInWithTill(host), supervisor: await signedIn(host, '2001', '2468') };
  }

  beforeAll(async () => {
    server = await rig.server(kind, { name: 'equipment', accounts: ACCOUNTS, months: 2 });
    a = await counter('MAIN-02');
    b = await counter('MAIN-03');
  });

  it('the same serial handed over at two offline counters: one wins, the other is a rejected event for review', async () => {
    // Both counters are offline (not enrolled yet): each hands over the same modem from its last pull.
    const first = await call<{ payment: { receiptNumber: string } }>(
      a.host,
      a.csr,
      'equipment.order',
      orderInput(ALICE, SERIAL),
    );
    const second = await call<{ payment: { receiptNumber: string } }>(
      b.host,
      b.csr,
      'equipment.order',
      orderInput(BOB, SERIAL.toLowerCase()),
    );
    // The second counter keeps working: another unit, another customer.
    await call(
      b.host,
      b.csr,
      'equipment.order',
      orderInput(BOB, '3C7A8A100005', [{ sku: 'RTR-AX3000', mode: 'lease', quantity: 1 }], []),
    );
    expect(first.payment.receiptNumber).toMatch(/^MAIN02-/);
    expect(second.payment.receiptNumber).toMatch(/^MAIN03-/);

    await enrollCounter(a.host, server.db, server.url);
    await drained(a.host);
    await enrollCounter(b.host, server.db, server.url);
    await drained(b.host);

    const s = server.db.knex;
    const stock = (await s('equipment_stock').where('serial', SERIAL).first()) as Record<string, unknown>;
    expect(stock).toMatchObject({ status: 'assigned', account_number: ALICE, branch: 'MAIN' });
    const units = (await s('equipment_assignments').where('serial', SERIAL)) as Record<string, unknown>[];
    expect(units.map((u) => u.account_number)).toEqual([ALICE]);
    expect(units[0]?.receipt_number).toBe(first.payment.receiptNumber);
    // The lease charge is on Alice's account, not Bob's.
    const charges = (await s('recurring_charges').whereIn('account_number', [ALICE, BOB])) as Record<
      string,
      unknown
    >[];
    expect(charges.filter((c) => c.account_number === ALICE).map((c) => Number(c.monthly_cents))).toEqual([
      1623,
    ]);
    expect(charges.filter((c) => c.account_number === BOB).map((c) => Number(c.monthly_cents))).toEqual([
      865,
    ]);

    // The second handover is a rejected event, with the reason, for review on the server …
    const rejected = await reviewEvents(server.db, { status: 'rejected' });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      terminalCode: 'MAIN-03',
      type: 'ledger.posted',
      code: 'SERIAL_ALREADY_ASSIGNED',
    });
    expect(rejected[0]?.message).toMatch(new RegExp(`${SERIAL}.*NOT applied`));
    expect(rejected[0]?.message).toContain(second.payment.receiptNumber);
    // … and nothing of it was booked: no transaction, no journal.
    const tx = (await s('transactions').where('receipt_number', second.payment.receiptNumber)) as unknown[];
    expect(tx).toEqual([]);
    // The rest of MAIN-03's queue applied: the router is Bob's.
    expect(await s('equipment_stock').where('serial', '3C7A8A100005').first()).toMatchObject({
      status: 'assigned',
      account_number: BOB,
    });

    // On the second counter: the sync monitor lists it as rejected, with the server's reason.
    const monitor = await call<SyncMonitor>(b.host, b.supervisor, 'sync.monitor', { limit: 20 });
    expect(monitor.rejected.map((r) => r.code)).toEqual(['SERIAL_ALREADY_ASSIGNED']);
    // Its next pull brings the server's truth; the serial look-up shows the conflict for review.
    await call(b.host, b.supervisor, 'sync.pullNow');
    const looked = await call<{
      unit: { accountNumber: string; pending: boolean };
      stock: { status: string; accountNumber: string; pending: boolean };
      conflicts: { accountNumber: string; code: string; receiptNumber: string }[];
    }>(b.host, b.csr, 'equipment.lookupSerial', { serial: SERIAL });
    expect(looked.stock).toMatchObject({ status: 'assigned', accountNumber: ALICE, pending: false });
    expect(looked.unit).toMatchObject({ accountNumber: ALICE, pending: false });
    expect(looked.conflicts).toEqual([
      expect.objectContaining({
        accountNumber: BOB,
        code: 'SERIAL_ALREADY_ASSIGNED',
        receiptNumber: second.payment.receiptNumber,
      }),
    ]);
    // Bob's account no longer shows a unit the server refused; Alice's (at the other counter) does.
    const bob = await call<{ units: { serial: string | null }[] }>(b.host, b.csr, 'equipment.account', {
      accountNumber: BOB,
    });
    expect(bob.units.map((u) => u.serial)).toEqual(['3C7A8A100005']);

    await expectServerBooksBalance(server.db);
  });

  it('stock received at one counter reaches the other with its pull, and can be handed over there', async () => {
    const received = await call<{ serials: string[] }>(a.host, a.supervisor, 'equipment.receiveShipment', {
      requestId: randomUUID(),
      sku: 'MDM-D31',
      serials: ['a4:2b:8c:09:00:01', 'A42B8C090002'],
      reference: 'PO-7781',
    });
    expect(received.serials).toEqual(['A42B8C090001', 'A42B8C090002']);
    await drained(a.host);
    await call(b.host, b.supervisor, 'sync.pullNow');
    const row = (await b.host.ctx.db('equipment_stock').where('serial', 'A42B8C090002').first()) as Record<
      string,
      unknown
    >;
    expect(row).toMatchObject({ status: 'in_stock', branch: 'MAIN', sku: 'MDM-D31' });
    expect(Number(row.version)).toBeGreaterThan(0);
    await call(b.host, b.csr, 'equipment.order', orderInput(BOB, 'A42B8C090002'));
    await drained(b.host);
    expect(await server.db.knex('equipment_stock').where('serial', 'A42B8C090002').first()).toMatchObject({
      status: 'assigned',
      account_number: BOB,
    });
    // Receiving a serial the server already has in stock is refused at the counter that knows it …
    const again = await b.host.call(
      'equipment.receiveShipment',
      { requestId: randomUUID(), sku: 'MDM-D31', serials: ['A42B8C090001'], reference: 'PO-7781' },
      b.supervisor,
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'serials.0' } });
  });

  it('a return, its fee on the account, the lease charge ending, and a trouble ticket reach the server', async () => {
    const maria = demoAccountNumber(0);
    const before = await serverBalance(server.db, maria);
    const ticket = await call<{ id: string }>(a.host, a.csr, 'equipment.troubleTicket', {
      action: 'open',
      accountNumber: maria,
      serial: 'A42B8C01EE01',
      testKind: 'device',
      symptom: 'Modem reboots every few minutes',
    });
    await call(a.host, a.csr, 'equipment.troubleTicket', {
      action: 'result',
      ticketId: ticket.id,
      result: 'device_fault',
      note: 'Power supply failing',
    });
    // The leased modem comes back damaged: 50.00 deposit released, 40.00 damage fee; the 10.00 left
    // goes onto the account as credit.
    const ret = await call<{ quote: { netCents: number } }>(a.host, a.csr, 'equipment.return', {
      requestId: randomUUID(),
      accountNumber: maria,
      serial: 'A42B8C01EE01',
      condition: 'damaged',
      refundMethod: 'account',
    });
    expect(ret.quote.netCents).toBe(1000);
    await drained(a.host);
    const s = server.db.knex;
    expect(await s('trouble_tickets').where('id', ticket.id).first()).toMatchObject({
      status: 'done',
      result: 'device_fault',
      serial: 'A42B8C01EE01',
      test_kind: 'device',
    });
    expect(await s('equipment_assignments').where('id', 'DEMO-EQ-0001').first()).toMatchObject({
      returned_on: '2026-11-25',
      return_condition: 'damaged',
    });
    expect(await s('recurring_charges').where('assignment_id', 'DEMO-EQ-0001').first()).toMatchObject({
      ends_on: '2026-11-25',
    });
    expect(await s('equipment_stock').where('serial', 'A42B8C01EE01').first()).toMatchObject({
      status: 'defective',
      account_number: null,
    });
    expect(await serverBalance(server.db, maria)).toBe(before - 1000);
    await expectServerBooksBalance(server.db);
  });
});
