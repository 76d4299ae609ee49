/* global process, console */
/**
 * The peer's server for `npm run bench -- peers`: express-pouchdb (the CouchDB HTTP API over PouchDB,
 * as pouchdb-server runs it) on LevelDB files in the directory given, on a loopback port of its own.
 * Prints "listening on http://…" once it accepts requests.
 */
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node server.mjs <data dir>');
const ServerPouchDB = PouchDB.defaults({ prefix: `${dir}/` });
const app = express();
app.use(
  '/',
  expressPouchDB(ServerPouchDB, {
    mode: 'minimumForPouchDB',
    inMemoryConfig: true,
    logPath: `${dir}/log.txt`,
  }),
);
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
