/** A barcode scanner on a serial port: reconnects by itself; every code goes to `onFrame`. */
import type { Logger } from 'pino';

import type { ScanFrame } from '../../../../shared/devices/scan-line.js';
import type { ScannerSettings } from '../../../../shared/devices/settings.js';
import type { BackoffOptions } from '../backoff.js';
import { describeLink, DeviceLink } from '../link.js';
import { openSerial } from '../transport/serial.js';
import { ScanLineReader } from './line-reader.js';

type SerialScannerSettings = ScannerSettings & { connection: { kind: 'serial' } };

export class SerialScanner {
  private readonly link: DeviceLink;
  private reader: ScanLineReader | null = null;

  constructor(
    private readonly settings: SerialScannerSettings,
    timing: { backoff: BackoffOptions; partialScanMs: number; pollMs: number },
    log: Logger,
    onFrame: (frame: ScanFrame) => void,
    onChange: () => void,
  ) {
    const serial = settings.connection.serial;
    this.link = new DeviceLink({
      name: 'Scanner',
      log,
      backoff: timing.backoff,
      open: () => openSerial(serial, timing.pollMs),
      onConnected: (t) => {
        this.reader?.close();
        const reader = new ScanLineReader(
          {
            suffix: settings.suffix,
            interByteTimeoutMs: settings.interByteTimeoutMs,
            partialTimeoutMs: timing.partialScanMs,
          },
          onFrame,
        );
        this.reader = reader;
        t.onData((chunk) => reader.push(chunk));
      },
      onLost: () => {
        this.reader?.reset('The scanner was disconnected in the middle of a code: scan it again');
        this.reader?.close();
        this.reader = null;
      },
      onState: onChange,
    });
  }

  start(): void {
    this.link.start();
  }

  get connected(): boolean {
    return this.link.state.phase === 'connected';
  }

  detail(): string | null {
    return describeLink(this.link.state);
  }

  get path(): string {
    return this.settings.connection.serial.path;
  }

  async close(): Promise<void> {
    this.reader?.close();
    this.reader = null;
    await this.link.stop();
  }
}
