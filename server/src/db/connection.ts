/**
 * The server database through knex: PostgreSQL (`DATABASE_URL=postgres://…`, production) or an SQLite
 * file (the embedded default). The same migrations run on both; every query is parameterized.
 */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

import { ensurePrivateSqlite } from '../../../shared/node/private-files.js';

import { serverMigrations } from './migrations/index.js';

export type Dialect = 'pg' | 'sqlite';
export type ServerDb = { knex: Knex; dialect: Dialect; close(): Promise<void> };

export type DbConfig =
  { client: 'pg'; url: string; poolMax?: number } | { client: 'sqlite'; filename: string };

// bigint columns (versions, seqs, cents sums) come back from pg as strings by default: every value
// we store fits a JS safe integer, and anything that does not is an error, never a silent rounding.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${v} does not fit a safe integer`);
  return n;
});

type RawConnection = { run(sql: string, cb: (err: Error | null) => void): void };

const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = FULL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
];

export function dbConfigFromUrl(url: string | undefined, sqliteFile: string): DbConfig {
  if (url && /^postgres(ql)?:\/\//.test(url)) return { client: 'pg', url };
  if (url && url.startsWith('sqlite:')) return { client: 'sqlite', filename: url.slice('sqlite:'.length) };
  if (url) throw new Error('DATABASE_URL must be postgres://… (or sqlite:<file>)');
  return { client: 'sqlite', filename: sqliteFile };
}

export async function openServerDb(config: DbConfig, opts: { migrate?: boolean } = {}): Promise<ServerDb> {
  let knex: Knex;
  if (config.client === 'pg') {
    knex = knexFactory({
      client: 'pg',
      connection: config.url,
      pool: { min: 0, max: config.poolMax ?? 20 },
    });
  } else {
    ensurePrivateSqlite(config.filename);
    knex = knexFactory({
      client: 'sqlite3',
      connection: { filename: config.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: RawConnection, done: (err: Error | null, conn: RawConnection) => void) {
          const next = (i: number): void => {
            const sql = SQLITE_PRAGMAS[i];
            if (sql === undefined) return done(null, conn);
            conn.run(sql, (err) => (err ? done(err, conn) : next(i + 1)));
          };
          next(0);
        },
      },
    });
  }
  const db: ServerDb = { knex, dialect: config.client, close: () => knex.destroy() };
  if (opts.migrate !== false) await migrate(db);
  return db;
}

export async function migrate(db: ServerDb): Promise<string[]> {
  const [, done] = (await db.knex.migrate.latest({ migrationSource: serverMigrations })) as [
    number,
    string[],
  ];
  return done;
}
