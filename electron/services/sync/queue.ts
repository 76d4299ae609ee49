/**
 * The outbox as the sync worker sees it: the next batch in seq order, and recording what the server
 * answered (acked with the change-log version it applied the event at, or rejected with its reason)
 * in ONE SQLite transaction, together with transactions.server_version for the pending logic.
 */
import type { Knex } from 'knex';

import { formatCents } from '../../../shared/money.js';
import type { PushEvent, PushResponse } from '../../../shared/sync/protocol.js';

export type QueuedRow = { seq: number; id: string; type: string; payload: string; occurred_at: string };

/** The next `limit` queued events after `afterSeq` (a batch still in flight), in seq order. */
export async function readQueued(db: Knex, limit: number, afterSeq = 0): Promise<QueuedRow[]> {
  return (await db('outbox')
    .where('state', 'queued')
    .andWhere('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .select('seq', 'id', 'type', 'payload', 'occurred_at')) as QueuedRow[];
}

/** The leading rows whose payloads fit `maxBytes` (at least one: a lone large event still goes). */
export function fitBytes(rows: QueuedRow[], maxBytes: number): QueuedRow[] {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += rows[i]!.payload.length + 200;
    if (bytes > maxBytes && i > 0) return rows.slice(0, i);
  }
  return rows;
}

export function toPushEvent(row: QueuedRow): PushEvent {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    payload: JSON.parse(row.payload) as unknown,
    occurredAt: row.occurred_at,
  };
}

function transactionIdOf(event: PushEvent): string | null {
  const p = event.payload as { transactionId?: unknown } | null;
  return p && typeof p.transactionId === 'string' ? p.transactionId : null;
}

export async function recordPushResult(
  db: Knex,
  sent: PushEvent[],
  res: PushResponse,
  now: string,
): Promise<{ acked: number; rejected: number }> {
  const byId = new Map(sent.map((e) => [e.id, e]));
  const acks = res.acked.filter((a) => byId.get(a.id)?.seq === a.seq);
  const rejections = res.rejected.filter((r) => byId.get(r.id)?.seq === r.seq);
  await db.transaction(async (trx) => {
    if (acks.length) {
      // Two statements per batch, each driven by the primary key (`IN (SELECT value FROM json_each(?))`);
      // the version of each row is looked up in a JSON object keyed by seq / transaction id.
      const versions = Object.fromEntries(acks.map((a) => [String(a.seq), a.appliedVersion ?? null]));
      await trx.raw(
        `UPDATE outbox SET state = 'acked', acked_at = ?, last_error = NULL,
                applied_version = json_extract(?, '$."' || seq || '"')
          WHERE seq IN (SELECT value FROM json_each(?)) AND state = 'queued'`,
        [now, JSON.stringify(versions), JSON.stringify(acks.map((a) => a.seq))],
      );
      const byTransaction: Record<string, number> = {};
      for (const a of acks) {
        const transactionId = transactionIdOf(byId.get(a.id)!);
        if (transactionId && /^[0-9A-Za-z-]+$/.test(transactionId) && a.appliedVersion !== undefined)
          byTransaction[transactionId] = a.appliedVersion;
      }
      if (Object.keys(byTransaction).length)
        await trx.raw(
          `UPDATE transactions SET server_version = json_extract(?, '$."' || id || '"')
            WHERE id IN (SELECT value FROM json_each(?))`,
          [JSON.stringify(byTransaction), JSON.stringify(Object.keys(byTransaction))],
        );
    }
    for (const r of rejections)
      await trx('outbox').where({ seq: r.seq, state: 'queued' }).update({
        state: 'rejected',
        acked_at: now,
        reject_code: r.code,
        reject_message: r.message,
        last_error: null,
      });
  });
  return { acked: acks.length, rejected: rejections.length };
}

export async function recordPushFailure(
  db: Knex,
  fromSeq: number,
  toSeq: number,
  message: string,
  now: string,
): Promise<void> {
  await db('outbox')
    .where('state', 'queued')
    .andWhere('seq', '>=', fromSeq)
    .andWhere('seq', '<=', toSeq)
    .update({ attempts: db.raw('attempts + 1'), last_error: message.slice(0, 300), last_attempt_at: now });
}

/** The server lost what it had applied from `seq` on (restored from a backup): send it all again. */
export async function requeueFrom(db: Knex, seq: number): Promise<number> {
  return db('outbox').where('seq', '>=', seq).whereIn('state', ['acked', 'rejected']).update({
    state: 'queued',
    acked_at: null,
    reject_code: null,
    reject_message: null,
    applied_version: null,
  });
}

/** The seq this terminal will push first after enrolling: its oldest queued event (or the next one). */
export async function nextSeqForEnrollment(db: Knex): Promise<number> {
  const row = (await db('outbox')
    .select(db.raw("MIN(CASE WHEN state = 'queued' THEN seq END) AS q"), db.raw('MAX(seq) AS m'))
    .first()) as { q: number | null; m: number | null };
  return row.q ?? (row.m ?? 0) + 1;
}

/** The capability of each ledger event type an older version queued before the envelope. */
const LEGACY_TYPES: Record<string, string> = {
  'payment.posted': 'payment',
  'deposit.posted': 'deposit',
  'equipment.posted': 'equipment',
};

/** One line a supervisor can read. */
export function summarize(type: string, payloadText: string): string {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(payloadText) as Record<string, unknown>;
  } catch {
    return type;
  }
  const cents = (v: unknown): string =>
    Number.isSafeInteger(v) ? formatCents(v as number, { symbol: true }) : '?';
  const on = p.accountNumber ? ` on ${String(p.accountNumber)}` : '';
  // A ledger transaction is summarized by its capability, whether it came in the envelope or in a
  // type an older version queued.
  const detail = p.detail as { capability?: unknown } | undefined;
  const ledger = type === 'ledger.posted' ? String(detail?.capability ?? 'till') : LEGACY_TYPES[type];
  switch (ledger ?? type) {
    case 'payment':
      return `Payment ${cents(p.appliedCents)} to ${String(p.accountNumber)} (receipt ${String(p.receiptNumber)})`;
    case 'till':
      return `${String(p.kind).replace('_', ' ')} ${cents(p.amountCents)}${on}`;
    case 'deposit':
      return `Deposit ${String(p.kind).replace(/^deposit_?/, '') || 'collect'} ${cents(p.amountCents)}${on}`;
    case 'equipment':
      return `Equipment ${String(p.kind).replace('eq_', '')} ${cents(p.amountCents)}${on}${p.receiptNumber ? ` (receipt ${String(p.receiptNumber)})` : ''}`;
    case 'receipt.reprinted':
      return `Reprint of receipt ${String(p.receiptNumber)}`;
    case 'till.closed':
      return `Till ${String(p.tillId)} closed (${String(p.businessDate)})`;
    case 'equipment.ticket':
      return `Trouble ticket ${String(p.action)} on ${String(p.accountNumber)}`;
    default:
      return type;
  }
}
