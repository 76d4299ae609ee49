/**
 * Anchors of each terminal's audit log: every head (entry number and hash) a terminal sent, and the
 * alerts raised when a later head contradicts an earlier one (the log was cut short or rewritten).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_anchors', (t) => {
    t.string('terminal_id', 64).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
    t.string('received_at').notNullable();
    t.primary(['terminal_id', 'seq']);
  });
  await knex.schema.createTable('audit_anchor_alerts', (t) => {
    t.increments('id').primary();
    t.string('terminal_id', 64).notNullable().index();
    t.string('kind', 16).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('anchored_hash', 64).notNullable();
    t.string('reported_hash', 64).notNullable();
    t.string('at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_anchor_alerts');
  await knex.schema.dropTable('audit_anchors');
}
