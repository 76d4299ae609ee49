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
  type ChannelOutput,
  type ChannelParsedInput,
  type EventName,
  type EventPayload,
} from '../../shared/api/contract.js';
import { CounterError, errorFromZod, type Reply } from '../../shared/api/errors.js';
import type { Status } from '../../shared/api/status.js';
import { addCents } from '../../shared/money.js';
import { classifyScan } from '../../shared/validators/scan.js';
import { getAccountDetail, getAccountRow, searchAccounts } from '../services/accounts/accounts.js';
import { signIn, signOut, type Session } from '../services/auth/auth.js';
import { systemClock, type Clock } from '../services/clock.js';
import type { CompanyConfig, ServiceContext, TerminalConfig } from '../services/context.js';
import { openCounterDb } from '../services/db/connection.js';
import { seedDemoIfEmpty } from '../services/db/seed.js';
import type { ReceiptPrinterDevice } from '../services/devices/printer/types.js';
import { VirtualPrinter } from '../services/devices/printer/virtual-printer.js';
import { newId } from '../services/ids.js';
import { paymentResult, paymentSummaries, postPayment } from '../services/ledger/payments.js';
import { outboxStats } from '../services/outbox/outbox.js';
import { DEFAULT_PROFILE, type PrinterProfile } from '../services/receipts/compose.js';
import { ReceiptService } from '../services/receipts/receipts.js';

