/**
 * Security deposits on the counter (issue 6): each deposit (account, policy, required amount, the
 * installment schedule), its dated principal movements (paid in, refunded, applied to a final bill) and
 * its interest credits. Rows come from the replica (pulled `deposit` entities, same ids) and from this
 * counter's own postings; a pulled row never duplicates a local one (ids are made on the terminal and
 * kept by the server). One interest credit per deposit and credit date, enforced by the database: the
 * yearly batch can run any number of times. Every money column is an integer number of cents.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deposits', (t) => {
    t.string('id').primary();
    t.string('account_number', 10).notNullable();
    t.string('policy_id').notNullable();
    t.integer('required_cents').notNullable();
    /** JSON: [{ dueWith: 'now' | 'bill N', amountCents }] set when the deposit was requested. */
    t.text('schedule').notNullable();
    t.string('requested_on').notNullable();
    /** The server change-log version of the pulled record (0: seeded or posted here). */
    t.integer('version').notNullable().defaultTo(0);
    t.index(['account_number']);
  });
  await knex.schema.createTable('deposit_movements', (t) => {
    t.string('id').primary();
    t.string('deposit_id').notNullable().references('deposits.id');
    t.string('date').notNullable();
    /** payment | refund | applied */
    t.string('kind').notNullable();
    t.integer('amount_cents').notNullable();
    t.integer('interest_out_cents').notNullable().defaultTo(0);
    t.string('transaction_id');
    t.index(['deposit_id']);
  });
  await knex.schema.createTable('deposit_credits', (t) => {
    t.string('id').primary();
    t.string('deposit_id').notNullable().references('deposits.id');
    t.string('credit_date').notNullable();
    /** anniversary | closing */
    t.string('kind').notNullable();
    t.string('from_date').notNullable();
    t.string('to_date').notNullable();
    t.integer('days').notNullable();
    t.integer('amount_cents').notNullable();
    t.string('transaction_id');
    t.unique(['deposit_id', 'credit_date']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('deposit_credits');
  await knex.schema.dropTableIfExists('deposit_movements');
  await knex.schema.dropTableIfExists('deposits');
}
