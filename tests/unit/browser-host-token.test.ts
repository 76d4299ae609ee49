/**
 * The browser host's token file: created 0600, the same token on every later start, and replaced by a
 * fresh token when the file is not private (other users could have read it), is a link, or is not a
 * token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { loadOrCreateToken } from '../../electron/browser-host/token.js';

const dirs: string[] = [];
function fileInTemp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-token-'));
  dirs.push(dir);
  return path.join(dir, 'data', 'browser-host.token');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';

describe('browser host token file', () => {
  it('is created private and gives the same token on every later start', () => {
    const file = fileInTemp();
    const token = loadOrCreateToken(file);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    if (posix) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateToken(file)).toBe(token);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['browser-host.token']);
  });

  it.runIf(posix)('is replaced when group or others may read it', () => {
    const file = fileInTemp();
    const token = loadOrCreateToken(file);
    fs.chmodSync(file, 0o644);
    const fresh = loadOrCreateToken(file);
    expect(fresh).not.toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)('is replaced, not followed, when it is a link', () => {
    const file = fileInTemp();
    const elsewhere = path.join(path.dirname(path.dirname(file)), 'elsewhere');
    fs.writeFileSync(elsewhere, 'A'.repeat(32), { mode: 0o600 });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync(elsewhere, file);
    const token = loadOrCreateToken(file);
    expect(token).not.toBe('A'.repeat(32));
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(elsewhere, 'utf8')).toBe('A'.repeat(32));
  });

  it('is replaced when it does not hold a token', () => {
    const file = fileInTemp();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'short', { mode: 0o600 });
    expect(loadOrCreateToken(file)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
