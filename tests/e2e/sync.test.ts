/**
 * Offline-first, end to end in a real Chromium: an IT admin enrolls the counter from the sync screen;
 * a CSR takes a payment and sees Online; the server stops: the next payment is queued (Offline · 1
 * queued) and its receipt says it posts when the connection returns; the server comes back: the queue
 * drains by itself (Online · 0 queued). A server that answers with an error is "Server error", not
 * "Offline", and receipts are not marked offline. A supervisor sees a payment the server held for review,
 * with the server's reason and the event, in the sync monitor, and marks it resolved with the keyboard.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoAccountNumber } from '../../resources/demo/generate.js';
import { createEnrollmentCode } from '../../server/src/domain/enroll.js';
import { closeAll, openInChromium, type RunningCounter, startCounter, tempDir } from '../support/counter.js';
import { openAccount, openTillInUi, screenshot, signIn } from '../support/counter.js';
import { freePort, seedServer, startServer, waitFor, type RunningServer } from '../support/sync-server.js';

const SERVER_ACCOUNTS = 250; // the counter's demo replica has 300: the last 50 are unknown to the server

let dir: string;
let port: number;
let server: RunningServer | null = null;
let counter: RunningCounter;
let browser: Browser;
let page: Page;

const dbFile = (): string => path.join(dir, 'server.db');
const chip = (): Promise<string> => page.getByTestId('sync-status').innerText();

async function pay(accountNumber: string, amount: string): Promise<void> {
  await openAccount(page, accountNumber);
  await page.getByTestId('amount').fill(amount);
  await page.keyboard.press('F2');
  await page.getByTestId('tender-0-amount').fill(amount);
  await page.keyboard.press('Enter');
  await page.getByTestId('done').waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByTestId('cashier-id').waitFor();
}

beforeAll(async () => {
  dir = tempDir('countertop-e2e-sync-');
  port = await freePort();
  await seedServer({ client: 'sqlite', filename: dbFile() }, SERVER_ACCOUNTS);
  server = await startServer({ client: 'sqlite', filename: dbFile() }, { port });
  counter = await startCounter({
    server: { pullIntervalMs: 1000, backoff: { baseMs: 200, capMs: 1500 }, requestTimeoutMs: 5000 },
  });
  ({ browser, page } = await openInChromium(counter));
});

afterAll(async () => {
  await closeAll(browser, counter);
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('sync, end to end', () => {
  it('an IT admin enrolls the counter from the sync screen', async () => {
    await signIn(page, '9001', '9999');
    await expect.poll(chip).toMatch(/No server · 0 queued/);
    await page.keyboard.press('Control+s');
    await page.getByTestId('sync-screen').waitFor();
    await page.getByTestId('sync-enroll').waitFor();
    await screenshot(page, 'sync-01-not-enrolled');
    const { code } = await createEnrollmentCode(server!.db, { branch: 'MAIN' });
    await page.getByTestId('enroll-url').fill(server!.url);
    await page.getByTestId('enroll-code').fill('WRONG-CODE-1');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('sync-enroll').innerText())
      .toMatch(/12 letters or digits|not valid/);
    await page.getByTestId('enroll-code').fill(code);
    await page.keyboard.press('Enter');
    await expect.poll(chip, { timeout: 20_000 }).toMatch(/^Online · 0 queued/);
    // The monitor refreshes every 2 s and waits behind the first pull's write to the counter's database.
    await expect
      .poll(() => page.getByTestId('sync-card-state').innerText(), { timeout: 10_000 })
      .toMatch(/Online/);
    await screenshot(page, 'sync-02-enrolled');
    await signOut();
  });

  it('takes a payment online; the server stops: the next one is queued and its receipt says so; the server returns: the queue drains by itself', async () => {
    await signIn(page, '1001', '1234');
    await openTillInUi(page);
    await pay('1000042517', '10.00');
    await expect.poll(chip, { timeout: 15_000 }).toMatch(/^Online · 0 queued/);
    expect((await page.getByTestId('receipt').innerText()).replace(/\s+/g, ' ')).not.toMatch(/OFFLINE/);

    await server!.stop();
    server = null;
    await expect.poll(chip, { timeout: 15_000 }).toMatch(/^Offline/);
    await pay('1000042517', '20.00');
    await expect.poll(chip).toMatch(/^Offline · 1 queued/);
    const receipt = (await page.getByTestId('receipt').innerText()).replace(/\s+/g, ' ');
    expect(receipt).toMatch(/OFFLINE: this payment posts to your account when the connection returns/);
    await screenshot(page, 'sync-03-offline');

    server = await startServer({ client: 'sqlite', filename: dbFile() }, { port });
    await expect.poll(chip, { timeout: 20_000 }).toMatch(/^Online · 0 queued/);
    await screenshot(page, 'sync-04-back-online');
    const onServer = (await server.db
      .knex('transactions')
      .where('kind', 'payment')
      .count({ n: '*' })
      .first()) as { n: number };
    expect(Number(onServer.n)).toBe(2);
  });

  it('a server that answers 500 is "Server error", not "Offline"; the receipt is not marked offline', async () => {
    await server!.stop();
    let broken = true;
    server = await startServer(
      { client: 'sqlite', filename: dbFile() },
      {
        port,
        config: {
          push: {
            beforeCommit: () =>
              broken
                ? Promise.reject(Object.assign(new Error('database connection lost'), { code: 'ECONNRESET' }))
                : Promise.resolve(),
          },
        },
      },
    );
    await pay('1000042517', '5.00');
    await expect.poll(chip, { timeout: 15_000 }).toMatch(/^Server error · 1 queued/);
    expect((await page.getByTestId('receipt').innerText()).replace(/\s+/g, ' ')).not.toMatch(/OFFLINE/);
    await screenshot(page, 'sync-04b-server-error');
    broken = false;
    await expect.poll(chip, { timeout: 20_000 }).toMatch(/^Online · 0 queued/);
  });

  it('a supervisor sees a held payment in the sync monitor, with the reason and the event, and resolves it', async () => {
    const unknown = demoAccountNumber(SERVER_ACCOUNTS + 7);
    await pay(unknown, '15.00');
    await expect.poll(chip, { timeout: 15_000 }).toMatch(/^Online · 0 queued · 1 event held for review/);
    await signOut();
    await signIn(page, '2001', '2468');
    await page.getByTestId('sync-status').click();
    await page.getByTestId('sync-rejected').waitFor();
    const row = page.getByTestId('sync-rejected-row').first();
    expect(await row.innerText()).toMatch(new RegExp(`Payment \\$15\\.00 to ${unknown}`));
    expect(await row.innerText()).toMatch(/UNKNOWN_ACCOUNT/);
    expect(await row.innerText()).toMatch(new RegExp(`Account ${unknown} is not on the server`));
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('sync-payload').innerText())
      .toContain(`"accountNumber": "${unknown}"`);
    await screenshot(page, 'sync-05-monitor-rejected');
    // M: mark resolved, with a reason (required); Enter saves.
    await page.keyboard.press('m');
    await page.getByTestId('held-reason').waitFor();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('held-reason-error').innerText())
      .toMatch(/Say how it was resolved/);
    // (Typed at machine speed, the words would look like a barcode scan burst to the wedge detector.)
    await page.getByTestId('held-reason').fill('Customer refunded at the counter');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('sync-resolution').first().innerText(), { timeout: 10_000 })
      .toMatch(/Resolved by 2001 .*: Customer refunded at the counter/);
    await expect.poll(chip, { timeout: 10_000 }).toMatch(/^Online · 0 queued$/);
    await screenshot(page, 'sync-05b-monitor-resolved');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('sync-sent').waitFor();
    await screenshot(page, 'sync-06-monitor-sent');
    await page.keyboard.press('Escape');
    await waitFor('back to work', async () => (await page.getByTestId('sync-screen').count()) === 0, 5000);
  });
});
