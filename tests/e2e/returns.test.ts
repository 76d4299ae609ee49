/**
 * Returned check in Chromium against a real counter: take a check payment, record it as returned
 * (account closed: cash only at once), see the fee with its working, the letter, and the payment screen
 * refusing the next check with why and until when; a supervisor lifts cash only with a reason, and the
 * check is taken again.
 */
import fs from 'node:fs';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  closeAll,
  openAccount,
  openInChromium,
  openTillInUi,
  owingDemoAccount,
  screenshot,
  signIn,
  startCounter,
  type RunningCounter,
} from '../support/counter.js';
import { pdfText } from '../support/pdf.js';

let counter: RunningCounter;
let browser: Browser;
let page: Page;
let owing: string;

beforeAll(async () => {
  counter = await startCounter();
  owing = await owingDemoAccount(counter);
  ({ browser, page } = await openInChromium(counter));
  await signIn(page);
  await openTillInUi(page);
});

afterAll(async () => {
  await closeAll(browser, counter);
});

describe('returned check', () => {
  it('takes a check, records it returned, shows the fee and the letter, and refuses the next check', async () => {
    await openAccount(page, owing);
    await page.getByTestId('amount').fill('120.00');
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0-check-number').fill('4711');
    await page.getByTestId('tender-0-routing').fill('011000015');
    await page.getByTestId('tender-0-bank-account').fill('123456789');
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();

    await page.keyboard.press('Control+k');
    await page.getByTestId('returns').waitFor();
    // The open account's check payments are listed at once; search by the check number instead (once
    // the list is there: Enter on a listed query records).
    await page.getByTestId('returns-checks').waitFor();
    await page.getByTestId('returns-query').fill('4711');
    await page.keyboard.press('Enter');
    await page.getByTestId('returns-checks').waitFor();
    expect(await page.getByTestId('returns-checks').textContent()).toContain('4711');
    await page.getByTestId('reason-account_closed').click();
    await screenshot(page, 'returns-01-find');
    await page.keyboard.press('Enter');
    await page.getByTestId('return-done').waitFor();
    // $120.00 is in the $50.01–$300.00 tier: $30.00 (5% = $6.00).
    expect(await page.getByTestId('return-fee').textContent()).toBe('$30.00');
    expect(await page.getByTestId('return-working').textContent()).toContain('5% of $120.00 = $6.00');
    expect(await page.getByTestId('return-cash-only').textContent()).toMatch(/CASH ONLY until 2027-11-25/);
    await expect
      .poll(() => page.getByTestId('cash-only').textContent())
      .toMatch(/Cash only until 2027-11-25/);
    // The check payment and its return are both still pending: net, the fee was added, not taken.
    await expect
      .poll(() => page.getByTestId('pending').textContent())
      .toMatch(/^\$30\.00 added to the balance at this counter/);
    await screenshot(page, 'returns-02-done');
    const letterPath = (await page.getByTestId('return-letter').textContent()) ?? '';
    expect(fs.existsSync(letterPath)).toBe(true);
    const letter = await pdfText(letterPath);
    expect(letter).toContain('check number 4711 for $120.00');
    expect(letter).toContain('Returned check fee: $30.00');
    expect(letter).toContain('Until 2027-11-25 we can accept only cash, card or money order');

    await openAccount(page, owing);
    await page.getByTestId('amount').fill('10');
    await page.keyboard.press('F3');
    await expect
      .poll(() => page.getByTestId('form-error').textContent())
      .toMatch(/cash only[\s\S]*Cash only until 2027-11-25/);
    expect(await page.getByTestId('tender-0').count()).toBe(0);
    await screenshot(page, 'returns-03-check-refused');

    // A CSR is told who may lift it; the supervisor lifts it with the reason, audited.
    await page.keyboard.press('Control+k');
    await page.getByTestId('returns').waitFor();
    expect(await page.getByTestId('cash-only-lift-hint').textContent()).toContain('Only a supervisor');
    await page.keyboard.press('Control+l');
    await signIn(page, '2001', '2468');
    await openTillInUi(page);
    await openAccount(page, owing);
    await page.keyboard.press('Control+k');
    await page.getByTestId('cash-only-lift').waitFor();
    await page.getByTestId('cash-only-lift-submit').click();
    await expect.poll(() => page.getByTestId('cash-only-lift').textContent()).toMatch(/Give a reason/);
    await page.getByTestId('cash-only-lift-reason').fill('Paid the returned check with a cashier check');
    await screenshot(page, 'returns-04-lift');
    await page.keyboard.press('Enter');
    await page.getByTestId('cash-only-lifted').waitFor();
    expect(await page.getByTestId('cash-only').count()).toBe(0);
    const audit = (await counter.host.ctx
      .db('audit_log')
      .where({ actor: '2001', action: 'cashOnly.lift' })
      .first('details')) as { details: string };
    expect(audit.details).toContain('Paid the returned check with a cashier check');

    await openAccount(page, owing);
    await page.getByTestId('amount').fill('10');
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0').waitFor();
  });
});
