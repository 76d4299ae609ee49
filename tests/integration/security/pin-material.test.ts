/**
 * Attacker tests for PIN material leaving the server (real server on SQLite over HTTP, real counter):
 * a pull carries no PIN hash, only a verifier for the pulling terminal that is useless on another
 * terminal or for another cashier; a PIN set on the server meets the PIN policy and reaches the
 * counter as a new verifier; a plain hash an older counter pulled is replaced at the next good PIN.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { checkPin, hashPin } from '../../../shared/node/pin-verifier.js';
import { newPinProblem } from '../../../shared/validators/pin.js';
import { createEnrollmentCode } from '../../../server/src/domain/enroll.js';
import { startTestHost, tempDir } from '../../support/counter.js';
import { call, signedIn, startSqliteServer, waitFor, type RunningServer } from '../../support/sync-server.js';

const dir = tempDir('countertop-pins-');
const ADMIN = 'admin-secret-for-tests';
let s: RunningServer;

beforeAll(async () => {
  s = await startSqliteServer(dir, 3, { months: 1, config: { adminToken: ADMIN, pinMinLength: 6 } });
});
afterAll(async () => {
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function enroll(terminalCode: string): Promise<string> {
  const { code } = await createEnrollmentCode(s.db, { branch: 'MAIN' });
  const r = await fetch(`${s.url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, terminalCode, terminalName: terminalCode, branch: 'MAIN', nextSeq: 1 }),
  });
  expect(r.status).toBe(201);
  return ((await r.json()) as { token: string }).token;
}

async function pullAll(
  token: string,
): Promise<{ text: string; cashiers: Map<string, Record<string, unknown>> }> {
  let cursor = 0;
  let text = '';
  const cashiers = new Map<string, Record<string, unknown>>();
  for (let more = true; more;) {
    const r = await fetch(`${s.url}/v1/sync/pull?cursor=${cursor}&limit=500`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    const body = await r.text();
    text += body;
    const page = JSON.parse(body) as {
      changes: { entity: string; key: string; data: Record<string, unknown> }[];
      cursor: number;
      hasMore: boolean;
    };
    for (const c of page.changes) if (c.entity === 'cashier') cashiers.set(c.key, c.data);
    ({ cursor, hasMore: more } = page);
  }
  return { text, cashiers };
}

describe('PIN material in pulls', () => {
  it('a pull carries no PIN hash; each terminal gets a verifier only it can use', async () => {
    const hashes = (await s.db.knex('cashiers').select('id', 'pin_hash')) as {
      id: string;
      pin_hash: string;
    }[];
    const a = await pullAll(await enroll('MAIN-21'));
    const b = await pullAll(await enroll('MAIN-22'));
    for (const pulled of [a, b]) {
      expect(pulled.text).not.toMatch(/pinHash|"scrypt\$/);
      for (const h of hashes) {
        expect(pulled.text).not.toContain(h.pin_hash);
        expect(pulled.text).not.toContain(h.pin_hash.split('$').at(-1));
      }
      expect(pulled.cashiers.size).toBe(hashes.length);
    }
    const va = a.cashiers.get('1001')!.pinVerifier as string;
    const vb = b.cashiers.get('1001')!.pinVerifier as string;
    expect(va).toMatch(/^tv1\$/);
    expect(await checkPin('1234', va, 'MAIN-21', '1001')).toBe(true);
    expect(await checkPin('1234', vb, 'MAIN-22', '1001')).toBe(true);
    // Stolen from terminal A and planted on B, or on another cashier's row: no match.
    expect(await checkPin('1234', va, 'MAIN-22', '1001')).toBe(false);
    expect(await checkPin('1234', va, 'MAIN-21', '1002')).toBe(false);
    expect(await checkPin('0000', va, 'MAIN-21', '1001')).toBe(false);
  });

  it('a PIN set on the server meets the policy and reaches the counter as a new verifier', async () => {
    const { code } = await createEnrollmentCode(s.db, { branch: 'MAIN' });
    const h = await startTestHost({
      dataDir: path.join(dir, 'counter'),
      demo: null,
      server: { url: s.url, enrollCode: code, pullIntervalMs: 3_600_000 },
    });
    try {
      // No demo data: the cashiers (and their verifiers) come from the first pull.
      await waitFor(
        'first pull',
        async () => (await h.ctx.db('cashiers').where('id', '2001').first()) !== undefined,
      );
      const setPin = (pin: string) =>
        fetch(`${s.url}/v1/admin/cashiers/1002/pin`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ pin }),
        });
      for (const weak of ['2580', '12345', '111111', '123456', '12ab56']) {
        const r = await setPin(weak);
        expect(r.status).toBe(400);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe('INVALID_PIN');
      }
      expect((await setPin('583902')).status).toBe(204);
      const supervisor = await signedIn(h, '2001', '2468');
      await call(h, supervisor, 'sync.pullNow');
      const row = (await h.ctx.db('cashiers').where('id', '1002').first('pin_hash')) as { pin_hash: string };
      expect(row.pin_hash).toMatch(/^tv1\$/);
      const serverHash = (await s.db.knex('cashiers').where('id', '1002').first('pin_hash')) as {
        pin_hash: string;
      };
      expect(row.pin_hash).not.toBe(serverHash.pin_hash);
      expect((await h.call('session.signIn', { cashierId: '1002', pin: '2345' }, h.newSession())).ok).toBe(
        false,
      );
      expect((await h.call('session.signIn', { cashierId: '1002', pin: '583902' }, h.newSession())).ok).toBe(
        true,
      );
    } finally {
      await h.close();
    }
  });
});

it('a plain PIN hash an older counter pulled is replaced by a verifier at the next good PIN', async () => {
  const h = await startTestHost({ dataDir: path.join(dir, 'legacy'), demo: { count: 5, months: 1 } });
  try {
    await h.ctx
      .db('cashiers')
      .where('id', '1001')
      .update({ pin_hash: await hashPin('1234') });
    expect((await h.call('session.signIn', { cashierId: '1001', pin: '1234' }, h.newSession())).ok).toBe(
      true,
    );
    const row = (await h.ctx.db('cashiers').where('id', '1001').first('pin_hash')) as { pin_hash: string };
    expect(row.pin_hash).toMatch(/^tv1\$/);
    expect(await checkPin('1234', row.pin_hash, h.ctx.terminal.code, '1001')).toBe(true);
  } finally {
    await h.close();
  }
});

describe('PIN policy for new PINs', () => {
  it.each([
    ['1234', 6, /at least 6 digits/],
    ['12345', 6, /at least 6 digits/],
    ['999999', 6, /one digit repeated/],
    ['345678', 6, /consecutive/],
    ['12a456', 6, /digits only/],
    ['1234567890123', 6, /at most 12/],
    ['123', 2, /at least 4 digits/],
  ])('refuses %s (minimum %i)', (pin, min, message) => {
    expect(newPinProblem(pin, min)).toMatch(message);
  });
  it('accepts a 6-digit PIN, and a 4-digit one where the minimum is configured to 4', () => {
    expect(newPinProblem('583902')).toBeNull();
    expect(newPinProblem('2580', 4)).toBeNull();
  });
});
