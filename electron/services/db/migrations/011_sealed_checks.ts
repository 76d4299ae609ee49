/**
 * Check tenders keep only masked bank numbers in the clear; the routing number a deposit slip needs
 * is sealed (AES-256-GCM) in `check_sealed`. Rows written before this are sealed and masked when the
 * host starts (the key is not available to migrations).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenders', (t) => {
    t.text('check_sealed');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenders', (t) => {
    t.dropColumn('check_sealed');
  });
}
