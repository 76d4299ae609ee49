/** The port list: when SerialPort.list() cannot run (udevadm missing) the admin is told to type a path. */
import { describe, expect, it } from 'vitest';

import { listSerialPorts } from '../../../electron/services/devices/ports.js';

describe('listSerialPorts', () => {
  it('lists what the OS reports', async () => {
    const r = await listSerialPorts(() =>
      Promise.resolve([{ path: '/dev/ttyUSB7', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }]),
    );
    expect(r.listError).toBeNull();
    expect(r.ports[0]).toEqual({
      path: '/dev/ttyUSB7',
      manufacturer: 'FTDI',
      serialNumber: null,
      vendorId: '0403',
      productId: '6001',
      source: 'list',
    });
  });

  it('says so when udevadm is missing, and still offers what /dev has', async () => {
    const missing = Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT', path: 'udevadm' });
    const r = await listSerialPorts(() => Promise.reject(missing));
    expect(r.listError).toBe(
      'This computer cannot list serial ports (udevadm is not installed). Type the port path, e.g. /dev/ttyUSB0.',
    );
    expect(r.ports.every((p) => p.source === 'dev')).toBe(true);
  });

  it('any other listing failure is reported with its reason', async () => {
    const r = await listSerialPorts(() =>
      Promise.reject(new Error('Error listing ports udevadm exited with error code: 2')),
    );
    expect(r.listError).toBe(
      'Cannot list serial ports (Error listing ports udevadm exited with error code: 2). Type the port path, e.g. /dev/ttyUSB0.',
    );
  });
});
