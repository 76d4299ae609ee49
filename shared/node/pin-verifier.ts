/**
 * PIN hashes and the per-terminal PIN verifiers derived from them.
 *
 * The server keeps `hash = scrypt(pin, salt1)` (N=2^14) and never sends it. A terminal gets, per
 * cashier, a verifier it can check offline:
 *
 *   k1       = scrypt(pin, salt1, N=2^14, r=8, p=1)                      (the server's stored key)
 *   salt2    = SHA-256("countertop-pin-verifier-v1" ‖ terminal code ‖ cashier id ‖ nonce)
 *   verifier = scrypt(k1, salt2, N=2^15, r=8, p=1)
 *
 * stored as `tv1$N1$r1$p1$salt1$N2$r2$p2$nonce$verifier`. The terminal code and cashier id are NOT
 * in the string: the checking terminal supplies its own, so a verifier copied from one terminal (or
 * from one cashier's row to another's) never matches on another. The server makes verifiers from the
 * stored hash without knowing the PIN; the terminal needs the PIN.
 *
 * What a stolen counter file gives: per guess, both scrypt runs (about 48 MiB of memory and most of a
 * second of one core per guess on counter hardware), per terminal and cashier separately, and nothing
 * that works against the server or another terminal. A 4-digit PIN still falls to a determined
 * offline search, which is why new PINs have a minimum length (see shared/validators/pin.ts) and why
 * the lockout, not the hash, is what protects PINs at the counter.
 */
import {
  createHash,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const KEYLEN = 32;
export const PIN_HASH_COST = { N: 16384, r: 8, p: 1 } as const;
export const VERIFIER_COST = { N: 32768, r: 8, p: 1 } as const;
const VERIFIER_DOMAIN = 'countertop-pin-verifier-v1';

function scrypt(secret: string | Buffer, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  // Room for the memory 128·N·r needs (Node's default limit stops just short of N=2^15, r=8).
  const maxmem = 256 * (opts.N ?? 16384) * (opts.r ?? 8) + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, KEYLEN, { ...opts, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const b64 = (b: Buffer) => b.toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');

/** `scrypt$N$r$p$salt$key` (base64): what the server stores for a PIN. */
export async function hashPin(pin: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scrypt(pin, salt, PIN_HASH_COST);
  return ['scrypt', PIN_HASH_COST.N, PIN_HASH_COST.r, PIN_HASH_COST.p, b64(salt), b64(key)].join('$');
}

type Cost = { N: number; r: number; p: number };
type ParsedHash = { cost: Cost; salt: Buffer; key: Buffer };

function parseCost(n?: string, r?: string, p?: string): Cost | null {
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const ok =
    Number.isInteger(cost.N) &&
    cost.N >= 1024 &&
    cost.N <= 1 << 20 &&
    (cost.N & (cost.N - 1)) === 0 &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= 32 &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= 16;
  return ok ? cost : null;
}

function parseHash(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const cost = parseCost(n, r, p);
  if (scheme !== 'scrypt' || !cost || !salt || !key) return null;
  return { cost, salt: unb64(salt), key: unb64(key) };
}

function salt2(terminalCode: string, cashierId: string, nonce: Buffer): Buffer {
  return createHash('sha256')
    .update(VERIFIER_DOMAIN)
    .update('\0')
    .update(terminalCode)
    .update('\0')
    .update(cashierId)
    .update('\0')
    .update(nonce)
    .digest();
}

async function verifierFromKey(
  k1: Buffer,
  stage1: { cost: Cost; salt: Buffer },
  terminalCode: string,
  cashierId: string,
  nonce: Buffer,
): Promise<string> {
  const v = await scrypt(k1, salt2(terminalCode, cashierId, nonce), VERIFIER_COST);
  return [
    'tv1',
    stage1.cost.N,
    stage1.cost.r,
    stage1.cost.p,
    b64(stage1.salt),
    VERIFIER_COST.N,
    VERIFIER_COST.r,
    VERIFIER_COST.p,
    b64(nonce),
    b64(v),
  ].join('$');
}

/** The verifier one terminal gets for one cashier, from the server's stored hash (no PIN needed). */
export async function deriveVerifier(
  pinHash: string,
  terminalCode: string,
  cashierId: string,
): Promise<string> {
  const h = parseHash(pinHash);
  if (!h) throw new Error(`cashier ${cashierId} has no valid PIN hash`);
  return verifierFromKey(h.key, h, terminalCode, cashierId, randomBytes(16));
}

/** A terminal-side verifier straight from a PIN (demo data seeded on the counter, no server). */
export async function verifierForPin(pin: string, terminalCode: string, cashierId: string): Promise<string> {
  return deriveVerifier(await hashPin(pin), terminalCode, cashierId);
}

export function isVerifier(stored: string): boolean {
  return stored.startsWith('tv1$');
}

/**
 * Checks a PIN on this terminal against a verifier (`tv1$…`), or against a plain hash (`scrypt$…`)
 * a terminal pulled before verifiers existed. Constant-time comparison; a malformed value is false.
 */
export async function checkPin(
  pin: string,
  stored: string,
  terminalCode: string,
  cashierId: string,
): Promise<boolean> {
  const parts = stored.split('$');
  if (parts[0] === 'scrypt') {
    const h = parseHash(stored);
    if (!h) return false;
    const key = await scrypt(pin, h.salt, h.cost);
    return key.length === h.key.length && timingSafeEqual(key, h.key);
  }
  const [scheme, n1, r1, p1, s1, n2, r2, p2, nonce, v] = parts;
  const c1 = parseCost(n1, r1, p1);
  const c2 = parseCost(n2, r2, p2);
  if (scheme !== 'tv1' || !c1 || !c2 || !s1 || !nonce || !v) return false;
  const k1 = await scrypt(pin, unb64(s1), c1);
  const key = await scrypt(k1, salt2(terminalCode, cashierId, unb64(nonce)), c2);
  const expected = unb64(v);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
