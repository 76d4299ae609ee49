/**
 * The serial ports an admin can pick. SerialPort.list() asks udev (it runs `udevadm`); where that is
 * missing the list says so, and the usual device names found under /dev are offered instead. Any
 * path can still be typed (pty links, /dev/serial/by-id/… names).
 */
import fs from 'node:fs';
import path from 'node:path';

import { SerialPort } from 'serialport';

import type { SerialPortInfo } from '../../../shared/api/channels/devices.js';
import { errCode, errMessage } from './transport/types.js';

type Lister = () => Promise<
  {
    path: string;
    manufacturer?: string | undefined;
    serialNumber?: string | undefined;
    vendorId?: string | undefined;
    productId?: string | undefined;
  }[]
>;

const DEV_PATTERNS: [string, RegExp][] = [
  ['/dev', /^tty(USB|ACM)\d+$/],
  ['/dev/usb', /^lp\d+$/],
  ['/dev/serial/by-id', /./],
];

function scanDev(): string[] {
  const found: string[] = [];
  for (const [dir, pattern] of DEV_PATTERNS) {
    try {
      for (const name of fs.readdirSync(dir)) if (pattern.test(name)) found.push(path.join(dir, name));
    } catch {
      // folder absent on this machine
    }
  }
  return found.sort();
}

export async function listSerialPorts(
  lister: Lister = () => SerialPort.list(),
): Promise<{ ports: SerialPortInfo[]; listError: string | null }> {
  const ports: SerialPortInfo[] = [];
  let listError: string | null = null;
  try {
    for (const p of await lister()) {
      ports.push({
        path: p.path,
        manufacturer: p.manufacturer ?? null,
        serialNumber: p.serialNumber ?? null,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
        source: 'list',
      });
    }
  } catch (err) {
    const msg = errMessage(err);
    listError =
      errCode(err) === 'ENOENT' || /spawn udevadm ENOENT/i.test(msg)
        ? 'This computer cannot list serial ports (udevadm is not installed). Type the port path, e.g. /dev/ttyUSB0.'
        : `Cannot list serial ports (${msg}). Type the port path, e.g. /dev/ttyUSB0.`;
  }
  const known = new Set(ports.map((p) => p.path));
  for (const p of scanDev()) {
    if (known.has(p)) continue;
    ports.push({
      path: p,
      manufacturer: null,
      serialNumber: null,
      vendorId: null,
      productId: null,
      source: 'dev',
    });
  }
  return { ports, listError };
}
