/**
 * Equipment at the counter on a real SQLite file, through the host's handler map (the code behind the
 * Equipment screen): orders handed over with scanned serials and paid through the tenders, every bad
 * handover refused with a clear error and nothing written, returns within and after the return window
 * (a supervisor approves the late refund), a damaged lease return, a warranty exchange, receiving stock,
 * trouble tickets, unreturned equipment, the till figures and Z report, and every journal balancing.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import { demoAccountNumber } from '../../resources/demo/generate.js';
import type {
  EquipmentPostedOutput,
  ExchangeQuoteView,
  ReturnQuoteView,
  StockUnit,
  UnitView,
} from '../../shared/api/channels/equipment.js';
import type { TillFigures } from '../../shared/api/channels/till.js';
import { signInWithTill, startTestHost } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
type Reply = Awaited<ReturnType<Host['call']>>;

const MARIA = demoAccountNumber(0); // leased modem A42B8C01EE01 (240 days), router 3C7A8A100090 bought 10 days ago
const STB_ACCOUNT = demoAccountNumber(1); // leased set-top box STB100200290
const LATE_ACCOUNT = demoAccountNumber(2); // router 3C7A8A100091 bought 60 days ago
const PHONE_ACCOUNT = demoAccountNumber(3); // phone KX12345590 bought 5 days ago
const OLD_LEASES = demoAccountNumber(4); // modem + set-top box leased 500 days ago
const SUPERVISOR = { supervisorId: '2001', pin: '2468' };

const MODEM_AND_ROUTER = [
  { sku: 'MDM-D31', mode: 'lease', quantity: 1 },
  { sku: 'RTR-AX3000', mode: 'buy', quantity: 1 },
];

function value<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const TABLES = [
  'transactions',
  'journal_lines',
  'tenders',
  'receipts',
  'outbox',
  'audit_log',
  'counters',
  'equipment_orders',
  'equipment_order_lines',
  'equipment_units',
  'equipment_returns',
  'equipment_stock_moves',
  'equipment_tickets',
] as const;

async function writes(host: Host): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const t of TABLES)
    out[t] = Number(((await host.ctx.db(t).count({ n: '*' }).first()) as { n: number }).n);
  return out;
}

async function unbalanced(host: Host): Promise<unknown[]> {
  return (await host.ctx.db.raw(
    'SELECT transaction_id, SUM(cents) AS s FROM journal_lines GROUP BY transaction_id HAVING s <> 0',
  )) as unknown[];
}

async function journalOf(host: Host, transactionId: string): Promise<Record<string, number>> {
  const rows = (await host.ctx.db('journal_lines').where('transaction_id', transactionId)) as {
    ledger_account: string;
    cents: number;
  }[];
  const out: Record<string, number> = {};
  for (const r of rows) out[r.ledger_account] = (out[r.ledger_account] ?? 0) + r.cents;
  return out;
}

async function stockOf(host: Host, session: Session, serial: string): Promise<StockUnit | null> {
  return value<{ stock: StockUnit | null }>(await host.call('equipment.lookupSerial', { serial }, session))
    .stock;
}

describe('equipment at the counter', () => {
  let host: Host;
  let dana: Session;
  let luis: Session;
  let sam: Session;

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 60, months: 2 } });
    dana = await signInWithTill(host, '1001', '1234');
    luis = await signInWithTill(host, '1002', '2345');
    sam = host.newSession();
    value(await host.call('session.signIn', { cashierId: '2001', pin: '2468' }, sam));
  });
  afterAll(() => host.close());

  /** An order for `accountNumber` with a fresh request id, as `session` (Dana unless another is named). */
  const placeOrder = (
    accountNumber: string,
    fields: { lines: unknown[]; scans: unknown[]; tenders: unknown[] } & Record<string, unknown>,
    session: Session = dana,
  ): Promise<Reply> =>
    host.call('equipment.order', { requestId: randomUUID(), accountNumber, ...fields }, session);

  describe('catalog and quote', () => {
    it('searches by name, SKU or UPC, with what this branch can hand over', async () => {
      const r = value<{ items: { item: { sku: string }; available: number }[] }>(
        await host.call('equipment.catalog', { query: 'router' }, dana),
      );
      expect(r.items.map((i) => [i.item.sku, i.available])).toEqual([
        ['RTR-AX3000', 8],
        ['RTR-AX6000', 3],
      ]);
      const bySku = value<{ items: { item: { sku: string } }[] }>(
        await host.call('equipment.catalog', { query: 'stb-4k' }, dana),
      );
      expect(bySku.items.map((i) => i.item.sku)).toEqual(['STB-4K']);
      const coax = value<{ items: { item: { sku: string }; available: number }[] }>(
        await host.call('equipment.catalog', { query: 'coax' }, dana),
      );
      expect(coax.items).toEqual([expect.objectContaining({ available: 40 })]);
    });

    it('a scanned UPC (or its EAN-13 form) finds the item; a bad check digit is refused, nothing written', async () => {
      for (const code of ['076451001033', '0076451001033'])
        expect(
          value<{ items: { item: { sku: string } }[] }>(
            await host.call('equipment.catalog', { code }, dana),
          ).items.map((i) => i.item.sku),
        ).toEqual(['RTR-AX3000']);
      const before = await writes(host);
      const r = await host.call('equipment.catalog', { code: '076451001034' }, dana);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'code' } });
      expect(r.ok ? '' : r.error.message).toMatch(/check digit/);
      expect(await writes(host)).toEqual(before);
    });

    it('prices a leased modem and a bought router: tax, deposit, new monthly charge; prints the quote', async () => {
      const printer = host.printer as unknown as { jobs: { decoded: { lines: string[] } }[] };
      const jobs = printer.jobs.length;
      const q = value<{
        priced: {
          subtotalCents: number;
          taxCents: number;
          depositCents: number;
          dueNowCents: number;
          newMonthlyCents: number;
        };
        printout: { number: string; lines: string[]; printed: boolean };
      }>(
        await host.call(
          'equipment.quote',
          { lines: MODEM_AND_ROUTER, accountNumber: MARIA, print: true },
          dana,
        ),
      );
      // Router 129.99 + tax 129.99 × 8.25 % = 10.724175 → 10.72; modem deposit 50.00;
      // modem 14.99 a month + tax 1.236675 → 1.24 = 16.23 a month.
      expect(q.priced).toMatchObject({
        subtotalCents: 12_999,
        taxCents: 1_072,
        depositCents: 5_000,
        dueNowCents: 19_071,
        newMonthlyCents: 1_623,
      });
      expect(q.printout.printed).toBe(true);
      expect(q.printout.lines).toContain('EQUIPMENT QUOTE');
      expect(q.printout.lines.join('\n')).toMatch(/TOTAL\s+\$190\.71/);
      expect(printer.jobs.length).toBe(jobs + 1);
    });
  });

  describe('handover: bad input gives a clear error and writes nothing', () => {
    const cases: [string, unknown[], unknown[], RegExp, string][] = [
      [
        'an unknown serial',
        MODEM_AND_ROUTER,
        [
          { lineIndex: 0, serial: 'A42B8C0FFFFF' },
          { lineIndex: 1, serial: '3C7A8A100001' },
        ],
        /not in our stock records/,
        'NOT_FOUND',
      ],
      [
        'a serial already assigned',
        MODEM_AND_ROUTER,
        [
          { lineIndex: 0, serial: 'A42B8C01EE01' },
          { lineIndex: 1, serial: '3C7A8A100001' },
        ],
        /already assigned to account \*+2517/,
        'CONFLICT',
      ],
      [
        'a serial of another SKU',
        MODEM_AND_ROUTER,
        [
          { lineIndex: 0, serial: '3C7A8A100002' },
          { lineIndex: 1, serial: '3C7A8A100001' },
        ],
        /That serial is a Wi-Fi 6 Router AX3000, the line is a DOCSIS 3\.1 Cable Modem/,
        'INVALID_INPUT',
      ],
      [
        'a serial of another branch',
        MODEM_AND_ROUTER,
        [
          { lineIndex: 0, serial: 'A42B8C01EFC0' },
          { lineIndex: 1, serial: '3C7A8A100001' },
        ],
        /stock of branch EAST, not of MAIN/,
        'INVALID_INPUT',
      ],
      [
        'a defective unit',
        MODEM_AND_ROUTER,
        [
          { lineIndex: 0, serial: 'A42B8C01EFB0' },
          { lineIndex: 1, serial: '3C7A8A100001' },
        ],
        /marked defective/,
        'INVALID_INPUT',
      ],
      [
        'the same serial scanned twice in one order',
        [{ sku: 'RTR-AX3000', mode: 'buy', quantity: 2 }],
        [
          { lineIndex: 0, serial: '3C7A8A100001' },
          { lineIndex: 0, serial: '3c:7a:8a:10:00:01' },
        ],
        /already scanned in this order/,
        'INVALID_INPUT',
      ],
      [
        'too few serials for the units',
        [{ sku: 'RTR-AX3000', mode: 'buy', quantity: 2 }],
        [{ lineIndex: 0, serial: '3C7A8A100001' }],
        /needs 2 serials: 1 scanned, scan 1 more/,
        'INVALID_INPUT',
      ],
      [
        'quantity 0 of a serialized item',
        [{ sku: 'RTR-AX3000', mode: 'buy', quantity: 0 }],
        [],
        /at least 1/,
        'INVALID_INPUT',
      ],
      [
        'a fractional quantity of a serialized item',
        [{ sku: 'RTR-AX3000', mode: 'buy', quantity: 1.5 }],
        [{ lineIndex: 0, serial: '3C7A8A100001' }],
        /whole number of units/,
        'INVALID_INPUT',
      ],
      [
        'leasing an item that is sold only',
        [{ sku: 'PHN-DECT', mode: 'lease', quantity: 1 }],
        [{ lineIndex: 0, serial: 'KX12345601' }],
        /sold only: it cannot be leased/,
        'INVALID_INPUT',
      ],
    ];
    for (const [what, lines, scans, message, code] of cases)
      it(what, async () => {
        const before = await writes(host);
        const r = await placeOrder(MARIA, { lines, scans, tenders: [{ type: 'cash', amountCents: 60_000 }] });
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(message);
        expect(r.error.field).toBeTruthy();
        expect(await writes(host)).toEqual(before);
      });

    it('the live check names each problem next to its scan, without writing', async () => {
      const before = await writes(host);
      const r = value<{ ok: boolean; problems: { field: string; message: string }[] }>(
        await host.call(
          'equipment.checkHandover',
          {
            lines: MODEM_AND_ROUTER,
            scans: [
              { lineIndex: 0, serial: 'A42B8C01EE01' },
              { lineIndex: 1, serial: 'A42B8C01EF91' },
            ],
          },
          dana,
        ),
      );
      expect(r.ok).toBe(false);
      expect(r.problems.map((p) => p.field)).toEqual(['scans.0.serial', 'scans.1.serial']);
      expect(await writes(host)).toEqual(before);
    });

    it('short tenders and a check on a cash-only account are refused before anything is written', async () => {
      const before = await writes(host);
      const scans = [
        { lineIndex: 0, serial: 'A42B8C01EF90' },
        { lineIndex: 1, serial: '3C7A8A100001' },
      ];
      const short = await placeOrder(MARIA, {
        lines: MODEM_AND_ROUTER,
        scans,
        tenders: [{ type: 'cash', amountCents: 19_070 }],
      });
      expect(short).toMatchObject({ ok: false, error: { code: 'TENDER_SHORT' } });
      const changed = await placeOrder(MARIA, {
        lines: MODEM_AND_ROUTER,
        scans,
        tenders: [{ type: 'cash', amountCents: 19_071 }],
        expectedDueCents: 18_000,
      });
      expect(changed).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'expectedDueCents' } });
      expect(await writes(host)).toEqual(before);
    });
  });

  describe('an order handed over and paid', () => {
    let order: EquipmentPostedOutput;
    const requestId = randomUUID();
    const input = {
      requestId,
      accountNumber: MARIA,
      lines: MODEM_AND_ROUTER,
      scans: [
        { lineIndex: 0, serial: 'a4:2b:8c:01:ef:90' },
        { lineIndex: 1, serial: '3C7A8A100001' },
      ],
      tenders: [{ type: 'cash', amountCents: 20_000 }],
    };

    it('posts one balanced transaction with tenders, units, stock moves, receipt, outbox event and audit', async () => {
      const before = await writes(host);
      order = value<EquipmentPostedOutput>(await host.call('equipment.order', input, dana));
      expect(order.payment).toMatchObject({ kind: 'eq_order', amountCents: 19_071, changeCents: 929 });
      expect(order.drawerOpened).toBe(true);
      expect(order.units.map((u) => [u.sku, u.serial, u.mode, u.monthlyCents, u.leaseDepositCents])).toEqual([
        ['MDM-D31', 'A42B8C01EF90', 'lease', 1_623, 5_000],
        ['RTR-AX3000', '3C7A8A100001', 'buy', 0, 0],
      ]);
      const after = await writes(host);
      expect(after.transactions - before.transactions).toBe(1);
      expect(after.equipment_units - before.equipment_units).toBe(2);
      expect(after.equipment_stock_moves - before.equipment_stock_moves).toBe(2);
      expect(after.outbox - before.outbox).toBe(1);
      expect(after.audit_log - before.audit_log).toBe(1);
      expect(await journalOf(host, order.payment.transactionId)).toEqual({
        'drawer:cash': 19_071,
        equipment_sales: -12_999,
        tax_payable: -1_072,
        [`deposits_held:${MARIA}:equipment`]: -5_000,
      });
      expect(await unbalanced(host)).toEqual([]);
      const event = (await host.ctx.db('outbox').orderBy('seq', 'desc').first()) as {
        type: string;
        payload: string;
      };
      expect(event.type).toBe('ledger.posted');
      expect(JSON.parse(event.payload)).toMatchObject({
        kind: 'eq_order',
        accountNumber: MARIA,
        detail: {
          capability: 'equipment',
          handovers: [
            {
              sku: 'MDM-D31',
              serial: 'A42B8C01EF90',
              mode: 'lease',
              leaseDepositCents: 5_000,
              monthlyCents: 1_623,
            },
            {
              sku: 'RTR-AX3000',
              serial: '3C7A8A100001',
              mode: 'buy',
              pricePaidCents: 12_999,
              taxPaidCents: 1_072,
            },
          ],
        },
      });
    });

    it('the receipt lists every serial, the lease terms and the tenders', () => {
      const text = order.receipt.lines.join('\n');
      expect(order.receipt.printed).toBe(true);
      expect(text).toContain('EQUIPMENT ORDER');
      expect(text).toContain('MAC A4:2B:8C:01:EF:90');
      expect(text).toContain('MAC 3C:7A:8A:10:00:01');
      expect(text).toMatch(/\$16\.23 a month on your bill/);
      expect(text).toMatch(/TOTAL\s+\$190\.71/);
      expect(text).toMatch(/CHANGE\s+\$9\.29/);
    });

    it('the units are on the account and out of stock at once (offline, before any sync)', async () => {
      expect(await stockOf(host, dana, 'A42B8C01EF90')).toMatchObject({
        status: 'assigned',
        accountNumber: MARIA,
        pending: true,
      });
      const units = value<{ units: UnitView[] }>(
        await host.call('equipment.account', { accountNumber: MARIA }, dana),
      );
      expect(
        units.units
          .filter((u) => !u.returnedOn)
          .map((u) => u.serial)
          .sort(),
      ).toEqual(['3C7A8A100001', '3C7A8A100090', 'A42B8C01EE01', 'A42B8C01EF90'].sort());
      // Another cashier cannot hand the same unit over again.
      const again = await host.call(
        'equipment.order',
        { ...input, requestId: randomUUID(), accountNumber: STB_ACCOUNT },
        luis,
      );
      expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    });

    it('a retried request answers with the first result and writes nothing more', async () => {
      const before = await writes(host);
      const replay = value<EquipmentPostedOutput>(await host.call('equipment.order', input, dana));
      expect(replay.payment.transactionId).toBe(order.payment.transactionId);
      expect(replay.drawerOpened).toBe(false);
      expect(await writes(host)).toEqual(before);
    });

    it('a lease with no deposit is handed over with nothing to pay; tenders are refused', async () => {
      const lines = [{ sku: 'RTR-AX3000', mode: 'lease', quantity: 1 }];
      const scans = [{ lineIndex: 0, serial: '3C7A8A100002' }];
      const withTender = await placeOrder(STB_ACCOUNT, {
        lines,
        scans,
        tenders: [{ type: 'cash', amountCents: 100 }],
      });
      expect(withTender).toMatchObject({ ok: false, error: { field: 'tenders' } });
      const ok = value<EquipmentPostedOutput>(await placeOrder(STB_ACCOUNT, { lines, scans, tenders: [] }));
      expect(ok.payment.amountCents).toBe(0);
      expect(ok.drawerOpened).toBe(false);
      expect(await journalOf(host, ok.payment.transactionId)).toEqual({});
    });

    it('items without serials come off the shelf count', async () => {
      const before = value<{ bySku: { sku: string; onHand: number | null }[] }>(
        await host.call('equipment.stock', { sku: 'ACC-COAX6' }, dana),
      ).bySku[0]?.onHand;
      value(
        await placeOrder(STB_ACCOUNT, {
          lines: [{ sku: 'ACC-COAX6', mode: 'buy', quantity: 3 }],
          scans: [],
          tenders: [{ type: 'card', amountCents: 1_949, brand: 'Visa', last4: '4242', authCode: 'OK1' }],
        }),
      );
      const after = value<{ bySku: { onHand: number | null }[] }>(
        await host.call('equipment.stock', { sku: 'ACC-COAX6' }, dana),
      ).bySku[0]?.onHand;
      expect(before).toBe(40);
      expect(after).toBe(37);
    });
  });

  describe('returns', () => {
    it('a router bought 10 days ago: refunded in cash less the 15 % restocking fee; receipt and return-goods invoice', async () => {
      const q = value<{ quote: ReturnQuoteView }>(
        await host.call(
          'equipment.returnQuote',
          { accountNumber: MARIA, serial: '3C7A8A100090', condition: 'good' },
          dana,
        ),
      ).quote;
      // 129.99 + 10.72 tax − 19.50 (15 % of 129.99 = 19.4985 → 19.50) = 121.21
      expect(q).toMatchObject({
        withinWindow: true,
        refundCents: 12_121,
        restockingFeeCents: 1_950,
        netCents: 12_121,
      });
      const r = value<EquipmentPostedOutput & { quote: ReturnQuoteView }>(
        await host.call(
          'equipment.return',
          {
            requestId: randomUUID(),
            accountNumber: MARIA,
            serial: '3C7A8A100090',
            condition: 'good',
            refundMethod: 'cash',
          },
          dana,
        ),
      );
      expect(r.quote.netCents).toBe(12_121);
      expect(r.drawerOpened).toBe(true);
      expect(await journalOf(host, r.payment.transactionId)).toEqual({
        equipment_sales: 12_999,
        tax_payable: 1_072,
        fee_income: -1_950,
        'drawer:cash': -12_121,
      });
      expect(r.receipt.lines).toContain('EQUIPMENT RETURN');
      expect(r.receipt.lines.join('\n')).toMatch(/Cash refunded\s+\$121\.21/);
      expect(r.invoice?.lines).toContain('RETURN-GOODS INVOICE');
      expect(r.invoice?.receiptNumber).toMatch(/^RGMAIN02-\d{6}$/);
      expect(r.invoice?.lines.join('\n')).toContain('MAC 3C:7A:8A:10:00:90');
      expect(await stockOf(host, dana, '3C7A8A100090')).toMatchObject({
        status: 'returned',
        accountNumber: null,
      });
      // The till knows: the cash went out of the drawer.
      const till = value<{ id: string }>(await host.call('till.current', {}, dana));
      expect(till.id).toBeTruthy();
    });

    it('a second return of the same unit is refused, nothing written', async () => {
      const before = await writes(host);
      const r = await host.call(
        'equipment.return',
        { requestId: randomUUID(), accountNumber: MARIA, serial: '3C7A8A100090', condition: 'good' },
        dana,
      );
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'serial' } });
      expect(r.ok ? '' : r.error.message).toMatch(/already returned/);
      expect(await writes(host)).toEqual(before);
    });

    it('equipment never on this account is refused, nothing written', async () => {
      const before = await writes(host);
      const other = await host.call(
        'equipment.return',
        { requestId: randomUUID(), accountNumber: MARIA, serial: 'STB100200290', condition: 'good' },
        dana,
      );
      expect(other).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'serial' } });
      expect(other.ok ? '' : other.error.message).toMatch(/not on account \*+2517/);
      const inStock = await host.call(
        'equipment.return',
        { requestId: randomUUID(), accountNumber: MARIA, serial: 'A42B8C01EF99', condition: 'good' },
        dana,
      );
      expect(inStock).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'serial' } });
      expect(inStock.ok ? '' : inStock.error.message).toMatch(/never handed over to this account/);
      expect(await writes(host)).toEqual(before);
    });

    it('after the return window: refused without a supervisor (nothing written), refunded with their PIN', async () => {
      const before = await writes(host);
      const input = {
        requestId: randomUUID(),
        accountNumber: LATE_ACCOUNT,
        serial: '3C7A8A100091',
        condition: 'good',
        refundMethod: 'check_request',
      };
      const refused = await host.call('equipment.return', input, dana);
      expect(refused).toMatchObject({ ok: false, error: { code: 'NEEDS_SUPERVISOR', field: 'approval' } });
      expect(refused.ok ? '' : refused.error.message).toMatch(/return window ended on .*needs a supervisor/);
      const wrongPin = await host.call(
        'equipment.return',
        { ...input, approval: { ...SUPERVISOR, pin: '0000' } },
        dana,
      );
      expect(wrongPin.ok).toBe(false);
      const after = await writes(host);
      // A wrong PIN is audited (sign-in failures are); nothing else is written.
      expect({ ...after, audit_log: before.audit_log }).toEqual(before);
      const ok = value<EquipmentPostedOutput & { quote: ReturnQuoteView }>(
        await host.call('equipment.return', { ...input, approval: SUPERVISOR }, dana),
      );
      expect(ok.quote).toMatchObject({ withinWindow: false, refundCents: 12_121, needsSupervisor: true });
      expect(ok.drawerOpened).toBe(false);
      expect(await journalOf(host, ok.payment.transactionId)).toEqual({
        equipment_sales: 12_999,
        tax_payable: 1_072,
        fee_income: -1_950,
        refunds_payable: -12_121,
      });
      const tx = (await host.ctx.db('transactions').where('id', ok.payment.transactionId).first()) as {
        approved_by: string;
      };
      expect(tx.approved_by).toBe('2001');
      expect(ok.receipt.lines.join('\n')).toMatch(/Approved by Sam Okafor/);
    });

    it('a leased set-top box back with parts missing: deposit released, fee charged, the charge stops', async () => {
      const r = value<EquipmentPostedOutput & { quote: ReturnQuoteView }>(
        await host.call(
          'equipment.return',
          {
            requestId: randomUUID(),
            accountNumber: STB_ACCOUNT,
            serial: 'STB100200290',
            condition: 'missing_parts',
            refundMethod: 'cash',
          },
          dana,
        ),
      );
      // Deposit 75.00 released − 25.00 missing-parts fee = 50.00 in cash; 10.81 a month stops.
      expect(r.quote).toMatchObject({
        depositReleaseCents: 7_500,
        feeCents: 2_500,
        netCents: 5_000,
        stopMonthlyCents: 1_081,
      });
      expect(await journalOf(host, r.payment.transactionId)).toEqual({
        [`deposits_held:${STB_ACCOUNT}:equipment`]: 7_500,
        fee_income: -2_500,
        'drawer:cash': -5_000,
      });
      expect(await stockOf(host, dana, 'STB100200290')).toMatchObject({ status: 'defective' });
    });

    it('a leased unit back damaged with the fee above the deposit: the rest is charged to the account', async () => {
      const before = value<{ balanceCents: number }>(
        await host.call('accounts.get', { accountNumber: OLD_LEASES }, dana),
      );
      // Set-top box: 75.00 deposit, 45.00 damage fee → 30.00 back; modem: 50.00 deposit, 40.00 fee → 10.00.
      const r = value<EquipmentPostedOutput & { quote: ReturnQuoteView }>(
        await host.call(
          'equipment.return',
          {
            requestId: randomUUID(),
            accountNumber: OLD_LEASES,
            serial: 'STB100200291',
            condition: 'damaged',
            refundMethod: 'account',
          },
          dana,
        ),
      );
      expect(r.quote.netCents).toBe(3_000);
      expect(r.account.balanceCents).toBe(before.balanceCents - 3_000);
      expect(r.drawerOpened).toBe(false);
    });
  });

  describe('exchange', () => {
    it('a phone under warranty for the same model: no charge, old unit set aside, new one on the account', async () => {
      const quote = value<{ quote: ExchangeQuoteView }>(
        await host.call(
          'equipment.exchangeQuote',
          { accountNumber: PHONE_ACCOUNT, serial: 'KX12345590', condition: 'good', newSku: 'PHN-DECT' },
          dana,
        ),
      ).quote;
      expect(quote).toMatchObject({ noCharge: true, dueNowCents: 0, refundCents: 0, withinWarranty: true });
      const before = await writes(host);
      const badSerial = await host.call(
        'equipment.exchange',
        {
          requestId: randomUUID(),
          accountNumber: PHONE_ACCOUNT,
          serial: 'KX12345590',
          condition: 'good',
          newSku: 'PHN-DECT',
          newSerial: '3C7A8A100003',
          tenders: [],
        },
        dana,
      );
      expect(badSerial).toMatchObject({ ok: false, error: { field: 'newSerial' } });
      expect(await writes(host)).toEqual(before);
      const r = value<EquipmentPostedOutput & { quote: ExchangeQuoteView }>(
        await host.call(
          'equipment.exchange',
          {
            requestId: randomUUID(),
            accountNumber: PHONE_ACCOUNT,
            serial: 'KX12345590',
            condition: 'good',
            newSku: 'PHN-DECT',
            newSerial: 'KX12345601',
            tenders: [],
          },
          dana,
        ),
      );
      expect(r.payment.kind).toBe('eq_exchange');
      expect(await journalOf(host, r.payment.transactionId)).toEqual({});
      expect(r.units.map((u) => [u.serial, u.handedOverOn, u.pricePaidCents])).toEqual([
        ['KX12345601', '2026-11-20', 4_999],
      ]);
      expect(r.receipt.lines.join('\n')).toContain('S/N KX12345601');
      expect(r.invoice?.lines).toContain('RETURN-GOODS INVOICE');
      expect(await stockOf(host, dana, 'KX12345590')).toMatchObject({
        status: 'defective',
        accountNumber: null,
      });
      expect(await stockOf(host, dana, 'KX12345601')).toMatchObject({
        status: 'assigned',
        accountNumber: PHONE_ACCOUNT,
      });
    });

    it('a bought router for a dearer model: the difference is paid through the tenders', async () => {
      // The router handed over above (3C7A8A100001, 129.99 + 10.72) for an AX6000: 249.99 + 20.62 − 140.71 = 129.90.
      const r = value<EquipmentPostedOutput & { quote: ExchangeQuoteView }>(
        await host.call(
          'equipment.exchange',
          {
            requestId: randomUUID(),
            accountNumber: MARIA,
            serial: '3C7A8A100001',
            condition: 'good',
            newSku: 'RTR-AX6000',
            newSerial: '3C7A8A200001',
            tenders: [{ type: 'card', amountCents: 12_990, brand: 'Visa', last4: '1111', authCode: 'X9' }],
          },
          dana,
        ),
      );
      expect(r.quote).toMatchObject({
        creditCents: 14_071,
        newPriceCents: 24_999,
        newTaxCents: 2_062,
        dueNowCents: 12_990,
      });
      expect(await journalOf(host, r.payment.transactionId)).toEqual({
        card_clearing: 12_990,
        equipment_sales: 12_999 - 24_999,
        tax_payable: 1_072 - 2_062,
      });
      expect(r.drawerOpened).toBe(false);
    });
  });

  describe('stock, tickets, unreturned', () => {
    it('a supervisor receives a shipment by serial; a CSR cannot; bad scans refused, nothing written', async () => {
      const forbidden = await host.call(
        'equipment.receiveShipment',
        { requestId: randomUUID(), sku: 'STB-4K', serials: ['STB100200901'], reference: 'SHIP-1' },
        dana,
      );
      expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const before = await writes(host);
      for (const [serials, field, message] of [
        [['STB100200901', 'stb100200901'], 'serials.1', /scanned twice/],
        [['STB100200301'], 'serials.0', /already in stock at MAIN/],
        [['XYZ'], 'serials.0', /not a 4K Set-Top Box serial/],
      ] as const) {
        const r = await host.call(
          'equipment.receiveShipment',
          { requestId: randomUUID(), sku: 'STB-4K', serials, reference: 'SHIP-1' },
          sam,
        );
        expect(r.ok ? '' : r.error.field).toBe(field);
        expect(r.ok ? '' : r.error.message).toMatch(message);
      }
      expect(await writes(host)).toEqual(before);
      const ok = value<{ received: number; receipt: { lines: string[] } }>(
        await host.call(
          'equipment.receiveShipment',
          {
            requestId: randomUUID(),
            sku: 'STB-4K',
            serials: ['STB100200901', 'STB100200902'],
            reference: 'SHIP-1',
          },
          sam,
        ),
      );
      expect(ok.received).toBe(2);
      expect(ok.receipt.lines).toContain('STOCK RECEIVED');
      expect(await stockOf(host, sam, 'STB100200902')).toMatchObject({ status: 'in_stock', branch: 'MAIN' });
      // The unit set aside as defective earlier goes back into stock the same way.
      value(
        await host.call(
          'equipment.receiveShipment',
          { requestId: randomUUID(), sku: 'STB-4K', serials: ['STB100200290'], reference: 'REFURB-3' },
          sam,
        ),
      );
      expect(await stockOf(host, sam, 'STB100200290')).toMatchObject({ status: 'in_stock' });
      const coax = value<{ received: number }>(
        await host.call(
          'equipment.receiveShipment',
          { requestId: randomUUID(), sku: 'ACC-COAX6', quantity: 10, reference: 'SHIP-2' },
          sam,
        ),
      );
      expect(coax.received).toBe(10);
    });

    it('a device test ordered with the symptom, then its result; both go to the server', async () => {
      const before = await writes(host);
      const t = value<{ id: string; status: string; serial: string }>(
        await host.call(
          'equipment.troubleTicket',
          {
            action: 'open',
            accountNumber: MARIA,
            serial: 'A42B8C01EE01',
            testKind: 'device',
            symptom: 'No internet since the storm',
          },
          dana,
        ),
      );
      expect(t).toMatchObject({ status: 'open', serial: 'A42B8C01EE01' });
      const done = value<{ status: string; result: string }>(
        await host.call(
          'equipment.troubleTicket',
          { action: 'result', ticketId: t.id, result: 'device_fault' },
          dana,
        ),
      );
      expect(done).toMatchObject({ status: 'done', result: 'device_fault' });
      const after = await writes(host);
      expect(after.outbox - before.outbox).toBe(2);
      expect(after.equipment_tickets - before.equipment_tickets).toBe(1);
      const short = await host.call(
        'equipment.troubleTicket',
        { action: 'open', accountNumber: MARIA, testKind: 'line', symptom: 'no' },
        dana,
      );
      expect(short).toMatchObject({ ok: false, error: { field: 'symptom' } });
    });

    it('unreturned leased equipment and the fees it carries', async () => {
      const u = value<{
        units: { sku: string; feeCents: number }[];
        totalFeeCents: number;
        depositsHeldCents: number;
      }>(await host.call('equipment.unreturned', { accountNumber: OLD_LEASES }, dana));
      // The set-top box came back above; the modem (fee by SKU 150.00, deposit 50.00) did not.
      expect(u.units.map((x) => [x.sku, x.feeCents])).toEqual([['MDM-D31', 15_000]]);
      expect(u).toMatchObject({ totalFeeCents: 15_000, depositsHeldCents: 5_000 });
    });

    it('every journal balances; the till figures and the Z report show equipment sales and returns', async () => {
      expect(await unbalanced(host)).toEqual([]);
      const tills = value<{ tills: { cashierId: string; figures: TillFigures }[] }>(
        await host.call('till.list', {}, sam),
      );
      const mine = tills.tills.find((t) => t.cashierId === '1001');
      const line = (key: string) => mine?.figures.lines.find((l) => l.key === key);
      expect(line('equipmentOrders')).toMatchObject({ count: 3, cents: 19_071 + 1_949 });
      expect(line('equipmentReturns')).toMatchObject({ count: 4, cents: 12_121 + 12_121 + 5_000 + 3_000 });
      expect(line('equipmentExchanges')).toMatchObject({ count: 2, cents: 12_990 });
      // Expected cash: float 200.00 + 190.71 (order) − 121.21 (router refund) − 50.00 (set-top box).
      expect(mine?.figures.expectedCashCents).toBe(20_000 + 19_071 - 12_121 - 5_000);
      const close = value<{ status: string; z: { lines: string[] } }>(
        await host.call(
          'till.close',
          {
            cashCounts: { b20: 10, b10: 1, b5: 1, b1: 4, c25: 2 },
            checks: { count: 0, cents: 0 },
            moneyOrders: { count: 0, cents: 0 },
            cardBatchCents: 1_949 + 12_990,
          },
          dana,
        ),
      );
      expect(close.status).toBe('closed');
      const z = close.z.lines.join('\n');
      expect(z).toMatch(/Equipment orders \(3\)\s+\$210\.20/);
      expect(z).toMatch(/Equipment returns \(4\)\s+\$322\.42/);
      expect(z).toMatch(/Equipment exchanges \(2\)\s+\$129\.90/);
    });
  });
});
