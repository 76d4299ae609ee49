/**
 * The counter's devices as the host sees them: one device manager owns the receipt printer (and the
 * drawer behind it), a direct serial drawer, the serial scanner and their status. Settings come from
 * the counter DB (Devices screen); without any, everything is virtual: receipts are decoded and shown
 * on screen, scans come from the keyboard wedge.
 *
 * Every port is watched: an unplugged device goes "offline" with the reason, reconnects by itself
 * with capped exponential backoff, and each change reaches the renderer as events. Plain Node: no
 * `electron` import here.
 */
import type { DeviceTestResult, DevicesInfo, LastScan } from '../../../shared/api/channels/devices.js';
import type { EventName, EventPayload } from '../../../shared/api/contract.js';
import type { Status } from '../../../shared/api/status.js';
import type { ScanFrame } from '../../../shared/devices/scan-line.js';
import {
  DEFAULT_DEVICE_SETTINGS,
  describeDrawerConnection,
  describePrinterConnection,
  describeScannerConnection,
  type DeviceSettings,
} from '../../../shared/devices/settings.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';
import { formatCents } from '../../../shared/money.js';
import { classifyScan } from '../../../shared/validators/scan.js';
import type { ServiceContext } from '../context.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { drawerKickBytes } from './drawer/kick.js';
import { SerialDrawer } from './drawer/serial-drawer.js';
import { PortPrinter, type PortPrinterTiming } from './printer/port-printer.js';
import { composeTestPage } from './printer/test-page.js';
import type { DeviceStatus, ReceiptPrinterDevice } from './printer/types.js';
import { VirtualPrinter } from './printer/virtual-printer.js';
import { listSerialPorts } from './ports.js';
import { SerialScanner } from './scanner/serial-scanner.js';
import { loadDeviceSettings, type StoredDeviceSettings } from './settings-store.js';
import { errMessage } from './transport/types.js';

export type DeviceStatusSnapshot = Pick<Status, 'printer' | 'drawer' | 'scanner'>;

export type DevicesTiming = PortPrinterTiming & {
  /** A scanner line without its end is dropped after this long. */
  partialScanMs: number;
};

export const DEFAULT_DEVICES_TIMING: DevicesTiming = {
  pollMs: 2000,
  backoff: DEFAULT_BACKOFF,
  tcpConnectTimeoutMs: 3000,
  writeTimeoutMs: 5000,
  partialScanMs: 1000,
};

export type CounterDevices = {
  /** The printer receipts go to (also kicks the drawer when the drawer hangs off the printer). */
  printer(): ReceiptPrinterDevice;
  /** Opens the cash drawer; false (never a throw) when it could not. */
  kickDrawer(): Promise<boolean>;
  status(): DeviceStatusSnapshot;
  close(): Promise<void>;
  /** The settings in force. */
  settings(): DeviceSettings;
  /** Everything the Devices screen shows. */
  info(): DevicesInfo;
  /** Closes the current ports and opens the ones these settings name (after they were saved). */
  apply(stored: StoredDeviceSettings): Promise<void>;
  /** Opens the drawer and says how it went (no-sale opens, the Devices screen's Test). */
  openDrawer(): Promise<{ opened: boolean; message: string }>;
  testPrinter(by: string): Promise<DeviceTestResult>;
  testScanner(): DeviceTestResult;
  listPorts: typeof listSerialPorts;
};

export type DevicesOptions = {
  /** The virtual printer to use while the settings say "virtual" (tests pass their own). */
  printer?: ReceiptPrinterDevice;
  /** Host events: serial scans and device changes go to the renderer. */
  emit?: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  /** Called (coalesced) after any device change, so the host can push the status bar. */
  onStatusChange?: () => void;
  timing?: Partial<DevicesTiming>;
  /** Device-file printer paths allowed besides /dev/usb/lpN and /dev/lpN. */
  printerDeviceFiles?: readonly string[];
};

