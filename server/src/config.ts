/** Server settings from the environment (the CLI) — tests and the embedded demo pass them directly. */
import path from 'node:path';

import { DEFAULT_PIN_MIN_LENGTH } from '../../shared/validators/pin.js';
import { dbConfigFromUrl, type DbConfig } from './db/connection.js';

export const DEFAULT_SERVER_PORT = 5280;

export type EnvConfig = {
  db: DbConfig;
  host: string;
  port: number;
  adminToken: string | null;
  enrollCodeTtlMinutes: number;
  /** COUNTERTOP_PIN_MIN_LENGTH: fewest digits a new PIN may have (6 by default, never under 4). */
  pinMinLength: number;
  /** Test fault point: hold every push transaction this long before COMMIT (0 = off). */
  faultCommitDelayMs: number;
};

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const sqliteFile = env.COUNTERTOP_SERVER_DB ?? path.resolve('.countertop-server', 'server.db');
  return {
    db: dbConfigFromUrl(env.DATABASE_URL || undefined, sqliteFile),
    host: env.COUNTERTOP_SERVER_HOST ?? '127.0.0.1',
    port: Number(env.COUNTERTOP_SERVER_PORT ?? DEFAULT_SERVER_PORT),
    adminToken: env.COUNTERTOP_ADMIN_TOKEN || null,
    enrollCodeTtlMinutes: Number(env.COUNTERTOP_ENROLL_TTL_MINUTES ?? 60),
    pinMinLength: Number(env.COUNTERTOP_PIN_MIN_LENGTH ?? DEFAULT_PIN_MIN_LENGTH),
    faultCommitDelayMs: Number(env.COUNTERTOP_FAULT_COMMIT_DELAY_MS ?? 0),
  };
}

export function describeDb(db: DbConfig): string {
  return db.client === 'pg' ? `PostgreSQL ${db.url.replace(/\/\/[^@/]*@/, '//…@')}` : `SQLite ${db.filename}`;
}
