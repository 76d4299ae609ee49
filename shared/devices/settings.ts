/**
 * Device settings: how the counter reaches its receipt printer, cash drawer and barcode scanner. An IT
 * admin edits them on the Devices screen; the host stores them in the counter DB. Every value crosses
 * the IPC/WebSocket boundary, so everything is a zod schema.
 */
import { z } from 'zod';

/** A serial device path: /dev/ttyUSB0, /dev/serial/by-id/…, COM3, or a pty link in tests. */
export const DevicePathSchema = z
  .string()
  .trim()
  .min(1, 'Type the port path, e.g. /dev/ttyUSB0.')
  .max(200, 'That path is too long.')
  .refine((p) => /^(\/[\w.@+:,=-]+)+$|^COM\d{1,3}$|^\\\\\.\\COM\d{1,3}$/.test(p), {
    message: 'A port path looks like /dev/ttyUSB0, /dev/serial/by-id/… or COM3.',
  });

/** Printer device nodes a device-file printer may write to, unless the terminal's config lists others. */
const PRINTER_DEVICE_NODE = /^\/dev\/(usb\/)?lp\d{1,3}$/;

/**
 * Why `path` may not be a device-file printer, or null when it may: /dev/usb/lpN, /dev/lpN or a path
 * in `allowed` (countertop.json `printerDeviceFiles`). Anything else could be a file the counter's
 * user can write (a report, a config file), and receipts would be appended to it.
 */
export function printerDeviceFileProblem(path: string, allowed: readonly string[] = []): string | null {
  if (PRINTER_DEVICE_NODE.test(path) || allowed.includes(path)) return null;
  return `${path} is not a printer device: a device-file printer is /dev/usb/lp0 or /dev/lp0 (other device paths must be listed in printerDeviceFiles in countertop.json).`;
}

export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

export const SerialOptionsSchema = z
  .object({
    path: DevicePathSchema,
    baudRate: z
      .number()
      .int()
      .refine((b) => (BAUD_RATES as readonly number[]).includes(b), {
        message: `Baud rate is one of ${BAUD_RATES.join(', ')}.`,
      }),
    dataBits: z.union([z.literal(7), z.literal(8)]),
    parity: z.enum(['none', 'even', 'odd']),
    stopBits: z.union([z.literal(1), z.literal(2)]),
    /** Hardware flow control (RTS/CTS); most receipt printers want it on a real RS-232 cable. */
    rtscts: z.boolean(),
  })
  .strict();
export type SerialOptions = z.infer<typeof SerialOptionsSchema>;

export const DEFAULT_SERIAL: Omit<SerialOptions, 'path'> = {
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  rtscts: false,
};

const HostSchema = z
  .string()
  .trim()
  .min(1, 'Type the printer’s IP address or host name.')
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:]+\]?$/, 'A host is an IP address or a host name.');

export const PrinterConnectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('virtual') }).strict(),
  z.object({ kind: z.literal('serial'), serial: SerialOptionsSchema }).strict(),
  z
    .object({
      kind: z.literal('tcp'),
      host: HostSchema,
      port: z.number().int('Port 1 to 65535.').min(1, 'Port 1 to 65535.').max(65535, 'Port 1 to 65535.'),
    })
    .strict(),
  z.object({ kind: z.literal('file'), path: DevicePathSchema }).strict(),
]);
export type PrinterConnection = z.infer<typeof PrinterConnectionSchema>;

export const PrinterSettingsSchema = z
  .object({
    connection: PrinterConnectionSchema,
    /** Epson ESC/POS or Star: node-thermal-printer composes the matching commands. */
    type: z.enum(['epson', 'star']),
    /** Characters per line: 48 on 80 mm paper, 42 or 32 on others. */
    columns: z.union([z.literal(32), z.literal(42), z.literal(48)]),
    characterSet: z.enum(['PC858_EURO', 'PC850_MULTILINGUAL', 'PC437_USA', 'WPC1252']),
    /** How long to wait for a DLE EOT status answer before calling the printer "no status". */
    statusTimeoutMs: z
      .number()
      .int('Whole milliseconds.')
      .min(100, 'Wait at least 100 ms for a status answer.')
      .max(5000, 'Wait at most 5000 ms for a status answer.'),
  })
  .strict();
export type PrinterSettings = z.infer<typeof PrinterSettingsSchema>;

/** Hex bytes as an admin types them: "07" or "1B 70 00 19 FA". */
export const HexBytesSchema = z
  .string()
  .trim()
  .max(60)
  .regex(/^([0-9A-Fa-f]{2})(\s*[0-9A-Fa-f]{2}){0,15}$/, 'Bytes in hex, e.g. 07 or 1B 70 00 19 FA.');

export function hexToBytes(hex: string): number[] {
  return (hex.match(/[0-9A-Fa-f]{2}/g) ?? []).map((h) => parseInt(h, 16));
}

