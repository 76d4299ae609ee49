/**
 * Untrusted bytes at the browser host and the embedded central server, over raw sockets: fast-check
 * sends random and adversarial request lines, paths (broken %-escapes such as `/%E0%A4%A`), Host and
 * Origin headers, WebSocket upgrades and WebSocket frames. Both run in a child process, as under
 * `npm start`; after every input the child must still be running and answer a good request, and no
 * refused input may reach the counter's dispatcher or change its database.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import fc from 'fast-check';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { ClientMessageSchema } from '../../shared/api/wire.js';
import { tempDir } from '../support/counter.js';

const dataDir = tempDir('countertop-fuzz-');
let child: ChildProcessWithoutNullStreams;
let exited = false;
const calls: string[] = [];
let web = { url: '', token: '', serverUrl: '' };
let port = 0;
let serverPort = 0;
let db: Knex;
const sent = { http: 0, upgrades: 0, frames: 0, server: 0 };

/** Writes the bytes, half-closes, and collects what comes back until the peer closes (bounded). */
function exchange(
  target: number,
  bytes: Buffer,
  then?: (s: net.Socket, got: () => string) => void,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(target, '127.0.0.1');
    let got = '';
    const bound = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(bound);
      resolve(got);
    });
    socket.on('connect', () => {
      socket.write(bytes);
      if (then) then(socket, () => got);
      else socket.end();
    });
  });
}

async function stillServing(): Promise<void> {
  expect(exited).toBe(false);
  const res = await fetch(`${web.url}/`);
  expect(res.status).toBe(200);
  const health = await fetch(`${web.serverUrl}/health`);
  expect(health.status).toBe(200);
}

/** Row counts of every table in the counter's database (the search index aside): an insert or delete shows. */
async function fingerprint(): Promise<string> {
  const tables = (await db.raw(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like 'CREATE VIRTUAL%' and name not like '%_fts_%' order by name",
  )) as {
    name: string;
  }[];
  const counts: string[] = [];
  for (const { name } of tables) {
    const row = (await db(name).count({ n: '*' }).first()) as { n: number };
    counts.push(`${name}=${row.n}`);
  }
  return createHash('sha256').update(counts.join(',')).digest('hex');
}

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('tests/support/browser-host-child.ts'), dataDir],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.on('exit', () => (exited = true));
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const line of d.toString().split('\n')) if (line.startsWith('call ')) calls.push(line.slice(5));
  });
  // The child prints its addresses once it listens, or exits with the reason on stderr.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => /^\{.*\}$/m.test(out) && resolve());
    child.once('exit', () => reject(new Error(`the host child exited: ${out}`)));
  });
  web = JSON.parse(/^(\{.*\})$/m.exec(out)![1]!) as typeof web;
  port = Number(new URL(web.url).port);
  serverPort = Number(new URL(web.serverUrl).port);
  db = knex({
    client: 'sqlite3',
    connection: { filename: path.join(dataDir, 'counter.db') },
    useNullAsDefault: true,
  });
}, 90_000);

afterAll(async () => {
  await db?.destroy();
  if (!exited) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(
    `fuzzed: ${sent.http} raw HTTP requests to the browser host, ${sent.upgrades} WebSocket upgrades, ${sent.frames} WebSocket frames, ${sent.server} raw HTTP requests to the embedded server`,
  );
});

// ---- generators -------------------------------------------------------------------------------

