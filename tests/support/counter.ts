/**
 * Test support: a real counter (real SQLite file in a temp folder, demo data, virtual printer) behind
 * the real browser host, and a real Chromium driven by playwright-core.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Knex } from 'knex';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';

import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/server.js';
import type { CounterHost, HostConfig } from '../../electron/host/create-host.js';
import { fixedClock } from '../../electron/services/clock.js';
import { quietCounterHost } from './child-host.js';

export const TEST_NOW = '2026-11-25T15:00:00Z';

/**
 * For tests that post payments whatever the account owes (many payments on a few demo accounts):
 * the CSR's confirmation that any amount above the balance is credit, and a reason for paying ahead.
 */
export const ANY_BALANCE = { confirmCreditBalance: true, prepayReason: 'next_bill' } as const;

/** A loopback port nobody listened on a moment ago (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** How many rows each of `tables` holds, in that order (PostgreSQL counts come back as strings). */
export async function rowCounts(db: Knex, tables: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (const t of tables)
    out.push(Number(((await db(t).count({ n: '*' }).first()) as { n: number | string }).n));
  return out;
}

export function tempDir(prefix = 'countertop-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestHost(
  overrides: Partial<HostConfig> = {},
): Promise<CounterHost & { dataDir: string }> {
  const dataDir = overrides.dataDir ?? tempDir();
  const host = await quietCounterHost(dataDir, {
    demo: { count: 300 },
    clock: fixedClock(TEST_NOW, 'America/Chicago'),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...overrides,
  });
  return Object.assign(host, { dataDir });
}

export type RunningCounter = {
  host: CounterHost & { dataDir: string };
  web: BrowserHost;
  close(): Promise<void>;
};

/** An active, not cash-only demo account owing more than $150 (not the one the layout tests use). */
export async function owingDemoAccount(counter: RunningCounter): Promise<string> {
  const row = (await counter.host.ctx
    .db('accounts')
    .where({ cash_only: 0, status: 'active' })
    .andWhere('balance_cents', '>', 15_000)
    .whereNot('account_number', '1000042517')
    .first('account_number')) as { account_number: string };
  return row.account_number;
}

export async function startCounter(overrides: Partial<HostConfig> = {}): Promise<RunningCounter> {
  const host = await startTestHost(overrides);
  const web = await startBrowserHost(host, { staticDir: path.resolve('dist/renderer') });
  return {
    host,
    web,
    async close() {
      await web.close();
      await host.close();
      fs.rmSync(host.dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function openCounterPage(browser: Browser, web: BrowserHost): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(web.appUrl);
  return page;
}

/** A browser launched and the counter's page opened in it. */
export async function openInChromium(counter: RunningCounter): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  return { browser, page: await openCounterPage(browser, counter.web) };
}

/** Closes each of `parts` that was opened, in order (the browser before the counter it shows). */
export async function closeAll(...parts: ({ close(): Promise<void> } | null | undefined)[]): Promise<void> {
  for (const part of parts) await part?.close();
}

/**
 * F1, the account found by number, Enter: its payment screen. Waits until the list shows this account
 * first (it may still show the last search for a moment).
 */
export async function openAccount(page: Page, accountNumber: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.getByTestId('search').fill(accountNumber);
  await page.getByTestId('result').first().filter({ hasText: accountNumber }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('payment').waitFor();
}

export async function signIn(page: Page, cashierId = '1001', pin = '1234'): Promise<void> {
  await page.getByTestId('cashier-id').fill(cashierId);
  await page.getByTestId('pin').fill(pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('who').waitFor();
}

const SUFFIX = {
  Enter: { code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' },
  Tab: { code: 'Tab', windowsVirtualKeyCode: 9, text: '' },
} as const;

/**
 * Types `text` with each key stamped `gapMs(i)` after the one before, then the suffix key, through
 * the DevTools protocol. The stamps become the events' timeStamp, as a real keyboard or scanner's
 * hardware times do: what the page sees does not depend on how busy the test machine is.
 */
export async function typeTimed(
  page: Page,
  text: string,
  gapMs: (i: number) => number,
  suffix: keyof typeof SUFFIX | null = 'Enter',
): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  let t = Date.now() / 1000;
  try {
    for (const [i, ch] of [...text].entries()) {
      t += gapMs(i) / 1000;
      await cdp.send('Input.dispatchKeyEvent', {
        type: 'keyDown',
        key: ch,
        text: ch,
        unmodifiedText: ch,
        timestamp: t,
      });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch, timestamp: t + 0.001 });
    }
    if (suffix) {
      t += gapMs(text.length) / 1000;
      const k = SUFFIX[suffix];
      const key = { key: suffix, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, timestamp: t };
      await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key });
      if (k.text) await cdp.send('Input.dispatchKeyEvent', { type: 'char', ...key, text: k.text });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
    }
  } finally {
    await cdp.detach();
  }
}

/** Types a code the way a keyboard-wedge scanner does: a fast burst (3 ms a key) ending in Enter. */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  await typeTimed(page, code, () => 3);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.resolve('test-results', 'screens');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** A standard opening float: 5×$20, 5×$10, 4×$5, 20×$1, 40×25¢ = $200.00. */
export const FLOAT_COUNTS = { b20: 5, b10: 5, b5: 4, b1: 20, c25: 40 };
export const FLOAT_CENTS = 20_000;

type CallHost = Pick<CounterHost, 'call' | 'newSession'>;

/** Signs a cashier in on a new session and opens their till with FLOAT_COUNTS (unless already open). */
export async function signInWithTill(
  host: CallHost,
  cashierId = '1001',
  pin = '1234',
  counts: Record<string, number> = FLOAT_COUNTS,
) {
  const session = host.newSession();
  const signIn = await host.call('session.signIn', { cashierId, pin }, session);
  if (!signIn.ok) throw new Error(signIn.error.message);
  const current = await host.call('till.current', {}, session);
  if (current.ok && current.value === null) {
    const opened = await host.call('till.open', { counts }, session);
    if (!opened.ok) throw new Error(opened.error.message);
  }
  return session;
}

/** Opens the till in the app: the open-till screen shows after sign-in; type the float and press Enter. */
export async function openTillInUi(page: Page, counts: Record<string, number> = FLOAT_COUNTS): Promise<void> {
  await page.getByTestId('open-till').waitFor();
  for (const [id, qty] of Object.entries(counts)) await page.getByTestId(`float-${id}`).fill(String(qty));
  await page.keyboard.press('Enter');
  await page.getByTestId('search').waitFor();
}
