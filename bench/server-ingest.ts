/**
 * Server ingest: 20 simulated terminals push at once (batches of 250 payments over HTTP) to the server
 * on PostgreSQL; events applied per second of wall time. Budget > 2,000 events/s (DESIGN.md §8).
 */
import type { PushEvent } from '../shared/sync/protocol.js';
import { benchPayment, enrollBenchTerminal, startBenchServer } from './sync-util.js';
import { percentile, round, type Figure } from './util.js';

const TERMINALS = 20;
const PER_TERMINAL = Number(process.env.BENCH_INGEST_EVENTS ?? 1_000);
const BATCH = 250;

export async function runServerIngestBench(): Promise<Figure[]> {
  const server = await startBenchServer('ingest');
  try {
    const terminals = [];
    for (let i = 0; i < TERMINALS; i++) terminals.push(await enrollBenchTerminal(server.db, i + 1));
    // Bodies made before the clock starts: the figure is the server's.
    const bodies = terminals.map((t) => {
      const batches: string[] = [];
      for (let start = 0; start < PER_TERMINAL; start += BATCH) {
        const events: PushEvent[] = Array.from({ length: Math.min(BATCH, PER_TERMINAL - start) }, (_, k) => {
          const payload = benchPayment(start + k, t.code);
          return {
            id: payload.transactionId,
            seq: start + k + 1,
            type: 'ledger.posted',
            payload,
            occurredAt: payload.createdAt,
          };
        });
        batches.push(JSON.stringify({ terminalId: t.terminalId, events }));
      }
      return batches;
    });
    const latencies: number[] = [];
    const t0 = process.hrtime.bigint();
    await Promise.all(
      terminals.map(async (t, i) => {
        for (const body of bodies[i]!) {
          const s = process.hrtime.bigint();
          const res = await fetch(`${server.url}/v1/sync/push`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
            body,
          });
          const json = (await res.json()) as { rejected?: unknown[] };
          if (res.status !== 200 || json.rejected?.length)
            throw new Error(`push failed: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
          latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const total = TERMINALS * PER_TERMINAL;
    const applied = (await server.db.knex('events').where('status', 'applied').count({ n: '*' }).first()) as {
      n: number;
    };
    const rate = Math.round(total / seconds);
    return [
      {
        name: `server ingest, ${TERMINALS} terminals pushing at once (PostgreSQL)`,
        value: rate,
        unit: 'ev/s',
        budget: '> 2,000 ev/s',
        ok: rate > 2000,
      },
      { name: `  ${total.toLocaleString('en-US')} events in`, value: round(seconds, 2), unit: 's' },
      { name: `  push of ${BATCH} events, p50`, value: round(percentile(latencies, 50), 1), unit: 'ms' },
      { name: `  push of ${BATCH} events, p95`, value: round(percentile(latencies, 95), 1), unit: 'ms' },
      {
        name: '  events applied (exactly once)',
        value: Number(applied.n),
        unit: 'events',
        ok: Number(applied.n) === total,
      },
    ];
  } finally {
    await server.stop();
  }
}
