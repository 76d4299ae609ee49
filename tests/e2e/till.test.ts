/**
 * A shift at the counter, end to end in Chromium: open the till with a counted float, take a cash, a
 * check and a card payment, void the check with a supervisor, drop cash to the safe, close with a
 * blind count $1.00 short, the supervisor accepts it, and the Z report (as the printer got it, and as
 * the PDF reads in pdf.js) shows the right totals and the $1.00 short.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodeEscPos } from '../../shared/escpos/decoder.js';
import type { VirtualPrinter } from '../../electron/services/devices/printer/virtual-printer.js';
import { verifyAuditChain } from '../../electron/services/audit/audit.js';
import { closeAll, openInChromium, type RunningCounter, startCounter } from '../support/counter.js';
import { openAccount, openTillInUi, screenshot, signIn } from '../support/counter.js';
import { pdfText } from '../support/pdf.js';

let counter: RunningCounter;
let browser: Browser;
let page: Page;
let accounts: string[];

async function pay(
  accountNumber: string,
  amount: string,
  tender: 'F2' | 'F3' | 'F4',
  fill: (page: Page) => Promise<void>,
): Promise<string> {
  await openAccount(page, accountNumber);
  await page.getByTestId('amount').fill(amount);
  await page.keyboard.press(tender);
  await fill(page);
  await page.keyboard.press('Enter');
  await page.getByTestId('done').waitFor();
  const heading = (await page.locator('.rno').textContent()) ?? '';
  return heading.replace('Receipt ', '').trim();
}

async function approve(): Promise<void> {
  await page.getByTestId('approval-id').fill('2001');
  await page.getByTestId('approval-pin').fill('2468');
}

beforeAll(async () => {
  counter = await startCounter();
  accounts = (
    (await counter.host.ctx
      .db('accounts')
      .where('cash_only', 0)
      .whereNot('account_number', '1000042517')
      // They owe more than the $50 and $30 paid: paying more would need the credit confirmation.
      .andWhere('balance_cents', '>=', 5_000)
      .limit(2)
      .select('account_number')) as { account_number: string }[]
  ).map((a) => a.account_number);
  ({ browser, page } = await openInChromium(counter));
});

afterAll(() => closeAll(browser, counter));

describe('a shift: open, take payments, void, drop, close $1.00 short, Z report', () => {
  it('runs the whole shift and the Z report adds up', async () => {
    await signIn(page);
    // No payment before the till is open: the counter asks for the float first.
    await page.getByTestId('open-till').waitFor();
    await page.getByTestId('float-b20').fill('5');
    await page.getByTestId('float-b10').fill('5');
    await page.getByTestId('float-b5').fill('4');
    await page.getByTestId('float-b1').fill('20');
    await page.getByTestId('float-c25').fill('40');
    await expect.poll(() => page.getByTestId('float-total').textContent()).toContain('$200.00');
    await screenshot(page, '20-open-till');
    await openTillInUi(page, {});

    // Three payments: cash (change 26.55), check, card.
    await pay('1000042517', '73.45', 'F2', (p) => p.getByTestId('tender-0-amount').fill('100'));
    const checkReceipt = await pay(accounts[0]!, '50.00', 'F3', async (p) => {
      await p.getByTestId('tender-0-check-number').fill('2201');
      await p.getByTestId('tender-0-routing').fill('021000021');
      await p.getByTestId('tender-0-bank-account').fill('99887766');
    });
    await pay(accounts[1]!, '30.00', 'F4', async (p) => {
      await p.getByTestId('tender-0-last4').fill('4242');
      await p.getByTestId('tender-0-auth').fill('OK7788');
    });

    // Void the check with a supervisor, from today's list.
    await page.keyboard.press('F10');
    await page.getByTestId('today').waitFor();
    const rows = page.getByTestId('today-row');
    const index = (await rows.allTextContents()).findIndex((t) => t.includes(checkReceipt));
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('v');
    await page.getByTestId('void').waitFor();
    await page.getByTestId('void-reason').fill('Customer paid twice by mistake');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/supervisor must approve/);
    await approve();
    await screenshot(page, '21-void');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-screen').waitFor();
    const voidSlip = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(voidSlip).toContain('*** VOID ***');
    expect(voidSlip).toContain(`VOID of receipt ${checkReceipt}`);
    expect(voidSlip).toContain('Approved by Sam Okafor (2001)');

    // Drop $100.00 to the safe.
    await page.keyboard.press('F8');
    await page.getByTestId('till-menu').waitFor();
    await screenshot(page, '22-till-menu');
    await page.keyboard.press('d');
    await page.getByTestId('drop').waitFor();
    await page.getByTestId('drop-count-b20').fill('5');
    await approve();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-screen').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toContain('CASH DROP');

    // Close: expected cash 200.00 + 73.45 - 100.00 = 173.45; counted 172.45 ($1.00 short).
    await page.keyboard.press('F8');
    await page.keyboard.press('c');
    await page.getByTestId('close-till').waitFor();
    await expect.poll(() => page.getByText('Cash expected').count()).toBe(0); // blind: nothing expected shown
    await page.getByTestId('close-cash-b20').fill('5');
    await page.getByTestId('close-cash-b10').fill('5');
    await page.getByTestId('close-cash-b1').fill('19');
    await page.getByTestId('close-cash-c25').fill('13');
    await page.getByTestId('close-cash-c10').fill('2');
    await page.getByTestId('close-card-batch').fill('30.00');
    await screenshot(page, '23-close-count');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('close-over-short').textContent()).toBe('$1.00 short');
    await page.getByTestId('close-note').fill('Short one dollar, recounted twice');
    await approve();
    await screenshot(page, '24-close-supervisor');
    await page.keyboard.press('Enter');
    await page.getByTestId('zreport').waitFor();
    await screenshot(page, '25-z-report');

    // The Z report as the printer received it.
    const printed = decodeEscPos((counter.host.printer as VirtualPrinter).lastJob!.bytes).lines.join('\n');
    expect(printed).toMatch(/Z REPORT Z-MAIN02-0001/);
    expect(printed).toMatch(/Cash \(1\)\s+\$73\.45/);
    expect(printed).toMatch(/Check \(0\)\s+\$0\.00/);
    expect(printed).toMatch(/Card \(1\)\s+\$30\.00/);
    expect(printed).toMatch(/Payments \(3\)\s+\$153\.45/);
    expect(printed).toMatch(/Voids \(1\)\s+\$50\.00/);
    expect(printed).toMatch(/Cash drops \(1\)\s+\$100\.00/);
    expect(printed).toMatch(/Opening float\s+\$200\.00/);
    expect(printed).toMatch(/Expected in drawer\s+\$173\.45/);
    expect(printed).toMatch(/Counted\s+\$172\.45/);
    expect(printed).toMatch(/Cash over\/short\s+\$1\.00 SHORT/);
    expect(printed).toMatch(/Card terminal batch\s+\$30\.00/);
    expect(printed).toMatch(/Void MAIN02-\d{6}\s+\$50\.00\n\s+approved by\s+Sam Okafor \(2001\)/);
    expect(printed).toMatch(/Cash drop MAIN02-\d{6}\s+\$100\.00\n\s+approved by\s+Sam Okafor \(2001\)/);
    expect(printed).toMatch(/Close accepted by\s+Sam Okafor \(2001\)/);

    // And the PDF, read back by pdf.js.
    const pdfPath = (await page.getByTestId('z-pdf').textContent()) ?? '';
    const text = await pdfText(pdfPath);
    expect(text).toContain('Z report Z-MAIN02-0001');
    expect(text).toMatch(/Expected in drawer \$173\.45/);
    expect(text).toMatch(/Counted \$172\.45/);
    expect(text).toMatch(/Cash over\/short \$1\.00 SHORT/);
    expect(text).toMatch(/Close accepted by Sam Okafor \(2001\)/);

    // The books: the till's drawer accounts are back to zero, over/short holds the dollar, chain intact.
    const db = counter.host.ctx.db;
    const sums = (await db('journal_lines')
      .groupBy('ledger_account')
      .select('ledger_account', db.raw('SUM(cents) as cents'))) as {
      ledger_account: string;
      cents: number;
    }[];
    const bal = (a: string) => sums.find((s) => s.ledger_account === a)?.cents ?? 0;
    expect(bal('drawer:cash')).toBe(0);
    expect(bal('drawer:checks')).toBe(0);
    expect(bal('over_short')).toBe(100);
    expect(bal('safe:cash')).toBe(-20000 + 10000 + 17245);
    expect(sums.reduce((a, s) => a + s.cents, 0)).toBe(0);
    expect((await verifyAuditChain(db)).ok).toBe(true);

    // After the close the counter asks for a new float before the next payment.
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.getByTestId('open-till').waitFor();
    expect(await page.getByTestId('till-status').textContent()).toBe('Till closed');
  });

  it('Ctrl+L locks the counter; the till stays open for the cashier', async () => {
    await page.getByTestId('float-b20').fill('10');
    await page.keyboard.press('Enter');
    await page.getByTestId('search').waitFor();
    expect(await page.getByTestId('till-status').textContent()).toBe('Till open');
    await page.keyboard.press('Control+l');
    await page.getByTestId('cashier-id').waitFor();
    await signIn(page);
    await page.getByTestId('search').waitFor();
    expect(await page.getByTestId('open-till').count()).toBe(0);
  });

  it('a supervisor sees every till of the day and reprints a Z report as DUPLICATE', async () => {
    await page.keyboard.press('Control+l');
    await signIn(page, '2001', '2468');
    await page.keyboard.press('F8');
    await page.keyboard.press('s');
    await page.getByTestId('tills').waitFor();
    await expect.poll(() => page.getByTestId('till-row').count()).toBe(2);
    const first = (await page.getByTestId('till-row').first().textContent()) ?? '';
    expect(first).toContain('Dana Whitfield');
    expect(first).toContain('Closed');
    expect(first).toContain('-$1.00');
    await screenshot(page, '26-supervisor-tills');
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('audit-result').textContent()).toMatch(/Audit chain intact/);
    await page.keyboard.press('r');
    await page.getByTestId('zreport').waitFor();
    expect((await page.getByTestId('z-lines').textContent()) ?? '').toContain('*** DUPLICATE ***');
    expect(decodeEscPos((counter.host.printer as VirtualPrinter).lastJob!.bytes).lines[0]).toBe(
      '*** DUPLICATE ***',
    );
  });
});
