/**
 * The outbox: every event that must reach the server, written in the same SQLite transaction as the
 * change it describes. `seq` (1, 2, 3 …) is the order the server applies them in.
 */
import type { Knex } from 'knex';

import { OutboxEventTypes, type OutboxEventType, type OutboxPayload } from '../../../shared/sync/events.js';
import { newId } from '../ids.js';
import { redactChecksForSync } from '../ledger/sensitive.js';

export async function enqueue<T extends OutboxEventType>(
  trx: Knex.Transaction,
  type: T,
  payload: OutboxPayload<T>,
  occurredAt: Date,
): Promise<{ id: string; seq: number }> {
  // A check's full bank account number never leaves the counter (see redactChecksForSync).
  const parsed = redactChecksForSync(OutboxEventTypes[type].parse(payload));
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
  // Index-only on (state, seq): the status bar asks often and the outbox keeps its whole history.
  const [queued, oldest, rejected] = await Promise.all([
    db('outbox').where('state', 'queued').count({ n: '*' }).first() as Promise<{ n: number }>,
    db('outbox').where('state', 'queued').orderBy('seq').first('occurred_at') as Promise<
      { occurred_at: string } | undefined
    >,
    // Held for review and not yet retried or resolved by a supervisor.
    db('outbox').where('state', 'rejected').whereNull('resolution').count({ n: '*' }).first() as Promise<{
      n: number;
    }>,
  ]);
  return {
    queued: Number(queued.n),
    oldestQueuedAt: oldest?.occurred_at ?? null,
    rejected: Number(rejected.n),
  };
}