export type HostConfig = {
  /** Folder for counter.db and the terminal's files. */
  dataDir: string;
  dbFile?: string;
  terminal: TerminalConfig;
  company: CompanyConfig;
  printerProfile?: PrinterProfile;
  /** A printer device; the virtual printer (receipts on screen) when absent. */
  printer?: ReceiptPrinterDevice;
  /** Seed the replica with demo data when it is empty. */
  demo?: { count: number; months?: number; seed?: number } | null;
  clock?: Clock;
  idleLockSeconds?: number;
  logger?: Logger;
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

type Handlers = {
  [C in Channel]: (input: ChannelParsedInput<C>, session: Session) => Promise<ChannelOutput<C>>;
};

export type HostEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export type CounterHost = {
  call(channel: string, input: unknown, session: Session): Promise<Reply<unknown>>;
  newSession(): Session;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  readonly ctx: ServiceContext;
  readonly printer: ReceiptPrinterDevice;
  readonly receipts: ReceiptService;
  close(): Promise<void>;
};

const ROLE_WORDS: Record<string, string> = { csr: 'a CSR', supervisor: 'a supervisor', admin: 'an IT admin' };

export async function createCounterHost(config: HostConfig): Promise<CounterHost> {
  const clock = config.clock ?? systemClock();
  const log = config.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', name: 'countertop' });
  const db = await openCounterDb(config.dbFile ?? path.join(config.dataDir, 'counter.db'));
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
    );
    if (written) log.info({ accounts: written }, 'demo data loaded');
  }
  const idleLockSeconds = config.idleLockSeconds ?? 300;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    emitter.emit('event', name, payload);
  };

  const ctx: ServiceContext = {
    db,
    clock,
    terminal: config.terminal,
    company: config.company,
    printerProfile: config.printerProfile ?? DEFAULT_PROFILE,
    log,
    isOnline: () => false,
    lastSyncAt: () => null,
  };
  const printer: ReceiptPrinterDevice = config.printer ?? new VirtualPrinter();
  const receipts = new ReceiptService(
    ctx,
    () => printer,
    (r) => emit('receipt.printed', r),
  );

  const terminalInfo = {
    code: config.terminal.code,
    name: config.terminal.name,
    branch: config.terminal.branch,
    companyName: config.company.name,
  };
  const sessionState = (s: Session) => ({ cashier: s.cashier, terminal: terminalInfo, idleLockSeconds });

  async function status(): Promise<Status> {
    const stats = await outboxStats(db);
    return {
      printer: printer.status(),
      drawer: {
        state: 'unknown',
        label: printer.kind === 'virtual' ? 'Drawer (virtual)' : 'Drawer',
        openSince: null,
      },
      scanner: {
        state: 'virtual',
        label: 'Scanner (keyboard)',
        detail: 'Keyboard-wedge scanner: scans work on every screen',
      },
      sync: {
        state: 'not_enrolled',
        queued: stats.queued,
        oldestQueuedAt: stats.oldestQueuedAt,
        lastSyncAt: ctx.lastSyncAt(),
        rejected: stats.rejected,
      },
      reprintQueue: await receipts.queueLength(),
    };
  }
  const pushStatus = (): void => {
    status().then(
      (s) => emit('status.changed', s),
      (err: unknown) => log.error({ err }, 'status failed'),
    );
  };

  const handlers: Handlers = {
    'session.state': (_input, session) => Promise.resolve(sessionState(session)),
    'session.signIn': async (input, session) => {
      session.cashier = await signIn(ctx, input.cashierId, input.pin);
      return sessionState(session);
    },
    'session.signOut': async (_input, session) => {
      await signOut(ctx, session, 'user');
      return sessionState(session);
    },
    'status.get': () => status(),
    'accounts.search': (input) => searchAccounts(db, input.query, input.limit),
    'accounts.get': (input) => getAccountDetail(db, input.accountNumber, clock.today()),
    'scan.resolve': async (input) => {
      const scan = classifyScan(input.code);
      switch (scan.kind) {
        case 'billStub':
          await getAccountRow(db, scan.stub.accountNumber);
          return {
            kind: 'account',
            accountNumber: scan.stub.accountNumber,
            amountDueCents: scan.stub.amountDueCents,
            source: 'billStub',
          };
        case 'receipt':
          await receipts.get(scan.receiptNumber);
          return { kind: 'receipt', receiptNumber: scan.receiptNumber };
        case 'gtin':
          return { kind: 'gtin', code: scan.code };
        case 'serial':
          return { kind: 'serial', code: scan.code };
        case 'invalid':
          return { kind: 'unknown', code: scan.code, message: scan.message };
      }
    },
    'payments.post': async (input, session) => {
      const cashier = session.cashier as NonNullable<Session['cashier']>;
      const posted = await postPayment(ctx, input, cashier);
      const base = await paymentResult(ctx, posted);
      if (posted.replay) {
        return { ...base, receipt: await receipts.get(posted.receiptNumber), drawerOpened: false };
      }
      const receipt = await receipts.printOriginal(posted.receiptNumber);
      const drawerOpened = posted.drawerTenders ? await receipts.kickDrawer() : false;
      pushStatus();
      return { ...base, receipt, drawerOpened };
    },
    'payments.today': async () => {
      const businessDate = clock.today();
      const payments = await paymentSummaries(db, (q) =>
        q.where('t.business_date', businessDate).andWhere('t.terminal_code', config.terminal.code),
      );
      const byTender = (await db('tenders as d')
        .join('transactions as t', 't.id', 'd.transaction_id')
        .where('t.business_date', businessDate)
        .andWhere('t.terminal_code', config.terminal.code)
        .groupBy('d.type')
        .select('d.type', db.raw('count(*) as count'), db.raw('sum(d.net_cents) as amountCents'))) as {
        type: string;
        count: number;
        amountCents: number;
      }[];
      return {
        businessDate,
        payments,
        totals: {
          count: payments.length,
          amountCents: addCents(...payments.map((p) => p.amountCents)),
          byTender,
        },
      };
    },
    'receipts.get': (input) => receipts.get(input.receiptNumber),
    'receipts.reprint': async (input, session) => {
      const receipt = await receipts.reprint(
        input.receiptNumber,
        session.cashier as NonNullable<Session['cashier']>,
      );
      pushStatus();
      return receipt;
    },
  };

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
          emit('session.changed', sessionState(session));
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
      const handler = handlers[channel] as (input: unknown, session: Session) => Promise<unknown>;
      const value = await handler(parsed.data, session);
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
    printer,
    receipts,
    async close() {
      emitter.removeAllListeners();
      await printer.close();
      await db.destroy();
    },
  };
}
