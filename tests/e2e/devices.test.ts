/**
 * Devices end to end in a real Chromium against the real browser host: the IT admin sets up a serial
 * printer and a serial scanner on the Devices screen (socat pty pairs with the device emulator on the
 * far ends), tests them, and a CSR then scans a bill stub with the serial scanner: the account opens.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeBillStub } from '../../shared/validators/scan.js';
import {
  closeAll,
  openInChromium,
  type RunningCounter,
  signInWithTill,
  startCounter,
} from '../support/counter.js';
import { screenshot, signIn } from '../support/counter.js';
import { printerAndScanner, type BenchDevices } from '../support/device-emulator/index.js';
import { FAST_TIMING } from '../support/device-host.js';

let bench: BenchDevices['bench'];
let printer: BenchDevices['printer'];
let scanner: BenchDevices['scanner'];
let counter: RunningCounter;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ bench, printer, scanner } = await printerAndScanner());
  counter = await startCounter({ deviceTiming: FAST_TIMING });
  await signInWithTill(counter.host); // Dana's till is open for the payment part
  ({ browser, page } = await openInChromium(counter));
});

afterAll(() => closeAll(browser, counter, bench));

describe('Devices screen (IT admin)', () => {
  it('sets up a serial printer and a serial scanner, tests both, and shows the last scan', async () => {
    await signIn(page, '9001', '9999');
    await page.keyboard.press('F11');
    await page.getByTestId('devices').waitFor();
    await expect.poll(() => page.getByTestId('printer-state').textContent()).toBe('Virtual');

    // Printer: serial port, typed (a pty link is not in the OS port list).
    await page.getByTestId('printer-kind').selectOption('serial');
    await page.getByTestId('printer-path').fill(printer.path);
    await page.getByTestId('printer-baud').selectOption('115200');
    // Scanner: serial, 9600 8N1, CR/LF.
    await page.getByTestId('scanner-kind').selectOption('serial');
    await page.getByTestId('scanner-path').fill(scanner.path);
    await page.getByTestId('scanner-baud').selectOption('9600');
    await expect.poll(() => page.getByTestId('test-printer').isDisabled()).toBe(true); // save first
    await page.keyboard.press('Enter'); // in the scanner's baud field: Enter saves
    await expect.poll(() => page.getByTestId('devices-message').textContent()).toMatch(/Saved/);
    await expect.poll(() => page.getByTestId('printer-state').textContent(), { timeout: 8000 }).toBe('Ready');
    await expect.poll(() => page.getByTestId('scanner-state').textContent(), { timeout: 8000 }).toBe('Ready');
    await expect.poll(() => page.getByTestId('drawer-state').textContent(), { timeout: 8000 }).toBe('Closed');

    await page.getByTestId('test-printer').click();
    await expect
      .poll(() => page.getByTestId('test-printer-result').textContent())
      .toMatch(/Test page sent to/);
    await printer.emu.waitFor(() => printer.emu.text().includes('PRINTER TEST PAGE'), 5000, 'test page');

    // A scan on the Devices screen shows as the last scan (and is not routed anywhere).
    await scanner.emu.scan(makeBillStub('1000042517', 7345));
    await expect
      .poll(() => page.getByTestId('last-scan').textContent())
      .toMatch(/A1000042517000073454.*Bill stub: account 1000042517, \$73\.45 due/);
    expect(await page.getByTestId('devices').count()).toBe(1);

    // A bad value is refused next to its field.
    await page.getByTestId('drawer-alert').fill('2');
    await page.getByTestId('devices-save').click();
    await expect
      .poll(() => page.getByTestId('devices-message').textContent())
      .toBe('Not saved: The alert comes after 5 to 3600 seconds.');
    expect(await page.locator('.dev-field.has-error').count()).toBeGreaterThan(0);
    await screenshot(page, 'devices-error');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    expect(await page.getByTestId('drawer-alert').inputValue()).toBe('60');

    await page.getByTestId('test-drawer').click();
    await expect.poll(() => page.getByTestId('test-drawer-result').textContent()).toBe('Drawer opened.');
    await expect.poll(() => page.getByTestId('drawer-state').textContent(), { timeout: 5000 }).toBe('Open');
    printer.emu.state.drawerOpen = false;
    await expect.poll(() => page.getByTestId('drawer-state').textContent(), { timeout: 5000 }).toBe('Closed');
    await screenshot(page, 'devices');
  });
});

describe('serial scanner at the counter (CSR)', () => {
  it('a bill stub scanned with the serial scanner opens the account with the amount due', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, '1001', '1234');
    await page.getByTestId('search').waitFor();
    await expect.poll(() => page.getByTestId('scanner-status').textContent()).toBe('Scanner ✓');

    await scanner.emu.scan(makeBillStub('1000042517', 7345));
    await page.getByTestId('payment').waitFor();
    expect(await page.getByTestId('account-number').textContent()).toBe('1000042517');
    expect(await page.getByTestId('amount').inputValue()).toBe('73.45');
    await screenshot(page, 'serial-scan-payment');
  });

  it('noise from the scanner and an unknown code give a message, never a crash', async () => {
    await scanner.emu.raw(Buffer.from([0xff, 0x80, 0x0d, 0x0a]));
    await expect.poll(() => page.getByTestId('toast').textContent()).toMatch(/unreadable characters/);
    await scanner.emu.scan('12345');
    await expect.poll(() => page.getByTestId('toast').textContent()).toMatch(/Unknown barcode "12345"/);
    expect(await page.getByTestId('payment').count()).toBe(1);
  });

  it('the scanner unplugged shows in the status bar; replugged, it works again by itself', async () => {
    await scanner.endpoint.unplug();
    await expect
      .poll(() => page.getByTestId('scanner-status').textContent(), { timeout: 5000 })
      .toBe('Scanner · offline');
    await screenshot(page, 'scanner-offline');
    await scanner.endpoint.replug();
    await expect
      .poll(() => page.getByTestId('scanner-status').textContent(), { timeout: 8000 })
      .toBe('Scanner ✓');
    await page.keyboard.press('F1');
    await scanner.emu.scan(makeBillStub('1000042517', 7345));
    await page.getByTestId('payment').waitFor();
  });

  it('the reprint queue (F12) lists a receipt the unplugged printer could not print, and prints it after replug', async () => {
    await printer.endpoint.unplug();
    await expect
      .poll(() => page.getByTestId('printer-status').textContent(), { timeout: 5000 })
      .toMatch(/Printer · offline/);
    await page.keyboard.press('F2');
    await page.getByTestId('tender-0-amount').fill('100');
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    await page.getByTestId('print-error').waitFor();
    await expect.poll(() => page.getByTestId('printer-status').textContent()).toMatch(/1 to reprint/);
    await page.keyboard.press('F12');
    await page.getByTestId('reprint-queue').waitFor();
    await expect.poll(() => page.getByTestId('queue-row').count()).toBe(1);
    expect(await page.getByTestId('queue-row').textContent()).toMatch(/No port|disconnected/);
    await screenshot(page, 'reprint-queue');

    await printer.endpoint.replug();
    printer.emu.reset();
    await expect
      .poll(() => page.getByTestId('queue-printer').textContent(), { timeout: 8000 })
      .toMatch(/Printer: ready/);
    await page.getByTestId('print-queue').click();
    await expect.poll(() => page.getByTestId('queue-result').textContent()).toMatch(/The queue is empty/);
    await printer.emu.waitFor(() => printer.emu.cuts === 1, 5000, 'queued receipt');
    expect(printer.emu.text()).toMatch(/CHANGE\s+\$26\.55/);
    await page.getByTestId('queue-empty').waitFor();
  });
});
