/**
 * The snapshot a new terminal starts from instead of replaying the whole change log: every entity that
 * exists (the change log's upserts: one row per entity, already in wire form), read in ONE consistent
 * read (PostgreSQL: a REPEATABLE READ transaction; SQLite: one read transaction), as NDJSON with a
 * header (the version it is consistent at) and an end line. Keyset pages (entity by entity, by key)
 * inside that read keep memory flat; a resumed stream starts after the last entity/key the terminal kept.
 */
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

import { ReplicaEntitySchema, type SnapshotQuery } from '../../../shared/sync/protocol.js';
import type { ServerDb } from '../db/connection.js';
import { cashierDataFor, headVersion } from './changes.js';

const PAGE = 5000;

type Row = { entity_key: string; version: number | string; data: string | null };

async function* snapshotLines(db: ServerDb, q: SnapshotQuery, terminalCode: string): AsyncGenerator<string> {
  const trx = await db.knex.transaction(db.dialect === 'pg' ? { isolationLevel: 'repeatable read' } : {});
  try {
    if (db.dialect === 'pg') await trx.raw('SET TRANSACTION READ ONLY');
    // Entity by entity in one fixed order, keys in the database's own order: `entity = ? AND
    // entity_key > ?` walks the primary key (a row-value comparison would sort the whole table).
    const entities = [...ReplicaEntitySchema.options].sort();
    const from = q.afterEntity !== undefined ? entities.indexOf(q.afterEntity) : 0;
    const todo = entities.slice(Math.max(0, from));
    const upserts = (entity: string, afterKey: string | null) => {
      const b = trx('change_log').where('op', 'upsert').andWhere('entity', entity);
      return afterKey === null ? b : b.andWhere('entity_key', '>', afterKey);
    };
    const firstAfter = (entity: string): string | null =>
      entity === q.afterEntity ? (q.afterKey ?? null) : null;
    // The first read fixes the snapshot (PostgreSQL takes it at the first statement).
    const version = await headVersion(trx);
    let total = 0;
    for (const entity of todo) {
      const counted = (await upserts(entity, firstAfter(entity)).count({ n: '*' }).first()) as {
        n: number | string;
      };
      total += Number(counted.n);
    }
    yield `${JSON.stringify({ version, total })}\n`;
    let count = 0;
    for (const entity of todo) {
      let afterKey = firstAfter(entity);
      for (;;) {
        const page = (await upserts(entity, afterKey)
          .orderBy('entity_key')
          .limit(PAGE)
          .select('entity_key', 'version', 'data')) as Row[];
        if (page.length === 0) break;
        // The stored data is already the wire JSON: spliced in, never parsed and re-serialized; but a
        // cashier gets the verifier of the terminal pulling (the change log keeps no PIN material).
        const e = JSON.stringify(entity);
        const cashiers =
          entity === 'cashier'
            ? await cashierDataFor(
                trx,
                page.map((r) => ({ ...r, entity, op: 'upsert', version: Number(r.version) })),
                terminalCode,
              )
            : null;
        let chunk = '';
        for (const r of page)
          chunk += `{"entity":${e},"key":${JSON.stringify(r.entity_key)},"version":${Number(r.version)},"data":${cashiers?.get(r.entity_key) ?? r.data ?? 'null'}}\n`;
        count += page.length;
        afterKey = page[page.length - 1]!.entity_key;
        yield chunk;
      }
    }
    yield `${JSON.stringify({ end: true, count })}\n`;
  } finally {
    // Read-only: ending it either way releases the connection (also when the terminal hung up).
    await trx.commit().catch(() => undefined);
  }
}

/** The snapshot as a gzip stream; destroying it (the terminal went away) ends the read transaction. */
export function snapshotStream(db: ServerDb, q: SnapshotQuery, terminalCode: string): Readable {
  const gzip = zlib.createGzip({ level: 1 });
  return pipeline(Readable.from(snapshotLines(db, q, terminalCode)), gzip, () => undefined);
}
