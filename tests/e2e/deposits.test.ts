/**
 * Security deposits end to end in Chromium, as a CSR at the counter: open an account, F6, calculate
 * the required deposit (the working read off the screen matches a hand calculation from the bills),
 * collect it in installments (down payment in cash, the next installment by check), see Maria's deposit
 * accrue interest by calendar year to the cent, refund it (principal + interest, cash, supervisor's PIN
 * over the limit) and read the refund receipt as the printer got it. Then the supervisor's interest
 * batch (idempotent: the second preview shows nothing due), fund report and policies screens (the
 * day count chosen per policy).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { VirtualPrinter } from '../../electron/services/devices/printer/virtual-printer.js';
import { DEPOSIT_POLICIES_KEY } from '../../shared/domain/deposit-ledger.js';
import { decodeEscPos } from '../../shared/escpos/decoder.js';
import { closeAll, openInChromium, type RunningCounter, startCounter } from '../support/counter.js';
import { openAccount, openTillInUi, screenshot, signIn } from '../support/counter.js';

let counter: RunningCounter;
let browser: Browser;
let page: Page;
/** A residential account with no deposit, and its bills (for the hand calculation). */
let fresh: { number: string; bills: { bill_date: string; total_cents: number }[] };

/** The last receipt the printer got (a drawer kick after it is a job of its own). */
const printed = (): string => {
  const jobs = (counter.host.printer as VirtualPrinter).jobs;
  const last = [...jobs].reverse().find((j) => j.decoded.lines.some((l) => l.startsWith('Receipt')));
  return last ? decodeEscPos(last.bytes).lines.join('\n') : '';
};

const text = async (testId: string): Promise<string> => (await page.getByTestId(testId).textContent()) ?? '';

beforeAll(async () => {
  counter = await startCounter();
  const db = counter.host.ctx.db;
  const row = (await db('accounts as a')
    .where({ 'a.class': 'residential', 'a.status': 'active', 'a.cash_only': 0, 'a.deposit_held_cents': 0 })
    .whereNotExists(db('deposits as d').whereRaw('d.account_number = a.account_number'))
    .whereNot('a.account_number', '1000042517')
    .orderBy('a.account_number')
    .first('a.account_number')) as { account_number: string };
  fresh = {
    number: row.account_number,
    bills: (await db('bills')
      .where('account_number', row.account_number)
      .orderBy('bill_date')
      .select('bill_date', 'total_cents')) as { bill_date: string; total_cents: number }[],
  };
  ({ browser, page } = await openInChromium(counter));
});

afterAll(() => closeAll(browser, counter));

