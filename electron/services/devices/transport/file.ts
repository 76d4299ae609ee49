/**
 * Device-file transport (/dev/usb/lp0 and the like): write only. Reading a printer device file
 * blocks a libuv worker thread, so this link never asks for status: the printer shows "no status".
 */
import fs from 'node:fs';

import { printerDeviceFileProblem } from '../../../../shared/devices/settings.js';
import { DeviceError } from '../printer/types.js';
import { errCode, errMessage, type Transport } from './types.js';

export function explainFileError(path: string, err: unknown): string {
  switch (errCode(err)) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return `No printer at ${path}: is it switched on and plugged in?`;
    case 'EACCES':
    case 'EPERM':
      return `No permission to write ${path}: add this computer's user to the "lp" group`;
    case 'EBUSY':
      return `${path} is busy: another program is printing to it`;
    case 'EIO':
      return `The printer at ${path} stopped answering (unplugged or switched off?)`;
    default:
      return `${path}: ${errMessage(err)}`;
  }
}

/**
 * Opens a printer device node for writing. Only /dev/usb/lpN, /dev/lpN or an `allowed` path, and only
 * if it really is a character device: a regular file (a typo, or settings pointing at a file worth
 * damaging) is refused instead of having receipts appended to it.
 */
export async function openDeviceFile(path: string, allowed: readonly string[] = []): Promise<Transport> {
  const problem = printerDeviceFileProblem(path, allowed);
  if (problem) throw new DeviceError(problem);
  let handle: fs.promises.FileHandle;
  try {
    // No O_CREAT: a missing device must fail, never become a regular file in /dev.
    handle = await fs.promises.open(
      path,
      fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_NOCTTY,
    );
  } catch (err) {
    throw new DeviceError(explainFileError(path, err));
  }
  const stat = await handle.stat().catch(() => null);
  if (!stat?.isCharacterDevice()) {
    await handle.close().catch(() => undefined);
    throw new DeviceError(
      `${path} is ${stat?.isFile() ? 'a regular file' : 'not a character device'}, not a printer: receipts are not written to it.`,
    );
  }
  return {
    label: path,
    async write(bytes) {
      try {
        let off = 0;
        while (off < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, off, bytes.length - off);
          off += bytesWritten;
        }
      } catch (err) {
        throw new DeviceError(explainFileError(path, err));
      }
    },
    onData() {
      // write-only link
    },
    onLost() {
      // a device file reports loss through write errors
    },
    async close() {
      await handle.close().catch(() => undefined);
    },
  };
}
