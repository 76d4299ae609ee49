/**
 * The browser host's guard and the host's dispatcher, over a real WebSocket: the token and Origin
 * checks, malformed frames, signed-out and wrong-role calls, bad input, lockout, idle lock, and a
 * payment retried with the same request id posting once.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/server.js';
import { manualClock } from '../../electron/services/clock.js';
import { ANY_BALANCE, FLOAT_COUNTS, startTestHost, TEST_NOW } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
let host: Host;
let web: BrowserHost;
const clock = manualClock(TEST_NOW, 'America/Chicago');
const staticDir = path.resolve('tests/fixtures/static');

beforeAll(async () => {
  fs.mkdirSync(staticDir, { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startTestHost({ clock, idleLockSeconds: 120, demo: { count: 50, months: 2 } });
  web = await startBrowserHost(host, { staticDir });
});

afterAll(async () => {
  await web.close();
  await host.close();
  fs.rmSync(host.dataDir, { recursive: true, force: true });
});

type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string; field?: string } };

class Client {
  private nextId = 1;
  private waiting = new Map<number, (r: Reply) => void>();
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; id: number; reply: Reply };
      if (msg.type === 'reply') this.waiting.get(msg.id)?.(msg.reply);
    });
  }
  static open(url: string, origin: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin });
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  call(channel: string, input: unknown): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'call', id, channel, input }));
    });
  }
  closed(): Promise<number> {
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }
}

const wsUrl = (token: string) => `${web.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`;
const connect = () => Client.open(wsUrl(web.token), web.url);

describe('browser host guard', () => {
  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    await expect(Client.open(`${web.url.replace('http', 'ws')}/ws`, web.url)).rejects.toThrow('HTTP 401');
    await expect(Client.open(wsUrl('not-the-token'), web.url)).rejects.toThrow('HTTP 401');
    await expect(Client.open(wsUrl(web.token), 'http://evil.example')).rejects.toThrow('HTTP 401');
  });

  it('drops a connection that sends a frame that is not a call, and one that is too big', async () => {
    const a = await connect();
    const closedA = a.closed();
    a.ws.send('{"type":"call","id":"x"');
    expect(await closedA).toBe(1008);
    const b = await connect();
    const closedB = b.closed();
    b.ws.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        channel: 'accounts.search',
        input: { query: 'x'.repeat(100_000) },
      }),
    );
    expect(await closedB).toBe(1009);
  });

  it('serves the renderer with a CSP and never outside its folder', async () => {
    const res = await fetch(`${web.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    // The WebSocket back to this host's own port, and no other.
    expect(res.headers.get('content-security-policy')).toContain(
      `connect-src 'self' ${web.url.replace('http', 'ws')};`,
    );
    expect((await fetch(`${web.url}/..%2f..%2fpackage.json`)).status).toBe(404);
  });
});

describe('dispatcher', () => {
  it('answers signed-out calls with NOT_SIGNED_IN and unknown channels with UNKNOWN_CHANNEL', async () => {
    const c = await connect();
    expect((await c.call('accounts.search', { query: 'alvarez' })).error?.code).toBe('NOT_SIGNED_IN');
    expect((await c.call('payments.post', {})).error?.code).toBe('NOT_SIGNED_IN');
    expect((await c.call('no.such', {})).error?.code).toBe('UNKNOWN_CHANNEL');
    c.ws.close();
  });

  it('validates input and names the field', async () => {
    const c = await connect();
    await c.call('session.signIn', { cashierId: '1002', pin: '2345' });
    const bad = await c.call('payments.post', {
      requestId: randomUUID(),
      accountNumber: '12',
      amountCents: 1.5,
      tenders: [],
    });
    expect(bad.error?.code).toBe('INVALID_INPUT');
    expect(bad.error?.field).toBeDefined();
    const extra = await c.call('accounts.get', { accountNumber: '1000042517', sql: 'drop table accounts' });
    expect(extra.error?.code).toBe('INVALID_INPUT');
    c.ws.close();
  });

  it('refuses a role that may not take payments (admin) even when called directly', async () => {
    const c = await connect();
    expect((await c.call('session.signIn', { cashierId: '9001', pin: '9999' })).ok).toBe(true);
    const r = await c.call('payments.post', {
      requestId: randomUUID(),
      accountNumber: '1000042517',
      amountCents: 100,
      tenders: [{ type: 'cash', amountCents: 100 }],
    });
    expect(r.error?.code).toBe('FORBIDDEN');
    c.ws.close();
  });

  it('posts a retried payment (same request id) exactly once', async () => {
    const c = await connect();
    await c.call('session.signIn', { cashierId: '1001', pin: '1234' });
    await c.call('till.open', { counts: FLOAT_COUNTS });
    const input = {
      requestId: randomUUID(),
      accountNumber: '1000042517',
      amountCents: 1000,
      tenders: [{ type: 'cash', amountCents: 2000 }],
      ...ANY_BALANCE,
    };
    const [first, second] = await Promise.all([
      c.call('payments.post', input),
      c.call('payments.post', input),
    ]);
    expect(first?.ok && second?.ok).toBe(true);
    const n = (await host.ctx
      .db('transactions')
      .where('request_id', input.requestId)
      .count({ n: '*' })
      .first()) as { n: number };
    expect(Number(n.n)).toBe(1);
    const r1 = first?.value as { payment: { receiptNumber: string } };
    const r2 = second?.value as { payment: { receiptNumber: string } };
    expect(r1.payment.receiptNumber).toBe(r2.payment.receiptNumber);
    c.ws.close();
  });

  it('locks a cashier out after 5 wrong PINs, even for the right PIN, until the lockout ends', async () => {
    const c = await connect();
    for (let i = 1; i <= 4; i++) {
      const r = await c.call('session.signIn', { cashierId: '1002', pin: '0000' });
      expect(r.error).toMatchObject({ code: 'BAD_CREDENTIALS' });
      expect(r.error?.message).toContain(`${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left`);
    }
    expect((await c.call('session.signIn', { cashierId: '1002', pin: '0000' })).error?.code).toBe(
      'LOCKED_OUT',
    );
    expect((await c.call('session.signIn', { cashierId: '1002', pin: '2345' })).error?.code).toBe(
      'LOCKED_OUT',
    );
    clock.advance(16 * 60_000);
    expect((await c.call('session.signIn', { cashierId: '1002', pin: '2345' })).ok).toBe(true);
    const audit = (await host.ctx
      .db('audit_log')
      .where({ actor: '1002', action: 'session.lockedOut' })
      .count({ n: '*' })
      .first()) as { n: number };
    expect(Number(audit.n)).toBe(1);
    c.ws.close();
  });

  it('sends events to signed-in windows only', async () => {
    const outsider = await connect();
    const insider = await connect();
    const seen = { outsider: [] as string[], insider: [] as string[] };
    outsider.ws.on('message', (d) =>
      seen.outsider.push((JSON.parse(String(d)) as { type: string; name?: string }).name ?? 'reply'),
    );
    insider.ws.on('message', (d) =>
      seen.insider.push((JSON.parse(String(d)) as { type: string; name?: string }).name ?? 'reply'),
    );
    await insider.call('session.signIn', { cashierId: '1001', pin: '1234' });
    const paid = await insider.call('payments.post', {
      requestId: randomUUID(),
      accountNumber: '1000042517',
      amountCents: 500,
      tenders: [{ type: 'cash', amountCents: 500 }],
      ...ANY_BALANCE,
    });
    expect(paid.ok).toBe(true);
    await expect.poll(() => seen.insider).toContain('status.changed');
    expect(seen.insider).toContain('receipt.printed');
    expect(seen.outsider.filter((n) => n !== 'reply')).toEqual([]);
    outsider.ws.close();
    insider.ws.close();
  });

  it('signs a session out after the idle time', async () => {
    const c = await connect();
    await c.call('session.signIn', { cashierId: '1001', pin: '1234' });
    expect((await c.call('accounts.get', { accountNumber: '1000042517' })).ok).toBe(true);
    clock.advance(121_000);
    const r = await c.call('accounts.get', { accountNumber: '1000042517' });
    expect(r.error?.code).toBe('NOT_SIGNED_IN');
    expect(r.error?.message).toContain('idle');
    expect(((await c.call('session.state', {})).value as { cashier: unknown }).cashier).toBeNull();
    c.ws.close();
  });
});