export const DrawerSettingsSchema = z
  .object({
    connection: z.discriminatedUnion('kind', [
      /** Kicked through the printer's DK port with the full 5-byte ESC p; sensor read by DLE EOT 1. */
      z.object({ kind: z.literal('printer') }).strict(),
      /** A drawer with its own serial interface: an open command, optional status polling. */
      z
        .object({
          kind: z.literal('serial'),
          serial: SerialOptionsSchema,
          openCommand: HexBytesSchema,
          /** Sent to ask open/closed; the drawer answers one byte (bit 2 = sensor). Empty: never asked. */
          statusRequest: z.union([HexBytesSchema, z.literal('')]),
        })
        .strict(),
      z.object({ kind: z.literal('none') }).strict(),
    ]),
    /** Which level of the drawer sensor (DK connector pin 3) means "open": depends on the drawer. */
    openWhenSensor: z.enum(['high', 'low']),
    /** "Drawer left open" alert after this many seconds. */
    alertAfterSeconds: z
      .number()
      .int('Whole seconds.')
      .min(5, 'The alert comes after 5 to 3600 seconds.')
      .max(3600, 'The alert comes after 5 to 3600 seconds.'),
  })
  .strict();
export type DrawerSettings = z.infer<typeof DrawerSettingsSchema>;

/**
 * How a keyboard-wedge scanner frames a code: an optional prefix (STX, which a wedge types as Ctrl+B,
 * or a character the CSR never types) and the key it sends after the code. With a prefix the counter
 * tells scans from typing by the prefix; without one, by timing and by what the code is.
 */
export const WedgeFramingSchema = z
  .object({
    prefix: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }).strict(),
      z.object({ kind: z.literal('stx') }).strict(),
      z
        .object({
          kind: z.literal('char'),
          char: z
            .string()
            .length(1, 'The prefix is one character.')
            .regex(/^[^\p{L}\p{N}\s]$/u, 'Choose a character a CSR never types in a field: §, ~, ^ or `.'),
        })
        .strict(),
    ]),
    suffix: z.enum(['enter_or_tab', 'enter', 'tab']),
  })
  .strict();
export type WedgeFraming = z.infer<typeof WedgeFramingSchema>;
export const DEFAULT_WEDGE_FRAMING: WedgeFraming = { prefix: { kind: 'none' }, suffix: 'enter_or_tab' };

export const ScannerSettingsSchema = z
  .object({
    /** Keyboard-wedge framing (settings saved before it existed get the default). */
    wedge: WedgeFramingSchema.default(DEFAULT_WEDGE_FRAMING),
    connection: z.discriminatedUnion('kind', [
      /** A keyboard-wedge scanner types into the screen (always works, also as a fallback). */
      z.object({ kind: z.literal('wedge') }).strict(),
      z.object({ kind: z.literal('serial'), serial: SerialOptionsSchema }).strict(),
    ]),
    /** What the scanner sends after each code; "none" frames codes by a pause between bytes. */
    suffix: z.enum(['crlf', 'cr', 'lf', 'none']),
    /** Silence (ms) that ends a code for scanners without a suffix. */
    interByteTimeoutMs: z
      .number()
      .int('Whole milliseconds.')
      .min(10, 'A pause of 10 to 1000 ms ends a code.')
      .max(1000, 'A pause of 10 to 1000 ms ends a code.'),
  })
  .strict();
export type ScannerSettings = z.infer<typeof ScannerSettingsSchema>;

export const DeviceSettingsSchema = z
  .object({
    printer: PrinterSettingsSchema,
    drawer: DrawerSettingsSchema,
    scanner: ScannerSettingsSchema,
  })
  .strict();
export type DeviceSettings = z.infer<typeof DeviceSettingsSchema>;

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  printer: {
    connection: { kind: 'virtual' },
    type: 'epson',
    columns: 48,
    characterSet: 'PC858_EURO',
    statusTimeoutMs: 700,
  },
  drawer: { connection: { kind: 'printer' }, openWhenSensor: 'high', alertAfterSeconds: 60 },
  scanner: {
    connection: { kind: 'wedge' },
    wedge: DEFAULT_WEDGE_FRAMING,
    suffix: 'crlf',
    interByteTimeoutMs: 60,
  },
};

/** One line for screens and logs: "/dev/ttyUSB0 · 9600 8N1", "10.0.0.7:9100", "/dev/usb/lp0". */
export function describeSerial(s: SerialOptions): string {
  const parity = s.parity === 'none' ? 'N' : s.parity === 'even' ? 'E' : 'O';
  return `${s.path} · ${s.baudRate} ${s.dataBits}${parity}${s.stopBits}${s.rtscts ? ' RTS/CTS' : ''}`;
}

export function describePrinterConnection(c: PrinterConnection): string {
  switch (c.kind) {
    case 'virtual':
      return 'Virtual (receipts on screen)';
    case 'serial':
      return describeSerial(c.serial);
    case 'tcp':
      return `${c.host}:${c.port}`;
    case 'file':
      return c.path;
  }
}

export function describeDrawerConnection(d: DrawerSettings['connection']): string {
  switch (d.kind) {
    case 'printer':
      return 'Through the printer (DK port)';
    case 'serial':
      return describeSerial(d.serial);
    case 'none':
      return 'No drawer';
  }
}

export function describeScannerConnection(s: ScannerSettings['connection']): string {
  return s.kind === 'wedge' ? 'Keyboard wedge' : describeSerial(s.serial);
}
