/**
 * Anchors of the terminals' audit logs. A terminal sends the head of its hash chain (last entry number
 * and hash) with each push; the server keeps each head it saw. The terminal's `audit:verify` fetches
 * the latest one: a local log that ends before it was cut short, one whose entry at that number has
 * another hash was rewritten (and its chain recomputed). A head that contradicts an anchor already
 * held (same number, other hash) is an alert here too, in `verify`.
 *
 * Two pushes of one terminal travel at once, so heads may arrive out of order: a lower number after a
 * higher one is normal and says nothing by itself.
 */
import type { Knex } from 'knex';

import type { Anchor, AuditHead } from '../../../shared/sync/protocol.js';
import type { ServerDb } from '../db/connection.js';

export type AnchorAlert = {
  terminalId: string;
  seq: number;
  anchoredHash: string;
  reportedHash: string;
  at: string;
};

/** Keeps a head; returns the alert when it contradicts the anchor held at the same entry number. */
export async function recordAnchor(
  db: ServerDb,
  terminalId: string,
  head: AuditHead,
  now: Date,
): Promise<AnchorAlert | null> {
  return db.knex.transaction(async (trx) => {
    const at = now.toISOString();
    const held = (await trx('audit_anchors')
      .where({ terminal_id: terminalId, seq: head.seq })
      .first('hash')) as { hash: string } | undefined;
    if (!held) {
      await trx('audit_anchors')
        .insert({ terminal_id: terminalId, seq: head.seq, hash: head.hash, received_at: at })
        .onConflict(['terminal_id', 'seq'])
        .ignore();
      return null;
    }
    if (held.hash === head.hash) return null;
    const alert = { terminalId, seq: head.seq, anchoredHash: held.hash, reportedHash: head.hash, at };
    await trx('audit_anchor_alerts').insert({
      terminal_id: terminalId,
      kind: 'rewritten',
      seq: head.seq,
      anchored_hash: held.hash,
      reported_hash: head.hash,
      at,
    });
    return alert;
  });
}

export async function latestAnchor(db: Knex, terminalId: string): Promise<Anchor | null> {
  const row = (await db('audit_anchors')
    .where('terminal_id', terminalId)
    .orderBy('seq', 'desc')
    .first('seq', 'hash', 'received_at')) as
    { seq: number | string; hash: string; received_at: string } | undefined;
  return row ? { seq: Number(row.seq), hash: row.hash, receivedAt: row.received_at } : null;
}

export async function anchorAlerts(db: Knex): Promise<AnchorAlert[]> {
  const rows = (await db('audit_anchor_alerts').orderBy('id').select('*')) as {
    terminal_id: string;
    seq: number | string;
    anchored_hash: string;
    reported_hash: string;
    at: string;
  }[];
  return rows.map((r) => ({
    terminalId: r.terminal_id,
    seq: Number(r.seq),
    anchoredHash: r.anchored_hash,
    reportedHash: r.reported_hash,
    at: r.at,
  }));
}
