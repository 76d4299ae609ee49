/** The sync worker's own keys in the counter's `settings` table. */
import type { Knex } from 'knex';

export const SETTING = {
  cursor: 'sync.cursor',
  lastPullAt: 'sync.lastPullAt',
  lastSyncAt: 'sync.lastSyncAt',
  /** Set during a first pull: the account search index is built once at its end (migration 007). */
  ftsDeferred: 'replica.ftsDeferred',
  /** Set while a first pull's snapshot is staged (JSON: version, resume point, progress). */
  snapshot: 'sync.snapshot',
} as const;

export async function getSetting(db: Knex | Knex.Transaction, key: string): Promise<string | null> {
  const row = (await db('settings').where('key', key).first('value')) as { value: string } | undefined;
  return row?.value ?? null;
}

export async function setSetting(db: Knex | Knex.Transaction, key: string, value: string): Promise<void> {
  await db('settings').insert({ key, value }).onConflict('key').merge(['value']);
}
