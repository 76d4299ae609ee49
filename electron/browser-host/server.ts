/**
 * The browser host: a loopback HTTP server that serves the built renderer and carries the same
 * CounterApi calls and events over one WebSocket, guarded by a random per-launch token and an Origin
 * check. It is how tests drive the real app in Chromium, and how `npm start` runs without Electron.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { WebSocketServer, type WebSocket } from 'ws';

import { ClientMessageSchema, MAX_FRAME_BYTES, type ServerMessage } from '../../shared/api/wire.js';
import type { CounterHost } from '../host/create-host.js';
import type { Session } from '../services/auth/auth.js';

export type BrowserHostOptions = {
  /** Built renderer (vite build output). */
  staticDir: string;
  port?: number;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
  /** Extra origins allowed to open the WebSocket (the Vite dev server in `npm run dev`). */
  allowedOrigins?: string[];
};

export type BrowserHost = {
  url: string;
  /** URL with the token in the fragment (never sent to the server, never in logs). */
  appUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startBrowserHost(host: CounterHost, opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(opts.staticDir);
  let origin = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || !path.extname(rel)) rel = '/index.html';
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep) || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${origin.replace('http', 'ws')}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
      });
      res.end(body);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const allowed = [origin, ...(opts.allowedOrigins ?? [])];
    const given = url.searchParams.get('token') ?? '';
    if (url.pathname !== '/ws' || !sameToken(given, token) || !allowed.includes(req.headers.origin ?? '')) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  // Events go to signed-in windows only (they carry device and queue details), or to their one target.
  const sessions = new Map<WebSocket, Session>();
  const offEvents = host.onEvent((name, payload, target) => {
    const text = JSON.stringify({ type: 'event', name, payload } satisfies ServerMessage);
    for (const [ws, session] of sessions) {
      const wanted = target ? session.id === target : session.cashier !== null;
      if (wanted && ws.readyState === ws.OPEN) ws.send(text);
    }
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    const session = host.newSession();
    sessions.set(ws, session);
    ws.on('close', () => {
      sockets.delete(ws);
      sessions.delete(ws);
    });
    // An oversized or broken frame: ws closes the socket (1009/1002); it must never crash the host.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        parsed = undefined;
      }
      const msg = ClientMessageSchema.safeParse(parsed);
      if (!msg.success) {
        // A frame that is not a well-formed call is not from our renderer: drop the connection.
        ws.close(1008, 'malformed frame');
        return;
      }
      const { id, channel, input } = msg.data;
      void host.call(channel, input, session).then((reply) => {
        if (ws.readyState === ws.OPEN)
          ws.send(JSON.stringify({ type: 'reply', id, reply } satisfies ServerMessage));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    appUrl: `${origin}/#token=${token}`,
    token,
    port,
    async close() {
      offEvents();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
