import fc from 'fast-check';
import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { describe, expect, it } from 'vitest';

import {
  composeReceipt,
  DRAWER_KICK,
  type PrinterProfile,
} from '../../electron/services/receipts/compose.js';
import { decodeEscPos, EscPosDecoder, type EscPosEvent } from '../../shared/escpos/decoder.js';
import { receiptModel } from '../support/receipt-model.js';

const COLUMNS = [32, 42, 48] as const;

const model = receiptModel;

const profile = (columns: 32 | 42 | 48): PrinterProfile => ({
  type: 'epson',
  columns,
  characterSet: 'PC858_EURO',
});

function textLines(bytes: Uint8Array): string[] {
  return decodeEscPos(bytes).events.flatMap((e) => (e.kind === 'line' ? [e.text] : []));
}

function feedInChunks(bytes: Uint8Array, sizes: number[]): EscPosEvent[] {
  const d = new EscPosDecoder();
  const events: EscPosEvent[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= bytes.length) break;
    events.push(...d.feed(bytes.subarray(at, at + size)));
    at += size;
  }
  if (at < bytes.length) events.push(...d.feed(bytes.subarray(at)));
  events.push(...d.end());
  return events;
}

describe.each(COLUMNS)('a composed receipt at %i columns', (columns) => {
  const bytes = composeReceipt(model(), profile(columns));
  const decoded = decodeEscPos(bytes);
  const lines = textLines(bytes);

  it('has no text line longer than the paper is wide', () => {
    expect(lines.length).toBeGreaterThan(15);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
  });

  it('keeps the long offline notice within the width too', () => {
    const offline = textLines(composeReceipt(model({ offline: true }), profile(columns)));
    for (const line of offline) expect(line.length, line).toBeLessThanOrEqual(columns);
  });

  it('prints the receipt number as text and as a CODE128 barcode', () => {
    expect(lines.some((l) => l.includes('MAIN02-000123'))).toBe(true);
    expect(decoded.barcodes).toEqual([{ symbology: 'CODE128', data: 'MAIN02-000123' }]);
  });

  it('cuts exactly once, at the end', () => {
    expect(decoded.cuts).toBe(1);
    const kinds = decoded.events.map((e) => e.kind).filter((k) => k !== 'line' && k !== 'init');
    expect(kinds.at(-1)).toBe('cut');
    expect(decoded.kicks).toEqual([]);
  });

  it('right-aligns amounts to the last column', () => {
    // 'TOTAL' on the left, '$73.45' ending exactly at the last column.
    expect(lines).toContain('TOTAL'.padEnd(columns - '$73.45'.length) + '$73.45');
    expect(lines).toContain('CHANGE'.padEnd(columns - '$26.55'.length) + '$26.55');
    expect(lines).toContain('Receipt'.padEnd(columns - 'MAIN02-000123'.length) + 'MAIN02-000123');
    expect(lines).toContain('-'.repeat(columns));
    expect(lines).toContain('  Check #1042');
  });

  it.each(['Maria Álvarez', 'Jürgen Müller', 'Lucía Peña', 'Chloé Dubois', 'Çelik Núñez'])(
    'prints the accented name %j through the PC858 code page and back',
    (name) => {
      const out = textLines(
        composeReceipt(model({ account: { number: '1000042517', name } }), profile(columns)),
      );
      expect(out).toContain(name);
    },
  );

  it('keeps accents in left/right rows and details (cashier, item labels)', () => {
    const out = textLines(
      composeReceipt(
        model({
          cashier: { id: '1002', name: 'José Peña' },
          items: [{ label: 'Müller deposit', amountCents: 15_000 }],
        }),
        profile(columns),
      ),
    );
    expect(out).toContain('Müller deposit'.padEnd(columns - '$150.00'.length) + '$150.00');
    expect(out.some((l) => l.startsWith('MAIN-02  José'))).toBe(true);
  });

  it('prints typographic punctuation (O’Brien) as ASCII, so the printer never leaves its code page', () => {
    const bytes = composeReceipt(
      model({
        account: { number: '1100000091', name: 'Siobhán O’Brien' },
        footer: ['Merci, Chloé!', 'Thank you!'],
      }),
      profile(columns),
    );
    const out = textLines(bytes);
    expect(out).toContain("Siobhán O'Brien");
    expect(out).toContain('Merci, Chloé!');
    expect(out).toContain('Thank you!');
    // Only PC858 (ESC t 19) is ever selected.
    const pages = [...bytes.keys()]
      .filter((i) => bytes[i] === 0x1b && bytes[i + 1] === 0x74)
      .map((i) => bytes[i + 2]);
    expect(new Set(pages)).toEqual(new Set([19]));
  });

  it('decodes bytes sent before a mid-line code page switch with the page they were sent in', () => {
    // "Á" in PC858 (0xB5), then ESC t 15 (ISO-8859-7) and "’" there (0xA2).
    const bytes = Buffer.from([0x1b, 0x74, 19, 0xb5, 0x6c, 0x76, 0x1b, 0x74, 15, 0xa2, 0x0a]);
    expect(decodeEscPos(bytes).lines).toEqual(['Álv’']);
  });

  it('masks the account number when asked', () => {
    const out = textLines(
      composeReceipt(
        model({ account: { number: '1000042517', name: 'Maria Álvarez', mask: true } }),
        profile(columns),
      ),
    );
    expect(out).toContain('Account'.padEnd(columns - 10) + '******2517');
    expect(out.join('\n')).not.toContain('1000042517');
  });
});

