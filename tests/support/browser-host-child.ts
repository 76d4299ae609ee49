/**
 * Child process for the browser host fuzz test: a real counter (SQLite file) behind the browser host,
 * plus the embedded central server (Fastify), as `npm start` runs them. Prints one JSON line with the
 * addresses and token, then "call <channel>" for every call that reaches the counter's dispatcher, so
 * the parent can see that nothing it refused got through.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startBrowserHost } from '../../electron/browser-host/server.js';
import { startEmbeddedServer } from '../../electron/demo-server.js';
import { startTestHost } from './counter.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: browser-host-child <dataDir>');

const staticDir = path.join(dataDir, 'static');
fs.mkdirSync(staticDir, { recursive: true });
fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>fuzz</title>');

const host = await startTestHost({ dataDir, demo: { count: 20, months: 1 } });
const dispatch = host.call.bind(host);
host.call = (channel, input, session) => {
  process.stdout.write(`call ${channel}\n`);
  return dispatch(channel, input, session);
};
const web = await startBrowserHost(host, { staticDir });
const server = await startEmbeddedServer({
  dataDir: path.join(dataDir, 'central'),
  branch: 'MAIN',
  demoCount: 20,
  port: 0,
});
process.stdout.write(`${JSON.stringify({ url: web.url, token: web.token, serverUrl: server.url })}\n`);

process.on('SIGTERM', () => {
  void web
    .close()
    .then(() => host.close())
    .then(() => server.close())
    .finally(() => process.exit(0));
});
