/**
 * The browser host's token, kept per data folder in a file only this user can read (0600), so the
 * same token survives a restart of the host: a window that is already open (its token in
 * sessionStorage) reconnects instead of being locked out. Anyone who can read the file can already
 * read the counter's database in the same folder, so this gives nothing away.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** 24 random bytes, base64url: what newToken() makes and the only shape a token file may hold. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The token in `file` if it is ours and private: a regular file (not a link), owned by this user,
 * with no group/other permission bits, holding a well-formed token. Anything else is replaced by a
 * fresh token, since a token others could have read is no longer a secret.
 */
export function loadOrCreateToken(file: string): string {
  const existing = readPrivateToken(file);
  if (existing) return existing;
  const token = newToken();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written under a temporary name created 0600 (the umask can only remove bits), then renamed over
  // the old file, so there is never a moment where a readable or half-written token file exists.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeSync(fd, token);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  return token;
}

function readPrivateToken(file: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return null;
  }
  if (!stat.isFile()) return null;
  if (process.platform !== 'win32') {
    if ((stat.mode & 0o077) !== 0) return null;
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return null;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  return TOKEN_SHAPE.test(text) ? text : null;
}