describe('receipt content', () => {
  it('prints the OFFLINE notice and "as of" only when offline', () => {
    const online = textLines(composeReceipt(model({ offline: false })));
    expect(online.join(' ')).not.toContain('OFFLINE');
    expect(online.join(' ')).not.toContain('as of');
    const offline = textLines(composeReceipt(model({ offline: true })));
    expect(offline.join(' ')).toContain(
      'OFFLINE: this payment posts to your account when the connection returns. Keep this receipt.',
    );
    // 2026-11-25T14:00Z is 08:00 in Chicago (CST, UTC-6).
    expect(offline).toContain('  as of 11/25/2026, 08:00');
  });

  it('prints the date and time in the terminal time zone', () => {
    // 15:00Z → 09:00 CST
    const lines = textLines(composeReceipt(model()));
    expect(lines[lines.findIndex((l) => l.startsWith('MAIN-02'))]).toBe(
      'MAIN-02  Dana (1001)'.padEnd(48 - '11/25/2026, 09:00'.length) + '11/25/2026, 09:00',
    );
  });

  it.each(['DUPLICATE', 'VOID'] as const)('marks a %s receipt at the top and at the bottom', (mark) => {
    const lines = textLines(composeReceipt(model({ marks: [mark] })));
    const marked = lines.filter((l) => l === `*** ${mark} ***`);
    expect(marked).toHaveLength(2);
    expect(lines[0]).toBe(`*** ${mark} ***`);
    expect(lines.filter((l) => l.trim() !== '').at(-1)).toBe(`*** ${mark} ***`);
  });

  it('an original receipt carries no marks', () => {
    const text = textLines(composeReceipt(model())).join('\n');
    expect(text).not.toContain('DUPLICATE');
    expect(text).not.toContain('VOID');
  });

  it('shows a credit to the account and a credit balance', () => {
    const lines = textLines(
      composeReceipt(model({ changeCents: 0, creditCents: 2_000, balanceAfterCents: -2_000 })),
    );
    expect(lines).toContain('Credit to account'.padEnd(48 - 6) + '$20.00');
    expect(lines).toContain('Credit balance'.padEnd(48 - 6) + '$20.00');
    expect(lines.some((l) => l.startsWith('CHANGE'))).toBe(false);
  });
});

