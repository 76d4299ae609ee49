/**
 * `npm run server -- verify`: for every terminal, what it posted (every event it pushed, as the terminal
 * sent it) against what the server booked (the transactions applied), to the cent and per tender; plus
 * the server's own invariants: each terminal's seq run has no hole, every journal sums to zero, every
 * account's balance is its opening balance plus what was applied to it, till closings that disagree, and
 * terminals whose audit log head contradicted an anchor the server held.
 */
import { CentsSchema } from '../../../shared/api/schemas.js';
import { addCents, formatCents } from '../../../shared/money.js';
import type { ServerDb } from '../db/connection.js';
import { rawRows } from '../db/util.js';
import { anchorAlerts, type AnchorAlert } from './anchors.js';
import { tillClosings } from './tills.js';

type Totals = { count: number; cents: number; byTender: Record<string, number> };

export type TerminalReport = {
  terminalId: string;
  code: string;
  branch: string;
  lastSeq: number;
  events: { applied: number; rejected: number; duplicate: number };
  seqHoles: number;
  posted: Totals;
  booked: Totals;
  differences: string[];
};

export type VerifyReport = {
  ok: boolean;
  terminals: TerminalReport[];
  unbalancedJournals: string[];
  balanceMismatches: { accountNumber: string; balanceCents: number; expectedCents: number }[];
  tillDifferences: { tillId: string; terminalCode: string; lines: string[] }[];
  /** Terminals whose audit log head contradicted an anchor the server held (the log was rewritten). */
  auditAlerts: AnchorAlert[];
};

const emptyTotals = (): Totals => ({ count: 0, cents: 0, byTender: {} });

/** An amount as a terminal sent it, counted only when it is one the wire allows (a rejected event may hold anything). */
const wireCents = (v: unknown): number => {
  const parsed = CentsSchema.safeParse(v);
  return parsed.success ? parsed.data : 0;
};

