/**
 * Equipment end to end in a real Chromium against the real browser host, with a serial barcode scanner
 * and a receipt printer on socat pty pairs (the device emulator on the far ends): a CSR orders a leased
 * modem and a purchased router for Maria by scanning the box barcodes, scans each unit's serial at
 * handover, takes the payment; the printed receipt lists both serials. Then the modem comes back
 * damaged (deposit released less the damage fee; receipt and return-goods invoice printed), and the
 * router is exchanged for another unit under warranty at no charge.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DeviceSettings } from '../../shared/devices/settings.js';
import type { Session } from '../../electron/services/auth/auth.js';
import {
  closeAll,
  openInChromium,
  type RunningCounter,
  signInWithTill,
  startCounter,
} from '../support/counter.js';
import { screenshot, signIn } from '../support/counter.js';
import { printerAndScanner, type BenchDevices } from '../support/device-emulator/index.js';
import { FAST_TIMING, serial } from '../support/device-host.js';

const MODEM_UPC = '076451001019';
const ROUTER_UPC = '076451001033';
const MODEM = 'A42B8C01EF93';
const ROUTER = '3C7A8A100006';
const NEW_ROUTER = '3C7A8A100007';

let bench: BenchDevices['bench'];
let printer: BenchDevices['printer'];
let scanner: BenchDevices['scanner'];
let counter: RunningCounter;
let browser: Browser;
let page: Page;

async function call<T>(channel: string, input: unknown, session: Session): Promise<T> {
  const r = await counter.host.call(channel, input, session);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  ({ bench, printer, scanner } = await printerAndScanner());
  counter = await startCounter({ deviceTiming: FAST_TIMING });
  await signInWithTill(counter.host); // Dana's till is open
  // The IT admin sets up the serial printer (drawer through it) and the serial scanner.
  const admin = counter.host.newSession();
  await call('session.signIn', { cashierId: '9001', pin: '9999' }, admin);
  const { settings } = await call<{ settings: DeviceSettings }>('devices.info', {}, admin);
  await call(
    'devices.saveSettings',
    {
      settings: {
        ...settings,
        printer: { ...settings.printer, connection: { kind: 'serial', serial: serial(printer.path) } },
        scanner: {
          ...settings.scanner,
          connection: { kind: 'serial', serial: serial(scanner.path, { baudRate: 9600 }) },
        },
      },
    },
    admin,
  );
  ({ browser, page } = await openInChromium(counter));
});

afterAll(() => closeAll(browser, counter, bench));

describe('equipment at the counter (CSR, serial scanner, serial printer)', () => {
  it('orders a leased modem and a bought router by scanning, serials at handover, pays; the receipt lists the serials', async () => {
    await signIn(page, '1001', '1234');
    await page.getByTestId('search').waitFor();
    await expect
      .poll(() => page.getByTestId('scanner-status').textContent(), { timeout: 8000 })
      .toBe('Scanner ✓');
    await expect.poll(() => page.getByTestId('printer-status').textContent(), { timeout: 8000 }).toMatch(/✓/);
    await page.getByTestId('search').fill('1000042517');
    await page.getByTestId('result').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('payment').waitFor();

    await page.keyboard.press('F7');
    await page.getByTestId('equipment').waitFor();
    await scanner.emu.scan(MODEM_UPC);
    await page.getByTestId('eq-line-0').waitFor();
    await scanner.emu.scan(ROUTER_UPC);
    await page.getByTestId('eq-line-1').waitFor();
    expect(await page.getByTestId('eq-line-0-mode').inputValue()).toBe('lease');
    expect(await page.getByTestId('eq-line-1-mode').inputValue()).toBe('buy');
    await expect.poll(() => page.getByTestId('eq-due').textContent()).toMatch(/\$190\.71/);
    expect(await page.getByTestId('eq-monthly').textContent()).toMatch(/\$16\.23/);

    // A bad box barcode (check digit) is refused with a message; the order does not change.
    await scanner.emu.scan('076451001018');
    await expect.poll(() => page.getByTestId('toast').textContent()).toMatch(/check digit/);
    expect(await page.locator('[data-testid^="eq-line-"][data-testid$="-mode"]').count()).toBe(2);

    // Serials in any order: each goes to its own item's slot. A serial already on an account is refused.
    await scanner.emu.scan(ROUTER);
    await expect.poll(() => page.getByTestId('eq-serial-1-0').inputValue()).toBe(ROUTER);
    await scanner.emu.scan('A42B8C01EE01');
    await expect
      .poll(() => page.getByTestId('eq-serial-0-0-state').textContent())
      .toMatch(/already assigned to account \*+2517/);
    await screenshot(page, 'equipment-serial-refused');
    // A router serial has no empty router slot left: it goes nowhere (never into the modem's slot)
    // and the screen stays on the order.
    await scanner.emu.scan(NEW_ROUTER);
    await expect
      .poll(() => page.getByTestId('eq-order-error').textContent())
      .toMatch(/no .* waits for a serial/i);
    expect(await page.getByTestId('eq-serial-0-0').inputValue()).toBe('A42B8C01EE01');
    // Scanning the right modem replaces the wrong one: no need to clear it or delete the line.
    await scanner.emu.scan(MODEM);
    await expect.poll(() => page.getByTestId('eq-serial-0-0').inputValue()).toBe(MODEM);
    expect(await page.getByTestId('eq-tab-order').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByTestId('eq-serial-0-0-state').textContent()).toMatch(/in stock/);
    await expect.poll(() => page.getByTestId('eq-serial-1-0-state').textContent()).toMatch(/in stock/);
    await screenshot(page, 'equipment-order');

    await page.keyboard.press('Alt+H');
    await page.getByTestId('payment').waitFor();
    expect(await page.getByTestId('payment-title').textContent()).toBe('Equipment order');
    expect(await page.getByTestId('amount').inputValue()).toBe('190.71');
    await page.keyboard.press('F2');
    await page.getByTestId('tender-0-amount').fill('200');
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    expect(await page.getByTestId('done-change').textContent()).toMatch(/9\.29/);
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toContain('EQUIPMENT ORDER');
    expect(receipt).toContain('MAC A4:2B:8C:01:EF:93');
    expect(receipt).toContain('MAC 3C:7A:8A:10:00:06');
    await printer.emu.waitFor(
      () => printer.emu.text().includes('MAC 3C:7A:8A:10:00:06'),
      5000,
      'order receipt',
    );
    expect(printer.emu.text()).toContain('MAC A4:2B:8C:01:EF:93');
    expect(printer.emu.kicks.length).toBeGreaterThan(0);
    await screenshot(page, 'equipment-paid');
  });

  it('the modem comes back damaged: deposit released less the fee, receipt and return-goods invoice printed', async () => {
    await page.keyboard.press('Enter'); // next customer
    await page.getByTestId('search').waitFor();
    // A serial scanned anywhere opens its return, with the customer's account.
    await scanner.emu.scan(MODEM);
    await page.getByTestId('eq-unit').waitFor();
    expect(await page.getByTestId('eq-unit-account').textContent()).toMatch(/1000042517/);
    expect(await page.getByTestId('account-number').textContent()).toBe('1000042517');
    await page.keyboard.press('Alt+2'); // damaged
    await expect.poll(() => page.getByTestId('eq-return-net').textContent()).toMatch(/Refund\s*\$10\.00/);
    await screenshot(page, 'equipment-return');
    await page.getByTestId('eq-take-return').click();
    await page.getByTestId('eq-posted').waitFor();
    expect(await page.getByTestId('eq-posted-headline').textContent()).toMatch(/Refund \$10\.00 in cash/);
    expect(await page.getByTestId('eq-receipt').textContent()).toMatch(/Damaged equipment fee\s+-\$40\.00/);
    expect(await page.getByTestId('eq-invoice').textContent()).toContain('RETURN-GOODS INVOICE');
    await printer.emu.waitFor(() => printer.emu.text().includes('RETURN-GOODS INVOICE'), 5000, 'invoice');
    await screenshot(page, 'equipment-returned');
  });

  it('the router is exchanged under warranty: the new serial scanned, no charge', async () => {
    await page.keyboard.press('Escape');
    await scanner.emu.scan(ROUTER);
    await page.getByTestId('eq-unit').waitFor();
    await expect.poll(() => page.getByTestId('eq-unit').textContent()).toMatch(/Wi-Fi 6 Router AX3000/);
    await page.keyboard.press('Alt+X');
    await page.getByTestId('eq-exchange').waitFor();
    await scanner.emu.scan(NEW_ROUTER);
    await expect.poll(() => page.getByTestId('eq-exchange-serial').inputValue()).toBe(NEW_ROUTER);
    await expect.poll(() => page.getByTestId('eq-exchange-net').textContent()).toMatch(/No charge/);
    await screenshot(page, 'equipment-exchange');
    await page.getByTestId('eq-exchange-submit').click();
    await page.getByTestId('eq-posted').waitFor();
    expect(await page.getByTestId('eq-posted-headline').textContent()).toMatch(/No charge/);
    expect(await page.getByTestId('eq-receipt').textContent()).toContain('MAC 3C:7A:8A:10:00:07');
    await printer.emu.waitFor(
      () => printer.emu.text().includes('EQUIPMENT EXCHANGE'),
      5000,
      'exchange receipt',
    );

    // The counter's records agree: the old router set aside as defective, the new one on Maria's account.
    const rows = (await counter.host.ctx
      .db('equipment_stock_moves')
      .whereIn('serial', [ROUTER, NEW_ROUTER, MODEM])
      .orderBy('id')
      .select('serial', 'to_status')) as { serial: string; to_status: string }[];
    expect(rows.map((r) => `${r.serial}:${r.to_status}`)).toEqual([
      `${MODEM}:assigned`,
      `${ROUTER}:assigned`,
      `${MODEM}:defective`,
      `${ROUTER}:defective`,
      `${NEW_ROUTER}:assigned`,
    ]);
  });
});
