/**
 * Device faults, each over real links: a port that does not exist, a busy port, a TCP printer that
 * refuses the connection and one that accepts, a device-file printer, a direct serial drawer with its
 * "left open" alert. Each fault: a clear message, the payment posted, the receipt kept in the queue,
 * the counter working on; each recovery: by itself.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';

import type { PostPaymentOutput } from '../../../shared/api/contract.js';
import type { DeviceTestResult, PrintQueueResult } from '../../../shared/api/channels/devices.js';
import type { Status } from '../../../shared/api/status.js';
import type { DeviceSettings } from '../../../shared/devices/settings.js';
import { CARD, DEFAULT_DEVICE_SETTINGS, deviceRig, serial, until } from '../../support/device-host.js';

const rig = deviceRig((bench) => ({
  printerDeviceFiles: [
    path.join(bench.dir, 'lp0'),
    path.join(bench.dir, 'lp9'),
    path.join(bench.dir, 'notes.txt'),
  ],
}));

/** Waits for the printer state (past the first "Connecting…" after settings change). */
const printerIs = (state: Status['printer']['state']) =>
  until(
    async () => {
      const s = await rig.h.status();
      return s.printer.state === state && s.printer.detail !== 'Connecting…' ? s : null;
    },
    `printer ${state}`,
    8000,
  );

async function setPrinter(connection: (typeof DEFAULT_DEVICE_SETTINGS.printer)['connection']): Promise<void> {
  await rig.h.save({
    printer: { ...DEFAULT_DEVICE_SETTINGS.printer, connection },
    drawer: DEFAULT_DEVICE_SETTINGS.drawer,
  });
}

/** Posts a cash payment and checks it is on the books whatever the printer did. */
async function pay(cents = 1000): Promise<PostPaymentOutput> {
  const before = await rig.h.transactions();
  const out = await rig.h.pay(cents, [{ type: 'cash', amountCents: cents }]);
  const after = await rig.h.transactions();
  expect(after).toBe(before + 1);
  return out;
}

/** Empties the reprint queue (the test's printer is fine again). */
async function drainQueue(): Promise<void> {
  const r = await rig.h.call<PrintQueueResult>('devices.printQueue', {}, rig.h.csr);
  expect(r.failed).toBeNull();
  expect(r.remaining).toBe(0);
}

describe('a serial port that does not exist', () => {
  it('shows offline with the reason, queues the receipt, keeps the counter working, and connects when the port appears', async () => {
    const missing = path.join(rig.bench.dir, 'printer-later');
    await setPrinter({ kind: 'serial', serial: serial(missing) });
    const s = await printerIs('offline');
    expect(s.printer.detail).toMatch(new RegExp(`No port ${missing}: is the device plugged in`));
    expect(s.printer.detail).toMatch(/Trying again/);
    const out = await pay();
    expect(out.receipt.printed).toBe(false);
    expect(out.receipt.printError).toMatch(/No port .*plugged in/);
    expect((await rig.h.reprintQueue()).map((q) => q.receiptNumber)).toContain(out.payment.receiptNumber);
    // The rest of the counter does not care.
    expect((await rig.h.reply('accounts.get', { accountNumber: '1000042517' }, rig.h.csr)).ok).toBe(true);
    expect((await rig.h.reply('payments.today', {}, rig.h.csr)).ok).toBe(true);

    // The printer is plugged in (the device appears at that path): the counter finds it by itself.
    const later = await rig.bench.printer('printer-later');
    await printerIs('ready');
    await drainQueue();
    await later.emu.waitFor(
      () => later.emu.text().includes(out.payment.receiptNumber),
      5000,
      'queued receipt',
    );
  });
});

