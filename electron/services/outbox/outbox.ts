/**
 * The outbox: every event that must reach the server, written in the same SQLite transaction as the
 * change it describes. `seq` (1, 2, 3 …) is the order the server applies them in.
 */
import type { Knex } from 'knex';

import { OutboxEventTypes, type OutboxEventType, type OutboxPayload } from '../../../shared/sync/events.js';
import { newId } from '../ids.js';

export async function enqueue<T extends OutboxEventType>(
  trx: Knex.Transaction,
  type: T,
  payload: OutboxPayload<T>,
  occurredAt: Date,
): Promise<{ id: string; seq: number }> {
  const parsed = OutboxEventTypes[type].parse(payload);
  const id = newId();
  const [seq] = (await trx('outbox').insert({
    id,
    type,
    payload: JSON.stringify(parsed),
    occurred_at: occurredAt.toISOString(),
  })) as number[];
  return { id, seq: seq as number };
}

export type OutboxStats = { queued: number; oldestQueuedAt: string | null; rejected: number };

export async function outboxStats(db: Knex): Promise<OutboxStats> {
  const row = (await db('outbox')
    .select(
      db.raw("sum(case when state = 'queued' then 1 else 0 end) as queued"),
      db.raw("min(case when state = 'queued' then occurred_at end) as oldest"),
      db.raw("sum(case when state = 'rejected' then 1 else 0 end) as rejected"),
    )
    .first()) as { queued: number | null; oldest: string | null; rejected: number | null };
  return { queued: row.queued ?? 0, oldestQueuedAt: row.oldest, rejected: row.rejected ?? 0 };
}
