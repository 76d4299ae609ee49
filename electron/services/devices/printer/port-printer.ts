/**
 * A real receipt printer on a serial port, a TCP socket (port 9100) or a device file. node-thermal-
 * printer composed the bytes; this sends them. One job at a time: receipts, drawer kicks and DLE EOT
 * status rounds are serialised on the link, so a status answer is never mixed into a receipt.
 *
 * Before each receipt the printer is asked for its status (when it answers status at all): a printer
 * that is out of paper, has its cover open or is offline gets nothing, and the receipt goes to the
 * reprint queue with that reason. Serial writes go out in chunks, each drained, never faster than the
 * line rate, so an unplug mid-receipt is noticed and reported with how far the receipt got.
 */
import type { Logger } from 'pino';

import type { PrinterSettings } from '../../../../shared/devices/settings.js';
import { describePrinterConnection } from '../../../../shared/devices/settings.js';
import {
  StatusByteSchema,
  statusRequest,
  summarizeStatus,
  type PrinterCondition,
  type StatusRequest,
} from '../../../../shared/escpos/status.js';
import type { BackoffOptions } from '../backoff.js';
import { describeLink, DeviceLink } from '../link.js';
import { openDeviceFile } from '../transport/file.js';
import { openSerial } from '../transport/serial.js';
import { openTcp } from '../transport/tcp.js';
import { errMessage, type Transport } from '../transport/types.js';
import { DeviceError, type DeviceStatus, type ReceiptPrinterDevice } from './types.js';

export type PortPrinterTiming = {
  /** Status poll interval while idle (printers that answer DLE EOT). */
  pollMs: number;
  backoff: BackoffOptions;
  tcpConnectTimeoutMs: number;
  /** A write that has not drained after this long (plus the line time) fails. */
  writeTimeoutMs: number;
};

const CHUNK = 128;

type Condition =
  | { kind: 'unknown' }
  | { kind: 'no_status' }
  | { kind: 'not_answering' }
  | { kind: 'known'; condition: PrinterCondition };

export class PortPrinter implements ReceiptPrinterDevice {
  readonly kind: 'serial' | 'tcp' | 'file';
  private readonly link: DeviceLink;
  private rx: number[] = [];
  private rxWake: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private condition: Condition = { kind: 'unknown' };
  /** null: not asked yet on this connection; false: never answered; true: answers DLE EOT. */
  private answersStatus: boolean | null = null;
  private poller: NodeJS.Timeout | null = null;
  private closed = false;
  private lostReason = 'the printer connection was lost';

  constructor(
    private readonly settings: PrinterSettings,
    private readonly timing: PortPrinterTiming,
    private readonly log: Logger,
    private readonly onChange: () => void,
    /** Device-file paths allowed besides /dev/usb/lpN and /dev/lpN. */
    private readonly allowedFiles: readonly string[] = [],
  ) {
    const c = settings.connection;
    if (c.kind === 'virtual') throw new Error('PortPrinter needs a serial, tcp or file connection');
    this.kind = c.kind;
    this.link = new DeviceLink({
      name: 'Printer',
      log,
      backoff: timing.backoff,
      open: () =>
        c.kind === 'serial'
          ? openSerial(c.serial, timing.pollMs)
          : c.kind === 'tcp'
            ? openTcp(c.host, c.port, timing.tcpConnectTimeoutMs)
            : openDeviceFile(c.path, this.allowedFiles),
      onConnected: (t) => {
        this.rx = [];
        this.answersStatus = c.kind === 'file' ? false : null;
        this.condition = c.kind === 'file' ? { kind: 'no_status' } : { kind: 'unknown' };
        t.onData((chunk) => {
          for (const b of chunk) this.rx.push(b);
          if (this.rx.length > 256) this.rx.splice(0, this.rx.length - 256);
          this.rxWake?.();
        });
        // Ask at once what state the (re)connected printer is in.
        if (c.kind !== 'file') void this.refreshStatus().catch(() => undefined);
      },
      onLost: (reason) => {
        this.lostReason = reason;
        this.condition = { kind: 'unknown' };
      },
      onState: () => this.onChange(),
    });
  }

  start(): void {
    this.link.start();
    this.poller = setInterval(() => {
      if (this.link.transport && this.answersStatus !== false)
        void this.refreshStatus().catch(() => undefined);
    }, this.timing.pollMs);
    this.poller.unref();
  }

  get connection(): string {
    return describePrinterConnection(this.settings.connection);
  }

  /** The drawer sensor level from the last status round (null: the printer does not say). */
  get drawerPinHigh(): boolean | null {
    return this.condition.kind === 'known' ? this.condition.condition.drawerPinHigh : null;
  }

  get answersStatusRequests(): boolean | null {
    return this.answersStatus;
  }

  /** Prints a receipt (or a test page). Refused, with the reason, when the printer says it cannot. */
  print(bytes: Buffer): Promise<void> {
    return this.exclusive(async () => {
      const t = await this.link.ensure();
      if (this.answersStatus !== false) {
        await this.statusRound(t);
        const refusal = this.refusal();
        if (refusal) throw new DeviceError(refusal);
      }
      await this.writePaced(t, bytes);
    });
  }

