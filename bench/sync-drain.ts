/**
 * Drain: a counter with 10,000 events queued (taken while offline) sends them all to the server on
 * PostgreSQL, through its real sync worker and HTTP, batch after batch, recording every ack in SQLite.
 * Timed from opening the counter to an empty outbox. Budget < 10 s (DESIGN.md §8).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DEFAULT_TERMINAL } from '../electron/host/create-host.js';
import { openCounterDb } from '../electron/services/db/connection.js';
import { fileCredentialStore } from '../electron/services/sync/credentials.js';
import { quietCounterHost } from '../tests/support/child-host.js';
import { benchPayment, enrollBenchTerminal, startBenchServer } from './sync-util.js';
import { round, type Figure } from './util.js';

const EVENTS = Number(process.env.BENCH_DRAIN_EVENTS ?? 10_000);

/** `n` payments as the counter's default terminal takes them. */
export function drainPayloads(n: number): ReturnType<typeof benchPayment>[] {
  return Array.from({ length: n }, (_, i) => benchPayment(i, DEFAULT_TERMINAL.code));
}

/**
 * One drain of `all` queued payments into a new server database: seconds from opening the counter to
 * an empty outbox, and how many events the server applied.
 */
export async function drainOnce(
  all: ReturnType<typeof benchPayment>[],
): Promise<{ seconds: number; applied: number }> {
  const server = await startBenchServer('drain');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-bench-drain-'));
  try {
    const terminal = await enrollBenchTerminal(server.db, 1);
    // The queue, as a day offline leaves it: the payments' transactions and their outbox events.
    const db = await openCounterDb(path.join(dataDir, 'counter.db'));
    await db.transaction(async (trx) => {
      for (let i = 0; i < all.length; i += 400) {
        const payloads = all.slice(i, i + 400);
        await trx('transactions').insert(
          payloads.map((p) => ({
            id: p.transactionId,
            request_id: p.requestId,
            kind: 'payment',
            account_number: p.accountNumber,
            amount_cents: p.amountCents,
            applied_cents: p.appliedCents,
            change_cents: p.changeCents,
            credit_cents: p.creditCents,
            cashier_id: p.cashierId,
            terminal_code: p.terminalCode,
            receipt_number: p.receiptNumber,
            business_date: p.businessDate,
            created_at: p.createdAt,
          })),
        );
        await trx('outbox').insert(
          payloads.map((p) => ({
            id: p.transactionId,
            type: 'ledger.posted',
            payload: JSON.stringify(p),
            occurred_at: p.createdAt,
          })),
        );
      }
    });
    await db.destroy();
    fileCredentialStore(path.join(dataDir, 'sync')).save({
      serverUrl: server.url,
      terminalId: terminal.terminalId,
      token: terminal.token,
      branch: 'MAIN',
      serverId: terminal.serverId,
      enrolledAt: new Date().toISOString(),
    });

    const t0 = process.hrtime.bigint();
    const host = await quietCounterHost(dataDir, {
      server: { pullIntervalMs: 3_600_000 },
    });
    for (;;) {
      const row = (await host.ctx.db('outbox').where('state', 'queued').count({ n: '*' }).first()) as {
        n: number;
      };
      if (Number(row.n) === 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await host.close();
    const applied = (await server.db
      .knex('events')
      .where({ terminal_id: terminal.terminalId, status: 'applied' })
      .count({ n: '*' })
      .first()) as {
      n: number;
    };
    return { seconds, applied: Number(applied.n) };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await server.stop();
  }
}

export async function runSyncDrainBench(): Promise<Figure[]> {
  const load0 = os.loadavg()[0]!;
  const { seconds, applied } = await drainOnce(drainPayloads(EVENTS));
  const load = round((load0 + os.loadavg()[0]!) / 2, 2);
  return [
    {
      name: `drain ${EVENTS.toLocaleString('en-US')} queued events to the server (PostgreSQL)`,
      value: round(seconds, 2),
      unit: 's',
      budget: '< 10 s',
      ok: seconds < 10,
      load,
    },
    { name: '  drain rate', value: Math.round(EVENTS / seconds), unit: 'ev/s', load },
    {
      name: '  events applied on the server (exactly once)',
      value: applied,
      unit: 'events',
      ok: applied === EVENTS,
      load,
    },
  ];
}
