/**
 * What a scanned code is. The counter routes every scan by this: a bill-stub scan line opens the
 * account with the amount due, a receipt number opens that transaction, a UPC/EAN is a catalog item,
 * anything serial-shaped is an equipment serial.
 */
import { gtinValid } from './gtin.js';
import { luhnCheckDigit, luhnValid } from './luhn.js';

/** Demo bill-stub scan line: `A` + 10-digit account + 8-digit amount due in cents + Luhn digit over the 18. */
export const BILL_STUB_PATTERN = /^A(\d{10})(\d{8})(\d)$/;

export type BillStub = { accountNumber: string; amountDueCents: number };

export type ScanResult =
  | { kind: 'billStub'; code: string; stub: BillStub }
  | { kind: 'receipt'; code: string; receiptNumber: string }
  | { kind: 'gtin'; code: string }
  | { kind: 'serial'; code: string }
  | { kind: 'invalid'; code: string; message: string };

export function parseBillStub(code: string): { ok: true; stub: BillStub } | { ok: false; message: string } {
  const m = BILL_STUB_PATTERN.exec(code.trim());
  if (!m) return { ok: false, message: 'Not a bill stub scan line.' };
  const [, account = '', amount = ''] = m;
  if (!luhnValid(account + amount + code.trim().at(-1))) {
    return {
      ok: false,
      message:
        'The bill stub did not scan correctly (check digit). Scan it again or type the account number.',
    };
  }
  return { ok: true, stub: { accountNumber: account, amountDueCents: Number(amount) } };
}

export function makeBillStub(accountNumber: string, amountDueCents: number): string {
  if (!/^\d{10}$/.test(accountNumber)) throw new Error('account number must have 10 digits');
  if (!Number.isSafeInteger(amountDueCents) || amountDueCents < 0 || amountDueCents > 99_999_999) {
    throw new Error('amount due must be 0..99,999,999 cents');
  }
  const body = accountNumber + String(amountDueCents).padStart(8, '0');
  return `A${body}${luhnCheckDigit(body)}`;
}

/** Receipt numbers: terminal code, dash, six digits, e.g. `MAIN02-000123`. */
export const RECEIPT_NUMBER_PATTERN = /^[A-Z][A-Z0-9]{1,9}-\d{6}$/;

/** Equipment serials and MAC addresses: 6-24 letters/digits with at least one letter, or a MAC. */
const SERIAL_PATTERN = /^(?=.*[A-Z])[A-Z0-9]{6,24}$/;
const MAC_PATTERN = /^([0-9A-F]{2}[:-]?){5}[0-9A-F]{2}$/;

export function classifyScan(raw: string): ScanResult {
  const code = raw.replace(/[\r\n]+$/, '').trim();
  if (code === '') return { kind: 'invalid', code, message: 'Empty scan.' };
  if (/^A\d{19}$/.test(code)) {
    const stub = parseBillStub(code);
    return stub.ok
      ? { kind: 'billStub', code, stub: stub.stub }
      : { kind: 'invalid', code, message: stub.message };
  }
  if (RECEIPT_NUMBER_PATTERN.test(code)) return { kind: 'receipt', code, receiptNumber: code };
  if (/^\d+$/.test(code)) {
    if ([8, 12, 13].includes(code.length)) {
      return gtinValid(code)
        ? { kind: 'gtin', code }
        : {
            kind: 'invalid',
            code,
            message: 'That product barcode did not scan correctly (check digit). Scan it again.',
          };
    }
    return { kind: 'invalid', code, message: `Unknown barcode "${code}".` };
  }
  const upper = code.toUpperCase();
  if (MAC_PATTERN.test(upper) || SERIAL_PATTERN.test(upper)) return { kind: 'serial', code: upper };
  return { kind: 'invalid', code, message: `Unknown barcode "${code.slice(0, 32)}".` };
}
