/**
 * The walk-in payment, end to end in a real Chromium against the real browser host and a real SQLite
 * counter database: sign in, scan a bill stub, take cash with change, a split check + cash, and every
 * bad input a CSR can make shows its error next to the field and posts nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { decodeEscPos } from '../../shared/escpos/decoder.js';
import { makeBillStub } from '../../shared/validators/scan.js';
import { type VirtualPrinter } from '../../electron/services/devices/printer/virtual-printer.js';
import { closeAll, openInChromium, type RunningCounter, startCounter } from '../support/counter.js';
import {
  openAccount,
  openTillInUi,
  owingDemoAccount,
  screenshot,
  signIn,
  wedgeScan,
} from '../support/counter.js';

let counter: RunningCounter;
let browser: Browser;
let page: Page;
/** An account that owes more than $100 (the bad-input tests must not depend on Maria's balance). */
let owing: string;

async function transactionCount(): Promise<number> {
  const row = (await counter.host.ctx
    .db('transactions')
    .where('kind', 'payment')
    .count({ n: '*' })
    .first()) as {
    n: number;
  };
  return Number(row.n);
}

beforeAll(async () => {
  counter = await startCounter();
  owing = await owingDemoAccount(counter);
  ({ browser, page } = await openInChromium(counter));
  await screenshot(page, '01-sign-in');
  await signIn(page);
  await screenshot(page, '01b-open-till');
  await openTillInUi(page);
});

afterAll(() => closeAll(browser, counter));

beforeEach(async () => {
  await page.keyboard.press('F1');
});

describe('walk-in payment', () => {
  it('scans a bill stub, takes $100.00 cash on $73.45 and gives $26.55 change, on screen and on the receipt', async () => {
    await screenshot(page, '02-lookup');
    await wedgeScan(page, makeBillStub('1000042517', 7345));
    await page.getByTestId('payment').waitFor();
    expect(await page.getByTestId('account-number').textContent()).toBe('1000042517');
    expect(await page.getByTestId('amount').inputValue()).toBe('73.45');
    await screenshot(page, '03-payment');

    await page.keyboard.press('F2');
    await page.getByTestId('tender-0-amount').fill('100');
    await expect.poll(() => page.getByTestId('change-due').textContent()).toContain('26.55');
    await screenshot(page, '04-payment-cash');
    await page.keyboard.press('Enter');

    await page.getByTestId('done').waitFor();
    expect(await page.getByTestId('done-change').textContent()).toContain('$26.55');
    expect(await page.getByTestId('new-balance').textContent()).toBe('$0.00');
    expect(await page.getByTestId('balance').textContent()).toBe('0.00');
    const shown = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(shown).toContain('Maria Álvarez');
    expect(shown).toMatch(/CHANGE\s+\$26\.55/);
    expect(shown).toMatch(/Cash tendered\s+\$100\.00/);
    await screenshot(page, '05-done');

    // What the printer got: the receipt, then exactly one full 5-byte drawer kick.
    const printer = counter.host.printer as VirtualPrinter;
    const jobs = printer.jobs.slice(-2);
    const receipt = decodeEscPos(jobs[0]!.bytes);
    expect(receipt.lines.join('\n')).toMatch(/CHANGE\s+\$26\.55/);
    expect(receipt.barcodes).toEqual([{ symbology: 'CODE128', data: 'MAIN02-000001' }]);
    expect(receipt.cuts).toBe(1);
    expect(decodeEscPos(jobs[1]!.bytes).kicks.map((k) => k.bytes)).toEqual([[0x1b, 0x70, 0x00, 0x19, 0xfa]]);
  });

  it('takes a check + cash split and shows both on the receipt; F9 reprints it as DUPLICATE', async () => {
    await openAccount(page, '1000042517');
    // Maria owes nothing now: type the amount, and say why she pays ahead.
    await page.getByTestId('amount').fill('120.00');
    await page.getByTestId('prepay-reason').selectOption('next_bill');
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0-amount').fill('100.00');
    await page.getByTestId('tender-0-check-number').fill('1234');
    await page.getByTestId('tender-0-routing').fill('011000015');
    await page.getByTestId('tender-0-bank-account').fill('123456789');
    await page.keyboard.press('F2');
    expect(await page.getByTestId('tender-1-amount').inputValue()).toBe('20.00');
    await page.getByTestId('tender-1-amount').fill('50');
    await expect.poll(() => page.getByTestId('change-due').textContent()).toContain('30.00');
    await screenshot(page, '06-split');
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    const shown = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(shown).toMatch(/Check\s+\$100\.00/);
    expect(shown).toContain('Check #1234');
    expect(shown).toMatch(/CHANGE\s+\$30\.00/);
    expect(shown).toMatch(/Credit balance\s+\$120\.00/);

    await page.keyboard.press('F9');
    await expect
      .poll(async () => (await page.getByTestId('receipt').textContent()) ?? '')
      .toContain('*** DUPLICATE ***');
    const last = (counter.host.printer as VirtualPrinter).lastJob!;
    expect(last.decoded.lines[0]).toBe('*** DUPLICATE ***');
  });

  it('lists today’s payments (F10) and opens a receipt from the list', async () => {
    await page.keyboard.press('F10');
    await page.getByTestId('today').waitFor();
    expect(await page.getByTestId('today-row').count()).toBe(await transactionCount());
    await screenshot(page, '07-today');
    // Newest first; F9 reprints the chosen row, not just the last receipt.
    const second = (await page.getByTestId('today-row').nth(1).locator('td').nth(1).textContent()) ?? '';
    expect(second).toBe('MAIN02-000001');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain(`Reprinted ${second}`);
    await page.keyboard.press('F10');
    await page.getByTestId('today').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-screen').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toContain('Receipt');
  });
});

