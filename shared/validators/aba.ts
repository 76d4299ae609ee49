/**
 * ABA routing transit number: 9 digits, 3-7-1 weighted checksum
 * 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).
 */
export function isValidRoutingNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = d.reduce((acc, digit, i) => acc + digit * (weights[i] ?? 0), 0);
  return sum % 10 === 0 && value !== '000000000';
}
