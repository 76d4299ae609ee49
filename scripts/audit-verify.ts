/**
 * `npm run audit:verify [dataDir|counter.db] [--require-anchor]`: walks the counter's hash-chained audit
 * log and the ledger it seals, then compares the log with the server's anchor of it (an entry removed
 * from the end, or a log rewritten with its chain recomputed). Exit 1 when anything is broken; with
 * --require-anchor, exit 3 when the server's anchor could not be compared.
 */
import fs from 'node:fs';
import path from 'node:path';

import { auditExitCode, formatAuditReport, verifyCounterAudit } from '../electron/services/audit/verify.js';
import { lookUpAnchorFromFiles } from '../electron/services/sync/anchor.js';
import { openCounterDb } from '../electron/services/db/connection.js';
import { defaultDataDir } from '../electron/paths.js';

const args = process.argv.slice(2);
const requireAnchor = args.includes('--require-anchor');
const arg = args.find((a) => !a.startsWith('--')) ?? defaultDataDir();
const file = arg.endsWith('.db') ? arg : path.join(arg, 'counter.db');
if (!fs.existsSync(file)) {
  console.error(`No counter database at ${file}.`);
  process.exit(2);
}
const db = await openCounterDb(file);
const report = await verifyCounterAudit(db, () => lookUpAnchorFromFiles(path.dirname(file)));
await db.destroy();
console.log(formatAuditReport(report, file));
process.exit(auditExitCode(report, requireAnchor));
