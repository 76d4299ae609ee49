/**
 * The server never keeps a whole bank account number, even from a counter that still sends one
 * (real server on a real SQLite file): the stored event keeps the last 4 digits and the payment
 * applies as usual.
 */
import fs from 'node:fs';
import path from 'node:path';

import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import { buildServer, type CountertopServer } from '../../../server/src/app.js';
import { openServerDb, type ServerDb } from '../../../server/src/db/connection.js';
import { createEnrollmentCode } from '../../../server/src/domain/enroll.js';
import { PushResponseSchema } from '../../../shared/sync/protocol.js';
import { tempDir } from '../../support/counter.js';
import { paymentEvent } from '../../support/sync-events.js';
import { seedServer } from '../../support/sync-server.js';

const dir = tempDir('countertop-checks-server-');
let db: ServerDb;
let server: CountertopServer;

beforeAll(async () => {
  const config = { client: 'sqlite' as const, filename: path.join(dir, 'server.db') };
  await seedServer(config, 3, 1);
  db = await openServerDb(config);
  server = await buildServer({ db, logger: pino({ level: 'silent' }), rateLimit: false });
});
afterAll(async () => {
  await server.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('keeps only the last 4 digits of a bank account an older counter pushed', async () => {
  const { code } = await createEnrollmentCode(db, { branch: 'MAIN' });
  const enrolled = await server.app.inject({
    method: 'POST',
    url: '/v1/enroll',
    payload: { code, terminalCode: 'MAIN-02', terminalName: 'x', branch: 'MAIN', nextSeq: 1 },
  });
  const { token, terminalId } = enrolled.json<{ token: string; terminalId: string }>();
  const ev = paymentEvent(1, {
    accountNumber: demoAccountNumber(1),
    amountCents: 2500,
    tenders: [
      {
        type: 'check',
        amountCents: 2500,
        checkNumber: '77',
        routingNumber: '021000021',
        bankAccount: '987654321012',
      },
    ],
  });
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/sync/push',
    headers: { authorization: `Bearer ${token}` },
    payload: { terminalId, events: [ev] },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(PushResponseSchema.parse(res.json()).acked.map((a) => a.seq)).toEqual([1]);
  const stored = (await db.knex('events').where('id', ev.id).first('payload', 'status')) as {
    payload: string;
    status: string;
  };
  expect(stored.status).toBe('applied');
  expect(stored.payload).not.toContain('987654321012');
  expect(JSON.parse(stored.payload)).toMatchObject({ tenders: [{ type: 'check', bankAccount: '1012' }] });
});
