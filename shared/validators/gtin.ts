/** UPC-A (12), EAN-13 (13) and EAN-8 (8) check digits (GS1 mod 10, weights 3/1 from the right). */
export function gtinValid(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(code)) return false;
  const body = code.slice(0, -1);
  return gtinCheckDigit(body) === Number(code.at(-1));
}

export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const n = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? n * 3 : n;
  }
  return (10 - (sum % 10)) % 10;
}
