/**
 * The name/address/phone index (FTS5) is kept by triggers, row by row. During a terminal's first pull
 * (a million accounts) that is most of the work, so the triggers stand down while the setting
 * `replica.ftsDeferred` exists, and the pull builds the whole index in one statement at its end.
 */
import type { Knex } from 'knex';

const DEFERRED = `NOT EXISTS (SELECT 1 FROM settings WHERE key = 'replica.ftsDeferred')`;

async function triggers(knex: Knex, when: string): Promise<void> {
  for (const t of ['accounts_fts_ai', 'accounts_fts_ad', 'accounts_fts_au'])
    await knex.raw(`DROP TRIGGER IF EXISTS ${t}`);
  await knex.raw(`CREATE TRIGGER accounts_fts_ai AFTER INSERT ON accounts ${when} BEGIN
      INSERT INTO accounts_fts(rowid, name, address, phone) VALUES (new.rowid, new.name, new.service_address, new.phone_digits);
    END`);
  await knex.raw(`CREATE TRIGGER accounts_fts_ad AFTER DELETE ON accounts ${when} BEGIN
      INSERT INTO accounts_fts(accounts_fts, rowid, name, address, phone) VALUES ('delete', old.rowid, old.name, old.service_address, old.phone_digits);
    END`);
  await knex.raw(`CREATE TRIGGER accounts_fts_au AFTER UPDATE OF name, service_address, phone_digits ON accounts ${when} BEGIN
      INSERT INTO accounts_fts(accounts_fts, rowid, name, address, phone) VALUES ('delete', old.rowid, old.name, old.service_address, old.phone_digits);
      INSERT INTO accounts_fts(rowid, name, address, phone) VALUES (new.rowid, new.name, new.service_address, new.phone_digits);
    END`);
}

export async function up(knex: Knex): Promise<void> {
  await triggers(knex, `WHEN ${DEFERRED}`);
}

export async function down(knex: Knex): Promise<void> {
  await triggers(knex, '');
}
