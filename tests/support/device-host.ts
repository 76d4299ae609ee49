/**
 * Test support for the device work: a real counter host (real SQLite, demo data) whose devices are
 * configured through the real `devices.saveSettings` call by the demo IT admin, with short poll and
 * reconnect timings, plus sessions for a CSR and a supervisor and a log of the host's events.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import type { EventName } from '../../shared/api/contract.js';
import type { Reply } from '../../shared/api/errors.js';
import type { Tender } from '../../shared/api/schemas.js';
import {
  DEFAULT_DEVICE_SETTINGS,
  DEFAULT_SERIAL,
  type DeviceSettings,
  type SerialOptions,
} from '../../shared/devices/settings.js';
import type { Session } from '../../electron/services/auth/auth.js';
import type { CounterHost, HostConfig } from '../../electron/host/create-host.js';
import { ANY_BALANCE, signInWithTill, startTestHost } from './counter.js';

export const FAST_TIMING = {
  pollMs: 150,
  backoff: { baseMs: 100, capMs: 800, factor: 2, jitter: 0 },
  tcpConnectTimeoutMs: 1500,
  writeTimeoutMs: 3000,
  partialScanMs: 300,
};

export type DeviceHost = {
  host: CounterHost & { dataDir: string };
  admin: Session;
  csr: Session;
  supervisor: Session;
  events: { name: EventName; payload: unknown }[];
  /** Calls a channel and returns the value; throws with the counter's message on an error reply. */
  call<T = unknown>(channel: string, input: unknown, session: Session): Promise<T>;
  /** Calls a channel and returns the raw reply (for error cases). */
  reply(channel: string, input: unknown, session: Session): Promise<Reply<unknown>>;
  save(patch: Partial<DeviceSettings>): Promise<void>;
  close(opts?: { keepData?: boolean }): Promise<void>;
};

export function serial(path: string, extra: Partial<SerialOptions> = {}): SerialOptions {
  return { ...DEFAULT_SERIAL, baudRate: 115200, path, ...extra };
}

export async function startDeviceHost(overrides: Partial<HostConfig> = {}): Promise<DeviceHost> {
  const host = await startTestHost({ deviceTiming: FAST_TIMING, ...overrides });
  const events: DeviceHost['events'] = [];
  host.onEvent((name, payload) => events.push({ name, payload }));
  const reply = (channel: string, input: unknown, session: Session): Promise<Reply<unknown>> =>
    host.call(channel, input, session);
  const call = async <T>(channel: string, input: unknown, session: Session): Promise<T> => {
    const r = await reply(channel, input, session);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const signedIn = async (cashierId: string, pin: string): Promise<Session> => {
    const s = host.newSession();
    await call('session.signIn', { cashierId, pin }, s);
    return s;
  };
  const admin = await signedIn('9001', '9999');
  // Payments need the CSR's till open (counted float).
  const csr = await signInWithTill(host, '1001', '1234');
  const supervisor = await signedIn('2001', '2468');
  return {
    host,
    admin,
    csr,
    supervisor,
    events,
    call,
    reply,
    async save(patch) {
      const current = await call<{ settings: DeviceSettings }>('devices.info', {}, admin);
      await call('devices.saveSettings', { settings: { ...current.settings, ...patch } }, admin);
    },
    async close(opts = {}) {
      await host.close();
      if (!opts.keepData) fs.rmSync(host.dataDir, { recursive: true, force: true });
    },
  };
}

export { DEFAULT_DEVICE_SETTINGS };

/** Polls `fn` until it returns a truthy value (returned), or fails with `what` after `timeoutMs`. */
export async function until<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export function payment(amountCents: number, tenders: Tender[], accountNumber = '1000042517') {
  return { requestId: randomUUID(), accountNumber, amountCents, tenders, ...ANY_BALANCE };
}

export const CARD: Omit<Extract<Tender, { type: 'card' }>, 'amountCents'> = {
  type: 'card',
  brand: 'Visa',
  last4: '4242',
  authCode: 'A1B2C3',
};
