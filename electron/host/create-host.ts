/**
 * createCounterHost(config): builds every service from a config object and returns the handler map
 * behind the CounterApi plus an event stream. Electron's main process (ipcMain.handle) and the browser
 * host (WebSocket) both register exactly this, so the code behind a button is the same in both.
 * Plain Node: nothing here imports `electron`.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';

import pino, { type Logger } from 'pino';

import {
  contract,
  isChannel,
  type Channel,
  type EventName,
  type EventPayload,
} from '../../shared/api/contract.js';
import { CounterError, errorFromZod, type Reply } from '../../shared/api/errors.js';
import type { Status } from '../../shared/api/status.js';
import { signOut, type Session } from '../services/auth/auth.js';
import { systemClock, type Clock } from '../services/clock.js';
import type { CompanyConfig, ServiceContext, TerminalConfig } from '../services/context.js';
import { openCounterDb } from '../services/db/connection.js';
import { seedDemoIfEmpty } from '../services/db/seed.js';
import { protectStoredChecks } from '../services/ledger/sensitive.js';
import { createDevices, type CounterDevices, type DevicesTiming } from '../services/devices/index.js';
import type { ReceiptPrinterDevice } from '../services/devices/printer/types.js';
import { newId } from '../services/ids.js';
import { DEFAULT_PROFILE, type PrinterProfile } from '../services/receipts/compose.js';
import { ReceiptService } from '../services/receipts/receipts.js';
import { createSync, type SyncOptions } from '../services/sync/index.js';
import { USD } from '../../resources/currencies/usd.js';
import type { TillPolicy } from '../services/till/till.js';
import { counterModules, zParts } from './capabilities.js';
import type { ModuleConfig } from './capability.js';
import type { HandlerFn, HandlerMap, HostDeps } from './handlers/types.js';

export type HostConfig = {
  /** Folder for counter.db and the terminal's files. */
  dataDir: string;
  dbFile?: string;
  terminal: TerminalConfig;
  company: CompanyConfig;
  printerProfile?: PrinterProfile;
  /** A printer device; the virtual printer (receipts on screen) when absent. */
  printer?: ReceiptPrinterDevice;
  /** Device poll/reconnect timings (tests shorten them); the device settings live in the counter DB. */
  deviceTiming?: Partial<DevicesTiming>;
  /** Device-file printer paths allowed besides /dev/usb/lpN and /dev/lpN. */
  printerDeviceFiles?: string[];
  /** Seed the replica with demo data when it is empty. */
  demo?: { count: number; months?: number; seed?: number } | null;
  clock?: Clock;
  idleLockSeconds?: number;
  /** Till policy: currency denominations, over/short tolerance, drawer maximum, refund approval limit. */
  till?: Partial<TillPolicy>;
  /** The central server (sync): address, one-time enrollment code, timings. Absent: only an existing enrollment syncs. */
  server?: SyncOptions | null;
  logger?: Logger;
};

export const DEFAULT_TILL_POLICY: TillPolicy = {
  currency: USD,
  overShortToleranceCents: 50,
  maxDrawerCashCents: 50_000,
  refundApprovalOverCents: 5_000,
};

export const DEFAULT_TERMINAL: TerminalConfig = {
  code: 'MAIN-02',
  name: 'Main St counter 2',
  branch: 'MAIN',
};
export const DEFAULT_COMPANY: CompanyConfig = {
  name: 'Lakeside Communications',
  address: '200 Main St, Springfield',
  phone: '(217) 555-0100',
  footer: [
    'Equipment returns: 30 days with receipt.',
    'Deposits earn interest; see your terms.',
    'Thank you!',
  ],
};

export type HostEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export type CounterHost = {
  call(channel: string, input: unknown, session: Session): Promise<Reply<unknown>>;
  newSession(): Session;
  /**
   * Host events. `target` is the id of the one session an event is for (its own sign-out); events
   * without a target are for every signed-in window.
   */
  onEvent(listener: (name: EventName, payload: unknown, target?: string) => void): () => void;
  readonly ctx: ServiceContext;
  readonly printer: ReceiptPrinterDevice;
  readonly devices: CounterDevices;
  readonly receipts: ReceiptService;
  close(): Promise<void>;
};

/** The handler map of every module in capabilities.ts; a channel claimed by two modules is a wiring error. */
function handlerMap(deps: HostDeps, config: ModuleConfig): HandlerMap<Channel> {
  const map: Partial<Record<Channel, unknown>> = {};
  const owner = new Map<string, string>();
  for (const module of counterModules) {
    for (const [channel, handler] of Object.entries(module.handlers(deps, config))) {
      const first = owner.get(channel);
      if (first) throw new Error(`channel ${channel} is handled by both ${first} and ${module.name}`);
      owner.set(channel, module.name);
      map[channel as Channel] = handler;
    }
  }
  // capabilities.ts checks at compile time that every channel has a module; the list is complete.
  return map as HandlerMap<Channel>;
}

const ROLE_WORDS: Record<string, string> = { csr: 'a CSR', supervisor: 'a supervisor', admin: 'an IT admin' };

