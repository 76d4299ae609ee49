/**
 * The snapshot a new terminal starts from instead of replaying the whole change log: every entity that
 * exists (the change log's upserts: one row per entity, already in wire form), read in ONE consistent
 * read (PostgreSQL: a REPEATABLE READ transaction; SQLite: one read transaction), as NDJSON with a
 * header (the version it is consistent at) and an end line. Keyset pages of (entity, key) inside that
 * read keep memory flat; a resumed stream starts after the last entity/key the terminal kept.
 */
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

import type { SnapshotQuery } from '../../../shared/sync/protocol.js';
import type { ServerDb } from '../db/connection.js';
import { headVersion } from './changes.js';

const PAGE = 5000;

type Row = { entity: string; entity_key: string; version: number | string; data: string | null };

async function* snapshotLines(db: ServerDb, q: SnapshotQuery): AsyncGenerator<string> {
  const trx = await db.knex.transaction(db.dialect === 'pg' ? { isolationLevel: 'repeatable read' } : {});
  try {
    if (db.dialect === 'pg') await trx.raw('SET TRANSACTION READ ONLY');
    const after =
      q.afterEntity !== undefined && q.afterKey !== undefined ? [q.afterEntity, q.afterKey] : null;
    // The first read fixes the snapshot (PostgreSQL takes it at the first statement).
    const version = await headVersion(trx);
    const upserts = (from: string[] | null) => {
      const b = trx('change_log').where('op', 'upsert');
      return from ? b.whereRaw('(entity, entity_key) > (?, ?)', from) : b;
    };
    const counted = (await upserts(after).count({ n: '*' }).first()) as { n: number | string };
    yield `${JSON.stringify({ version, total: Number(counted.n) })}\n`;
    let cursor = after;
    let count = 0;
    for (;;) {
      const page = (await upserts(cursor)
        .orderBy([{ column: 'entity' }, { column: 'entity_key' }])
        .limit(PAGE)
        .select('entity', 'entity_key', 'version', 'data')) as Row[];
      if (page.length === 0) break;
      // The stored data is already the wire JSON: spliced in, never parsed and re-serialized.
      let chunk = '';
      for (const r of page)
        chunk += `{"entity":${JSON.stringify(r.entity)},"key":${JSON.stringify(r.entity_key)},"version":${Number(r.version)},"data":${r.data ?? 'null'}}\n`;
      count += page.length;
      const last = page[page.length - 1]!;
      cursor = [last.entity, last.entity_key];
      yield chunk;
    }
    yield `${JSON.stringify({ end: true, count })}\n`;
  } finally {
    // Read-only: ending it either way releases the connection (also when the terminal hung up).
    await trx.commit().catch(() => undefined);
  }
}

/** The snapshot as a gzip stream; destroying it (the terminal went away) ends the read transaction. */
export function snapshotStream(db: ServerDb, q: SnapshotQuery): Readable {
  const gzip = zlib.createGzip({ level: 1 });
  return pipeline(Readable.from(snapshotLines(db, q)), gzip, () => undefined);
}
