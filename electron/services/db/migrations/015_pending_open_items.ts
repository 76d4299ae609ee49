/**
 * Open items a posting here creates (a debit on the account, charges billed in installments) are
 * payable at once, before the server has them: they wait in `pending_open_items` until the replica
 * holds them. And the "not grounds for disconnection" flag the server keeps on an open item, carried
 * into the replica. Neither belongs to one capability: any capability can add open items.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pending_open_items', (t) => {
    t.string('id').primary();
    t.string('transaction_id').notNullable();
    t.string('account_number', 10).notNullable();
    t.string('category').notNullable();
    t.string('due_date').notNullable();
    t.integer('open_cents').notNullable();
    t.integer('not_disconnectable').notNullable().defaultTo(0);
    t.index(['account_number']);
    t.index(['transaction_id']);
  });
  await knex.schema.alterTable('open_items', (t) => {
    t.integer('not_disconnectable').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('pending_open_items');
  await knex.schema.alterTable('open_items', (t) => t.dropColumn('not_disconnectable'));
}
