/**
 * Test support for the device work: a real counter host (real SQLite, demo data) whose devices are
 * configured through the real `devices.saveSettings` call by the demo IT admin, with short poll and
 * reconnect timings, plus sessions for a CSR and a supervisor and a log of the host's events.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import { afterAll, beforeAll } from 'vitest';

import type { QueuedReceipt } from '../../shared/api/channels/devices.js';
import type { EventName, PostPaymentOutput } from '../../shared/api/contract.js';
import type { Reply } from '../../shared/api/errors.js';
import type { Tender } from '../../shared/api/schemas.js';
import type { Status } from '../../shared/api/status.js';
import {
  DEFAULT_DEVICE_SETTINGS,
  DEFAULT_SERIAL,
  type DeviceSettings,
  type SerialOptions,
} from '../../shared/devices/settings.js';
import type { Session } from '../../electron/services/auth/auth.js';
import type { CounterHost, HostConfig } from '../../electron/host/create-host.js';
import { ANY_BALANCE, signInWithTill, startTestHost } from './counter.js';
import { DeviceBench } from './device-emulator/index.js';

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
  /** The CSR posts a payment (any balance) on account `accountNumber`. */
  pay(amountCents: number, tenders: Tender[], accountNumber?: string): Promise<PostPaymentOutput>;
  /** The status bar as the CSR sees it. */
  status(): Promise<Status>;
  /** The receipts waiting to print, as the CSR sees them. */
  reprintQueue(): Promise<QueuedReceipt[]>;
  /** How many transactions the counter has posted. */
  transactions(): Promise<number>;
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
    pay: (amountCents, tenders, accountNumber = '1000042517') =>
      call<PostPaymentOutput>(
        'payments.post',
        { requestId: randomUUID(), accountNumber, amountCents, tenders, ...ANY_BALANCE },
        csr,
      ),
    status: () => call<Status>('status.get', {}, csr),
    reprintQueue: async () => (await call<{ items: QueuedReceipt[] }>('devices.reprintQueue', {}, csr)).items,
    transactions: async () =>
      Number(((await host.ctx.db('transactions').count({ n: '*' }).first()) as { n: number }).n),
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

export const CARD: Omit<Extract<Tender, { type: 'card' }>, 'amountCents'> = {
  type: 'card',
  brand: 'Visa',
  last4: '4242',
  authCode: 'A1B2C3',
};

export type DeviceRig = { bench: DeviceBench; h: DeviceHost };

/**
 * A device bench (pty pairs, sockets and device files in its own folder) and a device host, started
 * before the file's tests and closed after them. Hooks and tests read `rig.h` and `rig.bench`; a test
 * that restarts the host sets `rig.h` to the new one so that it is the one closed.
 */
export function deviceRig(config: (bench: DeviceBench) => Partial<HostConfig> = () => ({})): DeviceRig {
  const rig = {} as DeviceRig;
  beforeAll(async () => {
    rig.bench = new DeviceBench();
    rig.h = await startDeviceHost(config(rig.bench));
  });
  afterAll(async () => {
    await rig.h?.close();
    await rig.bench?.close();
  });
  return rig;
}
