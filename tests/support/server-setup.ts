/** A central server on SQLite or PostgreSQL (Fastify inject, no network), seeded, with enroll and push helpers. */
import fs from 'node:fs';
import path from 'node:path';

import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { expect } from 'vitest';

import { buildServer, type CountertopServer, type ServerConfig } from '../../server/src/app.js';
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

/** Both servers, for `describe.each(TEST_SERVERS)`: [title, start]. */
export const TEST_SERVERS = [
  ['SQLite', sqliteServer],
  ['PostgreSQL', pgServer],
] as const;

/** Enrolls a terminal through the HTTP API with a fresh one-time code; checks it was let in (201). */
export async function enrollOn(
  server: CountertopServer,
  db: ServerDb,
  opts: { terminalCode?: string; branch?: string; nextSeq?: number; terminalName?: string } = {},
): Promise<Terminal> {
  const { terminalCode = 'MAIN-02', branch = 'MAIN', nextSeq = 1, terminalName = 'Test counter' } = opts;
  const { code } = await createEnrollmentCode(db, { branch });
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/enroll',
    payload: { code, terminalCode, terminalName, branch, nextSeq },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Terminal>();
}

/** A push as terminal `t`; the raw reply, whatever its status. */
export function pushReplyTo(
  server: CountertopServer,
  t: Terminal,
  events: PushEvent[],
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'POST',
    url: '/v1/sync/push',
    headers: { authorization: `Bearer ${t.token}` },
    payload: { terminalId: t.terminalId, events },
  });
}

/** A push as terminal `t`, checked to be taken (200); the answer parsed. */
export async function pushTo(
  server: CountertopServer,
  t: Terminal,
  events: PushEvent[],
): Promise<PushResponse> {
  const res = await pushReplyTo(server, t, events);
  expect(res.statusCode, res.body).toBe(200);
  return PushResponseSchema.parse(res.json());
}

export const TEST_ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

async function around(
  db: ServerDb,
  cleanup: () => Promise<void>,
  accounts: number,
  config: Partial<ServerConfig>,
): Promise<TestServer> {
  await seedDemo(db, { count: accounts, months: 3, today: SERVER_TODAY });
  const server = await buildServer({
    db,
    logger: pino({ level: 'silent' }),
    adminToken: TEST_ADMIN_TOKEN,
    bodyLimit: 256 * 1024,
    rateLimit: { max: 10_000, timeWindowMs: 60_000, enrollMax: 30 },
    ...config,
  });
  return {
    server,
    db,
    enroll: (terminalCode = 'MAIN-02', branch = 'MAIN') => enrollOn(server, db, { terminalCode, branch }),
    pushReply: (t, events) => pushReplyTo(server, t, events),
    push: (t, events) => pushTo(server, t, events),
    async count(table) {
      return Number(((await db.knex(table).count({ n: '*' }).first()) as { n: number | string }).n);
    },
    async close() {
      await server.close();
      await cleanup();
    },
  };
}

/** The server options a test changes: what it sets is laid over the defaults above. */
export async function sqliteServer(accounts = 40, config: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dir = tempDir('countertop-server-');
  const db = await openServerDb({ client: 'sqlite', filename: path.join(dir, 'server.db') });
  return around(
    db,
    async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    accounts,
    config,
  );
}

export async function pgServer(accounts = 40, config: Partial<ServerConfig> = {}): Promise<TestServer> {
  const pg = await createTestDatabase('ct_trust');
  const db = await openServerDb({ client: 'pg', url: pg.url, poolMax: 5 });
  return around(
    db,
    async () => {
      await db.close();
      await pg.drop();
    },
    accounts,
    config,
  );
}
