/**
 * Files only this user may read: databases, enrollment credentials, Z-report PDFs, the at-rest key.
 * Files are 0600 in a 0700 folder. Node only (counter services and server; never the renderer).
 *
 * SQLite creates its -wal and -shm files with the database file's own mode, so creating the database
 * file 0600 before SQLite opens it is what keeps those private too; existing files are tightened.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and its parents) 0700, or tightens it to 0700 when it exists with group/other bits.
 * A shared folder (the temp folder, anything sticky like /tmp) is left alone: it is not ours to close.
 */
export function ensurePrivateDir(dir: string): void {
  const abs = path.resolve(dir);
  fs.mkdirSync(abs, { recursive: true, mode: PRIVATE_DIR_MODE });
  const st = fs.statSync(abs);
  const shared =
    (st.mode & 0o1000) !== 0 || abs === path.resolve(os.tmpdir()) || abs === path.parse(abs).root;
  if (!shared && (st.mode & 0o077) !== 0) fs.chmodSync(abs, PRIVATE_DIR_MODE);
}

/** Creates `file` empty and 0600 when missing (its folder private too), or tightens it to 0600. */
export function ensurePrivateFile(file: string): void {
  ensurePrivateDir(path.dirname(file));
  fs.closeSync(
    fs.openSync(
      file,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND,
      PRIVATE_FILE_MODE,
    ),
  );
  fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/** An SQLite database file and its companions (-wal, -shm, -journal): private before SQLite opens them. */
export function ensurePrivateSqlite(filename: string): void {
  if (filename === ':memory:' || filename === '') return;
  ensurePrivateFile(filename);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    const f = `${filename}${suffix}`;
    if (fs.existsSync(f)) fs.chmodSync(f, PRIVATE_FILE_MODE);
  }
}
