/**
 * Drawer kick commands. Epson ESC/POS: the full 5-byte ESC p m t1 t2 (pin 2, 50 ms on, 500 ms off);
 * node-thermal-printer's own openCashDrawer sends only ESC p m, which some printers ignore or read
 * with whatever t1/t2 bytes follow. Star line mode: ESC BEL n1 n2 BEL.
 */
import { DRAWER_KICK } from '../../receipts/compose.js';

export const STAR_DRAWER_KICK = Buffer.from([0x1b, 0x07, 0x0b, 0x37, 0x07]);

export function drawerKickBytes(type: 'epson' | 'star'): Buffer {
  return Buffer.from(type === 'star' ? STAR_DRAWER_KICK : DRAWER_KICK);
}
