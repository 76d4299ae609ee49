/**
 * The posting kernel records, with each transaction, which posting made it, a fingerprint of the
 * request's input and the result it answered with: a repeated request id replays that result, and one
 * reused for another kind of posting or other input is refused.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transactions', (t) => {
    t.string('posting');
    t.string('request_hash');
    t.text('result');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transactions', (t) => {
    t.dropColumn('posting');
    t.dropColumn('request_hash');
    t.dropColumn('result');
  });
}
