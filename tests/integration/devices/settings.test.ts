/**
 * Device settings: only an IT admin reads, saves and tests them; they are validated, audited in the
 * same transaction, kept in the counter DB across restarts, and take effect at once (the receipt
 * width follows the printer's columns).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PostPaymentOutput } from '../../../shared/api/contract.js';
import type { DevicesInfo, SerialPortInfo } from '../../../shared/api/channels/devices.js';
import type { DeviceSettings } from '../../../shared/devices/settings.js';
import { verifyAuditChain } from '../../../electron/services/audit/audit.js';
import {
  DeviceBench,
  type EmulatedDevice,
  type PrinterEmulator,
} from '../../support/device-emulator/index.js';
import {
  DEFAULT_DEVICE_SETTINGS,
  payment,
  serial,
  startDeviceHost,
  until,
  type DeviceHost,
} from '../../support/device-host.js';

let bench: DeviceBench;
let printer: EmulatedDevice<PrinterEmulator>;
let h: DeviceHost;

beforeAll(async () => {
  bench = new DeviceBench();
  printer = await bench.printer();
  h = await startDeviceHost();
});

afterAll(async () => {
  await h?.close();
  await bench?.close();
});

describe('device settings', () => {
  it('start virtual: receipts on screen, keyboard-wedge scanner', async () => {
    const { settings, info } = await h.call<{ settings: DeviceSettings; info: DevicesInfo }>(
      'devices.info',
      {},
      h.admin,
    );
    expect(settings.printer.connection).toEqual({ kind: 'virtual' });
    expect(settings.scanner.connection).toEqual({ kind: 'wedge' });
    expect(info.printer.state).toBe('virtual');
    expect(info.scanner.state).toBe('virtual');
    expect(info.savedAt).toBeNull();
  });

  it('are for the IT admin only', async () => {
    for (const [channel, input] of [
      ['devices.info', {}],
      ['devices.saveSettings', { settings: DEFAULT_DEVICE_SETTINGS }],
      ['devices.ports', {}],
      ['devices.test', { device: 'printer' }],
    ] as const) {
      for (const who of [h.csr, h.supervisor]) {
        const r = await h.reply(channel, input, who);
        expect(r.ok).toBe(false);
        if (!r.ok)
          expect(r.error).toMatchObject({ code: 'FORBIDDEN', message: 'Only an IT admin can do that.' });
      }
    }
    // The reprint queue is for everyone at the counter.
    expect((await h.reply('devices.reprintQueue', {}, h.csr)).ok).toBe(true);
  });

  it('refuse bad values with the field and a sentence', async () => {
    const bad = async (settings: unknown): Promise<{ field?: string; message: string }> => {
      const r = await h.reply('devices.saveSettings', { settings }, h.admin);
      if (r.ok) throw new Error('accepted');
      return r.error;
    };
    const withPrinter = (connection: unknown) => ({
      ...DEFAULT_DEVICE_SETTINGS,
      printer: { ...DEFAULT_DEVICE_SETTINGS.printer, connection },
    });
    expect(await bad(withPrinter({ kind: 'serial', serial: serial('not a path') }))).toMatchObject({
      field: 'settings.printer.connection.serial.path',
      message: expect.stringMatching(/looks like \/dev\/ttyUSB0/) as unknown as string,
    });
    expect(
      (await bad(withPrinter({ kind: 'serial', serial: serial('/dev/ttyUSB0', { baudRate: 1234 }) })))
        .message,
    ).toMatch(/Baud rate is one of/);
    expect((await bad(withPrinter({ kind: 'tcp', host: '10.0.0.7', port: 70000 }))).message).toMatch(
      /Port 1 to 65535/,
    );
    expect(
      (
        await bad({
          ...DEFAULT_DEVICE_SETTINGS,
          printer: { ...DEFAULT_DEVICE_SETTINGS.printer, columns: 40 },
        })
      ).field,
    ).toBe('settings.printer.columns');
    const shared = await bad({
      ...withPrinter({ kind: 'serial', serial: serial('/dev/ttyUSB0') }),
      scanner: {
        ...DEFAULT_DEVICE_SETTINGS.scanner,
        connection: { kind: 'serial', serial: serial('/dev/ttyUSB0') },
      },
    });
    expect(shared).toMatchObject({ field: 'settings.scanner.connection.serial.path' });
    expect(shared.message).toMatch(/printer and the scanner cannot share the port \/dev\/ttyUSB0/);
    expect(await h.host.ctx.db('device_settings').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('are saved with an audit entry, apply at once (32 columns), and survive a restart', async () => {
    const settings: DeviceSettings = {
      ...DEFAULT_DEVICE_SETTINGS,
      printer: {
        ...DEFAULT_DEVICE_SETTINGS.printer,
        columns: 32,
        connection: { kind: 'serial', serial: serial(printer.path) },
      },
    };
    const saved = await h.call<{ info: DevicesInfo }>('devices.saveSettings', { settings }, h.admin);
    expect(saved.info.savedBy).toBe('Alex Kim (9001)');
    expect(saved.info.printer.connection).toBe(`${printer.path} · 115200 8N1`);
    const audit = (await h.host.ctx.db('audit_log').where('action', 'devices.settings.save').first()) as {
      actor: string;
      details: string;
    };
    expect(audit.actor).toBe('9001');
    expect(JSON.parse(audit.details).after.printer.columns).toBe(32);
    expect((await verifyAuditChain(h.host.ctx.db)).ok).toBe(true);

    await until(
      async () =>
        (await h.call<{ info: DevicesInfo }>('devices.info', {}, h.admin)).info.printer.state === 'ready',
      'ready',
    );
    const out = await h.call<PostPaymentOutput>(
      'payments.post',
      payment(7345, [{ type: 'cash', amountCents: 10000 }]),
      h.csr,
    );
    await printer.emu.waitFor(() => printer.emu.cuts === 1, 5000, 'receipt');
    const widths = printer.emu.lines().map((l) => l.length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(32);
    expect(printer.emu.text()).toMatch(/CHANGE\s+\$26\.55/);
    expect(out.receipt.lines.join('\n')).toMatch(/CHANGE\s+\$26\.55/);

    // Restart on the same data folder: the settings are still there and the printer reconnects.
    const dataDir = h.host.dataDir;
    await h.close({ keepData: true });
    h = await startDeviceHost({ dataDir, demo: null });
    const again = await h.call<{ settings: DeviceSettings; info: DevicesInfo }>('devices.info', {}, h.admin);
    expect(again.settings).toEqual(settings);
    expect(again.info.savedBy).toBe('Alex Kim (9001)');
    await until(
      async () =>
        (await h.call<{ info: DevicesInfo }>('devices.info', {}, h.admin)).info.printer.state === 'ready',
      'ready after restart',
    );
  });

  it('lists serial ports, or says why it cannot and takes a typed path', async () => {
    const r = await h.call<{ ports: SerialPortInfo[]; listError: string | null }>(
      'devices.ports',
      {},
      h.admin,
    );
    expect(Array.isArray(r.ports)).toBe(true);
    if (r.listError) expect(r.listError).toMatch(/Type the port path/);
  });
});
