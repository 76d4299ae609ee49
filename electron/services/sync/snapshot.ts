/**
 * A new terminal's first pull from the server's snapshot (instead of replaying the whole change log):
 *
 * 1. Stage: the NDJSON stream goes, line by line (each checked with the shared schemas), into
 *    `snapshot_rows`, committed every STAGE_ROWS rows together with the resume point (last entity/key)
 *    in `sync.snapshot`. Cut off, killed, restarted: the next try asks the server for what comes after
 *    the resume point. A resumed stream may be at a later version than the first part; the pull then
 *    continues from the FIRST version, so the change log brings every entity the parts disagree on
 *    up to date (its rows are the latest state of each entity, deletes included).
 * 2. Swap: ONE transaction empties the replica tables, fills them from staging with set-based SQL,
 *    applies the small entities through the normal appliers, builds the search index once, moves the
 *    pull cursor to the snapshot's version and clears staging. Until it commits, the replica the
 *    counter uses is untouched: never half a snapshot.
 */
import { StringDecoder } from 'node:string_decoder';

import type { Knex } from 'knex';

import {
  ReplicaDataSchemas,
  SnapshotEndSchema,
  SnapshotHeaderSchema,
  SnapshotRowSchema,
  type Change,
  type ReplicaEntity,
} from '../../../shared/sync/protocol.js';
import { applyChanges, rebuildAccountIndex } from './replica.js';
import { getSetting, setSetting, SETTING } from './settings.js';

/** SQLite's bound-parameter cap, with room: 4 parameters a row. */
const ROWS_PER_STATEMENT = 8000;
/** Entities filled by set-based SQL at the swap; the others go through applyChanges. */
const BULK: ReplicaEntity[] = ['account', 'bill', 'open_item', 'account_payment'];

export type SnapshotState = {
  version: number;
  after: { entity: string; key: string } | null;
  loaded: number;
  total: number;
  complete: boolean;
};

export type SnapshotSource = (after: SnapshotState['after']) => Promise<AsyncIterable<Uint8Array>>;

async function readState(db: Knex): Promise<SnapshotState | null> {
  const raw = await getSetting(db, SETTING.snapshot);
  return raw ? (JSON.parse(raw) as SnapshotState) : null;
}

/** Lines of a byte stream, read only as fast as the caller takes them (memory stays flat). */
async function* lines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of body) {
    rest += decoder.write(Buffer.from(chunk));
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (line) yield line;
    }
  }
  rest += decoder.end();
  if (rest) yield rest;
}

async function stage(
  db: Knex,
  state: SnapshotState,
  rows: [string, string, number, string][],
): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const slice = rows.slice(i, i + ROWS_PER_STATEMENT);
      await trx.raw(
        `INSERT INTO snapshot_rows (entity, key, version, data) VALUES ${slice.map(() => '(?, ?, ?, ?)').join(', ')}`,
        slice.flat(),
      );
    }
    await setSetting(trx, SETTING.snapshot, JSON.stringify(state));
  });
}

/** Streams (or resumes) the snapshot into staging; returns the state with `complete` set. */
async function stream(
  db: Knex,
  source: SnapshotSource,
  state: SnapshotState | null,
  progress: (p: { done: number; total: number }) => void,
  stageRows: number,
): Promise<SnapshotState> {
  const body = await source(state?.after ?? null);
  let current = state;
  let batch: [string, string, number, string][] = [];
  let ended = false;
  let headerSeen = false;
  let staging: Promise<void> = Promise.resolve();
  try {
    for await (const line of lines(body)) {
      const value = JSON.parse(line) as unknown;
      if (!headerSeen) {
        const header = SnapshotHeaderSchema.parse(value);
        headerSeen = true;
        // A resumed stream may be newer; the pull continues from the first part's version (see above).
        current = current
          ? { ...current, total: current.loaded + header.total }
          : { version: header.version, after: null, loaded: 0, total: header.total, complete: false };
        progress({ done: current.loaded, total: current.total });
        continue;
      }
      if (value !== null && typeof value === 'object' && 'end' in value) {
        SnapshotEndSchema.parse(value);
        ended = true;
        break;
      }
      const row = SnapshotRowSchema.parse(value);
      const data = ReplicaDataSchemas[row.entity].safeParse(row.data);
      if (!data.success)
        throw new Error(
          `snapshot ${row.entity} ${row.key} is not valid: ${data.error.issues[0]?.message ?? ''}`,
        );
      // The data as it came (checked just above), not serialized again: the server writes it last.
      const at = line.indexOf(',"data":');
      batch.push([
        row.entity,
        row.key,
        row.version,
        at > 0 ? line.slice(at + 8, -1) : JSON.stringify(row.data),
      ]);
      if (batch.length >= stageRows && current) {
        current = commit(current, batch);
        // The stream keeps coming while this batch is written; one write in flight at most.
        await staging;
        const state = current;
        const rows = batch;
        staging = stage(db, state, rows).then(() => progress({ done: state.loaded, total: state.total }));
        staging.catch(() => undefined);
        batch = [];
      }
    }
  } finally {
    // Never leave a staging write running behind a failure: the retry reads the resume point.
    await staging.catch(() => undefined);
  }
  await staging;
  if (!current || !headerSeen)
    throw new Error('The snapshot stream ended before its header; it will be asked for again.');
  current = commit(current, batch);
  if (!ended) {
    // Keep what arrived whole; the next try resumes after it.
    if (batch.length) await stage(db, current, batch);
    throw new Error('The snapshot stream was cut short; the pull resumes where it stopped.');
  }
  current = { ...current, complete: true };
  await stage(db, current, batch);
  progress({ done: current.loaded, total: current.total });
  return current;
}

