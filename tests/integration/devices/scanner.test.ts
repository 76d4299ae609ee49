/**
 * The serial barcode scanner over a real serial link (socat pty pair + emulated scanner): every kind
 * of code reaches the renderer as a scan event and is routed by what it is; line noise, partial lines
 * and floods are refused with a message; an unplugged scanner reconnects by itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import type { ScanRoute } from '../../../shared/api/contract.js';
import type { DevicesInfo } from '../../../shared/api/channels/devices.js';
import type { SerialScanEvent } from '../../../shared/devices/scan-line.js';
import { makeBillStub } from '../../../shared/validators/scan.js';
import type { EmulatedDevice, ScannerEmulator } from '../../support/device-emulator/index.js';
import { DEFAULT_DEVICE_SETTINGS, deviceRig, serial, until } from '../../support/device-host.js';

let scanner: EmulatedDevice<ScannerEmulator>;
const rig = deviceRig();

const scans = (): SerialScanEvent[] =>
  rig.h.events.filter((e) => e.name === 'scanner.scan').map((e) => e.payload as SerialScanEvent);

/** Waits for the next scan event after the `n` seen so far. */
async function nextScan(n: number, timeoutMs = 3000): Promise<SerialScanEvent> {
  return until(() => scans()[n], `scan event #${n + 1}`, timeoutMs);
}

async function scanAndRoute(code: string): Promise<ScanRoute> {
  const n = scans().length;
  await scanner.emu.scan(code);
  const ev = await nextScan(n);
  expect(ev).toMatchObject({ kind: 'code', code });
  if (ev.kind !== 'code') throw new Error('refused');
  // The renderer routes a serial scan exactly like a wedge scan: through scan.resolve.
  return rig.h.call<ScanRoute>('scan.resolve', { code: ev.code }, rig.h.csr);
}

async function useScanner(suffix: 'crlf' | 'cr' | 'none' = 'crlf'): Promise<void> {
  await rig.h.save({
    scanner: {
      ...DEFAULT_DEVICE_SETTINGS.scanner,
      suffix,
      connection: { kind: 'serial', serial: serial(scanner.path, { baudRate: 9600 }) },
    },
  });
  await until(async () => (await rig.h.status()).scanner.state === 'ready', 'scanner ready');
}

beforeAll(async () => {
  scanner = await rig.bench.scanner();
  await useScanner();
});

describe('routing of each code type from the serial scanner', () => {
  it('a bill stub opens the account with the amount due', async () => {
    expect(await scanAndRoute(makeBillStub('1000042517', 7345))).toEqual({
      kind: 'account',
      accountNumber: '1000042517',
      amountDueCents: 7345,
      source: 'billStub',
    });
  });

  it('a receipt number opens that receipt', async () => {
    const out = await rig.h.pay(1000, [{ type: 'cash', amountCents: 1000 }]);
    expect(await scanAndRoute(out.payment.receiptNumber)).toEqual({
      kind: 'receipt',
      receiptNumber: out.payment.receiptNumber,
    });
  });

  it('a UPC-A / EAN-13 with a valid check digit is a catalog item; a wrong digit is refused', async () => {
    expect(await scanAndRoute('036000291452')).toEqual({ kind: 'gtin', code: '036000291452' });
    expect(await scanAndRoute('4006381333931')).toEqual({ kind: 'gtin', code: '4006381333931' });
    const bad = await scanAndRoute('036000291453');
    expect(bad.kind).toBe('unknown');
    if (bad.kind === 'unknown') expect(bad.message).toMatch(/check digit/);
  });

  it('an equipment serial or MAC address is a serial', async () => {
    expect(await scanAndRoute('SN4X7Q9Z2K')).toEqual({ kind: 'serial', code: 'SN4X7Q9Z2K' });
    expect(await scanAndRoute('00:1A:2B:3C:4D:5E')).toEqual({ kind: 'serial', code: '00:1A:2B:3C:4D:5E' });
  });

  it('a bill stub with a wrong check digit, an unknown account and an unknown code each get a clear message', async () => {
    const good = makeBillStub('1000042517', 7345);
    const wrong = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    const r1 = await scanAndRoute(wrong);
    expect(r1).toMatchObject({ kind: 'unknown' });
    if (r1.kind === 'unknown') expect(r1.message).toMatch(/check digit/);
    const r2 = await rig.h.reply('scan.resolve', { code: makeBillStub('9999999999', 100) }, rig.h.csr);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.error.message).toMatch(/No account 9999999999/);
    const r3 = await scanAndRoute('12345');
    expect(r3).toMatchObject({ kind: 'unknown' });
    if (r3.kind === 'unknown') expect(r3.message).toMatch(/Unknown barcode "12345"/);
  });

  it('the Devices screen shows the last scan and what it means', async () => {
    await scanAndRoute(makeBillStub('1000042517', 7345));
    const { info } = await rig.h.call<{ info: DevicesInfo }>('devices.info', {}, rig.h.admin);
    expect(info.lastScan).toMatchObject({ code: makeBillStub('1000042517', 7345) });
    expect(info.lastScan?.meaning).toMatch(/Bill stub: account 1000042517, \$73\.45 due/);
    const t = await rig.h.call<{ ok: boolean; message: string }>(
      'devices.test',
      { device: 'scanner' },
      rig.h.admin,
    );
    expect(t).toMatchObject({ ok: true });
    expect(t.message).toMatch(/Last scan: A1000042517/);
  });
});