export async function createCounterHost(config: HostConfig): Promise<CounterHost> {
  const clock = config.clock ?? systemClock();
  const log = config.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', name: 'countertop' });
  const db = await openCounterDb(config.dbFile ?? path.join(config.dataDir, 'counter.db'));
  await protectStoredChecks(db);
  if (config.demo) {
    const written = await seedDemoIfEmpty(
      db,
      {
        count: config.demo.count,
        months: config.demo.months ?? 12,
        today: clock.today(),
        ...(config.demo.seed ? { seed: config.demo.seed } : {}),
      },
      clock.now(),
      config.terminal.code,
    );
    if (written) log.info({ accounts: written }, 'demo data loaded');
  }
  const idleLockSeconds = config.idleLockSeconds ?? 300;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>, target?: string): void => {
    emitter.emit('event', name, payload, target);
  };

  let sync: ReturnType<typeof createSync> | null = null;
  const ctx: ServiceContext = {
    db,
    clock,
    terminal: config.terminal,
    company: config.company,
    printerProfile: config.printerProfile ?? DEFAULT_PROFILE,
    log,
    isOnline: () => sync?.isOnline() ?? false,
    lastSyncAt: () => sync?.lastSyncAt() ?? null,
  };
  const devices = await createDevices(ctx, {
    ...(config.printer ? { printer: config.printer } : {}),
    ...(config.deviceTiming ? { timing: config.deviceTiming } : {}),
    ...(config.printerDeviceFiles ? { printerDeviceFiles: config.printerDeviceFiles } : {}),
    emit,
    // Called only after the host is built (devices open their ports on the next tick).
    onStatusChange: () => pushStatus(),
  });
  sync = createSync(ctx, {
    dataDir: config.dataDir,
    options: config.server ?? null,
    // Called only after the host is built (the worker starts on a later tick).
    onChange: () => pushStatus(),
  });
  const receipts = new ReceiptService(
    ctx,
    () => devices.printer(),
    (r) => emit('receipt.printed', r),
  );

  const terminalInfo = {
    code: config.terminal.code,
    name: config.terminal.name,
    branch: config.terminal.branch,
    companyName: config.company.name,
  };
  const sessionState = (s: Session) => ({ cashier: s.cashier, terminal: terminalInfo, idleLockSeconds });

  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => undefined);
    return p;
  };
  async function status(): Promise<Status> {
    return {
      ...devices.status(),
      sync: await (sync as NonNullable<typeof sync>).status(),
      reprintQueue: await receipts.queueLength(),
    };
  }
  const pushStatus = (): void => {
    void track(
      status().then(
        (s) => emit('status.changed', s),
        (err: unknown) => log.error({ err }, 'status failed'),
      ),
    );
  };

  const tillPolicy: TillPolicy = { ...DEFAULT_TILL_POLICY, ...config.till };
  const deps: HostDeps = { ctx, log, devices, sync, receipts, emit, pushStatus, sessionState };
  const moduleConfig: ModuleConfig = {
    tillPolicy,
    reportsDir: path.join(config.dataDir, 'reports'),
    printerDeviceFiles: config.printerDeviceFiles,
    status,
    zParts,
  };
  const handlers = handlerMap(deps, moduleConfig);

  async function call(channel: string, rawInput: unknown, session: Session): Promise<Reply<unknown>> {
    try {
      if (!isChannel(channel))
        throw new CounterError('UNKNOWN_CHANNEL', `Unknown request "${channel.slice(0, 64)}".`);
      const def = contract[channel];
      const now = clock.now().getTime();
      if (def.access !== 'public') {
        if (!session.cashier) throw new CounterError('NOT_SIGNED_IN', 'Sign in first.');
        if (now - session.lastActivityAt > idleLockSeconds * 1000) {
          await signOut(ctx, session, 'idle');
          emit('session.changed', sessionState(session), session.id);
          throw new CounterError(
            'NOT_SIGNED_IN',
            `The counter locked itself after ${Math.round(idleLockSeconds / 60)} minutes idle. Sign in again.`,
          );
        }
        if (def.access !== 'signedIn' && !(def.access as readonly string[]).includes(session.cashier.role)) {
          const who = (def.access as readonly string[]).map((r) => ROLE_WORDS[r] ?? r).join(' or ');
          throw new CounterError('FORBIDDEN', `Only ${who} can do that.`);
        }
      }
      session.lastActivityAt = now;
      const parsed = def.input.safeParse(rawInput ?? {});
      if (!parsed.success) throw errorFromZod(parsed.error);
      const handler = handlers[channel] as HandlerFn<Channel> as (
        input: unknown,
        session: Session,
      ) => Promise<unknown>;
      const value = await track(handler(parsed.data, session));
      const out = def.output.safeParse(value);
      if (!out.success) {
        log.error({ channel, issues: out.error.issues }, 'handler returned a value outside the contract');
        throw new Error(`reply of ${channel} does not match the contract`);
      }
      return { ok: true, value: out.data };
    } catch (err) {
      if (err instanceof CounterError) return { ok: false, error: err.toJSON() };
      log.error({ err, channel }, 'handler failed');
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: 'Something went wrong on this counter. Try again; if it keeps happening, call IT.',
        },
      };
    }
  }

  return {
    call,
    newSession: () => ({ id: newId(), cashier: null, lastActivityAt: clock.now().getTime() }),
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    ctx,
    get printer() {
      return devices.printer();
    },
    devices,
    receipts,
    async close() {
      await (sync as NonNullable<typeof sync>).close();
      await Promise.allSettled([...pending]);
      emitter.removeAllListeners();
      await devices.close();
      await db.destroy();
    },
  };
}
