/**
 * A new terminal's first pull streams the server's snapshot into this staging table (one row per
 * entity, its validated wire JSON), committed every few thousand rows so an interrupted pull resumes
 * where it stopped. The replica tables are filled from it in ONE transaction at the end, so a
 * half-loaded snapshot is never what the counter looks accounts up in.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Append-only, no key: rows arrive in the server's order, which is not SQLite's, and a keyed table
  // of millions of rows inserted out of order is random I/O. A row is staged exactly once: each commit
  // stores its rows and the resume point together, and a resumed stream starts after that point.
  await knex.raw(`CREATE TABLE snapshot_rows (
      entity TEXT NOT NULL,
      key TEXT NOT NULL,
      version INTEGER NOT NULL,
      data TEXT NOT NULL
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS snapshot_rows');
}