describe('drawer kicks and status requests', () => {
  it('DRAWER_KICK is the full 5-byte ESC p 0 25 250: pin 2, 50 ms on, 500 ms off', () => {
    expect([...DRAWER_KICK]).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect(decodeEscPos(DRAWER_KICK).kicks).toEqual([
      { kind: 'kick', pin: 2, onMs: 50, offMs: 500, bytes: [0x1b, 0x70, 0x00, 0x19, 0xfa] },
    ]);
  });

  it("node-thermal-printer's own openCashDrawer() sends 3-byte kicks (pin 2 and pin 5)", () => {
    const p = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '' });
    p.openCashDrawer();
    const bytes = p.getBuffer();
    expect([...bytes]).toEqual([0x1b, 0x70, 0x00, 0x1b, 0x70, 0x01]);
    const kicks = decodeEscPos(bytes).kicks;
    expect(kicks.map((k) => k.bytes)).toEqual([
      [0x1b, 0x70, 0x00],
      [0x1b, 0x70, 0x01],
    ]);
    expect(kicks.map((k) => k.pin)).toEqual([2, 5]);
  });

  it('a 3-byte kick in the middle of a job is followed by a cut, not swallowed', () => {
    const p = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      interface: '',
      characterSet: CharacterSet.PC858_EURO,
    });
    p.println('Drawer test');
    p.openCashDrawer();
    p.cut();
    const d = decodeEscPos(p.getBuffer());
    expect(d.kicks.map((k) => k.bytes.length)).toEqual([3, 3]);
    expect(d.cuts).toBe(1);
    expect(d.lines[0]).toBe('Drawer test');
  });

  it('a receipt followed by DRAWER_KICK: one cut, one 5-byte kick', () => {
    const d = decodeEscPos(Buffer.concat([composeReceipt(model()), DRAWER_KICK]));
    expect(d.cuts).toBe(1);
    expect(d.kicks.map((k) => k.bytes)).toEqual([[0x1b, 0x70, 0x00, 0x19, 0xfa]]);
  });

  it('DLE EOT n is a status request, also when it arrives byte by byte', () => {
    for (const n of [1, 2, 3, 4]) {
      expect(decodeEscPos(Uint8Array.from([0x10, 0x04, n])).events).toEqual([{ kind: 'status-request', n }]);
    }
    const d = new EscPosDecoder();
    expect(d.feed(Uint8Array.from([0x10]))).toEqual([]);
    expect(d.feed(Uint8Array.from([0x04]))).toEqual([]);
    expect(d.feed(Uint8Array.from([0x04]))).toEqual([{ kind: 'status-request', n: 4 }]);
  });
});

describe('code pages', () => {
  it('decodes each byte in the code page in force when it arrived', () => {
    // ESC t 19 (PC858): 0xB5 is Á; ESC t 16 (Windows-1252): 0xC1 is Á; then ESC t 0 (PC437): 0x81 is ü.
    const bytes = Uint8Array.from([0x1b, 0x74, 19, 0xb5, 0x1b, 0x74, 16, 0xc1, 0x1b, 0x74, 0, 0x81, 0x0a]);
    expect(decodeEscPos(bytes).lines).toEqual(['ÁÁü']);
  });

  it('a line that ends right after a code page change still prints', () => {
    const bytes = Uint8Array.from([0x1b, 0x74, 19, 0x41, 0x1b, 0x74, 16, 0x1d, 0x56, 0x00]);
    expect(decodeEscPos(bytes).lines).toEqual(['A', '--- cut ---']);
  });
});

describe('streaming', () => {
  const stream = Buffer.concat([
    composeReceipt(
      model({
        offline: true,
        marks: ['DUPLICATE'],
        account: { number: '1100000091', name: 'Siobhán O’Brien' },
      }),
      profile(42),
    ),
    DRAWER_KICK,
    Buffer.from([0x10, 0x04, 0x01]),
    composeReceipt(model(), profile(32)),
    Buffer.from([0x1b, 0x70, 0x00, 0x1b, 0x70, 0x01]),
  ]);
  const whole = decodeEscPos(stream).events;

  it('splitting the bytes at every possible point gives the same events as one feed', () => {
    expect(whole.filter((e) => e.kind === 'cut')).toHaveLength(2);
    expect(whole.filter((e) => e.kind === 'kick')).toHaveLength(3);
    expect(whole.filter((e) => e.kind === 'status-request')).toHaveLength(1);
    for (let i = 1; i < stream.length; i++) {
      const events = feedInChunks(stream, [i]);
      if (JSON.stringify(events) !== JSON.stringify(whole)) expect(events, `split at ${i}`).toEqual(whole);
    }
  });

  it('random chunkings give the same events as one feed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 200 }), (sizes) => {
        expect(feedInChunks(stream, sizes)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes decode the same however they are chunked', () => {
    const bytesArb = fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(0x1b, 0x1d, 0x10, 0x0a, 0x70, 0x6b, 0x56, 0x04, 0x00, 0x41),
      ),
      { maxLength: 120 },
    );
    fc.assert(
      fc.property(bytesArb, fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }), (bytes, sizes) => {
        const data = Uint8Array.from(bytes);
        expect(feedInChunks(data, sizes)).toEqual(decodeEscPos(data).events);
      }),
      { numRuns: 500 },
    );
  });
});
