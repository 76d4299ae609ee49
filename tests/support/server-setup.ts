/** A central server on SQLite or PostgreSQL (Fastify inject, no network), seeded, with enroll and push helpers. */
import fs from 'node:fs';
import path from 'node:path';

import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { expect } from 'vitest';

import { buildServer, type CountertopServer } from '../../server/src/app.js';
import { openServerDb, type ServerDb } from '../../server/src/db/connection.js';
import { createEnrollmentCode } from '../../server/src/domain/enroll.js';
import { seedDemo } from '../../server/src/domain/seed.js';
import { PushResponseSchema, type PushEvent, type PushResponse } from '../../shared/sync/protocol.js';
import { tempDir } from './counter.js';
import { createTestDatabase } from './pg.js';

export const SERVER_TODAY = '2026-11-25';

export type TestServer = {
  server: CountertopServer;
  db: ServerDb;
  enroll(terminalCode?: string, branch?: string): Promise<Terminal>;
  /** Pushes and checks the server took the request (200); the answer parsed. */
  push(t: Terminal, events: PushEvent[]): Promise<PushResponse>;
  /** Pushes and returns the raw reply, whatever its status. */
  pushReply(t: Terminal, events: PushEvent[]): Promise<LightMyRequestResponse>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
};
export type Terminal = { terminalId: string; token: string };

async function around(db: ServerDb, cleanup: () => Promise<void>, accounts: number): Promise<TestServer> {
  await seedDemo(db, { count: accounts, months: 3, today: SERVER_TODAY });
  const server = await buildServer({
    db,
    logger: pino({ level: 'silent' }),
    adminToken: 'admin-token-for-tests-0123456789',
    bodyLimit: 256 * 1024,
    rateLimit: { max: 10_000, timeWindowMs: 60_000, enrollMax: 30 },
  });
  const pushReply = (t: Terminal, events: PushEvent[]): Promise<LightMyRequestResponse> =>
    server.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: { authorization: `Bearer ${t.token}` },
      payload: { terminalId: t.terminalId, events },
    });
  return {
    server,
    db,
    async enroll(terminalCode = 'MAIN-02', branch = 'MAIN') {
      const { code } = await createEnrollmentCode(db, { branch });
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/enroll',
        payload: { code, terminalCode, terminalName: 'Test counter', branch, nextSeq: 1 },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Terminal>();
    },
    pushReply,
    async push(t, events) {
      const res = await pushReply(t, events);
      expect(res.statusCode, res.body).toBe(200);
      return PushResponseSchema.parse(res.json());
    },
    async count(table) {
      return Number(((await db.knex(table).count({ n: '*' }).first()) as { n: number | string }).n);
    },
    async close() {
      await server.close();
      await cleanup();
    },
  };
}

export async function sqliteServer(accounts = 40): Promise<TestServer> {
  const dir = tempDir('countertop-server-');
  const db = await openServerDb({ client: 'sqlite', filename: path.join(dir, 'server.db') });
  return around(
    db,
    async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    accounts,
  );
}

export async function pgServer(accounts = 40): Promise<TestServer> {
  const pg = await createTestDatabase('ct_trust');
  const db = await openServerDb({ client: 'pg', url: pg.url, poolMax: 5 });
  return around(
    db,
    async () => {
      await db.close();
      await pg.drop();
    },
    accounts,
  );
}
