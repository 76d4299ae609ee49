/**
 * The counter's devices as the host sees them: the receipt printer (and the drawer behind it), the
 * scanner, and their status for the status bar. Without device settings everything is virtual:
 * receipts are decoded and shown on screen, scans come from the keyboard wedge.
 */
import type { Status } from '../../../shared/api/status.js';
import type { ServiceContext } from '../context.js';
import { DRAWER_KICK } from '../receipts/compose.js';
import type { ReceiptPrinterDevice } from './printer/types.js';
import { VirtualPrinter } from './printer/virtual-printer.js';

export type DeviceStatusSnapshot = Pick<Status, 'printer' | 'drawer' | 'scanner'>;

export type CounterDevices = {
  /** The printer receipts go to (also kicks the drawer when the drawer hangs off the printer). */
  printer(): ReceiptPrinterDevice;
  /** Opens the cash drawer; false (never a throw) when it could not. */
  kickDrawer(): Promise<boolean>;
  status(): DeviceStatusSnapshot;
  close(): Promise<void>;
};

export type DevicesOptions = { printer?: ReceiptPrinterDevice };

export function createDevices(ctx: ServiceContext, opts: DevicesOptions = {}): Promise<CounterDevices> {
  const printer = opts.printer ?? new VirtualPrinter();
  return Promise.resolve({
    printer: () => printer,
    async kickDrawer() {
      try {
        await printer.print(DRAWER_KICK);
        return true;
      } catch (err) {
        ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'drawer kick failed');
        return false;
      }
    },
    status: () => ({
      printer: printer.status(),
      drawer: {
        state: 'unknown',
        label: printer.kind === 'virtual' ? 'Drawer (virtual)' : 'Drawer',
        openSince: null,
      },
      scanner: {
        state: 'virtual',
        label: 'Scanner (keyboard)',
        detail: 'Keyboard-wedge scanner: scans work on every screen',
      },
    }),
    close: () => printer.close(),
  });
}
