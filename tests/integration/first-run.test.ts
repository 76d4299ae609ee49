/**
 * The README's first run on a machine that reaches the npm registry but not Electron's download host:
 * `npm install` then `npm start` in a fresh clone of this repository at HEAD, as CI makes one.
 *
 * A full `npm ci` compiles sqlite3 from source here (minutes), too slow for every `npm test`, so the
 * clone gets this checkout's node_modules as a hardlinked copy (cheap, and nothing in it is written
 * through: npm replaces files rather than editing them) minus the `electron` package, and
 * `npm install` has to bring Electron back from the npm cache, which runs its install step. Electron's
 * download host is made unreachable (ELECTRON_MIRROR on a closed port), so the step that used to fail
 * the whole install, and have npm roll the tree back, runs for real. Then `npm start` builds the clone
 * and the counter must answer over HTTP and over its WebSocket.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-first-run-'));
const clone = path.join(work, 'countertop');
const dataDir = path.join(work, 'data');
let closedPort = 0;

/** A port nothing listens on: taken from the OS, then released. */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

/**
 * This environment without anything that would skip Electron's download or point it elsewhere, and
 * with its download host unreachable.
 */
function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extra,
    ELECTRON_MIRROR: `https://127.0.0.1:${closedPort}/`,
  };
  for (const key of Object.keys(env))
    if (/^(ELECTRON_SKIP_BINARY_DOWNLOAD|ELECTRON_OVERRIDE_DIST_PATH|npm_config_electron_mirror)$/i.test(key))
      delete env[key];
  return env;
}

beforeAll(async () => {
  closedPort = await unusedPort();
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', path.resolve('.'), clone]);
  execFileSync('cp', ['-al', path.resolve('node_modules'), path.join(clone, 'node_modules')]);
  fs.rmSync(path.join(clone, 'node_modules', 'electron'), { recursive: true, force: true });
}, 120_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('first run from a fresh clone, no GitHub', () => {
  it('npm install succeeds with no EBADENGINE warning and says how to get Electron', async () => {
    const { code, out } = await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund'],
      plainEnv(),
    );
    expect(out).not.toMatch(/EBADENGINE/);
    expect(out).toContain("Electron's binary was not downloaded");
    expect(out).toContain('npm run electron:fetch');
    expect(code).toBe(0);
    // The package is there (its types are needed to build), its binary is not.
    expect(fs.existsSync(path.join(clone, 'node_modules', 'electron', 'electron.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(clone, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  }, 300_000);

  it('npm start builds, falls back to the browser host and the counter answers', async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, 'countertop.json'),
      JSON.stringify({ demo: { count: 100, months: 1 } }),
    );
    let out = '';
    const child: ChildProcess = spawn('npm', ['start', '--', '--no-open'], {
      cwd: clone,
      detached: true, // its own process group: npm, sh and node stop together
      env: plainEnv({ COUNTERTOP_DATA_DIR: dataDir, PORT: '0', COUNTERTOP_SERVER_PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await expect
        .poll(() => out, { timeout: 240_000, interval: 500 })
        .toMatch(/running at http:\/\/127\.0\.0\.1:\d+ /);
      expect(out).toContain('Electron is not installed here');
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const index = await fetch(`${url}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<div id="root">');

      const token = fs.readFileSync(path.join(dataDir, 'browser-host.token'), 'utf8');
      const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${token}`, { origin: url });
      const reply = await new Promise<unknown>((resolve, reject) => {
        ws.once('open', () =>
          ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'session.state', input: {} })),
        );
        ws.once('message', (d) => resolve(JSON.parse(String(d))));
        ws.once('error', reject);
      });
      ws.close();
      expect(reply).toMatchObject({ type: 'reply', id: 1, reply: { ok: true, value: { cashier: null } } });
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }, 300_000);
});
