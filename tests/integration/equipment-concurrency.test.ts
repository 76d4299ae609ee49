/**
 * Equipment returns racing each other on a real SQLite file, through the host's handler map: the
 * same return sent N times at once (a retried call, a double Enter) posts once and every call answers
 * with that posting; N different returns (or exchanges) of one unit at once post exactly one, the
 * others are refused as already returned; two cash refunds that together need more than the drawer holds cannot
 * both pass. Every journal balances and the drawer's cash never goes below zero.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openTillOf, tillExpected } from '../../electron/kernel/till-state.js';
import type { Session } from '../../electron/services/auth/auth.js';
import { demoAccountNumber } from '../../resources/demo/generate.js';
import type { EquipmentPostedOutput, ReturnQuoteView } from '../../shared/api/channels/equipment.js';
import { signInWithTill, startTestHost } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
type Reply = Awaited<ReturnType<Host['call']>>;

const MARIA = demoAccountNumber(0); // leased modem A42B8C01EE01, router 3C7A8A100090 bought 10 days ago
const STB_ACCOUNT = demoAccountNumber(1); // leased set-top box STB100200290
const PHONE_ACCOUNT = demoAccountNumber(3); // phone KX12345590 bought 5 days ago; KX12345601-05 in stock
const SUPERVISOR = { supervisorId: '2001', pin: '2468' };
const N = 8;

function value<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('equipment returns at once', () => {
  let host: Host;
  let dana: Session;
  let luis: Session;

  async function drawerCash(cashierId = '1001'): Promise<number> {
    const till = await openTillOf(host.ctx.db, host.ctx, cashierId);
    if (!till) throw new Error('no open till');
    return (await tillExpected(host.ctx.db, till.id)).cashCents;
  }

  async function unbalanced(): Promise<unknown[]> {
    return (await host.ctx.db.raw(
      'SELECT transaction_id, SUM(cents) AS s FROM journal_lines GROUP BY transaction_id HAVING s <> 0',
    )) as unknown[];
  }

  async function returnsOf(serial: string): Promise<number> {
    const row = (await host.ctx
      .db('equipment_returns')
      .where('serial', serial)
      .count({ n: '*' })
      .first()) as {
      n: number;
    };
    return Number(row.n);
  }

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 60, months: 2 } });
    dana = await signInWithTill(host, '1001', '1234');
    luis = await signInWithTill(host, '1002', '2345');
  });
  afterAll(() => host.close());

  it('the same return sent N times at once posts once; every call answers with that posting', async () => {
    const cashBefore = await drawerCash();
    const input = {
      requestId: randomUUID(),
      accountNumber: MARIA,
      serial: '3C7A8A100090',
      condition: 'good',
      refundMethod: 'cash',
    };
    const replies = await Promise.all(
      Array.from({ length: N }, () => host.call('equipment.return', input, dana)),
    );
    const posted = replies.map((r) => value<EquipmentPostedOutput & { quote: ReturnQuoteView }>(r));
    const ids = new Set(posted.map((p) => p.payment.transactionId));
    expect(ids.size).toBe(1);
    expect(new Set(posted.map((p) => p.invoice?.receiptNumber)).size).toBe(1);
    expect(posted.every((p) => p.quote.netCents === 12_121)).toBe(true);
    // Only the first call opened the drawer; the replays printed and opened nothing.
    expect(posted.filter((p) => p.drawerOpened)).toHaveLength(1);
    expect(
      await host.ctx.db('transactions').where('request_id', input.requestId).count({ n: '*' }).first(),
    ).toEqual({ n: 1 });
    expect(await returnsOf('3C7A8A100090')).toBe(1);
    expect(await drawerCash()).toBe(cashBefore - 12_121);
    expect(await unbalanced()).toEqual([]);
  });

  let replacement = '';

  it('N exchanges of one unit at once, each for another replacement: one posts, one replacement leaves the stock', async () => {
    const spares = ['KX12345601', 'KX12345602', 'KX12345603', 'KX12345604', 'KX12345605'];
    const replies = await Promise.all(
      spares.map((newSerial) =>
        host.call(
          'equipment.exchange',
          {
            requestId: randomUUID(),
            accountNumber: PHONE_ACCOUNT,
            serial: 'KX12345590',
            condition: 'good',
            newSku: 'PHN-DECT',
            newSerial,
            tenders: [],
          },
          dana,
        ),
      ),
    );
    const ok = replies.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    for (const r of replies.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'serial' } });
      expect(r.ok ? '' : r.error.message).toMatch(/already returned/);
    }
    replacement = value<EquipmentPostedOutput>(ok[0] as Reply).units[0]?.serial ?? '';
    expect(spares).toContain(replacement);
    expect(await returnsOf('KX12345590')).toBe(1);
    const statuses = (await Promise.all(
      spares.map(
        async (serial) =>
          value<{ stock: { status: string } | null }>(
            await host.call('equipment.lookupSerial', { serial }, dana),
          ).stock?.status,
      ),
    )) as string[];
    expect(statuses.filter((st) => st === 'assigned')).toHaveLength(1);
    expect(statuses.filter((st) => st === 'in_stock')).toHaveLength(spares.length - 1);
    expect(await unbalanced()).toEqual([]);
  });

  it('N different returns of one unit at once: exactly one posts, the others are refused as already returned', async () => {
    const cashBefore = await drawerCash();
    const txBefore = Number(
      ((await host.ctx.db('transactions').count({ n: '*' }).first()) as { n: number }).n,
    );
    const replies = await Promise.all(
      Array.from({ length: N }, () =>
        host.call(
          'equipment.return',
          {
            requestId: randomUUID(),
            accountNumber: PHONE_ACCOUNT,
            serial: replacement,
            condition: 'good',
            refundMethod: 'cash',
          },
          dana,
        ),
      ),
    );
    const ok = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(N - 1);
    for (const r of refused) {
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'serial' } });
      expect(r.ok ? '' : r.error.message).toMatch(/already returned/);
    }
    const refund = value<EquipmentPostedOutput & { quote: ReturnQuoteView }>(ok[0] as Reply).quote.netCents;
    expect(refund).toBeGreaterThan(0);
    expect(await returnsOf(replacement)).toBe(1);
    expect(Number(((await host.ctx.db('transactions').count({ n: '*' }).first()) as { n: number }).n)).toBe(
      txBefore + 1,
    );
    expect(await drawerCash()).toBe(cashBefore - refund);
    expect(await unbalanced()).toEqual([]);
  });

  it('two cash refunds that together need more than the drawer holds: one posts, the drawer never goes below zero', async () => {
    const quote = async (accountNumber: string, serial: string): Promise<number> =>
      value<{ quote: ReturnQuoteView }>(
        await host.call('equipment.returnQuote', { accountNumber, serial, condition: 'good' }, luis),
      ).quote.netCents;
    const modem = await quote(MARIA, 'A42B8C01EE01');
    const stb = await quote(STB_ACCOUNT, 'STB100200290');
    expect(Math.min(modem, stb)).toBeGreaterThan(1);
    // Luis's own till: leave one cent more than the larger refund, so either fits alone, never both.
    const leave = Math.max(modem, stb) + 1;
    value(
      await host.call(
        'till.paidOut',
        {
          requestId: randomUUID(),
          amountCents: (await drawerCash('1002')) - leave,
          reason: 'leave a little in the drawer',
          approval: SUPERVISOR,
        },
        luis,
      ),
    );
    expect(await drawerCash('1002')).toBe(leave);
    const replies = await Promise.all(
      [
        [MARIA, 'A42B8C01EE01'],
        [STB_ACCOUNT, 'STB100200290'],
      ].map(([accountNumber, serial]) =>
        host.call(
          'equipment.return',
          { requestId: randomUUID(), accountNumber, serial, condition: 'good', refundMethod: 'cash' },
          luis,
        ),
      ),
    );
    const ok = replies.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    const refused = replies.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'refundMethod' } });
    expect(refused?.ok ? '' : refused?.error.message).toMatch(/not enough cash in the drawer/);
    const paid = value<EquipmentPostedOutput & { quote: ReturnQuoteView }>(ok[0] as Reply).quote.netCents;
    expect(await drawerCash('1002')).toBe(leave - paid);
    expect(await drawerCash('1002')).toBeGreaterThanOrEqual(0);
    expect(await unbalanced()).toEqual([]);
  });
});
