/**
 * Attacker test: ESC/POS sequences typed into any text field of a receipt model (a refund reason, a
 * name, a note, a footer line…) must print as nothing, never as a command. The receipt is composed,
 * then decoded with the same decoder the emulator uses; it must have exactly the commands a clean
 * receipt has (one cut, no drawer kick, no reset, no status request).
 */
import { describe, expect, it } from 'vitest';

import {
  composeReceipt,
  type PrinterProfile,
  type ReceiptModel,
} from '../../electron/services/receipts/compose.js';
import { decodeEscPos, type EscPosEvent } from '../../shared/escpos/decoder.js';
import { sanitizePrintText } from '../../shared/escpos/sanitize.js';
import { receiptModel } from '../support/receipt-model.js';

const ESC = '\x1b';
const GS = '\x1d';
const DLE = '\x10';
const PAYLOADS = [
  `${ESC}p\x00\x19\xfa`, // drawer kick, pin 2
  `${ESC}p\x01\x19\xfa`, // drawer kick, pin 5
  `${GS}V\x00`, // full cut
  `${GS}VA\x10`, // partial cut with feed
  `${ESC}@`, // printer reset
  `${DLE}\x04\x01`, // DLE EOT status request
  `${DLE}\x14\x01\x00\x05`, // DLE DC4: real-time drawer pulse
  ESC, // a lone ESC swallowing what follows
  '\x07\x7f\x85\x9b', // BEL, DEL, C1 NEL and CSI
];
const ATTACK = `Ref${PAYLOADS.join('x')}und`;

function model(): ReceiptModel {
  return receiptModel({
    company: { name: 'Lakeside Communications', address: '100 Main St', phone: '(555) 010-2000' },
    terminal: { code: 'MAIN-02', name: 'Counter 2' },
    title: 'REFUND BY CHECK REQUEST',
    account: { number: '1000042517', name: 'Maria Alvarez', mask: false },
    notes: ['Reason: customer asked', 'Approved by Sam Okafor'],
    items: [{ label: 'Refund', amountCents: 500, detail: ['serial SN-1'] }],
    totalCents: 500,
    tenders: [{ label: 'Check request', amountCents: 500, detail: 'mailed in 7 days' }],
    changeCents: 0,
    balanceAsOf: null,
    footer: ['Thank you'],
  });
}

/**
 * Every string leaf of the model, by path, so no field is left out of the attack (the time zone is an
 * IANA name Intl checks, not text that is printed).
 */
function stringPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (at.length === 1 && at[0] === 'timeZone') return [];
  if (typeof v === 'string') return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringPaths(x, [...at, i]));
  if (v && typeof v === 'object' && !(v instanceof Date))
    return Object.entries(v).flatMap(([k, x]) => stringPaths(x, [...at, k]));
  return [];
}

function withAttack(m: ReceiptModel, p: (string | number)[]): ReceiptModel {
  const copy = structuredClone(m);
  let o = copy as unknown as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = p.at(-1)!;
  o[last] = `${String(o[last])}${ATTACK}`;
  return copy;
}

const commands = (events: EscPosEvent[]) =>
  events.filter((e) => e.kind !== 'line' && e.kind !== 'barcode').map((e) => e.kind);

const PROFILES: PrinterProfile[] = [
  { type: 'epson', columns: 48, characterSet: 'PC858_EURO' },
  { type: 'epson', columns: 32, characterSet: 'WPC1252' },
];

describe.each(PROFILES)('receipt on $columns columns, $characterSet', (profile) => {
  const clean = decodeEscPos(composeReceipt(model(), profile));
  const paths = stringPaths(model());

  it('covers every text field of the model', () => {
    expect(paths.length).toBe(18);
    expect(clean.kicks).toEqual([]);
    expect(clean.cuts).toBe(1);
  });

  it.each(paths.map((p) => [p.join('.'), p] as const))(
    'control bytes in %s print as text, never as a command',
    (_name, p) => {
      const printed = decodeEscPos(composeReceipt(withAttack(model(), p), profile));
      expect(printed.kicks).toEqual([]);
      expect(printed.cuts).toBe(1);
      expect(commands(printed.events)).toEqual(commands(clean.events));
      // What was typed still prints, minus the control bytes.
      expect(printed.lines.join('\n')).toMatch(/Ref.*und/);
      // eslint-disable-next-line no-control-regex
      expect(printed.lines.some((l) => /[\u0000-\u001f\u007f-\u009f]/.test(l))).toBe(false);
    },
  );
});

describe('sanitizePrintText', () => {
  it('strips C0, DEL and C1; tabs and line breaks become one space', () => {
    expect(sanitizePrintText(`a${ESC}p\x00b\tc\r\nd\x7f\x9be`)).toBe('apb c de');
    expect(sanitizePrintText('Álvarez Peña €5')).toBe('Álvarez Peña €5');
  });
});
