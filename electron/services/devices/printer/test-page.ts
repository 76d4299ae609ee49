/** The Devices screen's test page: connection, width ruler, accented names, a Code128 and a cut. */
import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';

import type { PrinterSettings } from '../../../../shared/devices/settings.js';
import { describePrinterConnection } from '../../../../shared/devices/settings.js';
import { formatReceiptTime, printable } from '../../receipts/compose.js';

export function composeTestPage(
  settings: PrinterSettings,
  info: { terminal: string; company: string; at: Date; timeZone: string; by: string },
): Buffer {
  const p = new ThermalPrinter({
    type: settings.type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    interface: '',
    width: settings.columns,
    characterSet: CharacterSet[settings.characterSet],
    lineCharacter: '-',
  });
  p.alignCenter();
  p.bold(true);
  p.println('PRINTER TEST PAGE');
  p.bold(false);
  p.println(printable(info.company));
  p.println(`${printable(info.terminal)} · ${formatReceiptTime(info.at, info.timeZone)}`);
  p.alignLeft();
  p.drawLine();
  p.println(`Connection: ${describePrinterConnection(settings.connection)}`.slice(0, settings.columns));
  p.println(`Type: ${settings.type === 'star' ? 'Star' : 'Epson ESC/POS'}, ${settings.columns} columns`);
  p.println(`Code page: ${settings.characterSet}`);
  p.println(`Tested by: ${printable(info.by)}`.slice(0, settings.columns));
  const ruler = Array.from({ length: settings.columns }, (_, i) => String((i + 1) % 10)).join('');
  p.println(ruler);
  p.println('Accents: Álvarez Peña Müller Çelik Øre €5');
  p.drawLine();
  p.alignCenter();
  p.code128('TEST-0001', { width: 2, height: 50, hriPos: 0 } as unknown as Parameters<
    ThermalPrinter['code128']
  >[1]);
  p.println('TEST-0001');
  p.println('If you can read this, the printer works.');
  p.cut();
  return Buffer.from(p.getBuffer());
}
