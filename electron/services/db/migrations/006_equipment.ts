/**
 * Equipment (issue 7). Replica tables pulled from the server: branch stock by serial, stock levels of
 * items without serials, and the units on each account. Local books: orders and their lines, the units
 * handed over, returns, trouble tickets and stock moves, each tied to the transaction (and the outbox
 * event) that carries it. Money columns are integer cents; serials are stored normalized.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // ---- replica (pulled from the server) ----
  await knex.schema.createTable('equipment_stock', (t) => {
    t.string('serial').primary();
    t.string('sku').notNullable();
    t.string('branch').notNullable();
    t.string('status').notNullable();
    t.string('account_number', 10);
    t.string('assignment_id');
    t.string('received_at').notNullable();
    t.string('updated_at').notNullable();
    t.integer('version').notNullable().defaultTo(0);
    t.index(['branch', 'sku', 'status']);
    t.index(['account_number']);
  });
  await knex.schema.createTable('equipment_stock_levels', (t) => {
    t.string('key').primary();
    t.string('branch').notNullable();
    t.string('sku').notNullable();
    t.integer('on_hand').notNullable();
    t.integer('version').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('equipment_assignments', (t) => {
    t.string('id').primary();
    t.string('account_number', 10).notNullable();
    t.string('sku').notNullable();
    t.string('serial');
    t.string('mode').notNullable();
    t.string('handed_over_on').notNullable();
    t.integer('price_paid_cents').notNullable();
    t.integer('tax_paid_cents').notNullable();
    t.integer('lease_deposit_cents').notNullable();
    t.integer('monthly_cents').notNullable();
    t.string('returned_on');
    t.string('return_condition');
    t.string('order_id');
    t.integer('line_index');
    t.string('receipt_number');
    t.string('terminal_code');
    t.string('branch').notNullable();
    t.integer('version').notNullable().defaultTo(0);
    t.index(['account_number']);
    t.index(['serial']);
  });

  // ---- local books ----
  await knex.schema.createTable('equipment_orders', (t) => {
    t.string('id').primary();
    t.string('transaction_id').notNullable().references('transactions.id');
    t.string('account_number', 10).notNullable();
    t.string('status').notNullable();
    t.integer('subtotal_cents').notNullable();
    t.integer('tax_cents').notNullable();
    t.integer('deposit_cents').notNullable();
    t.integer('due_now_cents').notNullable();
    t.integer('new_monthly_cents').notNullable();
    t.integer('new_monthly_tax_cents').notNullable();
    t.text('tax_rules').notNullable();
    t.string('cashier_id').notNullable();
    t.string('business_date').notNullable();
    t.string('created_at').notNullable();
    t.index(['account_number']);
  });
  await knex.schema.createTable('equipment_order_lines', (t) => {
    t.increments('id');
    t.string('order_id').notNullable().references('equipment_orders.id');
    t.integer('line_index').notNullable();
    t.string('sku').notNullable();
    t.string('name').notNullable();
    t.string('mode').notNullable();
    t.integer('quantity').notNullable();
    t.integer('unit_cents').notNullable();
    t.integer('extended_cents').notNullable();
    t.integer('tax_cents').notNullable();
    t.integer('deposit_cents').notNullable();
    t.integer('monthly_cents').notNullable();
    t.integer('monthly_tax_cents').notNullable();
    t.string('tax_rule_id').notNullable();
    t.string('rate_percent').notNullable();
    t.unique(['order_id', 'line_index']);
  });
  /** Units handed over here (an order's or an exchange's); id = the assignment id sent to the server. */
  await knex.schema.createTable('equipment_units', (t) => {
    t.string('id').primary();
    t.string('transaction_id').notNullable().references('transactions.id');
    t.string('outbox_id').notNullable();
    t.string('order_id');
    t.integer('line_index').notNullable();
    t.integer('unit_index').notNullable();
    t.string('account_number', 10).notNullable();
    t.string('sku').notNullable();
    t.string('serial');
    t.string('mode').notNullable();
    t.string('handed_over_on').notNullable();
    t.integer('price_paid_cents').notNullable();
    t.integer('tax_paid_cents').notNullable();
    t.integer('lease_deposit_cents').notNullable();
    t.integer('monthly_cents').notNullable();
    t.string('receipt_number');
    t.index(['account_number']);
    t.index(['serial']);
  });
  await knex.schema.createTable('equipment_returns', (t) => {
    t.string('id').primary();
    t.string('transaction_id').notNullable().references('transactions.id');
    t.string('outbox_id').notNullable();
    t.string('assignment_id').notNullable();
    t.string('account_number', 10).notNullable();
    t.string('sku').notNullable();
    t.string('serial');
    t.string('mode').notNullable();
    t.string('condition').notNullable();
    t.string('returned_on').notNullable();
    t.integer('refund_cents').notNullable();
    t.integer('restocking_fee_cents').notNullable();
    t.integer('fee_cents').notNullable();
    t.integer('deposit_release_cents').notNullable();
    t.integer('stop_monthly_cents').notNullable();
    t.integer('net_cents').notNullable();
    t.string('refund_method');
    t.string('approved_by');
    /** An exchange: the unit handed over in its place. */
    t.string('replacement_id');
    t.string('invoice_number');
    /** The return or exchange quote as shown and posted (JSON), for a retried request's answer. */
    t.text('quote').notNullable();
    t.string('created_at').notNullable();
    t.index(['assignment_id']);
    t.index(['account_number']);
  });
  await knex.schema.createTable('equipment_tickets', (t) => {
    t.string('id').primary();
    t.string('account_number', 10).notNullable();
    t.string('assignment_id');
    t.string('sku');
    t.string('serial');
    t.string('test_kind').notNullable();
    t.text('symptom').notNullable();
    t.string('status').notNullable();
    t.string('result');
    t.text('result_note');
    t.string('opened_by').notNullable();
    t.string('opened_at').notNullable();
    t.string('result_by');
    t.string('result_at');
    t.index(['account_number']);
    t.index(['serial']);
  });
  await knex.schema.createTable('equipment_stock_moves', (t) => {
    t.increments('id');
    t.string('transaction_id').notNullable().references('transactions.id');
    t.string('outbox_id').notNullable();
    t.string('serial');
    t.string('sku').notNullable();
    t.string('branch').notNullable();
    /** Units (1 for a serial; a count for items without serials, negative when they leave). */
    t.integer('quantity').notNullable();
    t.string('from_status');
    t.string('to_status').notNullable();
    t.string('account_number', 10);
    t.string('assignment_id');
    t.string('created_at').notNullable();
    t.index(['serial']);
    t.index(['outbox_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'equipment_stock_moves',
    'equipment_tickets',
    'equipment_returns',
    'equipment_units',
    'equipment_order_lines',
    'equipment_orders',
    'equipment_assignments',
    'equipment_stock_levels',
    'equipment_stock',
  ])
    await knex.schema.dropTableIfExists(table);
}
