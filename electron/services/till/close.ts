/**
 * The blind close of a till on the kernel: the count is compared with what the till should hold,
 * inside the close's transaction; the closing journal posts the difference to over/short and turns the
 * counted money in to the safe, and the till's closing totals follow for the server's reconciliation.
 */
import type { Approval } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import type { Counts } from '../../../shared/domain/currency.js';
import {
  closeFigures,
  closeJournal,
  countTotal,
  type CloseFigures,
  type TillCount,
} from '../../../shared/domain/till.js';
import type { Cents } from '../../../shared/money.js';
import { definePosting } from '../../kernel/posting.js';
import { openTillOf, tillExpected, type TillRow } from '../../kernel/till-state.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { nextCounter } from '../ledger/post.js';
import { enqueue } from '../outbox/outbox.js';
import { tillDetail } from './postings.js';
import { tillFigures, type TillPolicy } from './till.js';

export type CloseInput = {
  cashCounts: Counts;
  checks: { count: number; cents: Cents };
  moneyOrders: { count: number; cents: Cents };
  cardBatchCents: Cents;
  note?: string | undefined;
  approval?: Approval | undefined;
};

/** The count is off by more than the tolerance and no supervisor has accepted it yet. */
export class CloseNeedsSupervisor extends Error {
  constructor(
    readonly figures: CloseFigures,
    readonly counted: TillCount,
    readonly tillId: string,
  ) {
    super('the close needs a supervisor');
  }
}

export const closePosting = definePosting<
  { input: CloseInput; policy: TillPolicy },
  { figures: CloseFigures; till: TillRow; zNumber: string },
  { tillId: string }
>({
  name: 'till.close',
  fingerprint: (i) => i.input,
  approval: (i) => i.input.approval,
  async prepare(ctx, _input, cashier) {
    const till = await openTillOf(ctx.db, ctx, cashier.id);
    return { tillId: till?.id ?? 'none' };
  },
  requestId: (_i, p) => `till-close:${p.tillId}`,
  async plan(tx, { input, policy }) {
    const till = await tx.openTill();
    const countedCash = countTotal(input.cashCounts, policy.currency, 'cashCounts');
    const counted: TillCount = {
      cashCents: countedCash,
      checks: input.checks,
      moneyOrders: input.moneyOrders,
      cardBatchCents: input.cardBatchCents,
    };
    const expected = await tillExpected(tx.trx, till.id);
    const figures = closeFigures(expected, counted, policy.overShortToleranceCents);
    if (figures.needsSupervisor && !input.approval && tx.cashier.role !== 'supervisor')
      throw new CloseNeedsSupervisor(figures, counted, till.id);
    const approver = tx.approvalIf(figures.needsSupervisor, 'this till close');
    if (figures.needsSupervisor && !(input.note && input.note.trim().length >= 3))
      throw new CounterError('INVALID_INPUT', 'Write a note explaining the difference.', 'note');
    const totals = await tillFigures(tx.trx, till);
    const zNumber = `Z-${tx.ctx.terminal.code.replace(/[^A-Za-z0-9]/g, '')}-${String(await nextCounter(tx.trx, 'z')).padStart(4, '0')}`;
    const closed: TillRow = {
      ...till,
      status: 'closed',
      closed_at: tx.now.toISOString(),
      close_counts: JSON.stringify({
        cash: input.cashCounts,
        checks: input.checks,
        moneyOrders: input.moneyOrders,
        cardBatchCents: input.cardBatchCents,
      }),
      close_figures: JSON.stringify(figures),
      over_short_cents: figures.overShortCents,
      approved_by: approver?.id ?? null,
      close_note: input.note ?? null,
      z_number: zNumber,
    };
    return {
      kind: 'till_close',
      amountCents: figures.cash.countedCents,
      tillId: till.id,
      approver,
      reason: input.note ?? null,
      journal: closeJournal(figures),
      async write(trx) {
        await trx('tills').where('id', till.id).update({
          status: closed.status,
          closed_at: closed.closed_at,
          close_counts: closed.close_counts,
          close_figures: closed.close_figures,
          over_short_cents: closed.over_short_cents,
          approved_by: closed.approved_by,
          close_note: closed.close_note,
          z_number: zNumber,
        });
      },
      receipt: null,
      detail: tillDetail(),
      // The closing totals follow the close's own ledger event, so the server reconciles against it.
      async after(trx) {
        const txCount = (await trx('transactions').where('till_id', till.id).count({ n: '*' }).first()) as {
          n: number;
        };
        await enqueue(
          trx,
          'till.closed',
          {
            tillId: till.id,
            cashierId: till.cashier_id,
            terminalCode: tx.ctx.terminal.code,
            branch: tx.ctx.terminal.branch,
            businessDate: till.business_date,
            openedAt: till.opened_at,
            closedAt: tx.now.toISOString(),
            floatCents: till.float_cents,
            totals: totals.byTender.map((t) => ({ type: t.type, count: t.count, cents: t.cents })),
            expected: {
              cashCents: expected.cashCents,
              checks: expected.checks,
              moneyOrders: expected.moneyOrders,
              cardCents: expected.card.cents,
            },
            counted: {
              cashCents: countedCash,
              checks: input.checks,
              moneyOrders: input.moneyOrders,
              cardBatchCents: input.cardBatchCents,
            },
            overShortCents: figures.overShortCents,
            approvedBy: approver?.id ?? null,
            zNumber,
            transactionCount: Number(txCount.n),
          },
          tx.now,
        );
      },
      audit: {
        action: 'till.close',
        entityType: 'till',
        entityId: till.id,
        details: {
          zNumber,
          overShortCents: figures.overShortCents,
          reasons: figures.reasons,
          note: input.note ?? null,
        },
      },
      drawer: false,
      result: { figures, till: closed, zNumber },
    };
  },
});

export type CloseResult =
  | { status: 'needs_supervisor'; figures: CloseFigures }
  | { status: 'closed'; figures: CloseFigures; till: TillRow; zNumber: string; replay: boolean };

/**
 * The blind close: the CSR's count is compared with what the till should hold. Within tolerance the
 * till closes; otherwise a supervisor must accept the figures with their PIN (and a note). The first
 * count of every close attempt is audited, so a recount after seeing the difference is on record.
 */
export async function closeTill(
  ctx: ServiceContext,
  cashier: Cashier,
  input: CloseInput,
  policy: TillPolicy,
): Promise<CloseResult> {
  try {
    const posted = await closePosting.post(ctx, cashier, { input, policy });
    return { status: 'closed', ...posted.result, replay: posted.replay };
  } catch (err) {
    if (!(err instanceof CloseNeedsSupervisor)) throw err;
    await ctx.db.transaction((trx) =>
      appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'till.count',
          entityType: 'till',
          entityId: err.tillId,
          details: {
            counted: err.counted,
            overShortCents: err.figures.overShortCents,
            reasons: err.figures.reasons,
          },
        },
        ctx.clock.now(),
      ),
    );
    return { status: 'needs_supervisor', figures: err.figures };
  }
}
