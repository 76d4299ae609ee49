/**
 * Serials (normalized, MAC addresses as 12 hex digits, checked against the item's pattern) and the
 * handover check: the serials scanned for each unit against this branch's stock.
 */
import { CounterError, type ErrorCode } from '../../api/errors.js';
import { indexCatalog } from './catalog.js';
import { gtin14, maskAccount, parseInput, parseList, unitWord } from './internal.js';
import {
  type CatalogItem,
  CatalogItemSchema,
  type HandoverScan,
  HandoverScanSchema,
  type OrderLine,
  OrderLineSchema,
  type OrderMode,
  type StockEntry,
  StockEntrySchema,
  Text,
} from './schemas.js';

// Serials

const MAC_SEPARATED =
  /^([0-9A-F]{2})([:-])([0-9A-F]{2})\2([0-9A-F]{2})\2([0-9A-F]{2})\2([0-9A-F]{2})\2([0-9A-F]{2})$/;
const MAC_DOTTED = /^([0-9A-F]{4})\.([0-9A-F]{4})\.([0-9A-F]{4})$/;
/** A serial with no pattern in the catalog: 4 to 40 letters, digits, and - . / _ inside. */
const GENERIC_SERIAL = /^[A-Z0-9][A-Z0-9./_-]{2,38}[A-Z0-9]$/;

/**
 * The one form a serial is stored and compared in: whitespace removed (a scanner's CR/LF, spaces typed
 * from a label), upper case, and a MAC address written `AA:BB:CC:DD:EE:FF`, `AA-BB-CC-DD-EE-FF` or
 * `AABB.CCDD.EEFF` (one separator throughout) reduced to its 12 hex digits. Idempotent.
 *
 * @example
 * normalizeSerial('a4:2b:8c:01:ef:9d'); // 'A42B8C01EF9D'
 * normalizeSerial('A4-2B-8C-01-EF-9D'); // 'A42B8C01EF9D'
 * normalizeSerial('a42b.8c01.ef9d');    // 'A42B8C01EF9D'
 * normalizeSerial(' stb100200301\r\n'); // 'STB100200301'
 * normalizeSerial('A4:2B-8C:01:EF:9D'); // 'A4:2B-8C:01:EF:9D' (mixed separators: not read as a MAC)
 */
export function normalizeSerial(serial: string): string {
  const s = String(serial).toUpperCase().replace(/\s+/g, '');
  const sep = MAC_SEPARATED.exec(s);
  if (sep) return [sep[1], sep[3], sep[4], sep[5], sep[6], sep[7]].join('');
  const dot = MAC_DOTTED.exec(s);
  if (dot) return [dot[1], dot[2], dot[3]].join('');
  return s;
}

/** A normalized 12-hex-digit MAC as `AA:BB:CC:DD:EE:FF` for receipts; anything else unchanged. */
export function formatMac(serial: string): string {
  const s = normalizeSerial(serial);
  return /^[0-9A-F]{12}$/.test(s) ? (s.match(/../g) ?? []).join(':') : s;
}

function serialProblem(item: CatalogItem, normalized: string): string | null {
  if (normalized === '') return `Scan the serial number (S/N or MAC) of the ${item.name}.`;
  if (/^\d+$/.test(normalized) && gtin14(normalized) === gtin14(item.upc))
    return `That is the product barcode of the ${item.name}, not its serial: scan the S/N or MAC label.`;
  const ok = item.serialPattern
    ? new RegExp(`^(?:${item.serialPattern})$`, 'i').test(normalized)
    : GENERIC_SERIAL.test(normalized);
  return ok
    ? null
    : `${normalized.slice(0, 40)} is not a ${item.name} serial number: scan the S/N or MAC label of the ${item.name}.`;
}

/**
 * Checks a scanned serial against the item and returns it normalized. Refuses (CounterError
 * INVALID_INPUT, field `serial`) a serial for an item that has none, an empty scan, the product
 * barcode scanned instead of the serial, and a serial that does not match the item's pattern (tested
 * on the normalized form).
 *
 * @example
 * validateSerial(modem, 'a4-2b-8c-01-ef-9d'); // 'A42B8C01EF9D' (pattern [0-9A-F]{12})
 * validateSerial(modem, 'STB100200301');
 * // CounterError: "STB100200301 is not a DOCSIS 3.1 Cable Modem serial number: scan the S/N or MAC
 * // label of the DOCSIS 3.1 Cable Modem."
 * validateSerial(coaxCable, 'X1');
 * // CounterError: "The Coax Cable 6 ft has no serial number: there is nothing to scan."
 */
