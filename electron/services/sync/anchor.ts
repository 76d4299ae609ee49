/** The server's latest anchor of this counter's audit log, or why it could not be had. */
import fs from 'node:fs';
import path from 'node:path';

import type { Anchor } from '../../../shared/sync/protocol.js';
import { anchorRequest } from './client.js';
import { fileCredentialStore, type Enrollment } from './credentials.js';

export type AnchorLookup = { anchor: Anchor; note: null } | { anchor: null; note: string };

export async function lookUpAnchor(enrollment: Enrollment | null, timeoutMs: number): Promise<AnchorLookup> {
  if (!enrollment)
    return { anchor: null, note: 'this counter is not enrolled with a server: no anchor to compare' };
  try {
    const { anchor } = await anchorRequest(enrollment.serverUrl, enrollment.token, null, { timeoutMs });
    return anchor
      ? { anchor, note: null }
      : { anchor: null, note: 'the server holds no anchor of this log yet' };
  } catch (err) {
    return {
      anchor: null,
      note: `the server could not be asked for its anchor: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** For the command line: the enrollment as the data folder keeps it (a plain-file token only). */
export async function lookUpAnchorFromFiles(dataDir: string, timeoutMs = 10_000): Promise<AnchorLookup> {
  const syncDir = path.join(dataDir, 'sync');
  if (!fs.existsSync(path.join(syncDir, 'enrollment.json'))) return lookUpAnchor(null, timeoutMs);
  try {
    return await lookUpAnchor(fileCredentialStore(syncDir).load(), timeoutMs);
  } catch (err) {
    return {
      anchor: null,
      note: `the enrollment could not be read here (${err instanceof Error ? err.message : String(err)}); use the supervisor's till screen (A) instead`,
    };
  }
}
