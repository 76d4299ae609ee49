/**
 * `npm run audit:verify [dataDir|counter.db]`: walks the counter's hash-chained audit log and reports
 * the first broken link (an edited, inserted or deleted entry). Exit code 1 when the chain is broken.
 */
import fs from 'node:fs';
import path from 'node:path';

import { verifyAuditChain } from '../electron/services/audit/audit.js';
import { openCounterDb } from '../electron/services/db/connection.js';
import { defaultDataDir } from '../electron/paths.js';

const arg = process.argv[2] ?? defaultDataDir();
const file = arg.endsWith('.db') ? arg : path.join(arg, 'counter.db');
if (!fs.existsSync(file)) {
  console.error(`No counter database at ${file}.`);
  process.exit(2);
}
const db = await openCounterDb(file);
const result = await verifyAuditChain(db);
await db.destroy();
if (result.ok) {
  console.log(`Audit chain intact: ${result.entries} entries in ${file}.`);
} else {
  console.log(
    `Audit chain BROKEN at entry #${result.brokenAt} (id ${result.id}): ${result.reason}. ${result.entries} entries in ${file}.`,
  );
  process.exit(1);
}
