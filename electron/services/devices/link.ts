/**
 * One device's connection, owned by the device manager: opens the transport, notices when it goes
 * away (unplugged, remote closed, write error) and reconnects by itself with capped exponential
 * backoff. A caller that needs the device now (a receipt to print) can ask for an immediate attempt.
 */
import type { Logger } from 'pino';

import { backoffDelay, type BackoffOptions } from './backoff.js';
import { DeviceError } from './printer/types.js';
import { errMessage, type Transport, type TransportFactory } from './transport/types.js';

export type LinkState =
  | { phase: 'connecting' }
  | { phase: 'connected'; since: number }
  | { phase: 'waiting'; error: string; retryAt: number; attempt: number }
  | { phase: 'stopped' };

export type LinkOptions = {
  name: string;
  open: TransportFactory;
  backoff: BackoffOptions;
  log: Logger;
  /** Runs on every (re)connection before the link counts as connected (attach parsers, ask status). */
  onConnected?: (t: Transport) => void;
  onLost?: (reason: string) => void;
  /** Any state change (for the status bar). */
  onState: () => void;
};

export class DeviceLink {
  private t: Transport | null = null;
  private opening: Promise<Transport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private current: LinkState = { phase: 'connecting' };

  constructor(private readonly o: LinkOptions) {}

  get state(): LinkState {
    return this.current;
  }

  get transport(): Transport | null {
    return this.t;
  }

  start(): void {
    void this.tryOpen().catch(() => undefined);
  }

  /** The transport, connecting now if it is not connected (skips the backoff wait). */
  async ensure(): Promise<Transport> {
    if (this.t) return this.t;
    if (this.current.phase === 'stopped')
      throw new DeviceError(`${this.o.name} is switched off in the settings`);
    return this.tryOpen();
  }

  /** The caller saw the transport fail (a write error): drop it and reconnect. */
  fail(t: Transport, reason: string): void {
    if (t !== this.t) return;
    this.handleLost(t, reason);
  }

  async stop(): Promise<void> {
    this.current = { phase: 'stopped' };
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const t = this.t;
    this.t = null;
    // An open still under way closes its own transport when it sees the stop.
    await this.opening?.catch(() => undefined);
    await t?.close();
  }

  private tryOpen(): Promise<Transport> {
    if (this.opening) return this.opening;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.current.phase !== 'waiting') this.setState({ phase: 'connecting' });
    const opening = this.o
      .open()
      .then(
        (t) => {
          if (this.current.phase === 'stopped') {
            void t.close();
            throw new DeviceError(`${this.o.name} is switched off in the settings`);
          }
          this.t = t;
          this.attempt = 0;
          t.onLost((reason) => this.handleLost(t, reason));
          this.o.onConnected?.(t);
          this.o.log.info({ device: this.o.name, link: t.label }, 'device connected');
          this.setState({ phase: 'connected', since: Date.now() });
          return t;
        },
        (err: unknown) => {
          const message = errMessage(err);
          if (this.current.phase !== 'stopped') this.scheduleRetry(message);
          throw err instanceof DeviceError ? err : new DeviceError(message);
        },
      )
      .finally(() => {
        if (this.opening === opening) this.opening = null;
      });
    this.opening = opening;
    return opening;
  }

  private handleLost(t: Transport, reason: string): void {
    if (t !== this.t) return;
    this.t = null;
    void t.close().catch(() => undefined);
    this.o.log.warn({ device: this.o.name, reason }, 'device lost; reconnecting');
    this.o.onLost?.(reason);
    if (this.current.phase === 'stopped') return;
    this.attempt = 0;
    this.scheduleRetry(reason);
  }

  private scheduleRetry(error: string): void {
    if (this.timer) clearTimeout(this.timer);
    const delay = backoffDelay(this.attempt, this.o.backoff);
    const attempt = ++this.attempt;
    this.setState({ phase: 'waiting', error, retryAt: Date.now() + delay, attempt });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tryOpen().catch(() => undefined);
    }, delay);
    this.timer.unref();
  }

  private setState(s: LinkState): void {
    this.current = s;
    this.o.onState();
  }
}

/** "Reconnecting in 4 s (attempt 3): <why>" for the status bar's tooltip and the Devices screen. */
export function describeLink(s: LinkState, now = Date.now()): string | null {
  switch (s.phase) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return null;
    case 'stopped':
      return 'Switched off';
    case 'waiting': {
      const secs = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
      const end = /[.?!]$/.test(s.error) ? '' : '.';
      return `${s.error}${end} Trying again${secs > 0 ? ` in ${secs} s` : ' now'} (attempt ${s.attempt}).`;
    }
  }
}
