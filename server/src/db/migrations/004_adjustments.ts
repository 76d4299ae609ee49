/**
 * Adjustments and back billing on the server: each adjustment (reason, direction, the item it
 * corrects), each back-billing plan (jurisdiction, charges, installments). The flag on
 * open items that marks back-billed installments as not grounds for disconnection is general
 * (004_open_item_flags).
 * Runs unchanged on PostgreSQL and SQLite.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('adjustments', (t) => {
    t.string('transaction_id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('direction', 8).notNullable();
    t.string('reason_code', 32).notNullable();
    t.string('ledger_account', 64).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.string('memo', 200).notNullable();
    t.string('item_id', 80);
    t.string('new_item_id', 80);
    t.text('outage');
    t.string('business_date', 10).notNullable().index();
  });
  await knex.schema.createTable('back_bill_plans', (t) => {
    t.string('transaction_id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('jurisdiction', 16).notNullable();
    t.bigInteger('total_cents').notNullable();
    t.text('charges').notNullable();
    t.text('installments').notNullable();
    t.string('length_from', 8).notNullable();
    t.text('rule').notNullable();
    t.boolean('no_late_fees').notNullable();
    t.string('business_date', 10).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('back_bill_plans');
  await knex.schema.dropTableIfExists('adjustments');
}
