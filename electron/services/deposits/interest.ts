/**
 * The supervisor's yearly interest batch: every anniversary reached (up to the as-of date) and not yet
 * credited is credited, one posting per deposit on the kernel. The batch finds the deposits with credits
 * due; each posting works the credits out again inside its own transaction and posts only if they are
 * still the ones found, so a second batch, or the same credit pulled from the server meanwhile, never
 * credits a deposit twice (and the database refuses a second credit of a deposit for the same date).
 */
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import {
  depositBalances,
  depositInterestJournal,
  depositStatus,
  type DepositSettings,
} from '../../../shared/domain/deposit-ledger.js';
import { addCents, type Cents } from '../../../shared/money.js';
import { definePosting } from '../../kernel/posting.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { creditData, depositDetail, writeDepositRows } from './event.js';
import { interestState } from './figures.js';
import { loadDeposits, type DepositRow } from './records.js';
import { checkAsOf, loadDepositSettings, OPEN, policyById } from './settings.js';

export type BatchResult = {
  asOf: string;
  dryRun: boolean;
  credited: { accountNumber: string; depositId: string; creditDate: string; amountCents: Cents }[];
  count: number;
  totalCents: Cents;
  alreadyCredited: number;
};

/** The anniversary credits a deposit has due on asOf (none when it is paid out or holds nothing). */
function creditsDue(dep: DepositRow, settings: DepositSettings, asOf: string) {
  if (!OPEN.includes(depositStatus(dep)) || depositBalances(dep).principalHeldCents === 0) return [];
  return interestState(dep, policyById(settings, dep.policyId), settings.rates, asOf).creditsDue;
}

const CREDITED_MEANWHILE = 'The interest due on this deposit changed meanwhile: nothing was credited.';

type Credit = { creditDate: string; amountCents: Cents };
type InterestInput = { depositId: string; asOf: string; creditDates: string[] };

/** The interest credits of one deposit: the ones the batch found, if they are still the ones due. */
export const depositInterestPosting = definePosting<InterestInput, { credits: Credit[] }>({
  name: 'deposit.interest',
  // The same credits are the same request, whatever as-of date the batch ran with.
  fingerprint: (i) => ({ depositId: i.depositId, creditDates: i.creditDates }),
  requestId: (i) => `deposit-interest:${i.depositId}:${i.creditDates.join(',')}`,
  async plan(tx, input) {
    const { trx } = tx;
    const approver = tx.requireApproval('the yearly deposit interest');
    const settings = await loadDepositSettings(trx);
    const [dep] = await loadDeposits(trx, (q) => q.where('id', input.depositId));
    const due = dep ? creditsDue(dep, settings, input.asOf) : [];
    if (!dep || due.map((c) => c.creditDate).join(',') !== input.creditDates.join(','))
      throw new CounterError('CONFLICT', CREDITED_MEANWHILE, 'depositId');
    const totalCents = addCents(...due.map((c) => c.amountCents));
    const journal = due.flatMap((c) =>
      depositInterestJournal(dep.accountNumber, c.amountCents, `deposit interest ${c.from} to ${c.to}`),
    );
    const credits = creditData(due, tx.transactionId);
    return {
      kind: 'deposit_interest',
      accountNumber: dep.accountNumber,
      amountCents: totalCents,
      tillId: null,
      approver,
      reason: 'Yearly deposit interest',
      journal,
      write: (w) => writeDepositRows(w, dep.id, null, credits),
      receipt: null,
      detail: depositDetail(dep, {
        movement: null,
        credits,
        method: null,
        paidOutCents: 0,
        appliedToBillCents: 0,
        refundCents: 0,
      }),
      audit: {
        action: 'deposit.interest',
        details: {
          accountNumber: dep.accountNumber,
          depositId: dep.id,
          credits: due.map((c) => ({ creditDate: c.creditDate, amountCents: c.amountCents })),
        },
      },
      drawer: false,
      result: { credits: due.map((c) => ({ creditDate: c.creditDate, amountCents: c.amountCents })) },
    };
  },
});

/**
 * Credits every anniversary reached (up to asOf) and not yet credited, one journal transaction per
 * deposit. Running it again credits nothing new: the credits already made are passed to the rules as
 * credited.
 */
export async function creditInterestBatch(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { asOf?: string | undefined; dryRun: boolean },
): Promise<BatchResult> {
  const asOf = checkAsOf(input.asOf, ctx.clock.today());
  const settings = await loadDepositSettings(ctx.db);
  const deposits = await loadDeposits(ctx.db, (q) => q);
  const credited: BatchResult['credited'] = [];
  let alreadyCredited = 0;
  for (const dep of deposits) {
    alreadyCredited += dep.credits.filter((c) => c.kind === 'anniversary').length;
    const due = creditsDue(dep, settings, asOf);
    let made: Credit[] = due;
    if (made.length === 0) continue;
    if (!input.dryRun) {
      const creditDates = due.map((c) => c.creditDate);
      try {
        const posted = await depositInterestPosting.post(ctx, cashier, {
          depositId: dep.id,
          asOf,
          creditDates,
        });
        // Credited by an earlier run of the same credits: nothing new.
        if (posted.replay) continue;
        made = posted.result.credits;
      } catch (err) {
        if (err instanceof CounterError && err.message === CREDITED_MEANWHILE) continue;
        throw err;
      }
    }
    for (const c of made)
      credited.push({
        accountNumber: dep.accountNumber,
        depositId: dep.id,
        creditDate: c.creditDate,
        amountCents: c.amountCents,
      });
  }
  const totalCents = addCents(...credited.map((c) => c.amountCents));
  if (!input.dryRun)
    await ctx.db.transaction((trx) =>
      appendAudit(
        trx,
        {
          actor: cashier.id,
          action: 'deposit.interestBatch',
          details: { asOf, credits: credited.length, totalCents },
        },
        ctx.clock.now(),
      ),
    );
  return { asOf, dryRun: input.dryRun, credited, count: credited.length, totalCents, alreadyCredited };
}
