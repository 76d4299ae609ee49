/** Small portable helpers over knex for PostgreSQL and SQLite. */
import type { Knex } from 'knex';

import type { Dialect } from './connection.js';

/** Rows of a raw statement (pg answers `{ rows }`, sqlite3 an array). */
export async function rawRows<T>(
  db: Knex | Knex.Transaction,
  sql: string,
  bindings: readonly unknown[] = [],
): Promise<T[]> {
  const result = (await db.raw(sql, bindings as Knex.RawBinding[])) as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** knex writes a multi-row insert for SQLite as a compound SELECT, which SQLite caps at 500 terms. */
export const MAX_ROWS_PER_STATEMENT = 400;

/** Inserts in chunks small enough for either database's bound-parameter limit. */
export async function insertChunked(
  db: Knex | Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  chunk = 400,
): Promise<void> {
  chunk = Math.min(chunk, MAX_ROWS_PER_STATEMENT);
  for (let i = 0; i < rows.length; i += chunk) await db(table).insert(rows.slice(i, i + chunk));
}

/** Upserts in chunks: insert, or on a key conflict overwrite `merge` columns. */
export async function upsertChunked(
  db: Knex | Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  conflict: string[],
  merge: string[],
  chunk = 400,
): Promise<void> {
  chunk = Math.min(chunk, MAX_ROWS_PER_STATEMENT);
  for (let i = 0; i < rows.length; i += chunk)
    await db(table)
      .insert(rows.slice(i, i + chunk))
      .onConflict(conflict)
      .merge(merge);
}

/** Row locks where the database has them (PostgreSQL); SQLite serialises writers anyway. */
export function forUpdate<T extends Knex.QueryBuilder>(q: T, dialect: Dialect): T {
  return dialect === 'pg' ? (q.forUpdate() as T) : q;
}

export function isoNow(now: Date = new Date()): string {
  return now.toISOString();
}

/** Errors worth retrying the whole transaction for (PostgreSQL deadlock, serialization, a racing insert). */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001' || code === '23505' || code === 'SQLITE_BUSY';
}