const badEscapes = ['%E0%A4%A', '%', '%%', '%zz', '%C0%AF', '%00', '%ff%fe', '%u0041', '%E0%A4', '%2e%2e%2f'];
const segment = fc.oneof(
  fc.constantFrom(...badEscapes, '..', '.', '', '//', '\\', 'index.html', 'ws', 'assets'),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[\x21-\x7e]{0,12}$/),
);
const requestTarget = fc.oneof(
  fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`),
  fc.constantFrom(
    '/%E0%A4%A',
    '//evil.example/x',
    'http://[::1',
    'http://a:b@',
    '*',
    '',
    '/?%E0',
    '/ws?token=%E0%A4%A',
    'http://127.0.0.1:99999/',
    '/\u0000',
    '/a'.repeat(5000),
  ),
  fc.string({ maxLength: 40 }),
);
const hostHeader = fc.oneof(
  fc.constant('VALID'),
  fc.constantFrom(
    '',
    '[',
    '[::1',
    'a b',
    'localhost:99999',
    '127.0.0.1:0',
    'evil.example',
    '%E0%A4%A',
    ':',
    '@',
    '[::1]:x',
  ),
  fc.stringMatching(/^[\x21-\x7e]{0,20}$/),
);
const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'CONNECT', 'TRACE'),
  fc.stringMatching(/^[A-Z]{0,8}$/),
);
const headerLine = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[A-Za-z-]{1,16}$/), fc.stringMatching(/^[\x20-\x7e]{0,40}$/))
    .map(([k, v]) => `${k}: ${v}`),
  fc.constantFrom(
    'Content-Length: -1',
    'Content-Length: 99999999999',
    'Transfer-Encoding: chunked',
    'Origin: null',
    'Connection: upgrade',
    'Upgrade: websocket',
    ': x',
    'X',
    'Host: a',
    'Origin: %E0%A4%A',
  ),
  fc.string({ maxLength: 30 }),
);
const rawRequest = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      method,
      target: requestTarget,
      host: hostHeader,
      headers: fc.array(headerLine, { maxLength: 4 }),
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/9.9', ''),
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
);

function render(
  r: Buffer | { method: string; target: string; host: string; headers: string[]; version: string },
  validHost: string,
): Buffer {
  if (Buffer.isBuffer(r)) return r;
  const host = r.host === 'VALID' ? validHost : r.host;
  return Buffer.from(
    `${r.method} ${r.target} ${r.version}\r\nHost: ${host}\r\n${r.headers.join('\r\n')}\r\n\r\n`,
    'latin1',
  );
}

// ---- tests --------------------------------------------------------------------------------------

describe('browser host under random and adversarial input', () => {
  it('answers the reported crash inputs with 400 and keeps serving', async () => {
    const before = await fingerprint();
    for (const raw of [
      `GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      'GET / HTTP/1.1\r\nHost: [\r\n\r\n',
      `GET /%00 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      `GET /ws?token=%E0%A4%A HTTP/1.1\r\nHost: [::1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
    ]) {
      const reply = await exchange(port, Buffer.from(raw, 'latin1'));
      expect(reply).toMatch(/^HTTP\/1\.1 40[01] /);
      await stillServing();
    }
    // The embedded server (Fastify) takes the same inputs without a 5xx and keeps serving too.
    for (const raw of [
      `GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${serverPort}\r\n\r\n`,
      'GET /health HTTP/1.1\r\nHost: [\r\n\r\n',
      'GET /v1/sync/pull?since=%E0%A4%A HTTP/1.1\r\nHost: [::1\r\nAuthorization: Bearer %E0\r\n\r\n',
    ]) {
      const reply = await exchange(serverPort, Buffer.from(raw, 'latin1'));
      // A broken escape is a 400; a malformed Host is not the server's to judge (it routes on the
      // path), but it must not fail the request either.
      expect(reply).toMatch(raw.startsWith('GET /%E0') ? /^HTTP\/1\.1 400 / : /^HTTP\/1\.1 [24]\d\d /);
      await stillServing();
    }
    expect(calls).toEqual([]);
    expect(await fingerprint()).toBe(before);
  });

  it('survives random HTTP requests and answers the next good one', async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(rawRequest, async (r) => {
        sent.http++;
        const reply = await exchange(port, render(r, `127.0.0.1:${port}`));
        // Whatever came back is a status line or nothing (a torn connection), never a crash.
        if (reply) expect(reply).toMatch(/^HTTP\/1\.[01] \d{3} /);
        await stillServing();
      }),
      { numRuns: 300, interruptAfterTimeLimit: 60_000 },
    );
    expect(calls).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 120_000);

  it('refuses random WebSocket upgrades without writing anything', async () => {
    const before = await fingerprint();
    const upgrade = fc.record({
      target: fc.oneof(requestTarget, fc.constant('/ws?token=TOKEN'), fc.constant('/ws?token=wrong')),
      host: hostHeader,
      origin: fc.oneof(
        fc.constant('SELF'),
        fc.constantFrom('http://evil.example', 'null', '', '%E0%A4%A', 'http://127.0.0.1'),
        fc.string({ maxLength: 20 }),
      ),
      key: fc.oneof(fc.constant('VALID'), fc.string({ maxLength: 30 })),
      version: fc.constantFrom('13', '8', '', 'x'),
      extra: fc.array(headerLine, { maxLength: 3 }),
      body: fc.uint8Array({ maxLength: 64 }),
    });
    await fc.assert(
      fc.asyncProperty(upgrade, async (u) => {
        const target = u.target.replace('TOKEN', web.token);
        const host = u.host === 'VALID' ? `127.0.0.1:${port}` : u.host;
        const origin = u.origin === 'SELF' ? web.url : u.origin;
        // Only a request that has everything right may be let in; those are not what we fuzz here.
        fc.pre(!(target === `/ws?token=${web.token}` && host === `127.0.0.1:${port}` && origin === web.url));
        sent.upgrades++;
        const key = u.key === 'VALID' ? randomBytes(16).toString('base64') : u.key;
        const raw = `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: ${origin}\r\nSec-WebSocket-Version: ${u.version}\r\nSec-WebSocket-Key: ${key}\r\n${u.extra.join('\r\n')}\r\n\r\n`;
        const reply = await exchange(port, Buffer.concat([Buffer.from(raw, 'latin1'), Buffer.from(u.body)]));
        expect(reply).not.toMatch(/^HTTP\/1\.1 101 /);
        await stillServing();
      }),
      { numRuns: 200, interruptAfterTimeLimit: 60_000 },
    );
    expect(calls).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 120_000);

  it('drops a signed-in connection on random frames without calling anything, and keeps serving', async () => {
    const before = await fingerprint();
    const frame = fc.oneof(
      // Raw bytes after a good handshake: any opcode, length, mask, or none.
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => ({ raw: Buffer.from(b) })),
      // Well-framed text that is not a call.
      fc
        .oneof(
          fc.json(),
          fc.string({ maxLength: 100 }),
          fc.constantFrom('{"type":"call","id":"x"', '{"type":"call","id":-1,"channel":"x"}', 'null', '[]'),
        )
        .filter((t) => {
          try {
            return !ClientMessageSchema.safeParse(JSON.parse(t)).success;
          } catch {
            return true;
          }
        })
        .map((text) => ({ text })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
        const ws = new WebSocket(`${web.url.replace('http', 'ws')}/ws?token=${web.token}`, {
          origin: web.url,
        });
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        ws.on('error', () => undefined);
        // Raw bytes go under ws, straight onto the socket; text goes as a proper masked frame.
        const socket = (ws as unknown as { _socket: net.Socket })._socket;
        for (const f of frames) {
          sent.frames++;
          if ('raw' in f) socket.write(f.raw);
          else ws.send(f.text);
        }
        // A frame that is cut short leaves the server waiting for the rest: end our side to settle it.
        socket.end();
        await closed;
        await stillServing();
      }),
      { numRuns: 150, interruptAfterTimeLimit: 60_000 },
    );
    expect(calls).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 120_000);

  it('the embedded central server survives random HTTP requests too', async () => {
    await fc.assert(
      fc.asyncProperty(rawRequest, async (r) => {
        sent.server++;
        const reply = await exchange(serverPort, render(r, `127.0.0.1:${serverPort}`));
        if (reply) expect(reply).toMatch(/^HTTP\/1\.[01] \d{3} /);
        await stillServing();
      }),
      { numRuns: 200, interruptAfterTimeLimit: 60_000 },
    );
  }, 120_000);

  it('still takes a good call afterwards', async () => {
    const ws = new WebSocket(`${web.url.replace('http', 'ws')}/ws?token=${web.token}`, { origin: web.url });
    const reply = await new Promise<unknown>((resolve, reject) => {
      ws.once('open', () =>
        ws.send(JSON.stringify({ type: 'call', id: 7, channel: 'session.state', input: {} })),
      );
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.once('error', reject);
    });
    ws.close();
    expect(reply).toMatchObject({ type: 'reply', id: 7, reply: { ok: true } });
    // The child logs the call on its stdout, which may arrive after the reply.
    await expect.poll(() => calls).toEqual(['session.state']);
  });
});