describe('deposits at the counter', () => {
  it('calculates, collects in installments, shows interest accrued, refunds with a decoded receipt', async () => {
    await signIn(page);
    await openTillInUi(page);

    // ---- calculate ----
    await openAccount(page, fresh.number);
    await page.keyboard.press('F6');
    await page.getByTestId('deposit').waitFor();
    await page.getByTestId('deposit-none').waitFor();
    await screenshot(page, '60-deposit-none');
    await page.keyboard.press('c');
    await page.getByTestId('deposit-calc').waitFor();
    // By hand: today 2026-11-25; the window is the 12 service months 2025-11 … 2026-10, i.e. the bills
    // issued 2025-12-15 … 2026-11-15 (a bill on the 15th bills the month before). 2 × the exact
    // average, rounded once to the cent, cap $500.00; installments 50 % down (odd cent now) and 2 monthly bills.
    const used = fresh.bills.filter((b) => b.bill_date >= '2025-12-01' && b.bill_date <= '2026-11-30');
    expect(used).toHaveLength(12);
    const total = used.reduce((a, b) => a + b.total_cents, 0);
    const dollars = (c: number): string =>
      `$${Math.floor(c / 100).toLocaleString('en-US')}.${String(c % 100).padStart(2, '0')}`;
    // 2 × the exact average, rounded half-up once: 2 × total ÷ 12 = total ÷ 6 → ⌊(2 × total + 6) ÷ 12⌋.
    const required = Math.min(Math.floor((2 * total + 6) / 12), 50_000);
    // The exact average as the working writes it: every digit to four places of a cent, else "…".
    const tenThousandths = (total * 10_000) / 12;
    const whole = Math.floor(tenThousandths);
    const places = String(whole % 10_000).padStart(4, '0');
    const average = `${dollars(Math.floor(whole / 10_000))}${whole === tenThousandths ? places.replace(/0+$/, '') : `${places}…`}`;
    const down = Math.ceil(required / 2);
    const rest = required - down;
    const bill1 = Math.ceil(rest / 2);
    const bill2 = rest - bill1;
    const working = await text('deposit-working');
    expect(working).toContain('Policy RES-2024 for residential accounts');
    expect(working).toContain(`Bills used: 12 months, 2025-11 to 2026-10, total ${dollars(total)}.`);
    expect(working).toContain(`(${dollars(total)} ÷ 12 = ${average}) = ${dollars(required)}`);
    expect(working).toContain(`Required deposit: ${dollars(required)}.`);
    expect(working).toContain(
      `now ${dollars(down)}, with bill 1 ${dollars(bill1)}, with bill 2 ${dollars(bill2)}`,
    );
    await screenshot(page, '61-deposit-calculated');

    // ---- collect the down payment in cash ----
    await page.keyboard.press('i');
    await page.getByTestId('payment').waitFor();
    expect(await text('payment-title')).toBe('Deposit installment');
    expect(await page.getByTestId('amount').inputValue()).toBe((down / 100).toFixed(2));
    await page.keyboard.press('F2');
    await page.getByTestId('tender-0-amount').fill('100');
    await screenshot(page, '62-deposit-payment');
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    expect(await text('done-change')).toContain(dollars(10_000 - down));
    const downReceipt = printed();
    expect(downReceipt).toContain('DEPOSIT');
    expect(downReceipt).toContain(`Deposit installment (down payment)`);
    expect(downReceipt).toMatch(new RegExp(`TOTAL\\s+\\${dollars(down)}`));
    expect(downReceipt).toContain(`Still due: with bill 1 ${dollars(bill1)}, with bill 2`);
    expect(downReceipt).toContain('Deposit terms (policy RES-2024)');
    // Cash: the drawer was kicked with the full ESC p after the receipt.
    expect(
      decodeEscPos((counter.host.printer as VirtualPrinter).lastJob!.bytes).kicks.map((k) => k.bytes),
    ).toEqual([[0x1b, 0x70, 0x00, 0x19, 0xfa]]);

    // ---- the next installment, by check ----
    await page.keyboard.press('F6');
    await page.getByTestId('deposit-card').waitFor();
    await expect.poll(() => text('deposit-status')).toBe('Partially paid');
    expect(await text('deposit-outstanding')).toContain(dollars(bill1));
    await screenshot(page, '63-deposit-partially-paid');
    await page.keyboard.press('i');
    await page.getByTestId('payment').waitFor();
    expect(await page.getByTestId('amount').inputValue()).toBe((bill1 / 100).toFixed(2));
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0-check-number').fill('1042');
    await page.getByTestId('tender-0-routing').fill('021000021');
    await page.getByTestId('tender-0-bank-account').fill('55443322');
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    expect(printed()).toContain('Deposit installment (due with bill 1)');
    await page.keyboard.press('F6');
    await page.getByTestId('deposit-card').waitFor();
    await expect.poll(() => text('deposit-outstanding')).not.toContain(dollars(bill1) + 'With');
    const outstanding = await text('deposit-outstanding');
    expect(outstanding).toContain('With bill 2');
    expect(outstanding).not.toContain('With bill 1');

    // ---- Maria's deposit: interest by calendar year, to the cent ----
    await openAccount(page, '1000042517');
    await page.keyboard.press('F6');
    await page.getByTestId('deposit-card').waitFor();
    expect(await text('deposit-date-paid')).toBe('Mar 17, 2023');
    // $150.00 paid 2023-03-17 under RES-2018 (simple, actual/365); rates as published 4.71, 5.02, 4.26,
    // 3.85 used to the nearest tenth: 4.7, 5, 4.3, 3.9 %.
    //   2023: 290 days × 150.00 × 4.7 % ÷ 365 = 5.6013… → 5.60
    //   2024: 366 days × 150.00 × 5 %   ÷ 365 = 7.5205… → 7.52
    //   2025: 365 days × 150.00 × 4.3 % ÷ 365 = 6.45
    //   2026: 328 days × 150.00 × 3.9 % ÷ 365 = 5.2570… → 5.26        total 24.83
    const years = await page.getByTestId('deposit-years').locator('tbody tr').allTextContents();
    expect(years.map((y) => y.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^2023290 .*\$150\.00.*4\.7%.*\$5\.60$/),
      expect.stringMatching(/^2024366 .*5%.*\$7\.52$/),
      expect.stringMatching(/^2025365 .*4\.3%.*\$6\.45$/),
      expect.stringMatching(/^2026328 .*3\.9%.*\$5\.26$/),
    ]);
    expect(await text('deposit-interest')).toContain('Interest to today: $24.83');
    expect(await text('deposit-eligibility')).toContain('Eligible for refund');
    expect(await text('deposit-available')).toBe('$174.83');
    await screenshot(page, '64-deposit-maria');

    // ---- refund: principal + interest, cash, over the $50.00 limit ----
    await page.keyboard.press('r');
    await page.getByTestId('deposit-refund').waitFor();
    await screenshot(page, '65-deposit-refund');
    await page.getByTestId('deposit-refund-submit').click();
    await expect.poll(() => text('form-error')).toMatch(/supervisor must approve a refund over \$50\.00/);
    await page.getByTestId('approval-id').fill('2001');
    await page.getByTestId('approval-pin').fill('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-screen').waitFor();
    const refund = printed();
    expect(refund).toContain('DEPOSIT REFUND');
    expect(refund).toContain('Deposit paid 2023-03-17 (policy RES-2018)');
    expect(refund).toContain('2023: 290 days x $150.00 at 4.7% = $5.60');
    expect(refund).toContain('2026: 328 days x $150.00 at 3.9% = $5.26');
    expect(refund).toMatch(/Deposit principal\s+\$150\.00/);
    expect(refund).toMatch(/Interest to today\s+\$24\.83/);
    expect(refund).toMatch(/TOTAL\s+\$174\.83/);
    expect(refund).toMatch(/Cash paid out\s+\$174\.83/);
    expect(refund).toContain('Approved by Sam Okafor (2001)');
    expect(await text('receipt')).toContain('DEPOSIT REFUND');
    await screenshot(page, '66-deposit-refund-receipt');

    await page.keyboard.press('F6');
    await page.getByTestId('deposit').waitFor();
    await page.getByTestId('deposit-none').waitFor();
    expect(await page.getByText('Refunded').count()).toBeGreaterThan(0);

    // The till knows: deposits collected and refunded, cash expected = float + cash in − cash out.
    const till = (await counter.host.ctx.db('tills').where('status', 'open').first()) as { id: string };
    const kinds = (await counter.host.ctx
      .db('transactions')
      .where('till_id', till.id)
      .pluck('kind')) as string[];
    expect(kinds.sort()).toEqual(['deposit', 'deposit', 'deposit_refund', 'till_open']);
  });

  it('the supervisor runs the interest batch (twice: nothing new), reads the fund report and the policies', async () => {
    await page.keyboard.press('Control+l');
    await signIn(page, '2001', '2468');
    await page.keyboard.press('F6');
    await page.getByTestId('deposit-admin').waitFor();
    await page.getByTestId('deposit-fund').waitFor();
    await screenshot(page, '67-deposit-fund');
    const fundToday = await text('deposit-fund-today');
    expect(fundToday).toMatch(/Collected2\$/);
    expect(fundToday).toMatch(/Refunded1\$174\.83/);

    await page.keyboard.press('2');
    await page.getByTestId('deposit-batch-preview').waitFor();
    const due = await text('deposit-batch-preview');
    expect(due).toMatch(/Due now: [1-9]\d* credits/);
    await screenshot(page, '68-deposit-batch');
    await page.keyboard.press('Enter');
    await page.getByTestId('deposit-batch-done').waitFor();
    await expect.poll(() => text('deposit-batch-preview')).toMatch(/Due now: 0 credits/);
    const credits = Number(
      ((await counter.host.ctx.db('deposit_credits').count({ n: '*' }).first()) as { n: number }).n,
    );
    await page.keyboard.press('Enter'); // the button is disabled with nothing due; Enter must not credit again
    expect(
      Number(((await counter.host.ctx.db('deposit_credits').count({ n: '*' }).first()) as { n: number }).n),
    ).toBe(credits);

    await page.keyboard.press('3');
    await page.getByTestId('deposit-policies').waitFor();
    await screenshot(page, '69-deposit-policies');
    // Each policy shows its rounding order and day count; the supervisor switches RES-2024 to
    // actual/actual and it is saved as policy data (the other policies keep actual/365).
    const dayCounts = await page
      .locator('select[data-testid$="-daycount"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(dayCounts.length).toBeGreaterThan(1);
    expect(new Set(dayCounts)).toEqual(new Set(['actual/365']));
    const index = await page
      .locator('tr[data-testid^="policy-"]')
      .evaluateAll((trs) => trs.findIndex((tr) => tr.getAttribute('data-testid') === 'policy-RES-2024'));
    expect(await page.getByTestId(`policy-${index}-rounding`).inputValue()).toBe('exact');
    await page.getByTestId(`policy-${index}-daycount`).selectOption('actual/actual');
    await page.getByTestId('deposit-policies-save').click();
    await expect.poll(() => text('deposit-policies-message')).toMatch(/^Saved \d+ policies/);
    const saved = (await counter.host.ctx.db('policies').where('key', DEPOSIT_POLICIES_KEY).first()) as {
      value: string;
    };
    const stored = JSON.parse(saved.value) as { id: string; interest: { dayCount: string } }[];
    expect(stored.find((p) => p.id === 'RES-2024')?.interest.dayCount).toBe('actual/actual');
    expect(stored.find((p) => p.id === 'RES-2018')?.interest.dayCount).toBe('actual/365');
    // A missing rate year is refused with a clear message and nothing saved.
    await page.getByTestId('rate-2025-remove').click();
    await page.getByTestId('deposit-policies-save').click();
    await expect
      .poll(() => text('deposit-policies-message'))
      .toContain('No interest rate for 2025 in the rate table');
  });
});
