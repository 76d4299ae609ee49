/**
 * A supervisor's answer to an event the server held for review (outbox state `rejected`):
 * - retry (after the server was fixed): the same payload is queued again as a NEW outbox event (new id,
 *   next seq) that names the held one in `retry_of`. Exactly once still holds: the server refuses a
 *   transaction id it already has (DUPLICATE_TRANSACTION), and here a held event is retried at most
 *   once (a retry that is held again is a new held event, retried on its own);
 * - mark resolved (handled another way: re-entered, refunded …), with a required reason.
 * Either is written together with its audit entry, in one SQLite transaction; the held row keeps what
 * the server answered.
 */
import type { Knex } from 'knex';

import { CounterError } from '../../../shared/api/errors.js';
import { appendAudit } from '../audit/audit.js';
import { newId } from '../ids.js';

type HeldRow = {
  seq: number;
  id: string;
  type: string;
  payload: string;
  occurred_at: string;
  state: string;
  reject_code: string | null;
  resolution: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
};

async function heldEvent(trx: Knex.Transaction, id: string): Promise<HeldRow> {
  const row = (await trx('outbox').where('id', id).first()) as HeldRow | undefined;
  if (!row) throw new CounterError('NOT_FOUND', `No event ${id} on this counter.`, 'id');
  if (row.state !== 'rejected')
    throw new CounterError(
      'CONFLICT',
      `Event #${row.seq} was not held by the server (it is ${row.state}): only held events are retried or resolved.`,
    );
  if (row.resolution)
    throw new CounterError(
      'CONFLICT',
      `Event #${row.seq} was already ${row.resolution} by ${row.resolved_by ?? '?'} at ${row.resolved_at ?? '?'}.`,
    );
  return row;
}

export async function retryHeld(
  db: Knex,
  input: { id: string; actor: string; now: Date },
): Promise<{ id: string; retryId: string; retrySeq: number }> {
  return db.transaction(async (trx) => {
    const held = await heldEvent(trx, input.id);
    const retryId = newId();
    const [retrySeq] = (await trx('outbox').insert({
      id: retryId,
      type: held.type,
      payload: held.payload,
      occurred_at: held.occurred_at,
      retry_of: held.id,
    })) as number[];
    const at = input.now.toISOString();
    await trx('outbox')
      .where('id', held.id)
      .update({
        resolution: 'retried',
        resolved_at: at,
        resolved_by: input.actor,
        resolution_note: `Sent again as event #${String(retrySeq)}.`,
      });
    await appendAudit(
      trx,
      {
        actor: input.actor,
        action: 'sync.retryHeld',
        entityType: 'outbox_event',
        entityId: held.id,
        details: { seq: held.seq, type: held.type, code: held.reject_code, retryId, retrySeq },
      },
      input.now,
    );
    return { id: held.id, retryId, retrySeq: retrySeq as number };
  });
}

export async function resolveHeld(
  db: Knex,
  input: { id: string; actor: string; reason: string; now: Date },
): Promise<{ id: string; resolvedAt: string }> {
  return db.transaction(async (trx) => {
    const held = await heldEvent(trx, input.id);
    const at = input.now.toISOString();
    await trx('outbox').where('id', held.id).update({
      resolution: 'resolved',
      resolved_at: at,
      resolved_by: input.actor,
      resolution_note: input.reason,
    });
    await appendAudit(
      trx,
      {
        actor: input.actor,
        action: 'sync.resolveHeld',
        entityType: 'outbox_event',
        entityId: held.id,
        details: { seq: held.seq, type: held.type, code: held.reject_code, reason: input.reason },
      },
      input.now,
    );
    return { id: held.id, resolvedAt: at };
  });
}