describe('money typed in the wrong field', () => {
  const used: string[] = [];
  async function owingAccount(minCents: number): Promise<{ number: string; cents: number }> {
    const row = (await counter.host.ctx
      .db('accounts')
      .where({ cash_only: 0, status: 'active' })
      .andWhere('balance_cents', '>', minCents)
      .whereNotIn('account_number', ['1000042517', owing, ...used])
      .orderBy('account_number', 'desc')
      .first('account_number', 'balance_cents')) as { account_number: string; balance_cents: number };
    used.push(row.account_number);
    return { number: row.account_number, cents: row.balance_cents };
  }
  const money = (c: number) => (c / 100).toFixed(2);

  it('the cash handed over typed in "Amount to pay" asks "credit on the account, not change"; typed in the cash tender it gives change', async () => {
    const acct = await owingAccount(5_000);
    const before = await transactionCount();
    await openAccount(page, acct.number);
    // Focus starts in "Amount to pay": the CSR types the $500 the customer handed over there.
    await page.keyboard.type('500');
    expect(await page.getByTestId('amount').inputValue()).toBe('500');
    await expect
      .poll(() => page.getByTestId('credit-warning').textContent())
      .toContain(`$${money(50_000 - acct.cents)} is credit on the account, not change`);
    await page.keyboard.press('F2');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('credit-dialog').textContent())
      .toMatch(/credit on the account, not change/i);
    await screenshot(page, '10-credit-not-change');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('credit-dialog').count()).toBe(0);
    expect(await transactionCount()).toBe(before);

    // The right way: the amount to pay is what is due, the $500 goes in the cash tender.
    await page.getByTestId('amount').fill(money(acct.cents));
    await page.getByTestId('tender-0-amount').fill('500');
    await expect
      .poll(() => page.getByTestId('change-due').textContent())
      .toContain(money(50_000 - acct.cents));
    expect(await page.getByTestId('credit-warning').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    expect(await page.getByTestId('done-change').textContent()).toContain(`$${money(50_000 - acct.cents)}`);
    expect(await page.getByTestId('new-balance').textContent()).toBe('$0.00');
  });

  it('more than due, confirmed as credit with Enter: posts it as credit, no change', async () => {
    const acct = await owingAccount(5_000);
    await openAccount(page, acct.number);
    await page.getByTestId('amount').fill(money(acct.cents + 1_000));
    await page.keyboard.press('F2');
    await page.keyboard.press('Enter');
    await page.getByTestId('credit-dialog').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    expect(await page.getByTestId('new-balance').textContent()).toBe('-$10.00');
  });

  it('$80 on an account that owes nothing needs a reason; with one it posts', async () => {
    const acct = await owingAccount(1_000);
    await counter.host.ctx.db('accounts').where('account_number', acct.number).update({ balance_cents: 0 });
    const before = await transactionCount();
    await openAccount(page, acct.number);
    await page.getByTestId('amount').fill('80');
    await page.keyboard.press('F2');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('prepay-reason-error').textContent())
      .toMatch(/owes nothing.*credit on the account, not change/);
    await screenshot(page, '11-prepay-reason');
    expect(await transactionCount()).toBe(before);
    await page.getByTestId('prepay-reason').selectOption('unbilled_charges');
    await page.getByTestId('tender-0-amount').click();
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    expect(await transactionCount()).toBe(before + 1);
  });
});

