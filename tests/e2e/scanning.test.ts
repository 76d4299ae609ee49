/**
 * Keyboard-wedge scans and a fast-typing CSR, in a real Chromium against the real browser host: a
 * scanner's keys come 0-30 ms apart with jitter (and a busy machine stretches them); a CSR types a
 * bank account number quickly into the check form. Scans are taken wherever the focus is; what the
 * CSR types stays in the field.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DeviceSettings } from '../../shared/devices/settings.js';
import { makeBillStub } from '../../shared/validators/scan.js';
import { closeAll, openInChromium, type RunningCounter, startCounter } from '../support/counter.js';
import { openAccount, openTillInUi, screenshot, signIn, typeTimed } from '../support/counter.js';

let counter: RunningCounter;
let browser: Browser;
let page: Page;

/**
 * Types like a wedge scanner on a busy machine: each key 0-30 ms after the last (seeded jitter), one
 * key held up 70 ms somewhere in the code, then Enter.
 */
async function jitteryScan(code: string, seed: number): Promise<void> {
  let a = seed;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const stall = 2 + (seed % (code.length - 3));
  await typeTimed(page, code, (i) => (i === stall ? 70 : next() * 30));
}

async function accountsOwing(n: number): Promise<{ number: string; cents: number }[]> {
  const rows = (await counter.host.ctx
    .db('accounts')
    .where({ cash_only: 0, status: 'active' })
    .andWhere('balance_cents', '>', 1_000)
    .orderBy('account_number')
    .limit(n)
    .select('account_number', 'balance_cents')) as { account_number: string; balance_cents: number }[];
  return rows.map((r) => ({ number: r.account_number, cents: r.balance_cents }));
}

beforeAll(async () => {
  counter = await startCounter();
  ({ browser, page } = await openInChromium(counter));
  await signIn(page);
  await openTillInUi(page);
});

afterAll(() => closeAll(browser, counter));

describe('wedge scans with jitter', () => {
  it('8 of 8 bill stubs scanned with 0-30 ms jitter and a stalled key open their account, from the search field and from the amount field', async () => {
    const accounts = await accountsOwing(8);
    expect(accounts).toHaveLength(8);
    for (const [i, a] of accounts.entries()) {
      // Half from the lookup's search field (focused, with text in it), half from the payment screen.
      if (i % 2 === 0) {
        await page.keyboard.press('F1');
        await page.getByTestId('search').fill('alv');
      } else {
        await page.getByTestId('amount').focus();
      }
      await jitteryScan(makeBillStub(a.number, a.cents), 100 + i);
      await expect.poll(() => page.getByTestId('account-number').textContent()).toBe(a.number);
      expect(await page.getByTestId('amount').inputValue()).toBe((a.cents / 100).toFixed(2));
      // The amount is the stub's: nothing of the code stayed behind in it.
    }
    await screenshot(page, 'scan-01-after-jittery-scans');
  });

  it('a bank account number typed quickly in the check form stays in its field; the payment posts', async () => {
    const [a] = await accountsOwing(9).then((r) => r.slice(8));
    await openAccount(page, a!.number);
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0-check-number').fill('1001');
    await page.getByTestId('tender-0-routing').fill('011000015');
    // 12345670 is a valid GTIN-8: the "product barcode" a fast CSR's bank account was taken for.
    await page.getByTestId('tender-0-bank-account').focus();
    // A fast CSR on the number pad: 18-35 ms a key, then Tab to the next field; the field keeps it.
    await typeTimed(page, '12345670', (i) => 18 + ((i * 7) % 18), 'Tab');
    expect(await page.getByTestId('tender-0-bank-account').inputValue()).toBe('12345670');
    // Typed again just as fast and ended with Enter, which takes the payment.
    await page.getByTestId('tender-0-bank-account').focus();
    await typeTimed(page, '12345670', (i) => 18 + ((i * 5) % 18), 'Enter');
    await page.getByTestId('done').waitFor();
    if (await page.getByTestId('toast').count())
      expect(await page.getByTestId('toast').textContent()).not.toMatch(/barcode/i);
    const check = (await counter.host.ctx
      .db('tenders')
      .where('type', 'check')
      .orderBy('rowid', 'desc')
      .first('check_number')) as { check_number: string };
    expect(check.check_number).toBe('1001');
    await screenshot(page, 'scan-02-check-typed-fast');
  });

  it('with a prefix (§) set in Devices, a slow scan (150 ms a key) is taken and never reaches the field', async () => {
    const admin = counter.host.newSession();
    const signed = await counter.host.call('session.signIn', { cashierId: '9001', pin: '9999' }, admin);
    expect(signed.ok).toBe(true);
    const info = await counter.host.call('devices.info', {}, admin);
    if (!info.ok) throw new Error(info.error.message);
    const { settings } = info.value as { settings: DeviceSettings };
    const saved = await counter.host.call(
      'devices.saveSettings',
      {
        settings: {
          ...settings,
          scanner: {
            ...settings.scanner,
            wedge: { prefix: { kind: 'char', char: '§' }, suffix: 'enter_or_tab' },
          },
        },
      },
      admin,
    );
    expect(saved.ok).toBe(true);
    await page.keyboard.press('F1');
    await page.getByTestId('search').fill('');
    // The screen learns the framing from the status the host pushes.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    const [a] = (await accountsOwing(10)).slice(9);
    await expect
      .poll(async () => {
        await typeTimed(page, `§${makeBillStub(a!.number, a!.cents)}`, () => 150);
        return page.getByTestId('account-number').textContent();
      })
      .toBe(a!.number);
    // Without the prefix, even a fast, complete code typed into the search field stays typed.
    await page.keyboard.press('F1');
    await typeTimed(page, 'MAIN02-000001', () => 5);
    expect(await page.getByTestId('search').inputValue()).toBe('MAIN02-000001');
    await screenshot(page, 'scan-03-prefix');
  });
});
