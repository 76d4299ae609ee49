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

type Row = Record<string, unknown>;

function isPg(db: Knex | Knex.Transaction): boolean {
  return (db.client as { dialect?: string }).dialect === 'postgresql';
}

/**
 * The rows' shared column list when every row has the same columns and only JSON scalars (string,
 * finite number, boolean, null): the rows can then travel as ONE json parameter. Anything else (an
 * undefined meaning DEFAULT, a Date, a Buffer, an array) answers null and takes knex's VALUES path.
 */
function jsonColumns(rows: Row[]): string[] | null {
  const columns = Object.keys(rows[0] ?? {});
  if (columns.length === 0) return null;
  for (const row of rows) {
    let n = 0;
    for (const key in row) {
      n++;
      const v = row[key];
      if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
      if (typeof v === 'number' && Number.isFinite(v)) continue;
      return null;
    }
    if (n !== columns.length || !columns.every((c) => c in row)) return null;
  }
  return columns;
}

/**
 * PostgreSQL: all the rows in one statement with one bound parameter, expanded server-side by
 * json_populate_recordset into the table's own column types. A VALUES list of 250 rows binds thousands
 * of parameters that knex positions and pg serializes one by one; the JSON text is built in one pass.
 */
async function pgJsonInsert(
  db: Knex | Knex.Transaction,
  table: string,
  rows: Row[],
  columns: string[],
  upsert?: { conflict: string[]; merge: string[] },
): Promise<void> {
  const ids = (names: string[]) => names.map(() => '??').join(', ');
  let sql = `INSERT INTO ?? (${ids(columns)}) SELECT ${ids(columns)} FROM json_populate_recordset(NULL::??, ?)`;
  const bindings: Knex.RawBinding[] = [table, ...columns, ...columns, table, JSON.stringify(rows)];
  if (upsert) {
    sql += ` ON CONFLICT (${ids(upsert.conflict)}) DO UPDATE SET ${upsert.merge.map(() => '?? = EXCLUDED.??').join(', ')}`;
    bindings.push(...upsert.conflict, ...upsert.merge.flatMap((m) => [m, m]));
  }
  await db.raw(sql, bindings);
}

/** Rows per statement on PostgreSQL's JSON path (one parameter, so only the statement's size bounds it). */
const PG_JSON_CHUNK = 5000;

/** Inserts in chunks small enough for either database's bound-parameter limit. */
export async function insertChunked(
  db: Knex | Knex.Transaction,
  table: string,
  rows: Row[],
  chunk = 400,
): Promise<void> {
  if (rows.length === 0) return;
  if (isPg(db)) {
    const columns = jsonColumns(rows);
    if (columns) {
      for (let i = 0; i < rows.length; i += PG_JSON_CHUNK)
        await pgJsonInsert(db, table, rows.slice(i, i + PG_JSON_CHUNK), columns);
      return;
    }
  }
  chunk = Math.min(chunk, MAX_ROWS_PER_STATEMENT);
  for (let i = 0; i < rows.length; i += chunk) await db(table).insert(rows.slice(i, i + chunk));
}

/** Upserts in chunks: insert, or on a key conflict overwrite `merge` columns. */
export async function upsertChunked(
  db: Knex | Knex.Transaction,
  table: string,
  rows: Row[],
  conflict: string[],
  merge: string[],
  chunk = 400,
): Promise<void> {
  if (rows.length === 0) return;
  if (isPg(db)) {
    const columns = jsonColumns(rows);
    if (columns) {
      for (let i = 0; i < rows.length; i += PG_JSON_CHUNK)
        await pgJsonInsert(db, table, rows.slice(i, i + PG_JSON_CHUNK), columns, { conflict, merge });
      return;
    }
  }
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
