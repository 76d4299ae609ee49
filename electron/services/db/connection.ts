/**
 * The counter database: one SQLite file through knex + sqlite3, WAL journal and synchronous=FULL so
 * that an acknowledged payment survives a power cut. One connection (SQLite has one writer anyway),
 * so every transaction is serialised and no reader sees a half-written posting.
 */
import knexFactory, { type Knex } from 'knex';

import { ensurePrivateSqlite } from '../../../shared/node/private-files.js';

import { counterMigrations } from './migrations/index.js';

export type CounterDb = Knex;

type RawConnection = { run(sql: string, cb: (err: Error | null) => void): void };

const PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = FULL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
  'PRAGMA temp_store = MEMORY',
];

export async function openCounterDb(filename: string): Promise<CounterDb> {
  ensurePrivateSqlite(filename);
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: RawConnection, done: (err: Error | null, conn: RawConnection) => void) {
        const next = (i: number): void => {
          const sql = PRAGMAS[i];
          if (sql === undefined) return done(null, conn);
          conn.run(sql, (err) => (err ? done(err, conn) : next(i + 1)));
        };
        next(0);
      },
    },
  });
  await db.migrate.latest({ migrationSource: counterMigrations });
  return db;
}