describe('bad input from the scanner', () => {
  it('line noise is refused with a message, and the next good scan still routes', async () => {
    const n = scans().length;
    await scanner.emu.raw(Buffer.from([0xff, 0xfe, 0x81, 0x9c, 0x0d, 0x0a]));
    const ev = await nextScan(n);
    expect(ev.kind).toBe('rejected');
    if (ev.kind === 'rejected') expect(ev.message).toMatch(/unreadable characters/);
    expect((await scanAndRoute('SN4X7Q9Z2K')).kind).toBe('serial');
  });

  it('a code split over several chunks is one scan', async () => {
    const n = scans().length;
    await scanner.emu.raw('A10000425');
    await new Promise((r) => setTimeout(r, 60));
    await scanner.emu.raw('17000073454\r\n');
    expect(await nextScan(n)).toMatchObject({ kind: 'code', code: 'A1000042517000073454' });
  });

  it('a partial line (no end of line) is dropped with a message, not glued to the next scan', async () => {
    const n = scans().length;
    await scanner.emu.raw('A100004');
    const ev = await nextScan(n);
    expect(ev.kind).toBe('rejected');
    if (ev.kind === 'rejected') expect(ev.message).toMatch(/Incomplete scan/);
    expect((await scanAndRoute(makeBillStub('1000042517', 7345))).kind).toBe('account');
  });

  it('a flood without line ends is cut off', async () => {
    const n = scans().length;
    await scanner.emu.raw('X'.repeat(400));
    const ev = await nextScan(n);
    expect(ev.kind).toBe('rejected');
    if (ev.kind === 'rejected') expect(ev.message).toMatch(/without an end of line/);
    expect((await scanAndRoute('036000291452')).kind).toBe('gtin');
  });

  it('an overlong line is refused', async () => {
    const n = scans().length;
    await scanner.emu.scan('Y'.repeat(80));
    const ev = await nextScan(n);
    expect(ev).toMatchObject({ kind: 'rejected' });
    if (ev.kind === 'rejected') expect(ev.message).toMatch(/too long/);
  });
});

describe('scanner suffixes', () => {
  it('CR only', async () => {
    await useScanner('cr');
    const n = scans().length;
    await scanner.emu.scan('SN4X7Q9Z2K', 'cr');
    expect(await nextScan(n)).toMatchObject({ kind: 'code', code: 'SN4X7Q9Z2K' });
  });

  it('no suffix: a pause ends the code (inter-byte timeout)', async () => {
    await useScanner('none');
    const n = scans().length;
    await scanner.emu.scan(makeBillStub('1000042517', 7345), 'none');
    await new Promise((r) => setTimeout(r, 200));
    await scanner.emu.scan('036000291452', 'none');
    expect(await nextScan(n)).toMatchObject({ kind: 'code', code: makeBillStub('1000042517', 7345) });
    expect(await nextScan(n + 1)).toMatchObject({ kind: 'code', code: '036000291452' });
    await useScanner('crlf');
  });
});

describe('unplug and replug', () => {
  it('the scanner goes offline with the reason, the counter keeps working, and it reconnects by itself', async () => {
    const n = scans().length;
    await scanner.emu.raw('A1000'); // half a code on the wire when the cable goes
    await new Promise((r) => setTimeout(r, 100));
    await scanner.endpoint.unplug();
    const off = await until(async () => {
      const s = await rig.h.status();
      return s.scanner.state === 'offline' ? s : null;
    }, 'scanner offline');
    expect(off.scanner.detail).toMatch(/disconnected|No port/);
    expect(off.scanner.detail).toMatch(/Keyboard-wedge scans still work/);
    const dropped = await nextScan(n);
    expect(dropped.kind).toBe('rejected');

    // Meanwhile the counter takes payments.
    const out = await rig.h.pay(900, [{ type: 'cash', amountCents: 900 }]);
    expect(out.payment.amountCents).toBe(900);

    await new Promise((r) => setTimeout(r, 600)); // a few failed reconnect attempts (backoff)
    await scanner.endpoint.replug();
    await until(async () => (await rig.h.status()).scanner.state === 'ready', 'scanner reconnected', 8000);
    expect((await scanAndRoute(makeBillStub('1000042517', 7345))).kind).toBe('account');
  });
});
