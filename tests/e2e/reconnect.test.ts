/**
 * The host restarts under an open window (same machine, same data folder, same port): the page says
 * the service stopped, then reconnects by itself to a signed-out session, the cashier signs in again,
 * and a reload works too, because the token is kept per data folder. A window with a token from
 * another data folder stays locked out.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/server.js';
import { launchChromium, openCounterPage, signIn, startTestHost, tempDir } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;

const dataDir = tempDir('countertop-reconnect-');
const tokenFile = path.join(dataDir, 'browser-host.token');
const staticDir = path.resolve('dist/renderer');
const demo = { count: 50, months: 1 };

let browser: Browser;
let page: Page;
let host: Host;
let web: BrowserHost;

async function startHost(port?: number): Promise<void> {
  host = await startTestHost({ dataDir, demo });
  web = await startBrowserHost(host, { staticDir, tokenFile, ...(port ? { port } : {}) });
}

async function stopHost(): Promise<void> {
  await web.close();
  await host.close();
}

beforeAll(async () => {
  browser = await launchChromium();
  await startHost();
});

afterAll(async () => {
  await browser?.close();
  await stopHost();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a window open across a restart of the host', () => {
  it('reconnects by itself, signed out, and the cashier signs in again', async () => {
    page = await openCounterPage(browser, web);
    await signIn(page);
    const firstToken = web.token;
    const port = web.port;

    await stopHost();
    await page.getByTestId('service-down').waitFor();

    await startHost(port);
    expect(web.token).toBe(firstToken);
    await page.getByTestId('cashier-id').waitFor();
    await signIn(page);
  });

  it('recovers on a reload as well (the token lives on in the data folder)', async () => {
    const port = web.port;
    await stopHost();
    await startHost(port);
    await page.reload();
    await page.getByTestId('cashier-id').waitFor();
    await signIn(page);
  });

  it('keeps a window whose token is not this folder’s locked out', async () => {
    const stranger = await browser.newPage();
    await stranger.goto(`${web.url}/#token=${'x'.repeat(32)}`);
    await stranger.getByTestId('service-down').waitFor();
    expect(await stranger.getByTestId('cashier-id').count()).toBe(0);
    await stranger.close();
  });
});