describe('a busy serial port', () => {
  it('says so, queues the receipt, and connects once the other program lets go', async () => {
    const dev = await rig.bench.printer('printer-busy');
    const other = new SerialPort({ path: dev.path, baudRate: 9600, autoOpen: false, lock: true });
    await new Promise<void>((resolve, reject) => other.open((err) => (err ? reject(err) : resolve())));
    try {
      await setPrinter({ kind: 'serial', serial: serial(dev.path) });
      const s = await printerIs('offline');
      expect(s.printer.detail).toMatch(/is busy: another program/);
      const out = await pay();
      expect(out.receipt.printError).toMatch(/is busy/);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
    await printerIs('ready');
    await drainQueue();
    expect(dev.emu.cuts).toBe(1);
  });
});

describe('a TCP (port 9100) printer', () => {
  it('that refuses the connection: a clear message, the receipt queued, the counter working', async () => {
    // A port nothing listens on: take a free one and close it again.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    await setPrinter({ kind: 'tcp', host: '127.0.0.1', port });
    const s = await printerIs('offline');
    expect(s.printer.detail).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`));
    const out = await pay(1234);
    expect(out.receipt.printed).toBe(false);
    expect(out.receipt.printError).toMatch(/refused the connection/);
    expect(out.drawerOpened).toBe(false);
    const item = (await rig.h.reprintQueue()).find((q) => q.receiptNumber === out.payment.receiptNumber);
    expect(item).toMatchObject({ amountCents: 1234, accountNumber: '1000042517', printCount: 0 });
    expect(item?.reason).toMatch(/refused/);
  });

  it('that accepts: receipts, kicks, status and the test page go over the socket', async () => {
    const tcp = await rig.bench.tcpPrinter();
    await setPrinter({ kind: 'tcp', host: '127.0.0.1', port: tcp.port });
    await printerIs('ready');
    await drainQueue(); // the receipt queued while the printer refused
    await tcp.emu.waitFor(() => tcp.emu.cuts === 1, 5000, 'queued receipt over TCP');
    expect(tcp.emu.text()).toMatch(/TOTAL\s+\$12\.34/);
    tcp.emu.reset();

    const out = await pay(2500);
    expect(out.receipt.printed).toBe(true);
    await tcp.emu.waitFor(
      () => tcp.emu.cuts === 1 && tcp.emu.kicks.length === 1,
      5000,
      'receipt + kick over TCP',
    );
    expect(tcp.emu.text()).toContain(out.payment.receiptNumber);
    expect(tcp.emu.kicks[0]?.bytes).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect(tcp.emu.statusRequests).toBeGreaterThan(0);

    tcp.emu.reset();
    const t = await rig.h.call<DeviceTestResult>('devices.test', { device: 'printer' }, rig.h.admin);
    expect(t.ok).toBe(true);
    expect(t.message).toMatch(new RegExp(`Test page sent to 127\\.0\\.0\\.1:${tcp.port}`));
    await tcp.emu.waitFor(() => tcp.emu.cuts === 1, 5000, 'test page');
    expect(tcp.emu.text()).toContain('PRINTER TEST PAGE');
    expect(tcp.emu.text()).toContain('Accents: Álvarez Peña Müller');

    // The printer goes away (server closes): offline, then back by itself.
    await tcp.endpoint.close();
    await printerIs('offline');
    await tcp.endpoint.listen(tcp.port);
    await printerIs('ready');
  });
});

describe('a device-file printer (/dev/usb/lp0 style)', () => {
  it('prints into the device; it gives no status; a missing device is a clear error', async () => {
    // A pty stands in for /dev/usb/lp0: a character device, listed in the host's printerDeviceFiles.
    const lp0 = await rig.bench.printer('lp0');
    await setPrinter({ kind: 'file', path: lp0.path });
    const s = await printerIs('no_status');
    expect(s.printer.detail).toMatch(/device file gives no status/);
    const out = await pay(4321);
    expect(out.receipt.printed).toBe(true);
    // The drawer kick follows the receipt in its own write: wait for both to come through the pty.
    await lp0.emu.waitFor(() => lp0.emu.cuts === 1 && lp0.emu.kicks.length === 1, 5000, 'receipt and kick');
    expect(lp0.emu.text()).toMatch(/TOTAL\s+\$43\.21/);
    expect(lp0.emu.barcodes).toEqual([{ symbology: 'CODE128', data: out.payment.receiptNumber }]);
    expect(lp0.emu.kicks.map((k) => k.bytes)).toEqual([[0x1b, 0x70, 0x00, 0x19, 0xfa]]);

    await setPrinter({ kind: 'file', path: path.join(rig.bench.dir, 'lp9') });
    const off = await printerIs('offline');
    expect(off.printer.detail).toMatch(/No printer at .*lp9: is it switched on and plugged in/);
    expect(fs.existsSync(path.join(rig.bench.dir, 'lp9'))).toBe(false); // never created as a plain file
  });

  it('refuses a regular file, even one on the allow-list, and leaves it as it was', async () => {
    const notes = path.join(rig.bench.dir, 'notes.txt');
    fs.writeFileSync(notes, 'keep me\n');
    await setPrinter({ kind: 'file', path: notes });
    const off = await printerIs('offline');
    expect(off.printer.detail).toMatch(/notes\.txt is a regular file, not a printer/);
    const out = await pay(1234);
    expect(out.receipt.printed).toBe(false);
    expect(fs.readFileSync(notes, 'utf8')).toBe('keep me\n');
    await setPrinter({ kind: 'virtual' });
    await drainQueue();
  });

  it('refuses to save a device-file printer outside /dev/usb/lpN, /dev/lpN and the allow-list', async () => {
    const current = await rig.h.call<{ settings: DeviceSettings }>('devices.info', {}, rig.h.admin);
    for (const bad of [
      '/etc/passwd',
      path.join(rig.bench.dir, 'other.txt'),
      '/dev/sda',
      '/dev/usb/lp0/../../etc/x',
    ]) {
      const r = await rig.h.reply(
        'devices.saveSettings',
        {
          settings: {
            ...current.settings,
            printer: { ...current.settings.printer, connection: { kind: 'file', path: bad } },
          },
        },
        rig.h.admin,
      );
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'printer.connection.path',
        message: expect.stringMatching(/is not a printer device: a device-file printer is \/dev\/usb\/lp0/),
      });
    }
    const after = await rig.h.call<{ settings: DeviceSettings }>('devices.info', {}, rig.h.admin);
    expect(after.settings).toEqual(current.settings);
  });
});

describe('a direct serial cash drawer', () => {
  it('opens on cash, reports open/closed, and raises "drawer left open" after the set time', async () => {
    await setPrinter({ kind: 'virtual' });
    const drawer = await rig.bench.drawer('drawer');
    await rig.h.save({
      drawer: {
        connection: {
          kind: 'serial',
          serial: serial(drawer.path, { baudRate: 9600 }),
          openCommand: '07',
          statusRequest: '10 04 01',
        },
        openWhenSensor: 'high',
        alertAfterSeconds: 5,
      },
    });
    await until(async () => (await rig.h.status()).drawer.state === 'closed', 'drawer closed');

    const card = await rig.h.pay(500, [{ ...CARD, amountCents: 500 }]);
    expect(card.drawerOpened).toBe(false);
    expect(drawer.emu.opens).toBe(0);

    const cash = await pay(600);
    expect(cash.drawerOpened).toBe(true);
    await until(() => drawer.emu.opens === 1, 'open command at the drawer');
    const open = await until(async () => {
      const s = await rig.h.status();
      return s.drawer.state === 'open' ? s : null;
    }, 'drawer open');
    expect(open.drawer.leftOpen).toBe(false);
    const left = await until(
      async () => {
        const s = await rig.h.status();
        return s.drawer.leftOpen ? s : null;
      },
      'drawer left open',
      8000,
    );
    expect(left.drawer.detail).toMatch(/left open/);
    // The renderer got the change without asking.
    await until(
      () => rig.h.events.some((e) => e.name === 'status.changed' && (e.payload as Status).drawer.leftOpen),
      'a pushed status with the alert',
    );

    drawer.emu.shut();
    await until(async () => (await rig.h.status()).drawer.state === 'closed', 'drawer shut');

    // The admin's Test opens it too (and is audited).
    const t = await rig.h.call<DeviceTestResult>('devices.test', { device: 'drawer' }, rig.h.admin);
    expect(t).toMatchObject({ ok: true, message: 'Drawer opened.' });
    await until(() => drawer.emu.opens === 2, 'second open command');
    const audit = await rig.h.host.ctx.db('audit_log').where('action', 'devices.test.drawer').first();
    expect(audit).toBeTruthy();

    // Unplugged drawer: the kick fails with a reason, the payment does not.
    await drawer.endpoint.unplug();
    await until(async () => (await rig.h.status()).drawer.detail?.includes('disconnected'), 'drawer gone');
    const blind = await pay(700);
    expect(blind.drawerOpened).toBe(false);
    await rig.h.save({ drawer: DEFAULT_DEVICE_SETTINGS.drawer });
  });
});