function scanMeaning(code: string): string {
  const scan = classifyScan(code);
  switch (scan.kind) {
    case 'billStub':
      return `Bill stub: account ${scan.stub.accountNumber}, ${formatCents(scan.stub.amountDueCents, { symbol: true })} due`;
    case 'receipt':
      return `Receipt number ${scan.receiptNumber}`;
    case 'gtin':
      return `Product barcode (UPC/EAN) ${scan.code}`;
    case 'serial':
      return `Equipment serial ${scan.code}`;
    case 'invalid':
      return scan.message;
  }
}

export async function createDevices(ctx: ServiceContext, opts: DevicesOptions = {}): Promise<CounterDevices> {
  const timing: DevicesTiming = { ...DEFAULT_DEVICES_TIMING, ...opts.timing };
  const log = ctx.log.child({ service: 'devices' });
  const virtual = opts.printer ?? new VirtualPrinter();
  const defaults: DeviceSettings = {
    ...DEFAULT_DEVICE_SETTINGS,
    printer: { ...DEFAULT_DEVICE_SETTINGS.printer, ...ctx.printerProfile },
  };
  const loaded = await loadDeviceSettings(ctx.db, defaults);
  if (loaded.invalid.length)
    log.warn(
      { devices: loaded.invalid },
      'saved device settings are not valid any more; using defaults for them',
    );

  let settings = loaded.settings;
  let savedAt = loaded.savedAt;
  let savedBy = loaded.savedBy;
  let printer: ReceiptPrinterDevice = virtual;
  let serialDrawer: SerialDrawer | null = null;
  let scanner: SerialScanner | null = null;
  let lastScan: LastScan | null = null;
  let drawerOpenSince: number | null = null;
  let alertTimer: NodeJS.Timeout | null = null;
  let notifyTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let applying: Promise<void> = Promise.resolve();
  /** Bumped on every apply: callbacks from devices of an older generation are ignored. */
  let generation = 0;

  const portPrinter = (): PortPrinter | null => (printer instanceof PortPrinter ? printer : null);

  function drawerSensorHigh(): boolean | null {
    const c = settings.drawer.connection;
    if (c.kind === 'printer') return portPrinter()?.drawerPinHigh ?? null;
    if (c.kind === 'serial') return serialDrawer?.answers ? serialDrawer.sensorHigh : null;
    return null;
  }

  function drawerIsOpen(): boolean | null {
    const high = drawerSensorHigh();
    return high === null ? null : high === (settings.drawer.openWhenSensor === 'high');
  }

  function trackDrawer(): void {
    const open = drawerIsOpen();
    if (open) {
      if (drawerOpenSince === null) {
        drawerOpenSince = Date.now();
        alertTimer = setTimeout(changed, settings.drawer.alertAfterSeconds * 1000 + 50);
        alertTimer.unref();
      }
    } else {
      drawerOpenSince = null;
      if (alertTimer) clearTimeout(alertTimer);
      alertTimer = null;
    }
  }

  /** Coalesces bursts of device changes into one event and one status push. */
  function changed(): void {
    if (closed || notifyTimer) return;
    notifyTimer = setTimeout(() => {
      notifyTimer = null;
      if (closed) return;
      trackDrawer();
      opts.emit?.('devices.changed', info());
      opts.onStatusChange?.();
    }, 0);
  }

  function onScan(gen: number, frame: ScanFrame): void {
    if (gen !== generation || closed) return;
    const at = new Date().toISOString();
    if (frame.ok) {
      lastScan = { at, code: frame.code, meaning: scanMeaning(frame.code) };
      opts.emit?.('scanner.scan', { kind: 'code', code: frame.code, at });
    } else {
      lastScan = { at, code: null, meaning: frame.message };
      log.warn({ reason: frame.message }, 'scanner line refused');
      opts.emit?.('scanner.scan', { kind: 'rejected', message: frame.message, at });
    }
    changed();
  }

  function printerStatus(): DeviceStatus {
    return printer.status();
  }

  function drawerStatus(): DeviceStatusSnapshot['drawer'] {
    const c = settings.drawer.connection;
    const base = { label: 'Drawer', openSince: null, leftOpen: false };
    if (c.kind === 'none')
      return { ...base, state: 'unknown', detail: 'No cash drawer is set up on this counter' };
    if (c.kind === 'printer' && !portPrinter())
      return {
        ...base,
        state: 'unknown',
        label: 'Drawer (virtual)',
        detail: 'Virtual drawer: kicks go to the virtual printer',
      };
    if (c.kind === 'serial' && serialDrawer && !serialDrawer.connected)
      return { ...base, state: 'unknown', detail: serialDrawer.linkDetail() ?? 'Drawer not connected' };
    const open = drawerIsOpen();
    if (open === null)
      return {
        ...base,
        state: 'unknown',
        detail:
          c.kind === 'printer'
            ? 'The printer does not report the drawer sensor: open/closed is not known'
            : c.statusRequest
              ? 'The drawer does not answer status requests'
              : 'The drawer is not asked for its state (no status request set)',
      };
    if (!open) return { ...base, state: 'closed', detail: null };
    const since = drawerOpenSince ?? Date.now();
    const leftOpen = Date.now() - since >= settings.drawer.alertAfterSeconds * 1000;
    return {
      ...base,
      state: 'open',
      openSince: new Date(since).toISOString(),
      leftOpen,
      detail: leftOpen ? 'The cash drawer was left open: close it' : null,
    };
  }

  function scannerStatus(): DeviceStatus {
    if (!scanner)
      return {
        state: 'virtual',
        label: 'Scanner (keyboard)',
        detail: 'Keyboard-wedge scanner: scans work on every screen',
      };
    if (scanner.connected)
      return { state: 'ready', label: 'Scanner', detail: `Serial scanner on ${scanner.path}` };
    return {
      state: 'offline',
      label: 'Scanner',
      detail: `${scanner.detail() ?? 'Not connected'} Keyboard-wedge scans still work.`,
    };
  }

  function info(): DevicesInfo {
    return {
      printer: { ...printerStatus(), connection: describePrinterConnection(settings.printer.connection) },
      drawer: { ...drawerStatus(), connection: describeDrawerConnection(settings.drawer.connection) },
      scanner: { ...scannerStatus(), connection: describeScannerConnection(settings.scanner.connection) },
      lastScan,
      savedAt,
      savedBy,
    };
  }

  async function closePorts(): Promise<void> {
    const closing: Promise<void>[] = [];
    if (printer !== virtual) closing.push(printer.close());
    if (serialDrawer) closing.push(serialDrawer.close());
    if (scanner) closing.push(scanner.close());
    await Promise.allSettled(closing);
    printer = virtual;
    serialDrawer = null;
    scanner = null;
    drawerOpenSince = null;
    if (alertTimer) clearTimeout(alertTimer);
    alertTimer = null;
  }

  function openPorts(): void {
    const gen = ++generation;
    const onChange = (): void => {
      if (gen === generation) changed();
    };
    ctx.printerProfile = {
      type: settings.printer.type,
      columns: settings.printer.columns,
      characterSet: settings.printer.characterSet,
    };
    if (settings.printer.connection.kind !== 'virtual') {
      const p = new PortPrinter(settings.printer, timing, log, onChange, opts.printerDeviceFiles);
      printer = p;
      p.start();
    }
    const d = settings.drawer.connection;
    if (d.kind === 'serial') {
      serialDrawer = new SerialDrawer(
        d,
        { pollMs: timing.pollMs, backoff: timing.backoff, statusTimeoutMs: settings.printer.statusTimeoutMs },
        log,
        onChange,
      );
      serialDrawer.start();
    }
    const s = settings.scanner;
    if (s.connection.kind === 'serial') {
      scanner = new SerialScanner(
        { ...s, connection: s.connection },
        { backoff: timing.backoff, partialScanMs: timing.partialScanMs, pollMs: timing.pollMs },
        log,
        (frame) => onScan(gen, frame),
        onChange,
      );
      scanner.start();
    }
    changed();
  }

  async function openDrawer(): Promise<{ opened: boolean; message: string }> {
    const c = settings.drawer.connection;
    try {
      if (c.kind === 'none') return { opened: false, message: 'No cash drawer is set up on this counter.' };
      if (c.kind === 'serial') {
        if (!serialDrawer) throw new Error('the drawer is not set up');
        await serialDrawer.open();
      } else {
        const kick = drawerKickBytes(settings.printer.type);
        const p = portPrinter();
        if (p) {
          await p.send(kick);
          // Read the sensor soon after, so "drawer open" shows without waiting for the next poll.
          setTimeout(() => void p.refreshStatus().catch(() => undefined), 300).unref();
        } else {
          await printer.print(kick);
        }
      }
      return { opened: true, message: 'Drawer opened.' };
    } catch (err) {
      const why = errMessage(err).replace(/\.$/, '');
      log.warn({ err: why }, 'drawer kick failed');
      return { opened: false, message: `The drawer did not open: ${why}.` };
    }
  }

  // Ports open after the host has finished building (its status push is wired by then).
  setImmediate(() => {
    if (!closed) openPorts();
  });

  return {
    printer: () => printer,
    async kickDrawer() {
      return (await openDrawer()).opened;
    },
    openDrawer,
    status: () => ({
      printer: printerStatus(),
      drawer: drawerStatus(),
      scanner: { ...scannerStatus(), wedge: settings.scanner.wedge },
    }),
    settings: () => settings,
    info,
    apply(stored) {
      // One apply at a time: the ports of one set of settings are closed before the next opens them.
      const run = applying.then(async () => {
        await closePorts();
        settings = stored.settings;
        savedAt = stored.savedAt;
        savedBy = stored.savedBy;
        lastScan = null;
        if (!closed) openPorts();
      });
      applying = run.catch(() => undefined);
      return run;
    },
    async testPrinter(by) {
      const bytes = composeTestPage(settings.printer, {
        terminal: ctx.terminal.code,
        company: ctx.company.name,
        at: ctx.clock.now(),
        timeZone: ctx.clock.timeZone,
        by,
      });
      const lines = decodeEscPos(bytes).lines;
      try {
        await printer.print(bytes);
        await portPrinter()?.refreshStatus();
        const st = printer.status();
        const note = st.state === 'ready' || st.state === 'virtual' ? '' : ` ${st.detail ?? ''}`;
        return {
          ok: true,
          message:
            `Test page sent to ${describePrinterConnection(settings.printer.connection)}.${note}`.trim(),
          lines,
        };
      } catch (err) {
        return {
          ok: false,
          message: `The test page did not print: ${errMessage(err).replace(/\.$/, '')}.`,
          lines,
        };
      } finally {
        changed();
      }
    },
    testScanner() {
      if (lastScan)
        return {
          ok: lastScan.code !== null,
          message: lastScan.code
            ? `Last scan: ${lastScan.code} (${lastScan.meaning})`
            : `Last scan refused: ${lastScan.meaning}`,
        };
      if (!scanner)
        return {
          ok: true,
          message: 'Keyboard-wedge scanner: scan a code into any screen (it types the code and Enter).',
        };
      return scanner.connected
        ? { ok: true, message: `Connected to ${scanner.path}: scan a code now; it shows here.` }
        : { ok: false, message: scanner.detail() ?? 'The scanner is not connected.' };
    },
    listPorts: listSerialPorts,
    async close() {
      closed = true;
      if (notifyTimer) clearTimeout(notifyTimer);
      await closePorts();
      await virtual.close();
    },
  };
}
