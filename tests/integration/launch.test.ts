/**
 * `npm start` where the Electron binary is missing: one clear line (with how to get it), then the
 * browser host serving the renderer on loopback with demo data loaded. The access token stays out of
 * stdout unless `--print-url` asks for it, lives in a 0600 file in the data folder, and is the same
 * after a restart (so an open window can reconnect).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { tempDir } from '../support/counter.js';

const dataDir = tempDir('countertop-launch-');
// A small demo book keeps the two launches quick; the launcher path is the same.
fs.writeFileSync(path.join(dataDir, 'countertop.json'), JSON.stringify({ demo: { count: 200, months: 2 } }));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function launch(extra: string[], check: (out: string) => Promise<void>): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('electron/launch.ts'), '--no-open', ...extra],
    {
      // Electron's own override: point it at a folder with no binary, as on a machine that never downloaded it.
      env: {
        ...process.env,
        COUNTERTOP_DATA_DIR: dataDir,
        PORT: '0',
        COUNTERTOP_SERVER_PORT: '0',
        ELECTRON_OVERRIDE_DIST_PATH: path.join(dataDir, 'no-electron'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await expect.poll(() => out, { timeout: 90_000 }).toMatch(/running at http:\/\/127\.0\.0\.1:\d+ /);
    await check(out);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe('npm start without the Electron binary', () => {
  const tokenFile = path.join(dataDir, 'browser-host.token');

  it('says so and how to get it, starts the browser host with demo data, and keeps the token off stdout', async () => {
    await launch([], async (out) => {
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe(
        'Electron is not installed here (its binary was not downloaded; `npm run electron:fetch` gets it): starting the browser host instead.',
      );
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const index = await fetch(`${url}/`);
      if (fs.existsSync('dist/renderer/index.html')) expect(index.status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'counter.db'))).toBe(true);

      const token = fs.readFileSync(tokenFile, 'utf8');
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(out).not.toContain(token);
      expect(out).not.toContain('#token=');
      expect(out).toContain('--print-url');
    });
  }, 120_000);

  it('prints the address with its token when asked, and the token survives the restart', async () => {
    const before = fs.readFileSync(tokenFile, 'utf8');
    await launch(['--print-url'], async (out) => {
      await expect.poll(() => out).toMatch(/#token=/);
      const printed = /#token=([A-Za-z0-9_-]+)/.exec(out)![1];
      expect(printed).toBe(before);
      expect(fs.readFileSync(tokenFile, 'utf8')).toBe(before);
    });
  }, 120_000);
});
