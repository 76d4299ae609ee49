import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isValidRoutingNumber } from '../../shared/validators/aba.js';
import { gtinCheckDigit, gtinValid } from '../../shared/validators/gtin.js';
import { containsCardNumber, luhnCheckDigit, luhnValid } from '../../shared/validators/luhn.js';
import { classifyScan, makeBillStub, parseBillStub } from '../../shared/validators/scan.js';

/** Reference Luhn written independently of the implementation: double every second digit from the right. */
function referenceLuhn(digits: string): boolean {
  const sum = [...digits]
    .reverse()
    .map(Number)
    .map((d, i) => (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d))
    .reduce((a, b) => a + b, 0);
  return sum % 10 === 0;
}

const digitString = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((ds) => ds.join(''));

describe('isValidRoutingNumber (ABA 3-7-1)', () => {
  it.each([
    // 3(0+0+0) + 7(1+0+1) + (1+0+5) = 14 + 6 = 20
    '011000015',
    // 3(0+0+0) + 7(2+0+2) + (1+0+1) = 28 + 2 = 30
    '021000021',
    // 3(1+0+3) + 7(2+0+5) + (1+0+8) = 12 + 49 + 9 = 70
    '121000358',
    // 3(0+0+5) + 7(2+0+9) + (6+9+3) = 15 + 77 + 18 = 110
    '026009593',
  ])('accepts the real routing number %s', (rtn) => {
    expect(isValidRoutingNumber(rtn)).toBe(true);
  });

  it.each([
    ['011000016', 'checksum 21'],
    ['021000022', 'checksum 31'],
    ['121000359', 'checksum 71'],
    ['01100001', '8 digits'],
    ['0110000150', '10 digits'],
    ['01100001A', 'a letter'],
    ['011-000-015', 'dashes'],
    [' 011000015', 'a leading space'],
    ['', 'empty'],
    ['000000000', 'all zeros (sums to 0 but is not a bank)'],
  ])('refuses %j (%s)', (rtn) => {
    expect(isValidRoutingNumber(rtn)).toBe(false);
  });

  it('every single-digit change of a valid routing number is refused', () => {
    // The weights 3, 7, 1 are all coprime to 10, so changing one digit always changes the sum mod 10.
    for (const rtn of ['011000015', '021000021', '121000358', '026009593']) {
      for (let i = 0; i < 9; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === rtn[i]) continue;
          const bad = rtn.slice(0, i) + String(d) + rtn.slice(i + 1);
          expect(isValidRoutingNumber(bad), bad).toBe(false);
        }
      }
    }
  });
});

