/**
 * Wrong-PIN counters that are not a cashier's own: one per cashier ID that does not exist here (so an
 * unknown ID answers and locks exactly like a real one and sign-in never tells which IDs exist), and
 * one for the whole terminal (many different IDs tried from one keyboard).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_throttle', (t) => {
    t.string('subject').primary();
    t.integer('failures').notNullable();
    t.string('window_start').notNullable();
    t.string('locked_until');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('auth_throttle');
}
