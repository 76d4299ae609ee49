/**
 * The supervisor's deposit fund report: what the fund holds (the replica's figure per account plus
 * what this counter posted and the server has not confirmed), by account class, the interest accrued
 * and the anniversary credits due, what was collected, refunded, applied and credited here today, and
 * every account whose fund figure differs from its deposit records.
 */
import type { FundReport } from '../../../shared/api/channels/deposits.js';
import { depositBalances } from '../../../shared/domain/deposit-ledger.js';
import { addCents, type Cents } from '../../../shared/money.js';
import type { ServiceContext } from '../context.js';
import { interestState } from './figures.js';
import { loadDeposits } from './records.js';
import { checkAsOf, loadDepositSettings, policyById } from './settings.js';

export async function fundReport(ctx: ServiceContext, asOfInput?: string): Promise<FundReport> {
  const today = ctx.clock.today();
  const asOf = checkAsOf(asOfInput, today);
  const settings = await loadDepositSettings(ctx.db);
  const deposits = await loadDeposits(ctx.db, (q) => q);
  const held = (await ctx.db.raw(
    `SELECT a.account_number, a.class, a.deposit_held_cents + COALESCE((
        SELECT -SUM(j.cents) FROM journal_lines j JOIN transactions t ON t.id = j.transaction_id
         WHERE j.ledger_account = 'deposits_held:' || a.account_number
           AND (t.server_version IS NULL OR t.server_version > a.version)), 0) AS held
       FROM accounts a
      WHERE a.deposit_held_cents <> 0
         OR EXISTS (SELECT 1 FROM deposits d WHERE d.account_number = a.account_number)
         OR EXISTS (SELECT 1 FROM journal_lines j WHERE j.ledger_account = 'deposits_held:' || a.account_number)`,
  )) as { account_number: string; class: string; held: number }[];
  const heldBy = new Map(held.map((h) => [h.account_number, h]));
  let accrued = 0;
  let dueCount = 0;
  let dueCents = 0;
  const recordBy = new Map<string, Cents>();
  let open = 0;
  for (const dep of deposits) {
    const b = depositBalances(dep);
    recordBy.set(dep.accountNumber, addCents(recordBy.get(dep.accountNumber) ?? 0, b.heldCents));
    if (b.principalHeldCents === 0) continue;
    open += 1;
    const s = interestState(dep, policyById(settings, dep.policyId), settings.rates, asOf);
    accrued = addCents(accrued, s.uncreditedCents);
    dueCount += s.creditsDue.length;
    dueCents = addCents(dueCents, ...s.creditsDue.map((c) => c.amountCents));
  }
  const tally = async (kinds: string[], column: string, positiveOnly = false) => {
    const q = ctx
      .db('transactions')
      .where({ business_date: today, terminal_code: ctx.terminal.code })
      .whereIn('kind', kinds);
    if (positiveOnly) void q.andWhere(column, '>', 0);
    const r = (await q.first(
      ctx.db.raw('COUNT(*) as count'),
      ctx.db.raw(`COALESCE(SUM(${column}), 0) as cents`),
    )) as { count: number; cents: number } | undefined;
    return { count: Number(r?.count ?? 0), cents: Number(r?.cents ?? 0) };
  };
  const classes = new Map<string, { deposits: number; heldCents: Cents }>();
  for (const h of held) {
    if (h.held === 0) continue;
    const c = classes.get(h.class) ?? { deposits: 0, heldCents: 0 };
    c.deposits += 1;
    c.heldCents = addCents(c.heldCents, h.held);
    classes.set(h.class, c);
  }
  const differences = [...new Set([...heldBy.keys(), ...recordBy.keys()])]
    .map((accountNumber) => ({
      accountNumber,
      heldCents: heldBy.get(accountNumber)?.held ?? 0,
      recordCents: recordBy.get(accountNumber) ?? 0,
    }))
    .filter((d) => d.heldCents !== d.recordCents)
    .sort((a, b) => a.accountNumber.localeCompare(b.accountNumber));
  return {
    asOf,
    businessDate: today,
    totalHeldCents: addCents(...held.map((h) => h.held)),
    deposits: open,
    accruedInterestCents: accrued,
    creditsDue: { count: dueCount, cents: dueCents },
    today: {
      collected: await tally(['deposit'], 'amount_cents'),
      refunded: await tally(['deposit_refund', 'deposit_apply'], 'amount_cents', true),
      applied: await tally(['deposit_apply'], 'applied_cents', true),
      interestCredited: await tally(['deposit_interest'], 'amount_cents'),
    },
    byClass: [...classes]
      .map(([accountClass, c]) => ({ accountClass, ...c }))
      .sort((a, b) => a.accountClass.localeCompare(b.accountClass)),
    differences,
  };
}