describe('Luhn', () => {
  it.each([
    '4111111111111111',
    '5555555555554444',
    '378282246310005',
    '30569309025904',
    '4222222222222',
    '79927398713', // the textbook example
    '0',
  ])('%s is Luhn-valid', (n) => {
    expect(luhnValid(n)).toBe(true);
  });

  it.each(['4111111111111112', '79927398710', '1111111111111111', '', '4111 1111', 'abc'])(
    '%j is not Luhn-valid',
    (n) => {
      expect(luhnValid(n)).toBe(false);
    },
  );

  it('computes check digits', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('411111111111111')).toBe(1);
    // Maria's bill-stub body, hand-worked in the scan tests below.
    expect(luhnCheckDigit('100004251700007345')).toBe(4);
  });

  it('agrees with an independent reference on random digit strings', () => {
    fc.assert(
      fc.property(digitString(1, 25), (s) => {
        expect(luhnValid(s)).toBe(referenceLuhn(s));
        expect(luhnValid(s + String(luhnCheckDigit(s)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('containsCardNumber', () => {
  it.each([
    '4111111111111111',
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    '4222222222222', // 13 digits (Visa test)
    '30569309025904', // 14 digits (Diners test)
    '378282246310005', // 15 digits (Amex test)
    '3782 822463 10005', // Amex grouping
    '5555555555554444', // 16 digits (Mastercard test)
    // 17: body 4 + 15 ones: doubled 8×1×2 = 16, undoubled 7×1 + 4 = 11 → 27 → check 3
    '41111111111111113',
    // 18: body 4 + 16 ones: doubled 8×2 + 4×2 = 24, undoubled 8 → 32 → check 8
    '411111111111111118',
    // 19: body 4 + 17 ones: doubled 9×2 = 18, undoubled 8 + 4 = 12 → 30 → check 0
    '4111111111111111110',
    'customer read me 4111 1111 1111 1111 over the phone',
    'card:4111111111111111;exp 12/28',
  ])('flags %j', (text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['2175550142', '10-digit phone number'],
    ['(217) 555-0142', 'formatted phone number'],
    ['217-555-0142', 'dashed phone number'],
    ['1000042517', '10-digit account number'],
    ['acct 1000042517, phone (217) 555-0142', 'account and phone in a note'],
    ['011000015', '9-digit routing number'],
    ['123456789012', '12 digits'],
    // 16 ones: no window is Luhn-valid (13 ones: 7 + 6×2 = 19; 14: 7 + 14 = 21; 15: 8 + 14 = 22; 16: 8 + 16 = 24)
    ['1111111111111111', '16-digit run that is not Luhn-valid anywhere'],
    ['1111 1111 1111 1111', 'the same, grouped'],
    ['Paid by card ****1111, auth 123456', 'last 4 and auth code'],
    ['', 'empty'],
    // Windows of longer numbers do not count: about one in ten 13-19 digit windows passes Luhn by chance.
    ['87297106225602107', '17-digit bank account number'],
    ['1000042517 2175550142', 'account number next to a phone number'],
    ['94111111111111111', 'a card number glued to another digit is not a card number'],
    ['7111111111111111111', 'no card issuer starts with 7'],
  ])('does not flag %j (%s)', (text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe('GTIN check digits', () => {
  it.each([
    // UPC-A 036000291452: body from the right ×3,×1: 5·3+4+1·3+9+2·3+0+0+0+6·3+3+0 = 58 → (10-8) = 2
    ['036000291452', 'UPC-A'],
    // EAN-13 4006381333931: 3·3+9+3·3+3+3·3+1+8·3+3+6·3+0+0+4 = 89 → 1
    ['4006381333931', 'EAN-13'],
    // EAN-8 73513537: 3·3+5+3·3+1+5·3+3+7·3 = 63 → 7
    ['73513537', 'EAN-8'],
    // EAN-8 96385074: 7·3+0+5·3+8+3·3+6+9·3 = 86 → 4
    ['96385074', 'EAN-8'],
  ])('%s is a valid %s', (code) => {
    expect(gtinValid(code)).toBe(true);
  });

  it('computes the check digit from the body', () => {
    expect(gtinCheckDigit('03600029145')).toBe(2);
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(gtinCheckDigit('7351353')).toBe(7);
    // 9638507 → 86 → 4; a body summing to a multiple of 10 gives 0: 0000000 → 0
    expect(gtinCheckDigit('9638507')).toBe(4);
    expect(gtinCheckDigit('0000000')).toBe(0);
  });

  it.each([
    ['036000291453', 'wrong check digit'],
    ['4006381333932', 'wrong check digit'],
    ['73513536', 'wrong check digit'],
    ['03600029145', '11 digits'],
    ['1234567', '7 digits'],
    // As EAN-13, body 036000291452 sums to 68 → check 2 (so ...4522 would be valid); 1 is wrong.
    ['0360002914521', '13 digits with a wrong check digit'],
    ['03600029145A', 'a letter'],
  ])('refuses %s (%s)', (code) => {
    expect(gtinValid(code)).toBe(false);
  });

  it('every single-digit change of a valid GTIN is refused', () => {
    // Weights 3 and 1 are coprime to 10: one changed digit always changes the sum mod 10.
    for (const code of ['036000291452', '4006381333931', '73513537']) {
      for (let i = 0; i < code.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === code[i]) continue;
          expect(gtinValid(code.slice(0, i) + String(d) + code.slice(i + 1))).toBe(false);
        }
      }
    }
  });
});

describe('bill stubs', () => {
  // Maria's stub from the README. Body 100004251700007345; from the right, doubled positions
  // 5,3,0,0,7,5,4,0,0 → 1+6+0+0+5+1+8+0+0 = 21, the others 4,7,0,0,1,2,0,0,1 → 15; 36 → check digit 4.
  const MARIA_STUB = 'A1000042517000073454';

  it("makes and reads Maria's stub", () => {
    expect(makeBillStub('1000042517', 7_345)).toBe(MARIA_STUB);
    expect(parseBillStub(MARIA_STUB)).toEqual({
      ok: true,
      stub: { accountNumber: '1000042517', amountDueCents: 7_345 },
    });
    expect(parseBillStub(`  ${MARIA_STUB}\n`)).toEqual({
      ok: true,
      stub: { accountNumber: '1000042517', amountDueCents: 7_345 },
    });
  });

  it('refuses what is not a stub', () => {
    expect(parseBillStub('1000042517000073454')).toEqual({
      ok: false,
      message: 'Not a bill stub scan line.',
    });
    expect(parseBillStub('A100004251700007345')).toEqual({
      ok: false,
      message: 'Not a bill stub scan line.',
    });
    expect(parseBillStub('B1000042517000073454').ok).toBe(false);
  });

  it('refuses bad inputs when making one', () => {
    expect(() => makeBillStub('100004251', 100)).toThrow();
    expect(() => makeBillStub('10000425170', 100)).toThrow();
    expect(() => makeBillStub('100004251A', 100)).toThrow();
    expect(() => makeBillStub('1000042517', -1)).toThrow();
    expect(() => makeBillStub('1000042517', 100_000_000)).toThrow();
    expect(() => makeBillStub('1000042517', 1.5)).toThrow();
    expect(makeBillStub('1000042517', 0)).toMatch(/^A100004251700000000\d$/);
    expect(makeBillStub('1000042517', 99_999_999)).toMatch(/^A100004251799999999\d$/);
  });

  const stubArb = fc.record({
    accountNumber: digitString(10, 10),
    amountDueCents: fc.integer({ min: 0, max: 99_999_999 }),
  });

  it('round trip: parseBillStub(makeBillStub(a, c)) gives back a and c', () => {
    fc.assert(
      fc.property(stubArb, ({ accountNumber, amountDueCents }) => {
        const code = makeBillStub(accountNumber, amountDueCents);
        expect(code).toHaveLength(20);
        expect(code.slice(1, 11)).toBe(accountNumber);
        expect(Number(code.slice(11, 19))).toBe(amountDueCents);
        expect(referenceLuhn(code.slice(1))).toBe(true);
        expect(parseBillStub(code)).toEqual({ ok: true, stub: { accountNumber, amountDueCents } });
        expect(classifyScan(`${code}\r\n`)).toEqual({
          kind: 'billStub',
          code,
          stub: { accountNumber, amountDueCents },
        });
      }),
      { numRuns: 500 },
    );
  });

  function expectEveryCorruptionRefused(code: string): void {
    for (let i = 1; i < code.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[i]) continue;
        const bad = code.slice(0, i) + String(d) + code.slice(i + 1);
        const parsed = parseBillStub(bad);
        expect(parsed.ok, bad).toBe(false);
        expect(classifyScan(bad).kind, bad).toBe('invalid');
      }
    }
  }

  it("every single-digit corruption of Maria's stub is refused (19 positions × 9 digits)", () => {
    expectEveryCorruptionRefused(MARIA_STUB);
  });

  it('every single-digit corruption of any stub is refused (Luhn catches all single-digit errors)', () => {
    fc.assert(
      fc.property(stubArb, ({ accountNumber, amountDueCents }) => {
        expectEveryCorruptionRefused(makeBillStub(accountNumber, amountDueCents));
      }),
      { numRuns: 100 },
    );
  });
});

describe('classifyScan', () => {
  it.each([
    [
      'A1000042517000073454',
      {
        kind: 'billStub',
        code: 'A1000042517000073454',
        stub: { accountNumber: '1000042517', amountDueCents: 7_345 },
      },
    ],
    [
      'A1000042517000073454\r\n',
      {
        kind: 'billStub',
        code: 'A1000042517000073454',
        stub: { accountNumber: '1000042517', amountDueCents: 7_345 },
      },
    ],
    [
      'A1000042517000073454\r',
      {
        kind: 'billStub',
        code: 'A1000042517000073454',
        stub: { accountNumber: '1000042517', amountDueCents: 7_345 },
      },
    ],
    ['MAIN02-000123', { kind: 'receipt', code: 'MAIN02-000123', receiptNumber: 'MAIN02-000123' }],
    ['MAIN02-000123\n', { kind: 'receipt', code: 'MAIN02-000123', receiptNumber: 'MAIN02-000123' }],
    ['036000291452', { kind: 'gtin', code: '036000291452' }],
    ['4006381333931\r\n', { kind: 'gtin', code: '4006381333931' }],
    ['73513537', { kind: 'gtin', code: '73513537' }],
    ['SN8842ZK1Q', { kind: 'serial', code: 'SN8842ZK1Q' }],
    ['sn8842zk1q\r\n', { kind: 'serial', code: 'SN8842ZK1Q' }],
    ['00:1A:2B:3C:4D:5E', { kind: 'serial', code: '00:1A:2B:3C:4D:5E' }],
    ['00-1a-2b-3c-4d-5e', { kind: 'serial', code: '00-1A-2B-3C-4D-5E' }],
  ])('routes %j', (raw, expected) => {
    expect(classifyScan(raw)).toEqual(expected);
  });

  it.each([
    ['', 'Empty scan.'],
    ['\r\n', 'Empty scan.'],
    ['   ', 'Empty scan.'],
    ['A1000042517000073455', 'check digit'],
    ['036000291453', 'check digit'],
    ['73513536', 'check digit'],
    ['12345', 'Unknown barcode "12345".'],
    ['hello world', 'Unknown barcode'],
    ['!!!???', 'Unknown barcode'],
    ['AB12', 'Unknown barcode'],
  ])('refuses %j with a readable message', (raw, message) => {
    const r = classifyScan(raw);
    expect(r.kind).toBe('invalid');
    if (r.kind !== 'invalid') return;
    expect(r.message).toContain(message);
  });

  it('a bill stub with a wrong check digit is never routed as a stub or anything else', () => {
    const r = classifyScan('A1000042517000073450');
    expect(r).toEqual({
      kind: 'invalid',
      code: 'A1000042517000073450',
      message:
        'The bill stub did not scan correctly (check digit). Scan it again or type the account number.',
    });
  });

  it('keeps a garbage message short (at most 32 characters of the code)', () => {
    const r = classifyScan(`#${'x'.repeat(100)}`);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.message).toBe(`Unknown barcode "#${'x'.repeat(31)}".`);
  });
});
