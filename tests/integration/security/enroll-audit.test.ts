/**
 * Automatic enrollment (the start-up configuration's one-time code) is audited on the counter like an
 * enrollment an IT admin makes from the settings screen, and the audit chain stays intact.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, expect, it } from 'vitest';

import { verifyAuditChain } from '../../../electron/services/audit/audit.js';
import { startTestHost, tempDir } from '../../support/counter.js';
import { enrollWithCode, seedServer, startServer, waitFor } from '../../support/sync-server.js';

const dir = tempDir('countertop-enroll-audit-');
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('writes an audit entry for an automatic enrollment', async () => {
  const db = { client: 'sqlite' as const, filename: path.join(dir, 'server.db') };
  await seedServer(db, 5, 1);
  const s = await startServer(db);
  cleanup.push(() => s.stop());
  const code = await enrollWithCode(db);
  const h = await startTestHost({
    dataDir: path.join(dir, 'counter'),
    demo: null,
    server: { url: s.url, enrollCode: code, pullIntervalMs: 3_600_000 },
  });
  cleanup.push(() => h.close());
  await waitFor(
    'enrollment',
    async () => (await h.ctx.db('audit_log').where('action', 'sync.enroll').first()) !== undefined,
  );
  const entry = (await h.ctx.db('audit_log').where('action', 'sync.enroll').first()) as {
    actor: string;
    entity_id: string;
    details: string;
  };
  const terminal = (await s.db.knex('terminals').first('id')) as { id: string };
  expect(entry.actor).toBe('system');
  expect(entry.entity_id).toBe(terminal.id);
  expect(JSON.parse(entry.details)).toMatchObject({ serverUrl: s.url, branch: 'MAIN', automatic: true });
  expect(await verifyAuditChain(h.ctx.db)).toMatchObject({ ok: true });
});
