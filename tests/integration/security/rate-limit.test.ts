/**
 * Attacker tests for the server's rate limits (real server on a real SQLite file, requests injected):
 * a made-up Authorization header per request must not buy a fresh budget, a terminal's budget follows
 * the terminal from any address, and an enrollment code cannot be guessed at from many addresses.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { buildServer, type CountertopServer } from '../../../server/src/app.js';
import { openServerDb, type ServerDb } from '../../../server/src/db/connection.js';
import { createEnrollmentCode } from '../../../server/src/domain/enroll.js';
import { tempDir } from '../../support/counter.js';
import { seedServer } from '../../support/sync-server.js';

const dir = tempDir('countertop-ratelimit-');
let db: ServerDb;
let server: CountertopServer;
const MAX = 20;
const ENROLL_MAX = 3;

beforeAll(async () => {
  const config = { client: 'sqlite' as const, filename: path.join(dir, 'server.db') };
  await seedServer(config, 3, 1);
  db = await openServerDb(config);
  server = await buildServer({
    db,
    logger: pino({ level: 'silent' }),
    rateLimit: { max: MAX, timeWindowMs: 60_000, enrollMax: ENROLL_MAX },
  });
});
afterAll(async () => {
  await server.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const pull = (authorization: string, remoteAddress: string) =>
  server.app.inject({
    method: 'GET',
    url: '/v1/sync/pull?cursor=0&limit=10',
    headers: { authorization },
    remoteAddress,
  });

it('a random Authorization header per request does not get a fresh budget', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < MAX + 10; i++)
    statuses.push((await pull(`Bearer ${randomBytes(24).toString('hex')}`, '10.0.0.1')).statusCode);
  expect(statuses.slice(0, MAX).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(MAX)).toEqual(Array<number>(10).fill(429));
  // Another address still gets through to the token check.
  expect((await pull('Bearer nope', '10.0.0.2')).statusCode).toBe(401);
});

it("a terminal's budget follows the terminal, from whatever address", async () => {
  const { code } = await createEnrollmentCode(db, { branch: 'MAIN' });
  const enrolled = await server.app.inject({
    method: 'POST',
    url: '/v1/enroll',
    payload: { code, terminalCode: 'MAIN-07', terminalName: 'x', branch: 'MAIN', nextSeq: 1 },
    remoteAddress: '10.0.1.1',
  });
  expect(enrolled.statusCode).toBe(201);
  const token = (enrolled.json() as { token: string }).token;
  const statuses: number[] = [];
  for (let i = 0; i < MAX + 5; i++)
    statuses.push((await pull(`Bearer ${token}`, `10.0.2.${i + 1}`)).statusCode);
  expect(statuses.slice(0, MAX).every((s) => s === 200)).toBe(true);
  expect(statuses.slice(MAX)).toEqual(Array<number>(5).fill(429));
});

it('one enrollment code tried from many addresses is limited per code', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < ENROLL_MAX + 3; i++)
    statuses.push(
      (
        await server.app.inject({
          method: 'POST',
          url: '/v1/enroll',
          payload: {
            code: 'AAAA-BBBB-CCCC',
            terminalCode: 'MAIN-08',
            terminalName: 'x',
            branch: 'MAIN',
            nextSeq: 1,
          },
          remoteAddress: `10.0.3.${i + 1}`,
        })
      ).statusCode,
    );
  expect(statuses).toEqual([403, 403, 403, 429, 429, 429]);
});
