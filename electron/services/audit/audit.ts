/**
 * Hash-chained audit log. Each entry's hash covers its content and the previous entry's hash, so an
 * edited, inserted or deleted row breaks the chain at that point; `verifyAuditChain` names it.
 */
import { createHash } from 'node:crypto';

import type { Knex } from 'knex';

import { newId } from '../ids.js';
import { sealOf } from './ledger-seal.js';

export type AuditEntry = {
  actor: string;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  approvedBy?: string | null;
  details?: Record<string, unknown>;
};

type AuditRow = {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  approved_by: string | null;
  details: string;
  prev_hash: string;
  hash: string;
};

export const GENESIS_HASH = '0'.repeat(64);

function entryHash(row: Omit<AuditRow, 'seq' | 'hash'>): string {
  const canonical = JSON.stringify([
    row.id,
    row.at,
    row.actor,
    row.action,
    row.entity_type,
    row.entity_id,
    row.approved_by,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends an entry inside the caller's transaction (the same one as the change it records). */
export async function appendAudit(
  trx: Knex | Knex.Transaction,
  entry: AuditEntry,
  at: Date,
): Promise<string> {
  const last = (await trx('audit_log').select('hash').orderBy('seq', 'desc').first()) as
    { hash: string } | undefined;
  const row = {
    id: newId(),
    at: at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId ?? null,
    approved_by: entry.approvedBy ?? null,
    details: JSON.stringify(entry.details ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx('audit_log').insert({ ...row, hash: entryHash(row) });
  return row.id;
}

/** Records an action that changes nothing else (a reprint, a check, a setting looked at) in its own transaction. */
export async function recordAudit(
  ctx: { db: Knex; clock: { now(): Date } },
  entry: AuditEntry,
): Promise<string> {
  const at = ctx.clock.now();
  return ctx.db.transaction((trx) => appendAudit(trx, entry, at));
}

export type AuditVerification =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; id: string; reason: string };

export async function verifyAuditChain(db: Knex): Promise<AuditVerification> {
  const rows = (await db('audit_log').select('*').orderBy('seq', 'asc')) as AuditRow[];
  let prev = GENESIS_HASH;
  const sealed = new Map<string, { row: AuditRow; seal: string }>();
  for (const row of rows) {
    if (row.prev_hash !== prev) {
      return {
        ok: false,
        entries: rows.length,
        brokenAt: row.seq,
        id: row.id,
        reason: 'previous hash does not match (an entry before it was removed or changed)',
      };
    }
    if (entryHash(row) !== row.hash) {
      return {
        ok: false,
        entries: rows.length,
        brokenAt: row.seq,
        id: row.id,
        reason: 'content does not match its hash (the entry was edited)',
      };
    }
    const details = JSON.parse(row.details) as { transactionId?: unknown; ledgerSeal?: unknown };
    if (typeof details.transactionId === 'string' && typeof details.ledgerSeal === 'string')
      sealed.set(details.transactionId, { row, seal: details.ledgerSeal });
    prev = row.hash;
  }
  // The chain holds; now the ledger it seals: every posted transaction as its audit entry saw it.
  for (const [transactionId, { row, seal }] of sealed) {
    const now = await sealOf(db, transactionId);
    if (now !== seal)
      return {
        ok: false,
        entries: rows.length,
        brokenAt: row.seq,
        id: row.id,
        reason:
          now === null
            ? `transaction ${transactionId} was deleted from the ledger`
            : `the ledger rows of transaction ${transactionId} were changed after they were posted`,
      };
  }
  const unsealed = (await db('transactions').whereNotNull('posting').select('id')) as { id: string }[];
  const stray = unsealed.find((t) => !sealed.has(t.id));
  if (stray)
    return {
      ok: false,
      entries: rows.length,
      brokenAt: rows.length,
      id: stray.id,
      reason: `transaction ${stray.id} has no audit entry: it was written outside the app, or its entry was removed`,
    };
  return { ok: true, entries: rows.length };
}

/** The last entry's number and hash (null for an empty log): what the server keeps as an anchor. */
export async function auditHead(db: Knex | Knex.Transaction): Promise<{ seq: number; hash: string } | null> {
  const row = (await db('audit_log').orderBy('seq', 'desc').first('seq', 'hash')) as
    { seq: number; hash: string } | undefined;
  return row ? { seq: row.seq, hash: row.hash } : null;
}

export type AnchorCheck =
  { ok: true; seq: number } | { ok: false; kind: 'truncated' | 'rewritten'; seq: number; reason: string };

/**
 * Compares the local log with the server's latest anchor of it. A chain that verifies from the start
 * and holds the anchored hash at the anchored number holds every entry before it too; so one anchor,
 * the latest, is enough.
 */
export async function checkAnchor(
  db: Knex,
  anchor: { seq: number; hash: string; receivedAt: string },
): Promise<AnchorCheck> {
  const row = (await db('audit_log').where('seq', anchor.seq).first('hash')) as { hash: string } | undefined;
  if (!row) {
    const head = await auditHead(db);
    return {
      ok: false,
      kind: 'truncated',
      seq: anchor.seq,
      reason: `the log ends at entry #${head?.seq ?? 0}, but the server holds an anchor at entry #${anchor.seq} (received ${anchor.receivedAt}): entries were removed from the end`,
    };
  }
  if (row.hash !== anchor.hash)
    return {
      ok: false,
      kind: 'rewritten',
      seq: anchor.seq,
      reason: `entry #${anchor.seq} does not have the hash the server anchored on ${anchor.receivedAt}: the log was rewritten and its chain recomputed`,
    };
  return { ok: true, seq: anchor.seq };
}
