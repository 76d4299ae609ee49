/** PINs are stored as scrypt hashes: `scrypt$N$r$p$salt$hash` (base64). Verification is constant-time. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(pin: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(pin, salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPin(pin: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scrypt(pin, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pin, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | null = null;

/**
 * The same scrypt work as a real check, against a hash of a random PIN nobody knows, so an unknown
 * cashier ID takes as long to refuse as a wrong PIN for a real one. Always false.
 */
export async function dummyPinCheck(pin: string): Promise<boolean> {
  dummy ??= hashPin(randomBytes(16).toString('hex'));
  await verifyPin(pin, await dummy);
  return false;
}
