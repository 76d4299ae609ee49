/**
 * Adjustments and back billing in a real Chromium against the real browser host and SQLite counter:
 * a CSR's outage credit over the CSR limit asks for a supervisor, then posts and shows on the account
 * as pending (the supervisor's ID field takes the focus, in view); a supervisor's back-billing plan
 * shows its working, its letter (brought into view) and its installments.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pdfText } from '../support/pdf.js';
import {
  closeAll,
  openAccount as openAccountByNumber,
  openInChromium,
  openTillInUi,
  screenshot,
  signIn,
  startCounter,
  type RunningCounter,
} from '../support/counter.js';

let counter: RunningCounter;
let browser: Browser;
let page: Page;
let account: string;
let lineId: string;

/** Whether the element is wholly inside the window (the CSR sees it without scrolling). */
async function inView(testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
}

async function openAccount(): Promise<void> {
  await openAccountByNumber(page, account);
  await page.keyboard.press('Alt+a');
  await page.getByTestId('adjustments').waitFor();
}

beforeAll(async () => {
  counter = await startCounter();
  const row = (await counter.host.ctx
    .db('bill_lines as l')
    .join('bills as b', 'b.id', 'l.bill_id')
    .join('accounts as a', 'a.account_number', 'b.account_number')
    .where('l.amount_cents', '>=', 4000)
    .andWhere('a.status', 'active')
    // The last bill's lines are the services an outage credit can name.
    .andWhereRaw(
      'b.bill_date = (SELECT MAX(x.bill_date) FROM bills x WHERE x.account_number = b.account_number)',
    )
    .orderBy('b.account_number')
    .first('b.account_number', 'l.id')) as { account_number: string; id: number };
  account = row.account_number;
  lineId = String(row.id);
  ({ browser, page } = await openInChromium(counter));
}, 120_000);

afterAll(async () => {
  await closeAll(browser, counter);
});

describe('adjustments', () => {
  it('an outage credit over the CSR limit asks for a supervisor, then posts and shows on the account', async () => {
    await signIn(page);
    await openTillInUi(page);
    await openAccount();
    await page.getByTestId('adj-line').selectOption(lineId);
    await page.getByTestId('adj-days').fill('25');
    await page.getByTestId('adj-memo').fill('Line down after the storm');
    await expect
      .poll(() => page.getByTestId('adj-working').textContent())
      .toMatch(/× 25 days ÷ 30 days in 2026-11/);
    await screenshot(page, 'adj-01-outage');
    await page.keyboard.press('Enter');
    await page.getByTestId('approval').waitFor();
    expect(await page.getByTestId('adj-error').textContent()).toMatch(/supervisor must approve/);
    expect(await counter.host.ctx.db('adjustments').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    // The supervisor types at once: the ID field has the focus and the fields are in view.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('approval-id');
    expect(await inView('approval')).toBe(true);
    await screenshot(page, 'adj-02-needs-supervisor');
    await page.keyboard.type('2001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('adj-posted').waitFor();
    const row = page.getByTestId('adj-row').first();
    expect(await row.textContent()).toMatch(/Service outage credit.*-\$.*approved 2001.*here, pending/);
    await screenshot(page, 'adj-03-posted');
  });

  it("a supervisor's back-billing plan shows its working, its letter and its installments", async () => {
    await page.keyboard.press('Control+l');
    await page.getByTestId('cashier-id').waitFor();
    await signIn(page, '2001', '2468');
    await openTillInUi(page);
    await openAccount();
    await page.keyboard.press('Alt+2');
    await page.getByTestId('bb-desc').waitFor();
    await page.getByTestId('bb-jurisdiction').selectOption('CA');
    await page.getByTestId('bb-desc').fill('Second line never billed');
    await page.getByTestId('bb-from').fill('2026-03');
    await page.getByTestId('bb-to').fill('2026-08');
    await page.getByTestId('bb-amount').fill('12.50');
    await page.getByTestId('bb-go').click();
    await page.getByTestId('bb-preview').waitFor();
    expect(await page.getByTestId('bb-preview').textContent()).toMatch(/8 installments, total \$75\.00/);
    await screenshot(page, 'adj-04-plan');
    await page.getByTestId('bb-go').click();
    await page.getByTestId('bb-letter').waitFor();
    const letter = (await page.getByTestId('bb-letter').textContent()) ?? '';
    expect(letter).toMatch(/Installment 8 due .*: \$9\.37/);
    await expect.poll(() => page.getByTestId('bb-installment').count()).toBe(8);
    await expect
      .poll(() => page.getByTestId('bb-letter').evaluate((el) => el.getBoundingClientRect().top))
      .toBeGreaterThanOrEqual(0);
    await expect
      .poll(() =>
        page
          .getByTestId('bb-letter')
          .evaluate((el) => el.getBoundingClientRect().top < window.innerHeight / 2),
      )
      .toBe(true);
    await screenshot(page, 'adj-05-letter');
    const file = /saved as (\S+\.pdf)/.exec(letter)?.[1] ?? '';
    expect(await pdfText(file)).toMatch(/Second line never billed: 2026-03 to 2026-08 at \$12\.50 a month/);
    await page.keyboard.press('Alt+3');
    await page.getByTestId('adj-report').waitFor();
    expect(await page.getByTestId('adj-report').textContent()).toMatch(/Service outage credit1/);
    await screenshot(page, 'adj-06-report');
  });
});
