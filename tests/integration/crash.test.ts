/**
 * Crash safety of a posting: a child process posts payments on a real SQLite file (WAL,
 * synchronous=FULL) and is killed with SIGKILL at random moments. After each kill the file is reopened:
 * every payment is either entirely there (transaction, tenders, balanced journal, allocation, receipt,
 * outbox event, audit entry) or not there at all, and every payment the child saw committed is there.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../electron/services/audit/audit.js';
import { openCounterDb } from '../../electron/services/db/connection.js';
import { startTestHost, tempDir } from '../support/counter.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir('countertop-crash-');
  const host = await startTestHost({ dataDir, demo: { count: 60, months: 3 } });
  await host.close();
});

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

type Run = { committed: string[]; begun: string[] };

function runAndKill(killAfterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('tests/support/posting-child.ts'), dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const committed: string[] = [];
    const begun: string[] = [];
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        else if (line.startsWith('posted ')) committed.push(line.slice(7));
        else if (line.startsWith('begin ')) begun.push(line.slice(6));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited without being killed: ${err}`));
      else resolve({ committed, begun });
    });
  });
}

describe('SIGKILL at random points while posting', () => {
  it('leaves every payment whole or absent, and keeps every committed one', async () => {
    const allCommitted: string[] = [];
    let killedInFlight = 0;
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const run = await runAndKill(30 + Math.floor(Math.random() * 400));
      allCommitted.push(...run.committed);
      expect(run.begun.length).toBeGreaterThan(0);
      if (run.begun.length > run.committed.length) killedInFlight++;

      const db = await openCounterDb(path.join(dataDir, 'counter.db'));
      try {
        const txs = (await db('transactions')
          .where('kind', 'payment')
          .select('id', 'request_id', 'applied_cents', 'receipt_number')) as {
          id: string;
          request_id: string;
          applied_cents: number;
          receipt_number: string;
        }[];
        const ids = new Set(txs.map((t) => t.request_id));
        for (const requestId of allCommitted) expect(ids.has(requestId)).toBe(true);

        const perTx = (await db.raw(`
          SELECT t.id,
            (SELECT COALESCE(SUM(cents), 0) FROM journal_lines j WHERE j.transaction_id = t.id) AS journal_sum,
            (SELECT COUNT(*) FROM journal_lines j WHERE j.transaction_id = t.id) AS journal_lines,
            (SELECT COUNT(*) FROM tenders d WHERE d.transaction_id = t.id) AS tenders,
            (SELECT COALESCE(SUM(cents), 0) FROM allocations a WHERE a.transaction_id = t.id) AS allocated,
            (SELECT COUNT(*) FROM receipts r WHERE r.transaction_id = t.id) AS receipts,
            (SELECT COUNT(*) FROM outbox o WHERE o.type = 'ledger.posted' AND json_extract(o.payload, '$.transactionId') = t.id) AS events,
            (SELECT COUNT(*) FROM audit_log l WHERE l.action = 'payment.post' AND l.entity_id = t.id) AS audits,
            t.applied_cents
          FROM transactions t WHERE t.kind = 'payment'`)) as Record<string, number>[];
        for (const row of perTx) {
          expect(row).toMatchObject({ journal_sum: 0, receipts: 1, events: 1, audits: 1 });
          expect(row.journal_lines).toBeGreaterThanOrEqual(2);
          expect(row.tenders).toBeGreaterThanOrEqual(1);
          expect(row.allocated).toBe(row.applied_cents);
        }
        // Nothing without its transaction.
        const orphans = (await db.raw(`
          SELECT (SELECT COUNT(*) FROM journal_lines WHERE transaction_id NOT IN (SELECT id FROM transactions))
               + (SELECT COUNT(*) FROM tenders WHERE transaction_id NOT IN (SELECT id FROM transactions))
               + (SELECT COUNT(*) FROM receipts WHERE transaction_id NOT IN (SELECT id FROM transactions))
               + (SELECT COUNT(*) FROM outbox WHERE type = 'ledger.posted' AND json_extract(payload, '$.transactionId') NOT IN (SELECT id FROM transactions))
               + (SELECT COUNT(*) FROM audit_log WHERE action = 'payment.post' AND entity_id NOT IN (SELECT id FROM transactions)) AS n`)) as {
          n: number;
        }[];
        expect(orphans[0]?.n).toBe(0);
        expect((await verifyAuditChain(db)).ok).toBe(true);
        // Receipt numbers stay gap-free: the counter row moves in the same transaction.
        const numbers = txs.map((t) => Number(t.receipt_number.split('-')[1])).sort((a, b) => a - b);
        expect(numbers).toEqual(numbers.map((_n, i) => i + 1));
      } finally {
        await db.destroy();
      }
    }
    expect(allCommitted.length).toBeGreaterThan(rounds);
    // The kills really landed while a payment was being posted.
    expect(killedInFlight).toBeGreaterThan(0);
  });
});
