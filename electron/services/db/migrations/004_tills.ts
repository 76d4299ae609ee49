/** Tills (shifts) with their counted float and blind close, Z reports, and void/refund links. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tills', (t) => {
    t.string('id').primary();
    t.string('terminal_code').notNullable();
    t.string('cashier_id').notNullable();
    t.string('business_date').notNullable();
    t.string('status').notNullable();
    t.string('opened_at').notNullable();
    t.integer('float_cents').notNullable();
    t.text('float_counts').notNullable();
    t.string('closed_at');
    t.text('close_counts');
    t.text('close_figures');
    t.integer('over_short_cents');
    t.string('approved_by');
    t.text('close_note');
    t.string('z_number').unique();
    t.index(['terminal_code', 'business_date']);
  });
  // One open till per cashier per terminal, enforced by the database too.
  await knex.raw(
    `CREATE UNIQUE INDEX tills_one_open ON tills(terminal_code, cashier_id) WHERE status = 'open'`,
  );
  await knex.schema.alterTable('transactions', (t) => {
    t.text('reason');
    t.string('voided_by_id');
    t.index(['till_id']);
  });
  await knex.schema.createTable('z_reports', (t) => {
    t.string('z_number').primary();
    t.string('till_id').notNullable().references('tills.id');
    t.text('model').notNullable();
    t.string('pdf_path').notNullable();
    t.string('created_at').notNullable();
    t.integer('print_count').notNullable().defaultTo(0);
    t.string('last_print_error');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('z_reports');
  await knex.raw('DROP INDEX IF EXISTS tills_one_open');
  await knex.schema.dropTableIfExists('tills');
}
