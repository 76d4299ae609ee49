/**
 * What a supervisor did about an event the server held for review (outbox state `rejected`):
 * `retried` (the same payload queued again as a new event, which names the held one in `retry_of`)
 * or `resolved` (handled another way, with the reason). The held row itself is never changed
 * otherwise: it stays as the server answered it.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('resolution');
    t.string('resolved_at');
    t.string('resolved_by');
    t.text('resolution_note');
    t.string('retry_of');
    t.index(['retry_of']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['retry_of']);
    for (const c of ['retry_of', 'resolution_note', 'resolved_by', 'resolved_at', 'resolution'])
      t.dropColumn(c);
  });
}