function commit(state: SnapshotState, batch: [string, string, number, string][]): SnapshotState {
  const last = batch[batch.length - 1];
  return last
    ? { ...state, after: { entity: last[0], key: last[1] }, loaded: state.loaded + batch.length }
    : state;
}

const j = (path: string) => `json_extract(data, '$.${path}')`;

/** Staging -> replica, in the caller's transaction. */
async function swap(trx: Knex.Transaction, version: number, asOf: string): Promise<void> {
  // The search index stands down while the replica is refilled and is built once at the end.
  await setSetting(trx, SETTING.ftsDeferred, asOf);
  for (const t of ['bill_lines', 'bills', 'open_items', 'account_payments', 'accounts'])
    await trx(t).delete();
  await trx.raw(
    `INSERT INTO accounts (account_number, name, class, status, service_address, phone, phone_digits,
        cash_only, cash_only_reason, balance_cents, deposit_held_cents, version, as_of)
     SELECT ${j('accountNumber')}, ${j('name')}, ${j('class')}, ${j('status')}, ${j('serviceAddress')},
        ${j('phone')}, ${j('phoneDigits')}, ${j('cashOnly')}, ${j('cashOnlyReason')}, ${j('balanceCents')},
        ${j('depositHeldCents')}, version, ?
       FROM snapshot_rows WHERE entity = 'account'`,
    [asOf],
  );
  await trx.raw(
    `INSERT INTO bills (id, account_number, bill_date, due_date, total_cents)
     SELECT ${j('id')}, ${j('accountNumber')}, ${j('billDate')}, ${j('dueDate')}, ${j('totalCents')}
       FROM snapshot_rows WHERE entity = 'bill'`,
  );
  await trx.raw(
    `INSERT INTO bill_lines (bill_id, category, description, amount_cents)
     SELECT json_extract(s.data, '$.id'), json_extract(l.value, '$.category'),
            json_extract(l.value, '$.description'), json_extract(l.value, '$.amountCents')
       FROM snapshot_rows s, json_each(s.data, '$.lines') l
      WHERE s.entity = 'bill' ORDER BY s.key, l.key`,
  );
  await trx.raw(
    `INSERT INTO open_items (id, account_number, bill_id, category, due_date, open_cents, not_disconnectable)
     SELECT ${j('id')}, ${j('accountNumber')}, ${j('billId')}, ${j('category')}, ${j('dueDate')}, ${j('openCents')},
        COALESCE(${j('notDisconnectable')}, 0)
       FROM snapshot_rows WHERE entity = 'open_item'`,
  );
  await trx.raw(
    `INSERT INTO account_payments (id, account_number, paid_on, amount_cents, method, channel)
     SELECT ${j('id')}, ${j('accountNumber')}, ${j('paidOn')}, ${j('amountCents')}, ${j('method')}, ${j('channel')}
       FROM snapshot_rows WHERE entity = 'account_payment'`,
  );
  // Cashiers, policies, equipment, deposits: few rows, through the same appliers as a pull.
  let after = 0;
  for (;;) {
    const rows = (await trx('snapshot_rows')
      .whereNotIn('entity', BULK)
      .andWhere('rowid', '>', after)
      .orderBy('rowid')
      .limit(2000)
      .select('rowid', 'entity', 'key', 'version', 'data')) as {
      rowid: number;
      entity: ReplicaEntity;
      key: string;
      version: number;
      data: string;
    }[];
    if (rows.length === 0) break;
    const changes: Change[] = rows.map((r) => ({
      version: r.version,
      entity: r.entity,
      key: r.key,
      op: 'upsert',
      data: JSON.parse(r.data) as unknown,
    }));
    await applyChanges(trx, changes, asOf);
    after = rows[rows.length - 1]!.rowid;
  }
  await rebuildAccountIndex(trx);
  await trx('snapshot_rows').delete();
  await setSetting(trx, SETTING.cursor, String(version));
  await trx('settings').where('key', SETTING.snapshot).delete();
}

/**
 * Loads the snapshot (resuming a staged one) and swaps it in; returns the version the pull continues
 * from. `progress` sees rows staged of rows in the snapshot.
 */
export async function loadSnapshot(
  db: Knex,
  source: SnapshotSource,
  progress: (p: { done: number; total: number }) => void,
  asOf: () => string,
  stageRows = 20_000,
): Promise<number> {
  let state = await readState(db);
  if (!state?.complete) state = await stream(db, source, state, progress, Math.max(1, stageRows));
  const { version } = state;
  await db.transaction((trx) => swap(trx, version, asOf()));
  return version;
}

/**
 * Whether this pull starts from a snapshot: a staged one is waiting (an interrupted first pull), or a
 * new terminal (never pulled, no accounts). A replica that already holds accounts (a demo counter
 * enrolled later) keeps them and replays the change log over them, as before.
 */
export async function snapshotWanted(db: Knex, cursor: number): Promise<boolean> {
  if ((await readState(db)) !== null) return true;
  return cursor === 0 && !(await db('accounts').first('account_number'));
}
