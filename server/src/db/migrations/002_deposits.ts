/**
 * The server's deposit ledger (issue 6): each deposit with its dated principal movements and interest
 * credits, as the counters posted them (ids made on the terminals). accounts.deposit_held_cents is the
 * sum the fund owes on each account; these rows say which deposit, since when, and what was credited.
 * One interest credit per deposit and date: a second one (another terminal's batch) is rejected.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deposits', (t) => {
    t.string('id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('policy_id', 64).notNullable();
    t.bigInteger('required_cents').notNullable();
    t.text('schedule').notNullable();
    t.string('requested_on', 10).notNullable();
    t.string('updated_at').notNullable();
  });
  await knex.schema.createTable('deposit_movements', (t) => {
    t.string('id', 64).primary();
    t.string('deposit_id', 64).notNullable().index();
    t.string('date', 10).notNullable();
    t.string('kind', 16).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.bigInteger('interest_out_cents').notNullable().defaultTo(0);
    t.string('transaction_id', 64);
  });
  await knex.schema.createTable('deposit_credits', (t) => {
    t.string('id', 64).primary();
    t.string('deposit_id', 64).notNullable();
    t.string('credit_date', 10).notNullable();
    t.string('kind', 16).notNullable();
    t.string('from_date', 10).notNullable();
    t.string('to_date', 10).notNullable();
    t.integer('days').notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.string('transaction_id', 64);
    t.unique(['deposit_id', 'credit_date']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('deposit_credits');
  await knex.schema.dropTableIfExists('deposit_movements');
  await knex.schema.dropTableIfExists('deposits');
}
