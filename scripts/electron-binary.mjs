#!/usr/bin/env node
/* global process, console, URL -- a plain Node script, run by npm before anything is built */
/**
 * Fetches Electron's binary (about 100 MB, from GitHub or ELECTRON_MIRROR) into node_modules/electron.
 *
 * Electron's own install script is turned off (`allowScripts` in package.json) because it fails the
 * whole `npm install`, and npm rolls back every package, on a machine that reaches the package
 * registry but not GitHub. This runs in its place after the install (`--after-install`): it fetches
 * the binary when the download host answers and otherwise says what to do and lets the install
 * finish; `npm start` then runs the counter in the browser host. `npm run electron:fetch` runs it again
 * by hand, and there a failure is an error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const afterInstall = process.argv.includes('--after-install');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');

function done(message, ok) {
  console.log(message);
  process.exit(ok || afterInstall ? 0 : 1);
}

const HOW =
  'The install goes on without it: `npm start` runs the counter in the browser host (Chromium) instead. ' +
  'To run it in Electron, run `npm run electron:fetch` where github.com is reachable (or set ELECTRON_MIRROR).';

function installed() {
  try {
    const file = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8');
    return fs.existsSync(path.join(electronDir, 'dist', file));
  } catch {
    return false;
  }
}

/** One HEAD request to the download host, bounded, so an unreachable host costs seconds, not minutes. */
function reachable(url) {
  return new Promise((resolve) => {
    const req = https.request(url, { method: 'HEAD', timeout: 8000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

if (!fs.existsSync(path.join(electronDir, 'install.js'))) process.exit(0); // dev dependencies omitted
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);
if (installed()) done('Electron binary: already here.', true);

const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror ?? 'https://github.com/';
// Behind a proxy the direct probe says nothing; let Electron's downloader (and its proxy support) try.
const proxied = Boolean(
  process.env.ELECTRON_GET_USE_PROXY || process.env.HTTPS_PROXY || process.env.https_proxy,
);
if (!proxied && !(await reachable(mirror))) {
  done(
    `Electron's binary was not downloaded: ${new URL(mirror).host} is not reachable from here. ${HOW}`,
    false,
  );
}
const run = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit' });
if (run.status !== 0) done(`Electron's binary was not downloaded (see the error above). ${HOW}`, false);
done('Electron binary: downloaded.', true);