describe('bad input gets a clear error next to the field and posts nothing', () => {
  const amounts: [string, RegExp][] = [
    ['-5', /cannot be negative/],
    ['abc', /not an amount/],
    ['0', /more than zero/],
    ['10.123', /at most two decimals/],
  ];
  for (const [typed, message] of amounts) {
    it(`amount "${typed}"`, async () => {
      const before = await transactionCount();
      await openAccount(page, owing);
      await page.getByTestId('amount').fill(typed);
      await page.keyboard.press('F2');
      await page.getByTestId('tender-0-amount').fill('10');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('amount-error').textContent()).toMatch(message);
      expect(await transactionCount()).toBe(before);
    });
  }

  it('tenders that do not cover the amount', async () => {
    const before = await transactionCount();
    await openAccount(page, owing);
    await page.getByTestId('amount').fill('73.45');
    await page.keyboard.press('F2');
    await page.getByTestId('tender-0-amount').fill('50');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/\$23\.45 still due/);
    expect(await transactionCount()).toBe(before);
  });

  it('change on a card: no change is given, the CSR must confirm a credit, Esc posts nothing', async () => {
    const before = await transactionCount();
    await openAccount(page, owing);
    await page.getByTestId('amount').fill('73.45');
    await page.keyboard.press('F4');
    await page.getByTestId('tender-0-amount').fill('100');
    await page.getByTestId('tender-0-last4').fill('4242');
    await page.getByTestId('tender-0-auth').fill('A1B2C3');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('credit-dialog').textContent()).toMatch(/No change is given/);
    await screenshot(page, '08-credit-confirm');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('credit-dialog').count()).toBe(0);
    expect(await transactionCount()).toBe(before);
  });

  it('an invalid routing number', async () => {
    const before = await transactionCount();
    await openAccount(page, owing);
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0-amount').fill('10');
    await page.getByTestId('tender-0-check-number').fill('77');
    await page.getByTestId('tender-0-routing').fill('123456789');
    await page.getByTestId('tender-0-bank-account').fill('55667788');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('tender-0-routing-error').textContent())
      .toMatch(/123456789 is not valid/);
    expect(await transactionCount()).toBe(before);
  });

  it('a check from a cash-only account', async () => {
    const cashOnly = (await counter.host.ctx
      .db('accounts')
      .where('cash_only', 1)
      .first('account_number')) as {
      account_number: string;
    };
    const before = await transactionCount();
    await openAccount(page, cashOnly.account_number);
    await page.getByTestId('cash-only').waitFor();
    await page.getByTestId('amount').fill('10');
    await page.keyboard.press('F3');
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/cash only/);
    expect(await page.getByTestId('tender-0').count()).toBe(0);
    await screenshot(page, '09-cash-only');
    // Cash is fine on the same account.
    await page.keyboard.press('F2');
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    expect(await transactionCount()).toBe(before + 1);
  });

  it('a full card number typed into any field', async () => {
    const before = await transactionCount();
    await openAccount(page, owing);
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0-amount').fill('10');
    await page.getByTestId('tender-0-check-number').fill('77');
    await page.getByTestId('tender-0-routing').fill('011000015');
    await page.getByTestId('tender-0-bank-account').fill('4111111111111111');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('tender-0-bank-account-error').textContent())
      .toMatch(/Never type a full card number/);
    expect(await transactionCount()).toBe(before);
  });

  it('an unknown account, typed or scanned, and a stub with a wrong check digit', async () => {
    await page.getByTestId('search').fill('9999999999');
    await expect.poll(() => page.getByText('No account matches').count()).toBe(1);
    await wedgeScan(page, makeBillStub('9999999999', 1000));
    await expect.poll(() => page.getByTestId('toast').textContent()).toMatch(/No account 9999999999/);
    const good = makeBillStub('1000042517', 7345);
    const bad = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    await wedgeScan(page, bad);
    await expect.poll(() => page.getByTestId('toast').textContent()).toMatch(/check digit/);
    expect(await page.getByTestId('payment').count()).toBe(0);
  });
});
