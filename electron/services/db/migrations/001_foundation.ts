/**
 * Counter schema, first cut: the replica pulled from the server (accounts, bills, open items,
 * payments seen by the server, cashiers, policies) and the local books (transactions, tenders,
 * balanced journal lines, allocations, receipts, outbox, hash-chained audit log).
 * Every money column is an integer number of cents.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // ---- replica (pulled from the server) ----
  await knex.schema.createTable('accounts', (t) => {
    t.string('account_number', 10).primary();
    t.string('name').notNullable();
    t.string('class').notNullable();
    t.string('status').notNullable();
    t.string('service_address').notNullable();
    t.string('phone').notNullable();
    t.string('phone_digits').notNullable();
    t.boolean('cash_only').notNullable().defaultTo(false);
    t.string('cash_only_reason');
    t.integer('balance_cents').notNullable();
    t.integer('deposit_held_cents').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(0);
    t.string('as_of').notNullable();
  });
  await knex.raw(`CREATE VIRTUAL TABLE accounts_fts USING fts5(
      name, address, phone,
      content='accounts', content_rowid='rowid',
      tokenize="unicode61 remove_diacritics 2", prefix='2 3 4')`);
  await knex.raw(`CREATE TRIGGER accounts_fts_ai AFTER INSERT ON accounts BEGIN
      INSERT INTO accounts_fts(rowid, name, address, phone) VALUES (new.rowid, new.name, new.service_address, new.phone_digits);
    END`);
  await knex.raw(`CREATE TRIGGER accounts_fts_ad AFTER DELETE ON accounts BEGIN
      INSERT INTO accounts_fts(accounts_fts, rowid, name, address, phone) VALUES ('delete', old.rowid, old.name, old.service_address, old.phone_digits);
    END`);
  await knex.raw(`CREATE TRIGGER accounts_fts_au AFTER UPDATE OF name, service_address, phone_digits ON accounts BEGIN
      INSERT INTO accounts_fts(accounts_fts, rowid, name, address, phone) VALUES ('delete', old.rowid, old.name, old.service_address, old.phone_digits);
      INSERT INTO accounts_fts(rowid, name, address, phone) VALUES (new.rowid, new.name, new.service_address, new.phone_digits);
    END`);

  await knex.schema.createTable('bills', (t) => {
    t.string('id').primary();
    t.string('account_number', 10).notNullable();
    t.string('bill_date').notNullable();
    t.string('due_date').notNullable();
    t.integer('total_cents').notNullable();
    t.index(['account_number', 'bill_date']);
  });
  await knex.schema.createTable('bill_lines', (t) => {
    t.increments('id');
    t.string('bill_id').notNullable().references('bills.id').onDelete('CASCADE');
    t.string('category').notNullable();
    t.string('description').notNullable();
    t.integer('amount_cents').notNullable();
    t.index(['bill_id']);
  });
  await knex.schema.createTable('open_items', (t) => {
    t.string('id').primary();
    t.string('account_number', 10).notNullable();
    t.string('bill_id');
    t.string('category').notNullable();
    t.string('due_date').notNullable();
    t.integer('open_cents').notNullable();
    t.index(['account_number']);
  });
  await knex.schema.createTable('account_payments', (t) => {
    t.string('id').primary();
    t.string('account_number', 10).notNullable();
    t.string('paid_on').notNullable();
    t.integer('amount_cents').notNullable();
    t.string('method').notNullable();
    t.string('channel').notNullable();
    t.index(['account_number', 'paid_on']);
  });
  await knex.schema.createTable('cashiers', (t) => {
    t.string('id').primary();
    t.string('name').notNullable();
    t.string('role').notNullable();
    t.string('pin_hash').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.string('locked_until');
  });
  await knex.schema.createTable('policies', (t) => {
    t.string('key').primary();
    t.text('value').notNullable();
  });
  await knex.schema.createTable('settings', (t) => {
    t.string('key').primary();
    t.text('value').notNullable();
  });

  // ---- local books ----
  await knex.schema.createTable('counters', (t) => {
    t.string('name').primary();
    t.integer('value').notNullable();
  });
  await knex.schema.createTable('transactions', (t) => {
    t.string('id').primary();
    t.string('request_id').notNullable().unique();
    t.string('kind').notNullable();
    t.string('account_number', 10);
    t.integer('amount_cents').notNullable();
    t.integer('applied_cents').notNullable();
    t.integer('change_cents').notNullable().defaultTo(0);
    t.integer('credit_cents').notNullable().defaultTo(0);
    t.string('cashier_id').notNullable();
    t.string('approved_by');
    t.string('terminal_code').notNullable();
    t.string('till_id');
    t.string('receipt_number').unique();
    t.string('business_date').notNullable();
    t.string('created_at').notNullable();
    t.string('reverses_id');
    t.integer('server_version');
    t.index(['business_date']);
    t.index(['account_number']);
  });
  await knex.schema.createTable('tenders', (t) => {
    t.string('id').primary();
    t.string('transaction_id').notNullable().references('transactions.id');
    t.integer('position').notNullable();
    t.string('type').notNullable();
    t.integer('amount_cents').notNullable();
    t.integer('net_cents').notNullable();
    t.string('check_number');
    t.string('routing_number');
    t.string('bank_account');
    t.string('card_brand');
    t.string('card_last4');
    t.string('auth_code');
    t.string('money_order_serial');
    t.index(['transaction_id']);
  });
  await knex.schema.createTable('journal_lines', (t) => {
    t.increments('id');
    t.string('transaction_id').notNullable().references('transactions.id');
    t.string('ledger_account').notNullable();
    t.integer('cents').notNullable();
    t.string('memo').notNullable();
    t.index(['transaction_id']);
    t.index(['ledger_account']);
  });
  await knex.schema.createTable('allocations', (t) => {
    t.increments('id');
    t.string('transaction_id').notNullable().references('transactions.id');
    t.string('item_id');
    t.string('category').notNullable();
    t.integer('cents').notNullable();
    t.index(['transaction_id']);
    t.index(['item_id']);
  });
  await knex.schema.createTable('receipts', (t) => {
    t.string('number').primary();
    t.string('transaction_id').notNullable().references('transactions.id');
    t.string('kind').notNullable();
    t.text('model').notNullable();
    t.string('created_at').notNullable();
    t.integer('print_count').notNullable().defaultTo(0);
    t.string('last_printed_at');
    t.string('last_print_error');
  });
  await knex.schema.createTable('outbox', (t) => {
    t.increments('seq');
    t.string('id').notNullable().unique();
    t.string('type').notNullable();
    t.text('payload').notNullable();
    t.string('occurred_at').notNullable();
    t.string('state').notNullable().defaultTo('queued');
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('last_error');
    t.string('acked_at');
    t.string('reject_code');
    t.text('reject_message');
    t.index(['state', 'seq']);
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('seq');
    t.string('id').notNullable().unique();
    t.string('at').notNullable();
    t.string('actor').notNullable();
    t.string('action').notNullable();
    t.string('entity_type');
    t.string('entity_id');
    t.string('approved_by');
    t.text('details').notNullable();
    t.string('prev_hash').notNullable();
    t.string('hash').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_log',
    'outbox',
    'receipts',
    'allocations',
    'journal_lines',
    'tenders',
    'transactions',
    'counters',
    'settings',
    'policies',
    'cashiers',
    'account_payments',
    'open_items',
    'bill_lines',
    'bills',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP TABLE IF EXISTS accounts_fts');
  await knex.schema.dropTableIfExists('accounts');
}
