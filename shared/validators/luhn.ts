/** Luhn (mod 10) helpers: card numbers and bill-stub check digits use the same algorithm. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `digits + check` Luhn-valid. */
export function luhnCheckDigit(digits: string): number {
  for (let c = 0; c <= 9; c++) if (luhnValid(digits + String(c))) return c;
  throw new Error('unreachable');
}

/** 13-19 digits, a card issuer's first digit (2-6: Mastercard, Amex/Diners/JCB, Visa, Mastercard, Discover/UnionPay) and Luhn. */
export function isCardNumberLike(digits: string): boolean {
  return /^[2-6]\d{12,18}$/.test(digits) && luhnValid(digits);
}

/**
 * True when the text holds anything that looks like a full payment card number: 13-19 digits with a
 * card issuer's first digit that pass Luhn, written together or in groups split by spaces or dashes
 * ("4111 1111 1111 1111"). The counter never stores one. Whole groups only: a 17-digit bank account
 * number or an account number next to a phone number is not a card number because some window of it
 * happens to pass Luhn (one in ten does).
 */
export function containsCardNumber(text: string): boolean {
  const runs = text.match(/\d+(?:[ -]\d+)*/g) ?? [];
  for (const run of runs) {
    const groups = run.split(/[ -]/);
    for (let start = 0; start < groups.length; start++) {
      let digits = '';
      for (let end = start; end < groups.length && digits.length <= 19; end++) {
        digits += groups[end];
        if (isCardNumberLike(digits)) return true;
      }
    }
  }
  return false;
}