export function validateSerial(item: CatalogItem, serial: string): string {
  const parsed = parseInput(CatalogItemSchema, item, 'item');
  if (!parsed.serialized)
    throw new CounterError(
      'INVALID_INPUT',
      `The ${parsed.name} has no serial number: there is nothing to scan.`,
      'serial',
    );
  const normalized = normalizeSerial(typeof serial === 'string' ? serial : '');
  const problem = serialProblem(parsed, normalized);
  if (problem) throw new CounterError('INVALID_INPUT', problem, 'serial');
  return normalized;
}

export type HandoverUnit = {
  lineIndex: number;
  /** 0-based unit of the line. */
  unitIndex: number;
  sku: string;
  name: string;
  mode: OrderMode;
  /** Normalized serial; null for an item that is not serialized. */
  serial: string | null;
};

type Problem = { code: ErrorCode; field: string; message: string };

/**
 * Checks the serials scanned at handover and assigns one to each unit. Each scan names the order line
 * it was scanned for; serials are compared normalized. Every unit of a serialized line needs its own
 * serial that is in this branch's stock, in stock (not assigned, returned or defective), and of the
 * line's SKU. Returns every unit of every line (non-serialized units with serial null), serials in
 * scan order.
 *
 * Refuses with a CounterError naming the exact problem; when there are several, the message and field
 * are the first and `details` lists them all:
 * - a serial scanned for an item that has none;
 * - the same serial scanned twice in the order;
 * - an unknown serial (NOT_FOUND), or one that is not even shaped like the item's serials;
 * - a serial of another SKU: "That serial is a Wi-Fi 6 Router AX3000, the line is a DOCSIS 3.1 Cable Modem.";
 * - another branch's stock;
 * - a serial already assigned, naming the account masked (CONFLICT); a returned or defective unit;
 * - fewer or more serials than units on a line.
 *
 * @example
 * checkHandover([{ sku: 'MDM-D31', mode: 'lease', quantity: 1 }, { sku: 'ACC-COAX6', mode: 'buy', quantity: 2 }],
 *   [{ lineIndex: 0, serial: 'a4:2b:8c:01:ef:9d' }], stock, 'MAIN', catalog).units;
 * // [{ lineIndex: 0, unitIndex: 0, sku: 'MDM-D31', serial: 'A42B8C01EF9D', … },
 * //  { lineIndex: 1, unitIndex: 0, sku: 'ACC-COAX6', serial: null, … },
 * //  { lineIndex: 1, unitIndex: 1, sku: 'ACC-COAX6', serial: null, … }]
 */
