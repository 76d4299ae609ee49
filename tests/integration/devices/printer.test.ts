/**
 * The receipt printer and the drawer behind it, over a real serial link: a socat pty pair with the
 * device emulator on the far end decoding the ESC/POS the counter sends and answering DLE EOT.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { PrintQueueResult } from '../../../shared/api/channels/devices.js';
import type { Receipt } from '../../../shared/api/schemas.js';
import { verifyAuditChain } from '../../../electron/services/audit/audit.js';
import { ONLINE, type EmulatedDevice, type PrinterEmulator } from '../../support/device-emulator/index.js';
import { CARD, DEFAULT_DEVICE_SETTINGS, deviceRig, serial, until } from '../../support/device-host.js';

let printer: EmulatedDevice<PrinterEmulator>;
const rig = deviceRig();

async function usePrinter(baudRate = 115200): Promise<void> {
  await rig.h.save({
    printer: {
      ...DEFAULT_DEVICE_SETTINGS.printer,
      connection: { kind: 'serial', serial: serial(printer.path, { baudRate }) },
    },
    drawer: { ...DEFAULT_DEVICE_SETTINGS.drawer, connection: { kind: 'printer' } },
  });
  await until(async () => (await rig.h.status()).printer.state === 'ready', 'printer ready');
}

beforeAll(async () => {
  printer = await rig.bench.printer();
  await usePrinter();
});

beforeEach(async () => {
  printer.emu.state = { ...ONLINE };
  printer.emu.reset();
  if (!printer.endpoint.pty.running) await printer.endpoint.replug();
});

describe('a payment on a serial ESC/POS printer', () => {
  it('prints the receipt with account, amounts, tenders, change and number, then kicks the drawer once with the full 5 bytes', async () => {
    const out = await rig.h.pay(7345, [{ type: 'cash', amountCents: 10000 }]);
    expect(out.receipt.printed).toBe(true);
    expect(out.drawerOpened).toBe(true);
    await printer.emu.waitFor(
      () => printer.emu.kicks.length > 0 && printer.emu.cuts > 0,
      5000,
      'receipt + kick',
    );
    const text = printer.emu.text();
    const n = out.payment.receiptNumber;
    expect(text).toContain('Lakeside Communications');
    expect(text).toMatch(/Account\s+1000042517/);
    expect(text).toContain('Maria Álvarez'); // PC858 code page on the wire, decoded back
    expect(text).toMatch(/TOTAL\s+\$73\.45/);
    expect(text).toMatch(/Cash tendered\s+\$100\.00/);
    expect(text).toMatch(/CHANGE\s+\$26\.55/);
    expect(text).toMatch(new RegExp(`Receipt\\s+${n}`));
    expect(printer.emu.barcodes).toEqual([{ symbology: 'CODE128', data: n }]);
    expect(printer.emu.cuts).toBe(1);
    expect(printer.emu.kicks.map((k) => k.bytes)).toEqual([[0x1b, 0x70, 0x00, 0x19, 0xfa]]);
    // 48 columns: no printed line is wider than the paper.
    expect(Math.max(...printer.emu.lines().map((l) => l.length))).toBeLessThanOrEqual(48);
    // The drawer sensor (DLE EOT 1) now says open; the status bar shows it.
    const s = await until(async () => {
      const st = await rig.h.status();
      return st.drawer.state === 'open' ? st : null;
    }, 'drawer open in status');
    expect(s.drawer.openSince).not.toBeNull();
    expect(s.drawer.leftOpen).toBe(false);
    printer.emu.state.drawerOpen = false;
    await until(async () => (await rig.h.status()).drawer.state === 'closed', 'drawer closed in status');
  });

  it('a card payment prints but does not open the drawer', async () => {
    const out = await rig.h.pay(2000, [{ ...CARD, amountCents: 2000 }]);
    expect(out.drawerOpened).toBe(false);
    await printer.emu.waitFor(() => printer.emu.cuts === 1, 5000, 'card receipt');
    expect(printer.emu.text()).toMatch(/Visa/);
    // Give a stray kick time to arrive: none may.
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.emu.kicks).toHaveLength(0);
  });

  it('a check payment opens the drawer (checks go in the drawer)', async () => {
    const out = await rig.h.pay(1500, [
      {
        type: 'check',
        amountCents: 1500,
        checkNumber: '2001',
        routingNumber: '011000015',
        bankAccount: '12345678',
      },
    ]);
    expect(out.drawerOpened).toBe(true);
    await printer.emu.waitFor(() => printer.emu.kicks.length === 1, 5000, 'kick');
  });

  it('paper out: the payment posts, the receipt waits in the queue with the reason; after loading paper the queue prints', async () => {
    printer.emu.state.paperOut = true;
    await until(async () => (await rig.h.status()).printer.state === 'paper_out', 'paper out in status');
    const before = await rig.h.transactions();
    const out = await rig.h.pay(1000, [{ type: 'cash', amountCents: 1000 }]);
    expect(await rig.h.transactions()).toBe(before + 1);
    expect(out.receipt.printed).toBe(false);
    expect(out.receipt.printError).toMatch(/out of paper/);
    expect(printer.emu.cuts).toBe(0); // nothing was sent to a printer without paper
    // The drawer still opens: the customer needs change.
    expect(out.drawerOpened).toBe(true);
    const q = await rig.h.reprintQueue();
    expect(q.map((i) => i.receiptNumber)).toContain(out.payment.receiptNumber);
    expect(q.find((i) => i.receiptNumber === out.payment.receiptNumber)?.reason).toMatch(/out of paper/);
    expect((await rig.h.status()).reprintQueue).toBe(q.length);

    // Printing the queue while paper is still out: stops at once with the reason, nothing lost.
    const stillOut = await rig.h.call<PrintQueueResult>('devices.printQueue', {}, rig.h.csr);
    expect(stillOut.printed).toEqual([]);
    expect(stillOut.failed?.reason).toMatch(/out of paper/);
    expect(stillOut.remaining).toBe(q.length);

    printer.emu.state.paperOut = false;
    await until(async () => (await rig.h.status()).printer.state === 'ready', 'printer ready again');
    const r = await rig.h.call<PrintQueueResult>('devices.printQueue', {}, rig.h.csr);
    expect(r.failed).toBeNull();
    expect(r.remaining).toBe(0);
    expect(r.printed).toContainEqual({ receiptNumber: out.payment.receiptNumber, duplicate: false });
    await printer.emu.waitFor(
      () => printer.emu.text().includes(out.payment.receiptNumber),
      5000,
      'queued receipt',
    );
    expect(printer.emu.text()).not.toContain('DUPLICATE');
    expect(await rig.h.reprintQueue()).toEqual([]);
  });

  it('cover open shows in the status bar and holds receipts back', async () => {
    printer.emu.state.coverOpen = true;
    const s = await until(async () => {
      const st = await rig.h.status();
      return st.printer.state === 'cover_open' ? st : null;
    }, 'cover open');
    expect(s.printer.detail).toMatch(/cover is open/);
    const out = await rig.h.pay(500, [{ ...CARD, amountCents: 500 }]);
    expect(out.receipt.printError).toMatch(/cover is open/);
    printer.emu.state.coverOpen = false;
    await until(async () => (await rig.h.status()).printer.state === 'ready', 'cover closed');
    const r = await rig.h.call<PrintQueueResult>('devices.printQueue', {}, rig.h.csr);
    expect(r.remaining).toBe(0);
  });

  it('unplugged mid-receipt: the payment stays posted, the receipt is queued with the reason; after replug the queue prints it marked DUPLICATE (part of it came out), a receipt that never started prints as the original', async () => {
    // 9600 baud: a receipt takes about 1.5 s on the wire, so the cable can be pulled mid-receipt.
    await usePrinter(9600);
    printer.emu.reset();
    const before = await rig.h.transactions();
    const posting = rig.h.pay(4200, [{ type: 'cash', amountCents: 5000 }]);
    await printer.emu.waitFor(() => printer.emu.bytes > 300, 5000, 'receipt under way');
    await printer.endpoint.unplug();
    const out = await posting;
    expect(await rig.h.transactions()).toBe(before + 1);
    expect(out.payment.amountCents).toBe(4200);
    expect(out.receipt.printed).toBe(false);
    expect(out.receipt.printError).toMatch(/mid-receipt|disconnected/i);
    expect(printer.emu.cuts).toBe(0); // the paper was never cut: the receipt is incomplete
    expect(out.drawerOpened).toBe(false); // the drawer hangs off the unplugged printer

    const q = await rig.h.reprintQueue();
    const item = q.find((i) => i.receiptNumber === out.payment.receiptNumber);
    expect(item?.reason).toMatch(/mid-receipt|disconnected/i);
    expect(item?.printCount).toBe(1); // part of it reached the paper
    const st = await until(async () => {
      const s = await rig.h.status();
      return s.printer.state === 'offline' ? s : null;
    }, 'printer offline');
    expect(st.reprintQueue).toBeGreaterThanOrEqual(1);

    // Other work goes on while the printer is away: a card payment posts (its receipt queues too).
    const meanwhile = await rig.h.pay(300, [{ ...CARD, amountCents: 300 }]);
    expect(meanwhile.receipt.printed).toBe(false);

    // Replug: the counter reconnects by itself (backoff) and the printer answers status again.
    await printer.endpoint.replug();
    printer.emu.reset();
    await until(async () => (await rig.h.status()).printer.state === 'ready', 'printer back', 8000);
    const r = await rig.h.call<PrintQueueResult>('devices.printQueue', {}, rig.h.csr);
    expect(r.failed).toBeNull();
    expect(r.printed.map((p) => p.receiptNumber)).toEqual([
      out.payment.receiptNumber,
      meanwhile.payment.receiptNumber,
    ]);
    expect(r.printed.map((p) => p.duplicate)).toEqual([true, false]);
    await printer.emu.waitFor(() => printer.emu.cuts === 2, 10_000, 'two queued receipts');
    const printedText = printer.emu.text();
    expect(printedText).toMatch(/CHANGE\s+\$8\.00/);
    expect(printedText.match(/\*\*\* DUPLICATE \*\*\*/g)).toHaveLength(2); // top and bottom of the first receipt only

    printer.emu.reset();
    const dup = await rig.h.call<Receipt>(
      'receipts.reprint',
      { receiptNumber: out.payment.receiptNumber },
      rig.h.csr,
    );
    expect(dup.duplicate).toBe(true);
    await printer.emu.waitFor(() => printer.emu.cuts === 1, 10_000, 'duplicate');
    expect(printer.emu.lines()[0]).toBe('*** DUPLICATE ***');
    expect(printer.emu.text()).toContain(out.payment.receiptNumber);
    await usePrinter(115200);
  });

  it('the drawer opens without a sale with a reason and a supervisor (audited); a CSR alone cannot', async () => {
    const refused = await rig.h.reply('devices.noSaleOpen', { reason: 'Change for the safe' }, rig.h.csr);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('NEEDS_SUPERVISOR');
    const wrongPin = await rig.h.reply(
      'devices.noSaleOpen',
      { reason: 'Change for the safe', approval: { supervisorId: '2001', pin: '0000' } },
      rig.h.csr,
    );
    if (!wrongPin.ok) expect(wrongPin.error.code).toBe('BAD_CREDENTIALS');
    expect(wrongPin.ok).toBe(false);
    const noReason = await rig.h.reply('devices.noSaleOpen', { reason: ' ' }, rig.h.supervisor);
    expect(noReason.ok).toBe(false);
    expect(printer.emu.kicks).toHaveLength(0);

    const r = await rig.h.call<{ opened: boolean }>(
      'devices.noSaleOpen',
      { reason: 'Change for the safe' },
      rig.h.supervisor,
    );
    expect(r.opened).toBe(true);
    await printer.emu.waitFor(() => printer.emu.kicks.length === 1, 3000, 'no-sale kick');
    expect(printer.emu.kicks[0]?.bytes).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    const entry = (await rig.h.host.ctx
      .db('audit_log')
      .where('action', 'drawer.no_sale')
      .orderBy('seq', 'desc')
      .first()) as {
      actor: string;
      details: string;
    };
    expect(entry.actor).toBe('2001');
    expect(JSON.parse(entry.details)).toMatchObject({ reason: 'Change for the safe', opened: true });

    // A CSR with the supervisor's PIN typed at the counter: opens, and the approver is on record.
    const approved = await rig.h.call<{ opened: boolean }>(
      'devices.noSaleOpen',
      {
        reason: 'Customer needs change for the parking meter',
        approval: { supervisorId: '2001', pin: '2468' },
      },
      rig.h.csr,
    );
    expect(approved.opened).toBe(true);
    await printer.emu.waitFor(() => printer.emu.kicks.length === 2, 3000, 'second no-sale kick');
    const byCsr = (await rig.h.host.ctx
      .db('audit_log')
      .where('action', 'drawer.no_sale')
      .orderBy('seq', 'desc')
      .first()) as {
      actor: string;
      approved_by: string;
    };
    expect(byCsr).toMatchObject({ approved_by: '2001' });
    expect(byCsr.actor).not.toBe('2001');
    expect((await verifyAuditChain(rig.h.host.ctx.db)).ok).toBe(true);
  });

  it('a printer that never answers status: "no status", receipts still print', async () => {
    printer.emu.state.silent = true;
    await rig.h.save({}); // reconnect: the printer is asked afresh
    const s = await until(
      async () => {
        const st = await rig.h.status();
        return st.printer.state === 'no_status' ? st : null;
      },
      'no status',
      8000,
    );
    expect(s.printer.detail).toMatch(/does not answer status/);
    expect(s.drawer.state).toBe('unknown');
    const out = await rig.h.pay(700, [{ type: 'cash', amountCents: 700 }]);
    expect(out.receipt.printed).toBe(true);
    await printer.emu.waitFor(
      () => printer.emu.cuts === 1 && printer.emu.kicks.length === 1,
      5000,
      'receipt without status',
    );
    expect((await rig.h.status()).printer.state).toBe('no_status');
  });

  it('a printer that stops answering after it did is shown offline and gets no receipt', async () => {
    await rig.h.save({});
    await until(async () => (await rig.h.status()).printer.state === 'ready', 'ready');
    printer.emu.state.silent = true;
    const s = await until(
      async () => {
        const st = await rig.h.status();
        return st.printer.state === 'offline' ? st : null;
      },
      'offline after silence',
      8000,
    );
    expect(s.printer.detail).toMatch(/stopped answering/);
    const out = await rig.h.pay(800, [{ ...CARD, amountCents: 800 }]);
    expect(out.receipt.printed).toBe(false);
    expect(out.receipt.printError).toMatch(/not answering/);
    printer.emu.state.silent = false;
    await until(async () => (await rig.h.status()).printer.state === 'ready', 'answers again', 8000);
    expect((await rig.h.call<PrintQueueResult>('devices.printQueue', {}, rig.h.csr)).remaining).toBe(0);
  });
});
