/** The server side of the sync monitor: events as received, with the reason of every rejection. */
import type { ServerDb } from '../db/connection.js';

export type ReviewedEvent = {
  terminalId: string;
  terminalCode: string | null;
  seq: number;
  id: string;
  type: string;
  status: string;
  code: string | null;
  message: string | null;
  occurredAt: string;
  receivedAt: string;
  payload: unknown;
};

export async function reviewEvents(
  db: ServerDb,
  q: { status?: string; terminalId?: string; limit?: number },
): Promise<ReviewedEvent[]> {
  const query = db
    .knex('events as e')
    .leftJoin('terminals as t', 't.id', 'e.terminal_id')
    .orderBy('e.received_at', 'desc')
    .orderBy('e.seq', 'desc')
    .limit(q.limit ?? 100)
    .select(
      'e.terminal_id',
      't.code as terminal_code',
      'e.seq',
      'e.id',
      'e.type',
      'e.status',
      'e.reject_code',
      'e.reject_message',
      'e.occurred_at',
      'e.received_at',
      'e.payload',
    );
  if (q.status) void query.where('e.status', q.status);
  if (q.terminalId) void query.where('e.terminal_id', q.terminalId);
  const rows = (await query) as Record<string, string | number | null>[];
  return rows.map((r) => ({
    terminalId: String(r.terminal_id),
    terminalCode: r.terminal_code === null ? null : String(r.terminal_code),
    seq: Number(r.seq),
    id: String(r.id),
    type: String(r.type),
    status: String(r.status),
    code: r.reject_code === null ? null : String(r.reject_code),
    message: r.reject_message === null ? null : String(r.reject_message),
    occurredAt: String(r.occurred_at),
    receivedAt: String(r.received_at),
    payload: JSON.parse(String(r.payload)) as unknown,
  }));
}
