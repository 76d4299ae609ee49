/** Serial transport: serialport opens the port (locked, so two programs never share it). */
import fs from 'node:fs';

import { SerialPort } from 'serialport';

import { describeSerial, type SerialOptions } from '../../../../shared/devices/settings.js';
import { DeviceError } from '../printer/types.js';
import { errCode, errMessage, type Transport } from './types.js';

/** Why a serial port did not open, in words an admin can act on. */
export function explainSerialOpenError(path: string, err: unknown): string {
  const msg = errMessage(err);
  const code = errCode(err);
  if (code === 'ENOENT' || /No such file or directory/i.test(msg))
    return `No port ${path}: is the device plugged in and switched on?`;
  if (code === 'EBUSY' || /Cannot lock port|Resource temporarily unavailable|busy/i.test(msg))
    return `${path} is busy: another program (or another device on this screen) has it open`;
  if (code === 'EACCES' || /Permission denied/i.test(msg))
    return `No permission to open ${path}: add this computer's user to the "dialout" group`;
  if (/not a typewriter|Inappropriate ioctl/i.test(msg)) return `${path} is not a serial port`;
  return `Cannot open ${path}: ${msg.replace(/^Error:?\s*/, '')}`;
}

/**
 * Opens a serial port. `watchMs`: how often to check that the port's device node is still the one
 * opened. A hung-up tty does not always reach serialport as an error (a read on it can just return
 * nothing), so an unplugged USB adapter (its /dev node disappears) or a pty whose other end went
 * away is also noticed this way.
 */
export async function openSerial(opts: SerialOptions, watchMs = 1000): Promise<Transport> {
  const port = new SerialPort({
    path: opts.path,
    baudRate: opts.baudRate,
    dataBits: opts.dataBits,
    parity: opts.parity,
    stopBits: opts.stopBits,
    rtscts: opts.rtscts,
    autoOpen: false,
    lock: true,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(new DeviceError(explainSerialOpenError(opts.path, err))) : resolve())),
  );
  const label = describeSerial(opts);
  let closing = false;
  let lost: ((reason: string) => void) | null = null;
  const gone = (): void => {
    if (closing) return;
    closing = true;
    clearInterval(watch);
    lost?.(`${opts.path} was disconnected (cable pulled or device switched off)`);
    if (port.isOpen) port.close(() => undefined);
  };
  // serialport emits 'error' for write failures; the write's own callback reports it to the caller.
  port.on('error', () => undefined);
  port.on('close', gone);
  const device = await fs.promises.stat(opts.path).then(
    (st) => `${st.dev}:${st.ino}:${st.rdev}`,
    () => null,
  );
  const watch = setInterval(() => {
    void fs.promises.stat(opts.path).then(
      (st) => {
        if (device !== null && `${st.dev}:${st.ino}:${st.rdev}` !== device) gone();
      },
      (err: unknown) => {
        if (errCode(err) === 'ENOENT' || errCode(err) === 'ENODEV') gone();
      },
    );
  }, watchMs);
  watch.unref();
  return {
    label,
    write(bytes) {
      return new Promise<void>((resolve, reject) => {
        if (!port.isOpen) {
          reject(new DeviceError(`${opts.path} is not open (unplugged?)`));
          return;
        }
        port.write(bytes, (err) => {
          if (err) {
            reject(new DeviceError(`${opts.path}: ${errMessage(err)}`));
            return;
          }
          port.drain((derr) =>
            derr ? reject(new DeviceError(`${opts.path}: ${errMessage(derr)}`)) : resolve(),
          );
        });
      });
    },
    onData(listener) {
      port.on('data', (chunk: Buffer) => listener(chunk));
    },
    onLost(listener) {
      lost = listener;
    },
    close() {
      closing = true;
      clearInterval(watch);
      return new Promise<void>((resolve) => {
        if (!port.isOpen) {
          resolve();
          return;
        }
        port.close(() => resolve());
      });
    },
  };
}
