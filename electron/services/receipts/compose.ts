/**
 * Receipt composition: node-thermal-printer builds the ESC/POS (or Star) bytes; nothing is sent here.
 * The same model prints on 32, 42 or 48 columns.
 */
import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';

import { sanitizePrintModel, sanitizePrintText } from '../../../shared/escpos/sanitize.js';
import { formatCents, type Cents } from '../../../shared/money.js';

export type PrinterProfile = {
  type: 'epson' | 'star';
  /** Characters per line: 48 on 80 mm paper, 42 or 32 on others. */
  columns: 32 | 42 | 48;
  /** Code page for accented names (PC858 has é, ñ, Á … and the euro sign). */
  characterSet: 'PC858_EURO' | 'PC850_MULTILINGUAL' | 'PC437_USA' | 'WPC1252';
};

export const DEFAULT_PROFILE: PrinterProfile = { type: 'epson', columns: 48, characterSet: 'PC858_EURO' };

export type ReceiptModel = {
  company: { name: string; address: string; phone: string };
  terminal: { code: string; name: string };
  cashier: { id: string; name: string };
  at: Date;
  timeZone: string;
  receiptNumber: string;
  title: string;
  /** The customer's account; absent on till slips (drops, paid-outs). */
  account?: { number: string; name: string; mask?: boolean };
  /** Extra lines under the title: reason, original receipt, who approved. */
  notes?: string[];
  /** `detail`: lines printed under the item (e.g. each equipment serial). */
  items: { label: string; amountCents: Cents; detail?: string[] }[];
  totalCents: Cents;
  tenders: { label: string; amountCents: Cents; detail?: string }[];
  changeCents: Cents;
  creditCents: Cents;
  /** Absent on slips that do not touch an account. */
  balanceAfterCents?: Cents;
  /** ISO time of the last pull from the server; the balance is "as of" it while offline. */
  balanceAsOf: string | null;
  offline: boolean;
  footer: string[];
  marks?: ('DUPLICATE' | 'VOID')[];
};

/** Left and right text on one line; the left side is cut so the line never wraps. */
function row(p: ThermalPrinter, left: string, right: string, columns: number): void {
  const room = Math.max(0, columns - right.length - 1);
  p.leftRight(left.length > room ? left.slice(0, room) : left, right);
}

function money(c: Cents): string {
  return formatCents(c, { symbol: true });
}

export function maskAccount(number: string): string {
  return `${'*'.repeat(Math.max(0, number.length - 4))}${number.slice(-4)}`;
}

export function formatReceiptTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
}

/**
 * Typographic punctuation (’ “ ” – …) is not in the receipt code page: node-thermal-printer would
 * switch the printer to another page mid-receipt (one many printers lack). Print the ASCII look-alike.
 * Control characters never reach the printer (see sanitizePrintText): a reason typed with ESC p in it
 * must not open the drawer.
 */
export function printable(text: string): string {
  return sanitizePrintText(text)
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/…/g, '...')
    .replace(/[\u00a0\u2007\u202f]/g, ' ');
}

export function composeReceipt(original: ReceiptModel, profile: PrinterProfile = DEFAULT_PROFILE): Buffer {
  // Every string in the model, whatever the capability that built it put there (a field added later too).
  const model = sanitizePrintModel(original, printable);
  const p = new ThermalPrinter({
    type: profile.type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    interface: '',
    width: profile.columns,
    characterSet: CharacterSet[profile.characterSet],
    lineCharacter: '-',
  });
  const marks = model.marks ?? [];
  p.alignCenter();
  for (const mark of marks) {
    p.setTextDoubleHeight();
    p.bold(true);
    p.println(`*** ${mark} ***`);
    p.bold(false);
    p.setTextNormal();
  }
  p.bold(true);
  p.println(model.company.name);
  p.bold(false);
  p.println(model.company.address);
  p.println(model.company.phone);
  p.newLine();
  p.alignLeft();
  row(
    p,
    `${model.terminal.code}  ${model.cashier.name.split(' ')[0] ?? ''} (${model.cashier.id})`,
    formatReceiptTime(model.at, model.timeZone),
    profile.columns,
  );
  row(p, 'Receipt', model.receiptNumber, profile.columns);
  if (model.account) {
    row(
      p,
      'Account',
      model.account.mask ? maskAccount(model.account.number) : model.account.number,
      profile.columns,
    );
    p.println(model.account.name);
  }
  p.drawLine();
  p.bold(true);
  p.println(model.title);
  p.bold(false);
  for (const note of model.notes ?? []) p.println(note);
  for (const item of model.items) {
    row(p, item.label, money(item.amountCents), profile.columns);
    for (const d of item.detail ?? []) p.println(`  ${d}`);
  }
  p.drawLine();
  p.setTextDoubleHeight();
  row(p, 'TOTAL', money(model.totalCents), profile.columns);
  p.setTextNormal();
  for (const t of model.tenders) {
    row(p, t.label, money(t.amountCents), profile.columns);
    if (t.detail) p.println(`  ${t.detail}`);
  }
  if (model.changeCents > 0) {
    p.bold(true);
    row(p, 'CHANGE', money(model.changeCents), profile.columns);
    p.bold(false);
  }
  if (model.creditCents > 0) row(p, 'Credit to account', money(model.creditCents), profile.columns);
  p.drawLine();
  if (model.balanceAfterCents !== undefined) {
    const balanceLabel = model.balanceAfterCents < 0 ? 'Credit balance' : 'Balance after payment';
    row(p, balanceLabel, money(Math.abs(model.balanceAfterCents)), profile.columns);
    if (model.balanceAsOf && model.offline)
      p.println(`  as of ${formatReceiptTime(new Date(model.balanceAsOf), model.timeZone)}`);
  }
  if (model.offline && model.account) {
    p.newLine();
    p.bold(true);
    const what =
      model.title === 'BILL PAYMENT' ? 'this payment posts to your account' : 'this reaches your account';
    p.println(`OFFLINE: ${what} when the connection returns. Keep this receipt.`);
    p.bold(false);
  }
  p.newLine();
  p.alignCenter();
  // node-thermal-printer's typings describe Star's code128 options; Epson's takes these (see lib/types/epson.js).
  p.code128(model.receiptNumber, { width: 2, height: 60, hriPos: 0 } as unknown as Parameters<
    ThermalPrinter['code128']
  >[1]);
  p.println(model.receiptNumber);
  p.newLine();
  for (const line of model.footer) p.println(line);
  for (const mark of marks) p.println(`*** ${mark} ***`);
  p.cut();
  return Buffer.from(p.getBuffer());
}

/** The full 5-byte drawer kick ESC p m t1 t2 (pin 2, 50 ms on, 500 ms off). */
export const DRAWER_KICK = Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]);
