/** Device settings (printer, drawer, scanner), one row per device, edited on the Devices screen. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('device_settings', (t) => {
    t.string('device').primary();
    t.text('settings').notNullable();
    t.string('updated_at').notNullable();
    t.string('updated_by').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('device_settings');
}
