/**
 * Server schema, first cut. Runs unchanged on PostgreSQL and SQLite (knex schema builder, plain SQL
 * for the partial index both support). Money is integer cents (bigint); times are ISO-8601 UTC text.
 *
 * - terminals, enrollment codes (hashes only, never a token or a code in clear)
 * - events: every event a terminal pushed, applied or rejected, kept for review
 * - the system of record: accounts, bills, open items, payments seen, cashiers, policies, and the
 *   counter transactions applied (tenders, journal lines, the server's own allocations)
 * - till closings with their reconciliation
 * - change_log: one row per replicated entity, moved to a new version on every change (pull)
 */
import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('server_meta', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });
  await knex('server_meta').insert({ key: 'server_id', value: randomUUID() });
  await knex.schema.createTable('sync_state', (t) => {
    t.string('name', 64).primary();
    t.bigInteger('value').notNullable();
  });
  await knex('sync_state').insert({ name: 'change_version', value: 0 });

  await knex.schema.createTable('enrollment_codes', (t) => {
    t.string('code_hash', 64).primary();
    t.string('branch', 12).notNullable();
    t.string('created_at').notNullable();
    t.string('expires_at').notNullable();
    t.string('used_at');
    t.string('terminal_id', 64);
    t.string('created_by', 64).notNullable();
  });
  await knex.schema.createTable('terminals', (t) => {
    t.string('id', 64).primary();
    t.string('code', 12).notNullable();
    t.string('name', 60).notNullable();
    t.string('branch', 12).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.bigInteger('first_seq').notNullable();
    t.bigInteger('last_applied_seq').notNullable();
    t.string('enrolled_at').notNullable();
    t.string('last_seen_at');
    t.string('revoked_at');
  });
  await knex.schema.createTable('events', (t) => {
    t.string('terminal_id', 64).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('id', 64).notNullable();
    t.string('type', 64).notNullable();
    t.text('payload').notNullable();
    t.string('occurred_at').notNullable();
    t.string('received_at').notNullable();
    /** applied | rejected | duplicate (an id the server already had: never applied twice). */
    t.string('status', 16).notNullable();
    t.string('reject_code', 64);
    t.text('reject_message');
    t.bigInteger('applied_version');
    t.primary(['terminal_id', 'seq']);
    t.index(['status']);
  });
  await knex.raw(`CREATE UNIQUE INDEX events_id_unique ON events (id) WHERE status <> 'duplicate'`);

  // ---- system of record ----
  await knex.schema.createTable('accounts', (t) => {
    t.string('account_number', 10).primary();
    t.string('name').notNullable();
    t.string('class', 16).notNullable();
    t.string('status', 16).notNullable();
    t.string('service_address').notNullable();
    t.string('phone', 32).notNullable();
    t.string('phone_digits', 16).notNullable();
    t.boolean('cash_only').notNullable().defaultTo(false);
    t.string('cash_only_reason');
    t.bigInteger('balance_cents').notNullable();
    t.bigInteger('deposit_held_cents').notNullable().defaultTo(0);
    /** Balance when the account was loaded: verify checks balance = opening + journal. */
    t.bigInteger('opening_balance_cents').notNullable();
    t.string('updated_at').notNullable();
  });
  await knex.schema.createTable('bills', (t) => {
    t.string('id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('bill_date', 10).notNullable();
    t.string('due_date', 10).notNullable();
    t.bigInteger('total_cents').notNullable();
  });
  await knex.schema.createTable('bill_lines', (t) => {
    t.increments('id');
    t.string('bill_id', 64).notNullable().index();
    t.integer('position').notNullable();
    t.string('category', 32).notNullable();
    t.string('description').notNullable();
    t.bigInteger('amount_cents').notNullable();
  });
  await knex.schema.createTable('open_items', (t) => {
    t.string('id', 80).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('bill_id', 64);
    t.string('category', 32).notNullable();
    t.string('due_date', 10).notNullable();
    t.bigInteger('open_cents').notNullable();
  });
  await knex.schema.createTable('account_payments', (t) => {
    t.string('id', 64).primary();
    t.string('account_number', 10).notNullable().index();
    t.string('paid_on', 10).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.string('method', 64).notNullable();
    t.string('channel', 32).notNullable();
  });
  await knex.schema.createTable('cashiers', (t) => {
    t.string('id', 16).primary();
    t.string('name').notNullable();
    t.string('role', 16).notNullable();
    t.string('pin_hash').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('policies', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });

  // ---- what the counters posted, as applied ----
  await knex.schema.createTable('transactions', (t) => {
    t.string('id', 64).primary();
    t.string('kind', 16).notNullable();
    t.string('event_id', 64).notNullable();
    t.string('terminal_id', 64).notNullable().index();
    t.string('terminal_code', 12).notNullable();
    t.string('branch', 12).notNullable();
    t.string('till_id', 64).index();
    t.string('account_number', 10).index();
    t.bigInteger('amount_cents').notNullable();
    /** Effect on the account's receivable (payments negative). */
    t.bigInteger('ar_cents').notNullable();
    t.bigInteger('change_cents').notNullable().defaultTo(0);
    t.bigInteger('credit_cents').notNullable().defaultTo(0);
    t.bigInteger('unapplied_cents').notNullable().defaultTo(0);
    t.string('reverses_id', 64);
    t.string('receipt_number', 32);
    t.string('cashier_id', 16).notNullable();
    t.string('approved_by', 16);
    t.string('business_date', 10).notNullable();
    t.string('created_at').notNullable();
    t.string('applied_at').notNullable();
  });
  await knex.schema.createTable('transaction_tenders', (t) => {
    t.increments('id');
    t.string('transaction_id', 64).notNullable().index();
    t.integer('position').notNullable();
    t.string('type', 16).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.bigInteger('net_cents').notNullable();
    t.string('reference', 64);
  });
  await knex.schema.createTable('journal_lines', (t) => {
    t.increments('id');
    t.string('transaction_id', 64).notNullable().index();
    t.string('ledger_account', 64).notNullable().index();
    t.bigInteger('cents').notNullable();
    t.string('memo').notNullable();
  });
  await knex.schema.createTable('allocations', (t) => {
    t.increments('id');
    t.string('transaction_id', 64).notNullable().index();
    t.string('item_id', 80).notNullable();
    t.string('account_number', 10).notNullable();
    t.string('bill_id', 64);
    t.string('category', 32).notNullable();
    t.string('due_date', 10).notNullable();
    t.bigInteger('cents').notNullable();
  });
  await knex.schema.createTable('receipt_reprints', (t) => {
    t.string('event_id', 64).primary();
    t.string('terminal_id', 64).notNullable();
    t.string('receipt_number', 32).notNullable();
    t.string('transaction_id', 64).notNullable();
    t.string('cashier_id', 16).notNullable();
    t.string('at').notNullable();
  });
  await knex.schema.createTable('till_closings', (t) => {
    t.string('till_id', 64).primary();
    t.string('event_id', 64).notNullable();
    t.string('terminal_id', 64).notNullable().index();
    t.string('terminal_code', 12).notNullable();
    t.string('branch', 12).notNullable();
    t.string('business_date', 10).notNullable();
    t.string('closed_at').notNullable();
    t.text('terminal_totals').notNullable();
    t.text('server_totals').notNullable();
    t.string('status', 16).notNullable();
    t.text('differences').notNullable();
    t.string('checked_at').notNullable();
  });

  // ---- pull ----
  await knex.schema.createTable('change_log', (t) => {
    t.string('entity', 24).notNullable();
    t.string('entity_key', 80).notNullable();
    t.bigInteger('version').notNullable().unique();
    t.string('op', 8).notNullable();
    t.text('data');
    t.string('changed_at').notNullable();
    t.primary(['entity', 'entity_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'change_log',
    'till_closings',
    'receipt_reprints',
    'allocations',
    'journal_lines',
    'transaction_tenders',
    'transactions',
    'policies',
    'cashiers',
    'account_payments',
    'open_items',
    'bill_lines',
    'bills',
    'accounts',
    'events',
    'terminals',
    'enrollment_codes',
    'sync_state',
    'server_meta',
  ])
    await knex.schema.dropTableIfExists(table);
}
