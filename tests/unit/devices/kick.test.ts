/** The drawer kick bytes: the full 5-byte ESC p (Epson) and Star's ESC BEL, as the printer reads them. */
import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { describe, expect, it } from 'vitest';

import { drawerKickBytes, STAR_DRAWER_KICK } from '../../../electron/services/devices/drawer/kick.js';
import { DRAWER_KICK } from '../../../electron/services/receipts/compose.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';

describe('drawer kick', () => {
  it('Epson: ESC p 0 25 250 — pin 2, 50 ms on, 500 ms off', () => {
    expect([...DRAWER_KICK]).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect([...drawerKickBytes('epson')]).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    const decoded = decodeEscPos(drawerKickBytes('epson'));
    expect(decoded.kicks).toEqual([
      { kind: 'kick', pin: 2, onMs: 50, offMs: 500, bytes: [0x1b, 0x70, 0x00, 0x19, 0xfa] },
    ]);
    expect(decoded.lines).toEqual([]);
  });

  it('is a fresh copy each time (a caller cannot corrupt the constant)', () => {
    const a = drawerKickBytes('epson');
    a[4] = 0;
    expect(drawerKickBytes('epson')[4]).toBe(0xfa);
  });

  it('Star line mode: ESC BEL n1 n2 BEL', () => {
    expect([...drawerKickBytes('star')]).toEqual([...STAR_DRAWER_KICK]);
    expect([...STAR_DRAWER_KICK]).toEqual([0x1b, 0x07, 0x0b, 0x37, 0x07]);
  });

  it('node-thermal-printer’s own kick is only 3 bytes per pin (why the counter sends its own)', () => {
    const p = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      interface: '',
      characterSet: CharacterSet.PC858_EURO,
    });
    p.clear();
    const before = Buffer.from(p.getBuffer() ?? []).length;
    p.openCashDrawer();
    const kick = Buffer.from(p.getBuffer()).subarray(before);
    expect([...kick]).toEqual([0x1b, 0x70, 0x00, 0x1b, 0x70, 0x01]);
    // The decoder sees two short kicks, unlike the full 5-byte one.
    expect(decodeEscPos(kick).kicks.map((k) => k.bytes)).toEqual([
      [0x1b, 0x70, 0x00],
      [0x1b, 0x70, 0x01],
    ]);
  });
});
