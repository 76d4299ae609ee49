/**
 * Data files are private: counter.db and server.db (and their -wal/-shm), the enrollment credentials
 * and the Z-report PDFs are 0600 in 0700 folders, on a fresh data folder and on one an older version
 * left world-readable. Checked with fs.stat on real files after real use.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, expect, it } from 'vitest';

import { FLOAT_COUNTS, signInWithTill, startTestHost, tempDir } from '../../support/counter.js';
import { enrollCounter, seedServer, startServer } from '../../support/sync-server.js';

const root = tempDir('countertop-modes-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const mode = (p: string): number => fs.statSync(p).mode & 0o777;

function expectPrivate(files: string[]): void {
  for (const f of files) {
    expect({ file: path.basename(f), mode: mode(f).toString(8) }).toEqual({
      file: path.basename(f),
      mode: '600',
    });
    expect({ dir: f, mode: mode(path.dirname(f)).toString(8) }).toEqual({ dir: f, mode: '700' });
  }
}

it.each([
  ['a fresh data folder', false],
  ['a data folder an older version left world-readable', true],
])('counter, server and their files are private in %s', async (_name, loose) => {
  const base = path.join(root, loose ? 'loose' : 'fresh');
  const dataDir = path.join(base, 'counter');
  const serverFile = path.join(base, 'server', 'server.db');
  if (loose) {
    for (const d of [
      dataDir,
      path.join(dataDir, 'sync'),
      path.join(dataDir, 'reports'),
      path.dirname(serverFile),
    ])
      fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    for (const f of [path.join(dataDir, 'counter.db'), serverFile]) fs.writeFileSync(f, '', { mode: 0o644 });
    for (const d of [
      dataDir,
      path.join(dataDir, 'sync'),
      path.join(dataDir, 'reports'),
      path.dirname(serverFile),
    ])
      fs.chmodSync(d, 0o755);
  }
  const serverDb = { client: 'sqlite' as const, filename: serverFile };
  await seedServer(serverDb, 3, 1);
  const s = await startServer(serverDb);
  const h = await startTestHost({ dataDir, demo: { count: 10, months: 1 } });
  try {
    await enrollCounter(h, s.db, s.url);
    const session = await signInWithTill(h, '1001', '1234');
    const closed = await h.call(
      'till.close',
      {
        cashCounts: FLOAT_COUNTS,
        checks: { count: 0, cents: 0 },
        moneyOrders: { count: 0, cents: 0 },
        cardBatchCents: 0,
      },
      session,
    );
    if (!closed.ok) throw new Error(closed.error.message);
    const z = (closed.value as { status: string; z?: { pdfPath: string } }).z;
    expect(z?.pdfPath).toBeTruthy();
    const counterDb = path.join(dataDir, 'counter.db');
    expectPrivate([
      counterDb,
      `${counterDb}-wal`,
      `${counterDb}-shm`,
      serverFile,
      `${serverFile}-wal`,
      `${serverFile}-shm`,
      path.join(dataDir, 'sync', 'enrollment.json'),
      z!.pdfPath,
    ]);
    expect(mode(dataDir).toString(8)).toBe('700');
  } finally {
    await h.close();
    await s.stop();
  }
});
