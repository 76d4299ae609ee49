/**
 * `npm start`: runs the counter in Electron when its binary is installed; otherwise says so in one line
 * (with how to get it) and runs the same services in the browser host, opening Chromium in --app mode.
 *
 * The browser host's token is a secret: it is not printed (stdout ends up in terminals, logs and CI
 * output) unless `--print-url` asks for the address with it, and Chromium gets it through a 0600 file
 * in the data folder rather than on its command line (which every user on the machine can read).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { startBrowserHost } from './browser-host/server.js';
import { loadHostConfig, readConfigFile } from './host/config.js';
import pino from 'pino';

import { createCounterHost, DEFAULT_TERMINAL } from './host/create-host.js';
import { startEmbeddedServer } from './demo-server.js';
import { defaultDataDir, projectRoot, rendererDir } from './paths.js';

const args = new Set(process.argv.slice(2));
const printUrl = args.has('--print-url');
const root = projectRoot();

function electronBinary(): string | null {
  try {
    const bin = createRequire(path.join(root, 'package.json'))('electron') as unknown;
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/**
 * A page only this user can read that sends the window on to the app address, token included, so the
 * token is not on Chromium's command line.
 */
function openerPage(dataDir: string, appUrl: string): string {
  const file = path.join(dataDir, 'open-countertop.html');
  fs.rmSync(file, { force: true });
  fs.writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><title>Countertop</title><script>location.replace(${JSON.stringify(appUrl)})</script>`,
    { mode: 0o600, flag: 'wx' },
  );
  return file;
}

function findChromium(): string | null {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  const which = spawnSync(
    'sh',
    ['-c', 'command -v chromium || command -v chromium-browser || command -v google-chrome'],
    { encoding: 'utf8' },
  );
  return which.status === 0 ? which.stdout.trim() || null : null;
}

/**
 * `npm start`'s central server: the embedded demo server (electron/demo-server.ts), unless a server is
 * configured (COUNTERTOP_SERVER_URL, countertop.json `server.url`), `--no-server` is given or the demo
 * data is off. Hands the counter its address and a one-time enrollment code through the environment.
 */
async function demoSync(dataDir: string): Promise<{ close(): Promise<void>; fresh: boolean } | null> {
  if (args.has('--no-server') || process.env.COUNTERTOP_SERVER === 'none') return null;
  const file = readConfigFile(dataDir);
  if (process.env.COUNTERTOP_SERVER_URL || file.server?.url || file.demo === false) return null;
  const fresh = !fs.existsSync(path.join(dataDir, 'counter.db'));
  try {
    const embedded = await startEmbeddedServer({
      dataDir,
      branch: file.terminal?.branch ?? DEFAULT_TERMINAL.branch,
      demoCount: file.demo ? file.demo.count : 2000,
    });
    process.env.COUNTERTOP_SERVER_URL = embedded.url;
    if (embedded.enrollCode) process.env.COUNTERTOP_ENROLL_CODE = embedded.enrollCode;
    console.log(
      `Sync server (embedded demo) on ${embedded.url}. To watch the counter go offline, run the server on its own instead (README: "The central server").`,
    );
    return { close: embedded.close, fresh };
  } catch (err) {
    console.log(
      `The embedded sync server did not start (${err instanceof Error ? err.message : String(err)}): running without a server.`,
    );
    return null;
  }
}

async function main(): Promise<void> {
  const wantBrowser = args.has('--browser') || process.env.COUNTERTOP_HOST === 'browser' || args.has('--dev');
  const electron = wantBrowser ? null : electronBinary();
  if (electron) {
    const sync = await demoSync(defaultDataDir(root));
    const child = spawn(electron, [path.join(root, 'dist', 'electron', 'main', 'index.js')], {
      stdio: 'inherit',
    });
    child.on(
      'exit',
      (code) => void (sync?.close() ?? Promise.resolve()).finally(() => process.exit(code ?? 0)),
    );
    return;
  }
  if (!wantBrowser)
    console.log(
      'Electron is not installed here (its binary was not downloaded; `npm run electron:fetch` gets it): starting the browser host instead.',
    );

  const dataDir = defaultDataDir(root);
  const sync = await demoSync(dataDir);
  const host = await createCounterHost(
    loadHostConfig(dataDir, {
      logger: pino({ level: process.env.LOG_LEVEL ?? 'warn', name: 'countertop' }),
      // A new counter with the demo server: its replica comes with the first pull (progress in the status bar).
      ...(sync?.fresh ? { demo: null } : {}),
    }),
  );
  const dev = args.has('--dev');
  const browserHost = await startBrowserHost(host, {
    staticDir: rendererDir(root),
    port: Number(process.env.PORT ?? (dev ? 5174 : 5199)),
    // The same token after a restart, so a window that is already open reconnects.
    tokenFile: path.join(dataDir, 'browser-host.token'),
    ...(dev ? { allowedOrigins: ['http://127.0.0.1:5173', 'http://localhost:5173'] } : {}),
  });
  const shutdown = async (): Promise<void> => {
    await browserHost.close();
    await host.close();
    await sync?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  if (dev) {
    const { createServer } = await import('vite');
    const vite = await createServer({
      configFile: path.join(root, 'vite.config.ts'),
      server: {
        host: '127.0.0.1',
        port: 5173,
        proxy: { '/ws': { target: `ws://127.0.0.1:${browserHost.port}`, ws: true } },
      },
    });
    await vite.listen();
    console.log(
      printUrl
        ? `Countertop (dev): http://127.0.0.1:5173/#token=${browserHost.token}`
        : 'Countertop (dev) on http://127.0.0.1:5173 (add --print-url for the address with its access token).',
    );
    return;
  }
  if (!fs.existsSync(path.join(rendererDir(root), 'index.html'))) {
    console.log('The renderer is not built: run `npm run build` first (npm start does it for you).');
  }
  console.log(`Countertop is running at ${browserHost.url}  (data: ${dataDir}; Ctrl+C stops it)`);
  const openByHand = printUrl
    ? `Open ${browserHost.appUrl} in a browser on this machine.`
    : 'Run `npm start -- --print-url` for the address to open (it carries the access token).';
  if (printUrl || args.has('--no-open')) console.log(openByHand);
  if (args.has('--no-open')) return;
  const chromium = findChromium();
  if (!chromium) {
    console.log(`No Chromium found. ${openByHand}`);
    return;
  }
  const profile = path.join(dataDir, 'chromium-profile');
  const flags = [
    `--app=${pathToFileURL(openerPage(dataDir, browserHost.appUrl)).href}`,
    `--user-data-dir=${profile}`,
    '--window-size=1280,800',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (process.getuid?.() === 0) flags.push('--no-sandbox');
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux') {
    console.log(`No display here. ${openByHand}`);
    return;
  }
  const browser = spawn(chromium, flags, { stdio: 'ignore' });
  browser.on('exit', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
