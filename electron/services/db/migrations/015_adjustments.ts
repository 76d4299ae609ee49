/**
 * Bill adjustments and back billing on the counter: each posting's own rows (the adjustment, the
 * back-bill plan) and the demo policies until the first pull brings the server's. The open items a
 * posting adds wait in the general pending_open_items (015_pending_open_items).
 */
import type { Knex } from 'knex';

import { DEMO_ADJUSTMENT_POLICY } from '../../../../shared/domain/adjustments.js';
import { DEMO_BACK_BILL_POLICIES } from '../../../../shared/domain/back-billing.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('adjustments', (t) => {
    t.string('transaction_id').primary();
    t.string('account_number', 10).notNullable();
    t.string('direction', 8).notNullable();
    t.string('reason_code', 32).notNullable();
    t.string('reason_label').notNullable();
    t.integer('amount_cents').notNullable();
    t.string('memo').notNullable();
    t.string('item_id');
    /** The outage credit's inputs and working (JSON), when computed. */
    t.text('outage');
    t.string('business_date').notNullable();
    t.index(['account_number']);
    t.index(['business_date']);
  });
  await knex.schema.createTable('back_bill_plans', (t) => {
    t.string('transaction_id').primary();
    t.string('account_number', 10).notNullable();
    t.string('jurisdiction', 16).notNullable();
    t.integer('total_cents').notNullable();
    /** The plan as computed (periods, installments, rule, working) and the charges entered: JSON. */
    t.text('plan').notNullable();
    t.text('charges').notNullable();
    t.string('letter_file');
    t.string('business_date').notNullable();
    t.index(['account_number']);
  });
  await knex('policies')
    .insert([
      { key: 'adjustments', value: JSON.stringify(DEMO_ADJUSTMENT_POLICY) },
      { key: 'back_billing', value: JSON.stringify(DEMO_BACK_BILL_POLICIES) },
    ])
    .onConflict('key')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('back_bill_plans');
  await knex.schema.dropTableIfExists('adjustments');
  await knex('policies').whereIn('key', ['adjustments', 'back_billing']).delete();
}