export function checkHandover(
  lines: readonly OrderLine[],
  scans: readonly HandoverScan[],
  stock: readonly StockEntry[],
  branch: string,
  catalog: readonly CatalogItem[],
): { units: HandoverUnit[] } {
  const index = indexCatalog(catalog);
  const here = parseInput(Text('The branch'), branch, 'branch');
  if (!Array.isArray(lines) || lines.length === 0)
    throw new CounterError('INVALID_INPUT', 'The order has no lines to hand over.', 'lines');
  const parsedLines = lines.map((l, i) => parseInput(OrderLineSchema, l, `lines.${String(i)}`));
  const items = parsedLines.map((l, i) => {
    const item = index.get(l.sku);
    if (!item)
      throw new CounterError('NOT_FOUND', `No catalog item has the SKU ${l.sku}.`, `lines.${String(i)}.sku`);
    return item;
  });
  const parsedScans = parseList(HandoverScanSchema, scans, 'scans', 'The scanned serials');
  const stockBySerial = new Map<string, StockEntry[]>();
  for (const entry of parseList(StockEntrySchema, stock, 'stock', 'The stock')) {
    const key = normalizeSerial(entry.serial);
    stockBySerial.set(key, [...(stockBySerial.get(key) ?? []), entry]);
  }
  const nameOf = (sku: string): string => index.get(sku)?.name ?? `SKU ${sku}`;

  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const serialsByLine = parsedLines.map((): string[] => []);
  const scanCount = parsedLines.map(() => 0);

  parsedScans.forEach((scan, j) => {
    const field = `scans.${String(j)}.serial`;
    const line = parsedLines[scan.lineIndex];
    const item = items[scan.lineIndex];
    if (!line || !item) {
      problems.push({
        code: 'INVALID_INPUT',
        field: `scans.${String(j)}.lineIndex`,
        message: `The order has no line ${String(scan.lineIndex + 1)}.`,
      });
      return;
    }
    scanCount[scan.lineIndex] = (scanCount[scan.lineIndex] ?? 0) + 1;
    const serial = normalizeSerial(scan.serial);
    const lineNo = String(scan.lineIndex + 1);
    const problem = (code: ErrorCode, message: string): void => {
      problems.push({ code, field, message });
    };
    if (!item.serialized)
      return problem(
        'INVALID_INPUT',
        `The ${item.name} (line ${lineNo}) has no serial number: remove the scan ${serial.slice(0, 40)}.`,
      );
    const earlier = seen.get(serial);
    if (earlier !== undefined)
      return problem(
        'INVALID_INPUT',
        `Serial ${serial} was already scanned in this order (line ${String(earlier + 1)}): each unit needs its own serial.`,
      );
    seen.set(serial, scan.lineIndex);
    const entries = stockBySerial.get(serial) ?? [];
    const entry = entries.find((e) => e.sku === line.sku) ?? entries[0];
    if (!entry) {
      const shape = serialProblem(item, serial);
      return shape
        ? problem('INVALID_INPUT', shape)
        : problem(
            'NOT_FOUND',
            `Serial ${serial} is not in our stock records: check the S/N or MAC label and scan again, or ask a supervisor to receive the unit.`,
          );
    }
    if (entry.sku !== line.sku)
      return problem(
        'INVALID_INPUT',
        `That serial is a ${nameOf(entry.sku)}, the line is a ${item.name}: scan the ${item.name}.`,
      );
    if (entry.branch !== here)
      return problem(
        'INVALID_INPUT',
        `Serial ${serial} is stock of branch ${entry.branch}, not of ${here}: it cannot be handed over here.`,
      );
    switch (entry.status) {
      case 'assigned':
        return problem(
          'CONFLICT',
          entry.accountNumber
            ? `Serial ${serial} is already assigned to account ${maskAccount(entry.accountNumber)}: take another unit.`
            : `Serial ${serial} is already assigned to another account: take another unit.`,
        );
      case 'defective':
        return problem(
          'INVALID_INPUT',
          `Serial ${serial} is marked defective: set it aside and take another unit.`,
        );
      case 'returned':
        return problem(
          'INVALID_INPUT',
          `Serial ${serial} was returned and is not back in stock yet: take another unit.`,
        );
      case 'in_stock':
        serialsByLine[scan.lineIndex]?.push(serial);
        return;
    }
  });

  parsedLines.forEach((line, i) => {
    const item = items[i];
    if (!item?.serialized) return;
    const got = scanCount[i] ?? 0;
    const what = `Line ${String(i + 1)} (${String(line.quantity)} × ${item.name})`;
    if (got < line.quantity)
      problems.push({
        code: 'INVALID_INPUT',
        field: `lines.${String(i)}`,
        message: `${what} needs ${unitWord(line.quantity, 'serial')}: ${String(got)} scanned, scan ${String(line.quantity - got)} more.`,
      });
    else if (got > line.quantity)
      problems.push({
        code: 'INVALID_INPUT',
        field: `lines.${String(i)}`,
        message: `${what} has ${String(got)} serials for ${unitWord(line.quantity, 'unit')}: remove ${String(got - line.quantity)}.`,
      });
  });

  const first = problems[0];
  if (first)
    throw new CounterError(
      first.code,
      first.message,
      first.field,
      problems.map((p) => ({ field: p.field, message: p.message })),
    );

  const units: HandoverUnit[] = [];
  parsedLines.forEach((line, i) => {
    const item = items[i];
    if (!item) return;
    for (let u = 0; u < line.quantity; u += 1)
      units.push({
        lineIndex: i,
        unitIndex: u,
        sku: item.sku,
        name: item.name,
        mode: line.mode,
        serial: item.serialized ? (serialsByLine[i]?.[u] ?? null) : null,
      });
  });
  return { units };
}
