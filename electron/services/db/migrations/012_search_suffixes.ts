/**
 * Phone search by the last 4 or 7 digits and name search without apostrophes: the index gets the
 * extra tokens of account-index.ts. The triggers write them (still standing down while a first pull
 * defers the index, as in 007), and the index is rebuilt once from the accounts.
 */
import type { Knex } from 'knex';

import { indexedValues, REBUILD_ACCOUNT_INDEX_SQL } from '../account-index.js';

const DEFERRED = `WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'replica.ftsDeferred')`;

const PLAIN = (row: string) => `${row}.rowid, ${row}.name, ${row}.service_address, ${row}.phone_digits`;

async function triggers(knex: Knex, values: (row: string) => string): Promise<void> {
  for (const t of ['accounts_fts_ai', 'accounts_fts_ad', 'accounts_fts_au'])
    await knex.raw(`DROP TRIGGER IF EXISTS ${t}`);
  await knex.raw(`CREATE TRIGGER accounts_fts_ai AFTER INSERT ON accounts ${DEFERRED} BEGIN
      INSERT INTO accounts_fts(rowid, name, address, phone) VALUES (${values('new')});
    END`);
  await knex.raw(`CREATE TRIGGER accounts_fts_ad AFTER DELETE ON accounts ${DEFERRED} BEGIN
      INSERT INTO accounts_fts(accounts_fts, rowid, name, address, phone) VALUES ('delete', ${values('old')});
    END`);
  await knex.raw(`CREATE TRIGGER accounts_fts_au AFTER UPDATE OF name, service_address, phone_digits ON accounts ${DEFERRED} BEGIN
      INSERT INTO accounts_fts(accounts_fts, rowid, name, address, phone) VALUES ('delete', ${values('old')});
      INSERT INTO accounts_fts(rowid, name, address, phone) VALUES (${values('new')});
    END`);
}

async function rebuild(knex: Knex, values: (row: string) => string): Promise<void> {
  await knex.raw(REBUILD_ACCOUNT_INDEX_SQL[0] as string);
  await knex.raw(
    `INSERT INTO accounts_fts(rowid, name, address, phone) SELECT ${values('a')} FROM accounts a`,
  );
}

export async function up(knex: Knex): Promise<void> {
  await triggers(knex, indexedValues);
  await rebuild(knex, indexedValues);
}

export async function down(knex: Knex): Promise<void> {
  await triggers(knex, PLAIN);
  await rebuild(knex, PLAIN);
}
