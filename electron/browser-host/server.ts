/**
 * The browser host: a loopback HTTP server that serves the built renderer and carries the same
 * CounterApi calls and events over one WebSocket, guarded by a random token and an Origin check. It is
 * how tests drive the real app in Chromium, and how `npm start` runs without Electron.
 *
 * Every request comes from an untrusted peer (any web page on the machine can aim an <img> at a
 * loopback port), so nothing about it (path, Host, Origin, frames) may throw out of a handler: a bad
 * request is answered 400 and forgotten, and the next good one is served as usual.
 */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { WebSocketServer, type WebSocket } from 'ws';

import { ClientMessageSchema, MAX_FRAME_BYTES, type ServerMessage } from '../../shared/api/wire.js';
import type { CounterHost } from '../host/create-host.js';
import type { Session } from '../services/auth/auth.js';
import { loadOrCreateToken, newToken } from './token.js';

type ServerReply = Extract<ServerMessage, { type: 'reply' }>['reply'];

export type BrowserHostOptions = {
  /** Built renderer (vite build output). */
  staticDir: string;
  port?: number;
  /** Fixed token (tests); otherwise the one in `tokenFile`, or a random one per launch. */
  token?: string;
  /**
   * Keeps the token across restarts (a 0600 file in the data folder), so a window that is already
   * open reconnects to a restarted host instead of being locked out.
   */
  tokenFile?: string;
  /** Extra origins allowed to open the WebSocket (the Vite dev server in `npm run dev`). */
  allowedOrigins?: string[];
};

export type BrowserHost = {
  url: string;
  /** URL with the token in the fragment (never sent to the server, never logged or printed unasked). */
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

/** The request target as a URL, or null when it does not parse (`new URL` throws on some targets). */
function requestUrl(raw: string | undefined): URL | null {
  if (!raw?.startsWith('/')) return null;
  try {
    return new URL(raw, 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** A URL path decoded, or null when its escapes are broken (`decodeURIComponent` throws on `%E0%A4%A`). */
function decodedPath(pathname: string): string | null {
  try {
    const rel = decodeURIComponent(pathname);
    return rel.includes('\0') ? null : rel; // fs throws on a NUL in a path
  } catch {
    return null;
  }
}

/** `host[:port]` of an origin (`http://127.0.0.1:5173` -> `127.0.0.1:5173`), or null. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function refuse(res: http.ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(http.STATUS_CODES[status]);
}

export async function startBrowserHost(host: CounterHost, opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? (opts.tokenFile ? loadOrCreateToken(opts.tokenFile) : newToken());
  const root = path.resolve(opts.staticDir);
  let origin = '';
  // Host headers we answer: our own loopback address (and the dev server's, which proxies /ws). Any
  // other name (a DNS-rebinding page, a malformed header) gets 400 before anything else is read.
  let hosts = new Set<string>();
  const knownHost = (value: string | undefined): boolean =>
    value !== undefined && hosts.has(value.toLowerCase());

  const server = http.createServer((req, res) => {
    const url = requestUrl(req.url);
    const rel0 = url ? decodedPath(url.pathname) : null;
    if (!url || rel0 === null || !knownHost(req.headers.host)) {
      refuse(res, 400);
      return;
    }
    let rel = rel0;
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
  // A reset or half-sent request must not become an uncaught 'error' event.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    // Node hands an upgraded socket over without its own error listener.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req.url);
    const allowed = [origin, ...(opts.allowedOrigins ?? [])];
    const given = url?.searchParams.get('token') ?? '';
    if (
      url?.pathname !== '/ws' ||
      !knownHost(req.headers.host) ||
      !sameToken(given, token) ||
      !allowed.includes(req.headers.origin ?? '')
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
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
      void host
        .call(channel, input, session)
        .catch((): ServerReply => ({
          ok: false,
          error: { code: 'INTERNAL', message: 'The counter service failed on this call. Try again.' },
        }))
        .then((reply) => {
          if (ws.readyState === ws.OPEN)
            ws.send(JSON.stringify({ type: 'reply', id, reply } satisfies ServerMessage));
        });
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  hosts = new Set(
    [origin, `http://localhost:${port}`, ...(opts.allowedOrigins ?? [])]
      .map(hostOf)
      .filter((h): h is string => h !== null),
  );
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
