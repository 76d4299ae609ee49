/**
 * Returned checks on the server: one row per returned check tender of a payment (the unique index
 * refuses a second return of the same check from any terminal), and the supervisors' lifts of an
 * account's cash-only flag. The reversal itself is an ordinary transaction with its journal.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('returned_checks', (t) => {
    t.string('transaction_id', 64).primary();
    t.string('original_transaction_id', 64).notNullable();
    t.integer('tender_position').notNullable();
    t.string('account_number', 10).notNullable().index();
    t.string('item_type', 8).notNullable();
    t.string('check_number', 32).notNullable();
    t.bigInteger('face_cents').notNullable();
    t.string('reason_code', 32).notNullable();
    t.bigInteger('fee_cents').notNullable();
    t.string('fee_schedule_id', 64).notNullable();
    t.integer('points').notNullable();
    t.string('return_date', 10).notNullable();
    t.string('cash_only_until', 10);
    t.string('terminal_id', 64).notNullable();
    t.unique(['original_transaction_id', 'tender_position']);
  });
  await knex.schema.createTable('cash_only_lifts', (t) => {
    t.string('id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('lifted_on', 10).notNullable();
    t.string('reason', 200).notNullable();
    t.string('lifted_by', 16).notNullable();
    t.string('terminal_id', 64).notNullable();
    t.string('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('cash_only_lifts');
  await knex.schema.dropTableIfExists('returned_checks');
}
