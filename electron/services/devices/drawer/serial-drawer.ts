/**
 * A cash drawer with its own serial interface. It opens on a configured command (e.g. 07) and, when
 * a status request is configured, answers it with one byte whose bit 2 is the sensor (the same
 * layout as DLE EOT 1). Without a status request its state is not known.
 */
import type { Logger } from 'pino';

import { hexToBytes, type DrawerSettings } from '../../../../shared/devices/settings.js';
import { StatusByteSchema } from '../../../../shared/escpos/status.js';
import type { BackoffOptions } from '../backoff.js';
import { describeLink, DeviceLink } from '../link.js';
import { DeviceError } from '../printer/types.js';
import { openSerial } from '../transport/serial.js';
import { errMessage } from '../transport/types.js';

type SerialDrawerConnection = Extract<DrawerSettings['connection'], { kind: 'serial' }>;

export class SerialDrawer {
  private readonly link: DeviceLink;
  private rx: number[] = [];
  private poller: NodeJS.Timeout | null = null;
  private busy = false;
  /** Sensor level from the last answer; null when the drawer does not answer (or is not asked). */
  sensorHigh: boolean | null = null;
  private silentSince: number | null = null;

  constructor(
    private readonly conn: SerialDrawerConnection,
    private readonly timing: { pollMs: number; backoff: BackoffOptions; statusTimeoutMs: number },
    log: Logger,
    private readonly onChange: () => void,
  ) {
    this.link = new DeviceLink({
      name: 'Drawer',
      log,
      backoff: timing.backoff,
      open: () => openSerial(conn.serial, timing.pollMs),
      onConnected: (t) => {
        this.rx = [];
        t.onData((chunk) => {
          for (const b of chunk) this.rx.push(b);
          if (this.rx.length > 64) this.rx.splice(0, this.rx.length - 64);
        });
        setImmediate(() => void this.poll());
      },
      onLost: () => {
        this.sensorHigh = null;
      },
      onState: () => onChange(),
    });
  }

  start(): void {
    this.link.start();
    if (this.conn.statusRequest) {
      this.poller = setInterval(() => void this.poll(), this.timing.pollMs);
      this.poller.unref();
    }
  }

  get connected(): boolean {
    return this.link.state.phase === 'connected';
  }

  linkDetail(): string | null {
    return describeLink(this.link.state);
  }

  get answers(): boolean {
    return this.conn.statusRequest !== '' && this.silentSince === null && this.sensorHigh !== null;
  }

  async open(): Promise<void> {
    const t = await this.link.ensure();
    try {
      await t.write(Buffer.from(hexToBytes(this.conn.openCommand)));
    } catch (err) {
      this.link.fail(t, errMessage(err));
      throw new DeviceError(`The drawer did not take the open command: ${errMessage(err)}`);
    }
    setTimeout(() => void this.poll(), 150).unref();
  }

  async poll(): Promise<void> {
    const t = this.link.transport;
    if (!t || !this.conn.statusRequest || this.busy) return;
    this.busy = true;
    try {
      this.rx = [];
      await t.write(Buffer.from(hexToBytes(this.conn.statusRequest)));
      const deadline = Date.now() + this.timing.statusTimeoutMs;
      let answer: number | null = null;
      while (answer === null && Date.now() < deadline) {
        const b = this.rx.shift();
        if (b === undefined) await new Promise((r) => setTimeout(r, 20));
        else if (StatusByteSchema.safeParse(b).success) answer = b;
      }
      const before = this.sensorHigh;
      if (answer === null) {
        this.silentSince ??= Date.now();
        this.sensorHigh = null;
      } else {
        this.silentSince = null;
        this.sensorHigh = (answer & 0x04) !== 0;
      }
      if (before !== this.sensorHigh) this.onChange();
    } catch (err) {
      this.link.fail(t, errMessage(err));
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    await this.link.stop();
  }
}
