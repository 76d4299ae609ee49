/**
 * Enrollment and terminal authentication. An admin makes a one-time, expiring code for a branch; a
 * terminal trades it (once) for its id and a random bearer token. The server keeps only SHA-256 hashes
 * of codes and tokens (both are high-entropy random strings, so a fast hash is enough).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

import { v7 as uuidv7 } from 'uuid';

import {
  normalizeEnrollCode,
  type EnrollRequest,
  type EnrollResponse,
} from '../../../shared/sync/protocol.js';
import type { ServerDb } from '../db/connection.js';
import { forUpdate } from '../db/util.js';
import { HttpError } from '../http-error.js';
import type { TerminalRow } from './batch.js';

/** Crockford base32 without I, L, O, U: easy to read out over the phone. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function serverId(db: ServerDb): Promise<string> {
  const row = (await db.knex('server_meta').where('key', 'server_id').first('value')) as { value: string };
  return row.value;
}

export type EnrollmentCode = { code: string; branch: string; expiresAt: string };

export async function createEnrollmentCode(
  db: ServerDb,
  opts: { branch: string; ttlMinutes?: number; createdBy?: string; now?: Date },
): Promise<EnrollmentCode> {
  if (!/^[A-Z0-9]{2,12}$/.test(opts.branch))
    throw new HttpError(400, 'INVALID_BRANCH', 'A branch code like MAIN.');
  const now = opts.now ?? new Date();
  const raw = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + (opts.ttlMinutes ?? 60) * 60_000).toISOString();
  await db.knex('enrollment_codes').insert({
    code_hash: sha256(raw),
    branch: opts.branch,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    created_by: opts.createdBy ?? 'admin',
  });
  return { code: `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`, branch: opts.branch, expiresAt };
}

export async function enrollTerminal(
  db: ServerDb,
  req: EnrollRequest,
  now = new Date(),
): Promise<EnrollResponse> {
  const codeHash = sha256(normalizeEnrollCode(req.code));
  const token = `ct1.${randomBytes(32).toString('base64url')}`;
  const terminalId = uuidv7();
  const at = now.toISOString();
  await db.knex.transaction(async (trx) => {
    const code = (await forUpdate(
      trx('enrollment_codes').where('code_hash', codeHash),
      db.dialect,
    ).first()) as { branch: string; expires_at: string; used_at: string | null } | undefined;
    if (!code)
      throw new HttpError(
        403,
        'ENROLL_CODE_INVALID',
        'This enrollment code is not valid. Check it, or ask for a new one.',
      );
    if (code.used_at)
      throw new HttpError(
        409,
        'ENROLL_CODE_USED',
        'This enrollment code was already used. Ask the admin for a new one.',
      );
    if (code.expires_at <= at)
      throw new HttpError(
        410,
        'ENROLL_CODE_EXPIRED',
        'This enrollment code has expired. Ask the admin for a new one.',
      );
    if (code.branch !== req.branch)
      throw new HttpError(
        409,
        'BRANCH_MISMATCH',
        `This code is for branch ${code.branch}, but this counter is set up for branch ${req.branch}.`,
      );
    await trx('terminals').insert({
      id: terminalId,
      code: req.terminalCode,
      name: req.terminalName,
      branch: req.branch,
      token_hash: sha256(token),
      first_seq: req.nextSeq,
      last_applied_seq: req.nextSeq - 1,
      enrolled_at: at,
    });
    await trx('enrollment_codes')
      .where('code_hash', codeHash)
      .update({ used_at: at, terminal_id: terminalId });
  });
  return { terminalId, token, branch: req.branch, serverId: await serverId(db), enrolledAt: at };
}

/** The terminal behind a bearer token, or null. */
export async function terminalForToken(db: ServerDb, token: string): Promise<TerminalRow | null> {
  const row = (await db.knex('terminals').where('token_hash', sha256(token)).first()) as
    TerminalRow | undefined;
  if (!row || row.revoked_at) return null;
  return row;
}
