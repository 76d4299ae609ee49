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

/**
 * True when the text holds anything that looks like a full payment card number: a run of 13-19
 * digits (spaces or dashes allowed between them) that passes Luhn. The counter never stores one.
 */
export function containsCardNumber(text: string): boolean {
  const runs = text.match(/\d[\d -]{11,}\d/g) ?? [];
  for (const run of runs) {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length < 13) continue;
    // Any 13-19 digit window of a longer run counts too.
    for (let len = 13; len <= Math.min(19, digits.length); len++) {
      for (let start = 0; start + len <= digits.length; start++) {
        if (luhnValid(digits.slice(start, start + len))) return true;
      }
    }
  }
  return false;
}
