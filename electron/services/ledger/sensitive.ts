/**
 * Bank numbers from checks at rest and on the wire.
 *
 * - The tenders table keeps the routing and bank account numbers masked (last 4 only).
 * - The routing (transit) number is what a bank deposit slip lists per check, so it is also kept
 *   sealed with AES-256-GCM in `check_sealed`; the associated data binds each sealed value to its
 *   tender row (transaction id + position), so a sealed value copied onto another row does not open.
 * - The full bank account number is never kept: the bank gets the paper check with its MICR line, and
 *   nothing at the counter needs the number again.
 * - Sync events carry the routing number (a public bank identifier the server's deposit reconciliation
 *   uses) and the last 4 digits of the bank account only: a server database or a captured request then
 *   never holds a usable routing + account pair.
 *
 * The key is 32 random bytes in `<db folder>/keys/checks.key` (0600 in a 0700 folder), found through
 * the database a statement runs on, so each counter database has its own. That protects a copied or
 * backed-up counter.db, not a stolen disk: the Electron shell can supply a key sealed by the OS
 * keychain (safeStorage) through `useCheckKeyProvider`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Knex } from 'knex';

import type { Tender } from '../../../shared/api/schemas.js';
import { ensurePrivateDir, ensurePrivateFile } from '../../../shared/node/private-files.js';
import { redactChecksForSync } from '../../../shared/sync/redact.js';

export { redactChecksForSync };

/** Returns the 32-byte key for the database whose folder is `dataDir`. */
export type CheckKeyProvider = (dataDir: string) => Buffer;

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

const cache = new Map<string, Buffer>();

/** The default provider: a key file in the data folder, created on first use. */
export const fileCheckKeyProvider: CheckKeyProvider = (dataDir) => {
  const file = path.join(dataDir, 'keys', 'checks.key');
  const cached = cache.get(file);
  if (cached) return cached;
  ensurePrivateDir(path.dirname(file));
  if (!fs.existsSync(file)) {
    // wx: two processes racing to create it never both write (the loser reads the winner's key).
    try {
      fs.writeFileSync(file, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  ensurePrivateFile(file);
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} is not a ${KEY_BYTES}-byte key`);
  cache.set(file, key);
  return key;
};

let provider: CheckKeyProvider = fileCheckKeyProvider;

/** Replaces the key provider (the Electron shell: a key sealed with safeStorage). */
export function useCheckKeyProvider(p: CheckKeyProvider): void {
  provider = p;
}

/** A process-lifetime key for in-memory databases (nothing they hold outlives the process). */
const memoryKey = randomBytes(KEY_BYTES);

function keyFor(db: Knex | Knex.Transaction): Buffer {
  const conn = (db.client as { config?: { connection?: { filename?: string } } }).config?.connection;
  const file = conn?.filename;
  if (!file || file === ':memory:') return memoryKey;
  return provider(path.dirname(path.resolve(file)));
}

export function sealText(plain: string, key: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

export function openText(sealed: string, key: Buffer, aad: string): string {
  const [version, data] = sealed.split('.');
  if (version !== VERSION || !data) throw new Error('not a sealed value');
  const raw = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
}

/** `****1234`: the last 4 digits; the length of the number is not kept either. */
export function maskLast4(digits: string): string {
  return `****${digits.slice(-4)}`;
}

const aadFor = (transactionId: string, position: number) => `tender:${transactionId}:${position}`;

/** The check columns of a tender row: masked numbers, the routing number sealed. */
export function checkTenderColumns(
  db: Knex | Knex.Transaction,
  t: Tender,
  transactionId: string,
  position: number,
): { routing_number: string | null; bank_account: string | null; check_sealed: string | null } {
  if (t.type !== 'check') return { routing_number: null, bank_account: null, check_sealed: null };
  return {
    routing_number: maskLast4(t.routingNumber),
    bank_account: maskLast4(t.bankAccount),
    check_sealed: sealText(
      JSON.stringify({ routingNumber: t.routingNumber }),
      keyFor(db),
      aadFor(transactionId, position),
    ),
  };
}

/** The routing number of a check tender, for the deposit slip (null when the row has none sealed). */
export function routingForDepositSlip(
  db: Knex | Knex.Transaction,
  row: { transaction_id: string; position: number; check_sealed: string | null },
): string | null {
  if (!row.check_sealed) return null;
  const opened = JSON.parse(
    openText(row.check_sealed, keyFor(db), aadFor(row.transaction_id, row.position)),
  ) as {
    routingNumber: string;
  };
  return opened.routingNumber;
}

/**
 * Rows written before sealing existed (plain 9-digit routing numbers): seal the routing number, mask
 * both; also cut the bank account out of queued outbox payloads not sent yet. Returns the rows fixed.
 */
export async function protectStoredChecks(db: Knex): Promise<number> {
  const rows = (await db('tenders')
    .where('type', 'check')
    .whereNull('check_sealed')
    .whereRaw(`length(routing_number) = 9`)
    .select('id', 'transaction_id', 'position', 'routing_number', 'bank_account')) as {
    id: string;
    transaction_id: string;
    position: number;
    routing_number: string;
    bank_account: string | null;
  }[];
  const queued = (await db('outbox').where('state', 'queued').select('seq', 'payload')) as {
    seq: number;
    payload: string;
  }[];
  let trimmed = 0;
  await db.transaction(async (trx) => {
    for (const r of rows)
      await trx('tenders')
        .where('id', r.id)
        .update({
          routing_number: maskLast4(r.routing_number),
          bank_account: r.bank_account ? maskLast4(r.bank_account) : null,
          check_sealed: sealText(
            JSON.stringify({ routingNumber: r.routing_number }),
            keyFor(trx),
            aadFor(r.transaction_id, r.position),
          ),
        });
    for (const q of queued) {
      const redacted = JSON.stringify(redactChecksForSync(JSON.parse(q.payload) as unknown));
      if (redacted === q.payload) continue;
      await trx('outbox').where('seq', q.seq).update({ payload: redacted });
      trimmed++;
    }
  });
  if (rows.length + trimmed > 0) {
    // The clear values are still in freed pages and in the WAL: rebuild the file and empty the WAL.
    await db.raw('VACUUM');
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return rows.length;
}
