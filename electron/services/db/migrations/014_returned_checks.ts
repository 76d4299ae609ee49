/**
 * Returned checks: one row per returned check tender (a payment's check can be returned once: the
 * unique index refuses a second return even if two requests raced past the plan), and the supervisors'
 * lifts of an account's cash-only flag.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('returned_checks', (t) => {
    t.string('transaction_id').primary().references('transactions.id');
    t.string('original_transaction_id').notNullable();
    t.integer('tender_position').notNullable();
    t.string('account_number', 10).notNullable();
    t.string('item_type').notNullable();
    t.string('check_number').notNullable();
    t.integer('face_cents').notNullable();
    t.string('reason_code').notNullable();
    t.integer('fee_cents').notNullable();
    t.string('fee_schedule_id').notNullable();
    t.text('fee_steps').notNullable();
    t.integer('points').notNullable();
    t.string('return_date').notNullable();
    t.string('cash_only_until');
    t.string('note');
    t.unique(['original_transaction_id', 'tender_position']);
    t.index(['account_number']);
  });
  await knex.schema.createTable('cash_only_lifts', (t) => {
    t.string('id').primary();
    t.string('account_number', 10).notNullable().index();
    t.string('lifted_on').notNullable();
    t.string('reason').notNullable();
    t.string('lifted_by').notNullable();
    t.string('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('cash_only_lifts');
  await knex.schema.dropTableIfExists('returned_checks');
}
