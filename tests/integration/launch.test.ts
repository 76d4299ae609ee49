/**
 * `npm start` where the Electron binary is missing: one clear line, then the browser host serving
 * the renderer on loopback with its token, demo data loaded.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { tempDir } from '../support/counter.js';

const dataDir = tempDir('countertop-launch-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm start without the Electron binary', () => {
  it('says so in one line and starts the browser host with demo data', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('electron/launch.ts'), '--no-open'],
      {
        // Electron's own override: point it at a folder with no binary, as on a machine that never downloaded it.
        env: {
          ...process.env,
          COUNTERTOP_DATA_DIR: dataDir,
          PORT: '0',
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
      await expect
        .poll(() => out, { timeout: 30_000 })
        .toMatch(/running at (http:\/\/127\.0\.0\.1:\d+)\/#token=\S+/);
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe(
        'Electron is not installed here (its binary was not downloaded): starting the browser host instead.',
      );
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const index = await fetch(`${url}/`);
      if (fs.existsSync('dist/renderer/index.html')) expect(index.status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'counter.db'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