export async function verify(db: ServerDb): Promise<VerifyReport> {
  const k = db.knex;
  const terminals = (await k('terminals')
    .orderBy('code')
    .select('id', 'code', 'branch', 'first_seq', 'last_applied_seq')) as {
    id: string;
    code: string;
    branch: string;
    first_seq: number;
    last_applied_seq: number;
  }[];
  const reports: TerminalReport[] = [];
  for (const t of terminals) {
    const counts = await rawRows<{
      status: string;
      n: number | string;
      lo: number | string | null;
      hi: number | string | null;
    }>(
      k,
      'SELECT status, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM events WHERE terminal_id = ? GROUP BY status',
      [t.id],
    );
    const events = { applied: 0, rejected: 0, duplicate: 0 };
    let total = 0;
    for (const c of counts) {
      events[c.status as keyof typeof events] = Number(c.n);
      total += Number(c.n);
    }
    const expected = Math.max(0, Number(t.last_applied_seq) - Number(t.first_seq) + 1);
    const posted = emptyTotals();
    const problems: string[] = [];
    const payloads = (await k('events')
      // Payments: the `ledger.posted` envelopes of kind payment, and those an older counter sent as
      // `payment.posted`.
      .where({ terminal_id: t.id })
      .whereIn('type', ['ledger.posted', 'payment.posted'])
      .orderBy('seq')
      .select('seq', 'type', 'status', 'reject_code', 'reject_message', 'payload')) as {
      seq: number;
      type: string;
      status: string;
      reject_code: string | null;
      reject_message: string | null;
      payload: string;
    }[];
    for (const e of payloads) {
      // A rejected event's payload may be anything a terminal sent (null, a number): read it as an object.
      const raw: unknown = JSON.parse(e.payload);
      const p = (raw !== null && typeof raw === 'object' ? raw : {}) as {
        kind?: unknown;
        appliedCents?: unknown;
        receiptNumber?: unknown;
        tenders?: { type?: unknown; amountCents?: unknown }[];
      };
      if (e.type === 'ledger.posted' && p.kind !== 'payment') continue;
      const cents = wireCents(p.appliedCents);
      posted.count++;
      posted.cents = addCents(posted.cents, cents);
      for (const tender of Array.isArray(p.tenders) ? p.tenders : []) {
        const type = String(tender.type);
        const amount = wireCents(tender.amountCents);
        posted.byTender[type] = addCents(posted.byTender[type] ?? 0, amount);
      }
      if (e.status !== 'applied')
        problems.push(
          `seq ${e.seq} receipt ${String(p.receiptNumber)} ${formatCents(cents, { symbol: true })} ${e.status}: ${e.reject_code ?? ''} ${e.reject_message ?? ''}`.trim(),
        );
    }
    const booked = emptyTotals();
    const tx = await rawRows<{ n: number | string; cents: number | string | null }>(
      k,
      "SELECT COUNT(*) AS n, CAST(SUM(-ar_cents) AS BIGINT) AS cents FROM transactions WHERE terminal_id = ? AND kind = 'payment'",
      [t.id],
    );
    booked.count = Number(tx[0]?.n ?? 0);
    booked.cents = Number(tx[0]?.cents ?? 0);
    const tenders = await rawRows<{ type: string; cents: number | string }>(
      k,
      `SELECT d.type, CAST(SUM(d.amount_cents) AS BIGINT) AS cents FROM transaction_tenders d
         JOIN transactions t ON t.id = d.transaction_id
        WHERE t.terminal_id = ? AND t.kind = 'payment' GROUP BY d.type`,
      [t.id],
    );
    for (const r of tenders) booked.byTender[r.type] = Number(r.cents);

    const differences: string[] = [];
    if (total !== expected)
      differences.push(
        `${expected - total} seq numbers missing between ${t.first_seq} and ${t.last_applied_seq}`,
      );
    if (posted.count !== booked.count)
      differences.push(`payments: posted ${posted.count}, booked ${booked.count}`);
    if (posted.cents !== booked.cents)
      differences.push(
        `payment total: posted ${formatCents(posted.cents, { symbol: true })}, booked ${formatCents(booked.cents, { symbol: true })} (difference ${formatCents(posted.cents - booked.cents, { symbol: true })})`,
      );
    for (const type of new Set([...Object.keys(posted.byTender), ...Object.keys(booked.byTender)])) {
      const a = posted.byTender[type] ?? 0;
      const b = booked.byTender[type] ?? 0;
      if (a !== b)
        differences.push(
          `${type}: posted ${formatCents(a, { symbol: true })}, booked ${formatCents(b, { symbol: true })}`,
        );
    }
    differences.push(...problems);
    reports.push({
      terminalId: t.id,
      code: t.code,
      branch: t.branch,
      lastSeq: Number(t.last_applied_seq),
      events,
      seqHoles: expected - total,
      posted,
      booked,
      differences,
    });
  }
  const unbalanced = await rawRows<{ transaction_id: string }>(
    k,
    'SELECT transaction_id FROM journal_lines GROUP BY transaction_id HAVING SUM(cents) <> 0',
  );
  const mismatches = await rawRows<{
    account_number: string;
    balance_cents: number | string;
    expected: number | string;
  }>(
    k,
    `SELECT a.account_number, a.balance_cents, a.opening_balance_cents + s.ar AS expected
       FROM accounts a JOIN (SELECT account_number, CAST(SUM(ar_cents) AS BIGINT) AS ar FROM transactions
                              WHERE account_number IS NOT NULL GROUP BY account_number) s
         ON s.account_number = a.account_number
      WHERE a.balance_cents <> a.opening_balance_cents + s.ar`,
  );
  const tills = (await tillClosings(k, { status: 'differences' })).map((c) => ({
    tillId: c.tillId,
    terminalCode: c.terminalCode,
    lines: c.lines
      .filter((l) => l.differenceCents !== 0 || l.countDifference !== 0)
      .map(
        (l) =>
          `${l.type}: till ${l.terminal.count} for ${formatCents(l.terminal.cents, { symbol: true })}, server ${l.server.count} for ${formatCents(l.server.cents, { symbol: true })}`,
      ),
  }));
  const report: VerifyReport = {
    ok: false,
    terminals: reports,
    unbalancedJournals: unbalanced.map((r) => r.transaction_id),
    balanceMismatches: mismatches.map((m) => ({
      accountNumber: m.account_number,
      balanceCents: Number(m.balance_cents),
      expectedCents: Number(m.expected),
    })),
    tillDifferences: tills,
    auditAlerts: await anchorAlerts(k),
  };
  report.ok =
    reports.every((r) => r.differences.length === 0) &&
    report.unbalancedJournals.length === 0 &&
    report.balanceMismatches.length === 0 &&
    tills.length === 0 &&
    report.auditAlerts.length === 0;
  return report;
}

export function formatVerifyReport(r: VerifyReport): string {
  const out: string[] = [];
  for (const t of r.terminals) {
    out.push(
      `${t.code} (${t.branch}) ${t.terminalId}: seq ${t.lastSeq}; events ${t.events.applied} applied, ${t.events.rejected} rejected, ${t.events.duplicate} duplicate`,
    );
    out.push(
      `  posted ${t.posted.count} payments ${formatCents(t.posted.cents, { symbol: true })} · booked ${t.booked.count} ${formatCents(t.booked.cents, { symbol: true })}`,
    );
    for (const d of t.differences) out.push(`  DIFFERENCE ${d}`);
  }
  if (r.terminals.length === 0) out.push('No terminals enrolled.');
  for (const j of r.unbalancedJournals) out.push(`UNBALANCED journal: transaction ${j}`);
  for (const m of r.balanceMismatches)
    out.push(
      `BALANCE account ${m.accountNumber}: ${formatCents(m.balanceCents, { symbol: true })}, opening + applied = ${formatCents(m.expectedCents, { symbol: true })}`,
    );
  for (const t of r.tillDifferences)
    out.push(`TILL ${t.tillId} (${t.terminalCode}) differs: ${t.lines.join('; ')}`);
  for (const a of r.auditAlerts)
    out.push(
      `AUDIT LOG of terminal ${a.terminalId} rewritten: entry #${a.seq} was anchored as ${a.anchoredHash.slice(0, 12)}…, reported ${a.reportedHash.slice(0, 12)}… at ${a.at}`,
    );
  out.push(
    r.ok ? 'OK: every terminal’s posted totals equal the server’s.' : 'DIFFERENCES found (see above).',
  );
  return out.join('\n');
}
