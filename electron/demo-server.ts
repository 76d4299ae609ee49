/**
 * The demo's embedded central server: `npm start` runs the real server (server/src) in the launcher
 * process on loopback, with an SQLite file in the data folder seeded with the demo data as the system
 * of record, and hands the counter a one-time enrollment code, so sync works out of the box.
 * (Run the server on its own instead — `npm run server` — to stop it and watch the counter go offline.)
 */
import fs from 'node:fs';
import path from 'node:path';

import pino from 'pino';

import { buildServer } from '../server/src/app.js';
import { DEFAULT_SERVER_PORT } from '../server/src/config.js';
import { openServerDb } from '../server/src/db/connection.js';
import { createEnrollmentCode } from '../server/src/domain/enroll.js';
import { seedDemo } from '../server/src/domain/seed.js';

export type EmbeddedServer = { url: string; enrollCode: string | null; close(): Promise<void> };

export async function startEmbeddedServer(opts: {
  dataDir: string;
  branch: string;
  demoCount: number;
  port?: number;
}): Promise<EmbeddedServer> {
  const db = await openServerDb({
    client: 'sqlite',
    filename: path.join(opts.dataDir, 'server', 'server.db'),
  });
  const today = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
  await seedDemo(db, { count: opts.demoCount, months: 12, today });
  const server = await buildServer({
    db,
    logger: pino({ level: process.env.LOG_LEVEL ?? 'warn', name: 'countertop-server' }),
  });
  let url: string;
  try {
    url = await server.listen({
      port: opts.port ?? Number(process.env.COUNTERTOP_SERVER_PORT ?? DEFAULT_SERVER_PORT),
    });
  } catch {
    url = await server.listen({ port: 0 }); // the usual port is taken (another server): any free one
  }
  // Used only by a counter that is not enrolled yet; an unused code simply expires.
  const enrolled = fs.existsSync(path.join(opts.dataDir, 'sync', 'enrollment.json'));
  const enrollCode = enrolled
    ? null
    : (await createEnrollmentCode(db, { branch: opts.branch, createdBy: 'demo' })).code;
  return {
    url,
    enrollCode,
    async close() {
      await server.close();
      await db.close();
    },
  };
}
