/**
 * The whole audit check of one counter: the hash chain and the ledger it seals (local), then the chain
 * against the server's latest anchor of it (a log cut short or rewritten with its chain recomputed
 * verifies locally, but not against the anchor). Used by `npm run audit:verify`.
 */
import type { Knex } from 'knex';

import type { AnchorLookup } from '../sync/anchor.js';
import { checkAnchor, verifyAuditChain, type AnchorCheck, type AuditVerification } from './audit.js';

export type AuditReport = {
  chain: AuditVerification;
  /** null: not compared (not enrolled, or the server could not be asked); `anchorNote` says why. */
  anchor: AnchorCheck | null;
  anchorNote: string | null;
};

export async function verifyCounterAudit(
  db: Knex,
  lookUp: () => Promise<AnchorLookup>,
): Promise<AuditReport> {
  const chain = await verifyAuditChain(db);
  const found = await lookUp();
  if (!found.anchor) return { chain, anchor: null, anchorNote: found.note };
  return { chain, anchor: await checkAnchor(db, found.anchor), anchorNote: null };
}

/** Exit code: 0 intact (and anchored, or anchoring not possible and not required), 1 broken, 3 not anchored when required. */
export function auditExitCode(r: AuditReport, requireAnchor: boolean): number {
  if (!r.chain.ok || (r.anchor && !r.anchor.ok)) return 1;
  if (!r.anchor && requireAnchor) return 3;
  return 0;
}

export function formatAuditReport(r: AuditReport, file: string): string {
  const out: string[] = [];
  out.push(
    r.chain.ok
      ? `Audit chain intact: ${r.chain.entries} entries in ${file}.`
      : `Audit chain BROKEN at entry #${r.chain.brokenAt} (id ${r.chain.id}): ${r.chain.reason}. ${r.chain.entries} entries in ${file}.`,
  );
  if (r.anchor?.ok) out.push(`Matches the server's anchor at entry #${r.anchor.seq}.`);
  else if (r.anchor) out.push(`Audit log ${r.anchor.kind.toUpperCase()}: ${r.anchor.reason}.`);
  else out.push(`Not compared with the server's anchor: ${r.anchorNote ?? 'unknown reason'}.`);
  return out.join('\n');
}
