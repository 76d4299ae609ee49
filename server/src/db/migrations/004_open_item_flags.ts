/**
 * The "not grounds for disconnection" flag on an open item: an item any capability adds (charges
 * billed in installments under a rule that forbids disconnecting for them) that collections leaves
 * out. Runs unchanged on PostgreSQL and SQLite.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('open_items', (t) => {
    t.boolean('not_disconnectable').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('open_items', (t) => t.dropColumn('not_disconnectable'));
}
