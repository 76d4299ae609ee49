/* global process, console */
/**
 * The peer's client for `npm run bench -- peers`: loads the payment documents (NDJSON, one per line)
 * into a local PouchDB on LevelDB (untimed, like a day of postings), then replicates them to the
 * express-pouchdb server over HTTP with PouchDB's default replication settings, and prints one JSON
 * line: seconds and documents written.
 */
import fs from 'node:fs';
import PouchDB from 'pouchdb';

async function main() {
  const [dir, docsFile, target] = process.argv.slice(2);
  if (!dir || !docsFile || !target) throw new Error('usage: node replicate.mjs <dir> <docs.ndjson> <url>');
  const docs = fs
    .readFileSync(docsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const source = new PouchDB(`${dir}/source`);
  for (let i = 0; i < docs.length; i += 500) await source.bulkDocs(docs.slice(i, i + 500));
  const t0 = process.hrtime.bigint();
  const result = await source.replicate.to(target);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const remote = await new PouchDB(target).info();
  await source.close();
  console.log(JSON.stringify({ seconds, docsWritten: result.docs_written, remoteDocs: remote.doc_count }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