  /** Sends bytes without the status check (the drawer kick: the drawer opens even without paper). */
  send(bytes: Buffer): Promise<void> {
    return this.exclusive(async () => {
      const t = await this.link.ensure();
      await this.writePaced(t, bytes);
    });
  }

  /** One status round now (after a kick, on the Devices screen's Test). */
  refreshStatus(): Promise<void> {
    return this.exclusive(async () => {
      const t = this.link.transport;
      if (t) await this.statusRound(t);
    });
  }

  status(): DeviceStatus {
    const label = 'Printer';
    const link = this.link.state;
    if (link.phase !== 'connected') {
      return { state: 'offline', label, detail: describeLink(link) ?? 'Not connected' };
    }
    switch (this.condition.kind) {
      case 'unknown':
        return {
          state: 'ready',
          label,
          detail: `Connected (${this.link.transport?.label ?? ''}); asking status…`,
        };
      case 'no_status':
        return {
          state: 'no_status',
          label,
          detail:
            this.kind === 'file'
              ? `Connected to ${this.connection}; a device file gives no status (paper, cover and drawer are not known)`
              : `Connected to ${this.connection}; the printer does not answer status requests (DLE EOT), so paper, cover and drawer are not known`,
        };
      case 'not_answering':
        return {
          state: 'offline',
          label,
          detail: 'The printer stopped answering: is it switched on and its cable in?',
        };
      case 'known': {
        const c = this.condition.condition;
        return { state: c.state, label, detail: c.detail };
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    this.rxWake?.();
    await this.queue.catch(() => undefined);
    await this.link.stop();
  }

  // ---- internals ----

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Why a receipt must not be sent now, or null. */
  private refusal(): string | null {
    if (this.condition.kind === 'not_answering')
      return 'The printer is not answering: is it switched on and its cable in?';
    if (this.condition.kind !== 'known') return null;
    const c = this.condition.condition;
    if (c.state === 'ready') return null;
    return (c.detail ?? `The printer is ${c.state.replace('_', ' ')}`).replace(/\.$/, '');
  }

  private async statusRound(t: Transport): Promise<void> {
    const before = JSON.stringify(this.condition);
    const s1 = await this.ask(t, 1);
    if (s1 === null) {
      if (this.answersStatus === true) {
        this.condition = { kind: 'not_answering' };
      } else {
        this.answersStatus = false;
        this.condition = { kind: 'no_status' };
      }
    } else {
      this.answersStatus = true;
      const s2 = (await this.ask(t, 2)) ?? undefined;
      const s4 = (await this.ask(t, 4)) ?? undefined;
      const s3 = s2 !== undefined && (s2 & 0x40) !== 0 ? ((await this.ask(t, 3)) ?? undefined) : undefined;
      this.condition = { kind: 'known', condition: summarizeStatus({ s1, s2, s3, s4 }) };
    }
    if (JSON.stringify(this.condition) !== before) this.onChange();
  }

  /** Sends DLE EOT n and waits for one status byte (noise and stray bytes are skipped). */
  private async ask(t: Transport, n: StatusRequest): Promise<number | null> {
    this.rx = [];
    try {
      await t.write(Buffer.from(statusRequest(n)));
    } catch (err) {
      this.link.fail(t, errMessage(err));
      throw err;
    }
    const deadline = Date.now() + this.settings.statusTimeoutMs;
    for (;;) {
      while (this.rx.length) {
        const b = this.rx.shift() as number;
        if (StatusByteSchema.safeParse(b).success) return b;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed || this.link.transport !== t) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.rxWake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.rxWake = null;
    }
  }

  /** Line rate in bytes per second on a serial link (start + data + parity + stop bits per byte). */
  private bytesPerSecond(): number | null {
    const c = this.settings.connection;
    if (c.kind !== 'serial') return null;
    const bitsPerByte = 1 + c.serial.dataBits + (c.serial.parity === 'none' ? 0 : 1) + c.serial.stopBits;
    return c.serial.baudRate / bitsPerByte;
  }

  private async writePaced(t: Transport, bytes: Buffer): Promise<void> {
    const bps = this.bytesPerSecond();
    const chunk = bps ? CHUNK : bytes.length;
    let sent = 0;
    try {
      while (sent < bytes.length) {
        if (this.link.transport !== t) throw new DeviceError(this.lostReason);
        const piece = bytes.subarray(sent, sent + chunk);
        const started = Date.now();
        const lineMs = bps ? (piece.length * 1000) / bps : 0;
        await withTimeout(
          t.write(piece),
          this.timing.writeTimeoutMs + lineMs,
          'the printer did not take the data (held by flow control: check paper, cover and cable)',
        );
        sent += piece.length;
        const wait = lineMs - (Date.now() - started);
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
    } catch (err) {
      const why = errMessage(err).replace(/\.$/, '');
      this.link.fail(t, why);
      throw new DeviceError(
        sent > 0
          ? `Printer disconnected mid-receipt (${sent} of ${bytes.length} bytes sent): ${why}`
          : `Printer not reachable: ${why}`,
        { partial: sent > 0 },
      );
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeviceError(message)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
