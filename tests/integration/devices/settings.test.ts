/**
 * Device settings: only an IT admin reads, saves and tests them; they are validated, audited in the
 * same transaction, kept in the counter DB across restarts, and take effect at once (the receipt
 * width follows the printer's columns).
 */
import { beforeAll, describe, expect, it } from 'vitest';

import type { DevicesInfo, SerialPortInfo } from '../../../shared/api/channels/devices.js';
import type { DeviceSettings } from '../../../shared/devices/settings.js';
import { verifyAuditChain } from '../../../electron/services/audit/audit.js';
import type { EmulatedDevice, PrinterEmulator } from '../../support/device-emulator/index.js';
import {
  DEFAULT_DEVICE_SETTINGS,
  deviceRig,
  serial,
  startDeviceHost,
  until,
} from '../../support/device-host.js';

let printer: EmulatedDevice<PrinterEmulator>;
const rig = deviceRig();

beforeAll(async () => {
  printer = await rig.bench.printer();
});

describe('device settings', () => {
  it('start virtual: receipts on screen, keyboard-wedge scanner', async () => {
    const { settings, info } = await rig.h.call<{ settings: DeviceSettings; info: DevicesInfo }>(
      'devices.info',
      {},
      rig.h.admin,
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
      for (const who of [rig.h.csr, rig.h.supervisor]) {
        const r = await rig.h.reply(channel, input, who);
        expect(r.ok).toBe(false);
        if (!r.ok)
          expect(r.error).toMatchObject({ code: 'FORBIDDEN', message: 'Only an IT admin can do that.' });
      }
    }
    // The reprint queue is for everyone at the counter.
    expect((await rig.h.reply('devices.reprintQueue', {}, rig.h.csr)).ok).toBe(true);
  });

  it('refuse bad values with the field and a sentence', async () => {
    const bad = async (settings: unknown): Promise<{ field?: string; message: string }> => {
      const r = await rig.h.reply('devices.saveSettings', { settings }, rig.h.admin);
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
    expect(await rig.h.host.ctx.db('device_settings').count({ n: '*' }).first()).toEqual({ n: 0 });
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
    const saved = await rig.h.call<{ info: DevicesInfo }>('devices.saveSettings', { settings }, rig.h.admin);
    expect(saved.info.savedBy).toBe('Alex Kim (9001)');
    expect(saved.info.printer.connection).toBe(`${printer.path} · 115200 8N1`);
    const audit = (await rig.h.host.ctx.db('audit_log').where('action', 'devices.settings.save').first()) as {
      actor: string;
      details: string;
    };
    expect(audit.actor).toBe('9001');
    expect(JSON.parse(audit.details).after.printer.columns).toBe(32);
    expect((await verifyAuditChain(rig.h.host.ctx.db)).ok).toBe(true);

    await until(
      async () =>
        (await rig.h.call<{ info: DevicesInfo }>('devices.info', {}, rig.h.admin)).info.printer.state ===
        'ready',
      'ready',
    );
    const out = await rig.h.pay(7345, [{ type: 'cash', amountCents: 10000 }]);
    await printer.emu.waitFor(() => printer.emu.cuts === 1, 5000, 'receipt');
    const widths = printer.emu.lines().map((l) => l.length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(32);
    expect(printer.emu.text()).toMatch(/CHANGE\s+\$26\.55/);
    expect(out.receipt.lines.join('\n')).toMatch(/CHANGE\s+\$26\.55/);

    // Restart on the same data folder: the settings are still there and the printer reconnects.
    const dataDir = rig.h.host.dataDir;
    await rig.h.close({ keepData: true });
    rig.h = await startDeviceHost({ dataDir, demo: null });
    const again = await rig.h.call<{ settings: DeviceSettings; info: DevicesInfo }>(
      'devices.info',
      {},
      rig.h.admin,
    );
    expect(again.settings).toEqual(settings);
    expect(again.info.savedBy).toBe('Alex Kim (9001)');
    await until(
      async () =>
        (await rig.h.call<{ info: DevicesInfo }>('devices.info', {}, rig.h.admin)).info.printer.state ===
        'ready',
      'ready after restart',
    );
  });

  it('lists serial ports, or says why it cannot and takes a typed path', async () => {
    const r = await rig.h.call<{ ports: SerialPortInfo[]; listError: string | null }>(
      'devices.ports',
      {},
      rig.h.admin,
    );
    expect(Array.isArray(r.ports)).toBe(true);
    if (r.listError) expect(r.listError).toMatch(/Type the port path/);
  });
});
