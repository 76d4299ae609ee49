/**
 * Sync bookkeeping on the counter: the server change-log version an acked event was applied at (the
 * pending logic compares it with the replica), and when an event was last tried. The pull cursor and
 * times live in `settings` (sync.cursor, sync.lastPullAt, sync.lastSyncAt).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.integer('applied_version');
    t.string('last_attempt_at');
  });
  // The pending checks look transactions up by account and version.
  await knex.schema.alterTable('transactions', (t) => {
    t.index(['account_number', 'server_version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transactions', (t) => {
    t.dropIndex(['account_number', 'server_version']);
  });
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('last_attempt_at');
    t.dropColumn('applied_version');
  });
}
