/**
 * Equipment on the server (issue 7), the system of record for serial ownership: the branch stock by
 * serial (one row per serial: where it is, whose it is), stock levels of items without serials, the
 * units on accounts (assignments, with their returns), the monthly lease charges on accounts, and the
 * trouble tickets for the technical department. Runs unchanged on PostgreSQL and SQLite.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('equipment_stock', (t) => {
    t.string('serial', 64).primary();
    t.string('sku', 40).notNullable();
    t.string('branch', 12).notNullable();
    /** in_stock | assigned | returned | defective */
    t.string('status', 16).notNullable();
    t.string('account_number', 10);
    t.string('assignment_id', 64);
    t.string('received_at').notNullable();
    t.string('updated_at').notNullable();
    t.index(['branch', 'sku', 'status']);
  });
  await knex.schema.createTable('equipment_stock_levels', (t) => {
    t.string('branch', 12).notNullable();
    t.string('sku', 40).notNullable();
    t.bigInteger('on_hand').notNullable();
    t.string('updated_at').notNullable();
    t.primary(['branch', 'sku']);
  });
  await knex.schema.createTable('equipment_assignments', (t) => {
    t.string('id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('sku', 40).notNullable();
    t.string('serial', 64).index();
    t.string('mode', 8).notNullable();
    t.string('handed_over_on', 10).notNullable();
    t.bigInteger('price_paid_cents').notNullable();
    t.bigInteger('tax_paid_cents').notNullable();
    t.bigInteger('lease_deposit_cents').notNullable();
    t.bigInteger('monthly_cents').notNullable();
    t.string('returned_on', 10);
    t.string('return_condition', 16);
    t.string('order_id', 64);
    t.integer('line_index');
    t.string('receipt_number', 32);
    t.string('terminal_code', 12);
    t.string('branch', 12).notNullable();
    t.string('transaction_id', 64);
    t.string('return_transaction_id', 64);
    t.string('created_at').notNullable();
  });
  /** What the billing run charges each month; a leased unit's charge ends when it comes back. */
  await knex.schema.createTable('recurring_charges', (t) => {
    t.string('id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('kind', 24).notNullable();
    t.string('description').notNullable();
    t.bigInteger('monthly_cents').notNullable();
    t.string('starts_on', 10).notNullable();
    t.string('ends_on', 10);
    t.string('assignment_id', 64);
  });
  await knex.schema.createTable('trouble_tickets', (t) => {
    t.string('id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('assignment_id', 64);
    t.string('serial', 64);
    t.string('sku', 40);
    t.string('test_kind', 8).notNullable();
    t.text('symptom').notNullable();
    t.string('status', 8).notNullable();
    t.string('result', 16);
    t.text('result_note');
    t.string('opened_at').notNullable();
    t.string('opened_by', 16).notNullable();
    t.string('terminal_code', 12).notNullable();
    t.string('branch', 12).notNullable();
    t.string('result_at');
    t.string('result_by', 16);
    t.string('event_id', 64).notNullable();
    t.index(['status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'trouble_tickets',
    'recurring_charges',
    'equipment_assignments',
    'equipment_stock_levels',
    'equipment_stock',
  ])
    await knex.schema.dropTableIfExists(table);
}
