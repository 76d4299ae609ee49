/**
 * The required deposit of an account with its working (the bills used, the basis, multiple and cap),
 * the installments the policy allows, and what a deposit already on record still has due: what the
 * collect screen offers and a CSR reads out.
 */
import type { Calculation } from '../../../shared/api/channels/deposits.js';
import {
  depositBalances,
  depositStatus,
  installmentsOutstanding,
  STATUS_WORDS,
} from '../../../shared/domain/deposit-ledger.js';
import { policyInForce, requiredDeposit } from '../../../shared/domain/deposits.js';
import { addCents, formatMoney, type Cents } from '../../../shared/money.js';
import { getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { dueWords } from './figures.js';
import { policySummary } from './policies.js';
import { loadDeposits } from './records.js';
import { checkAsOf, historyOf, loadDepositSettings, openDeposit } from './settings.js';

export async function calculateDeposit(
  ctx: ServiceContext,
  input: { accountNumber: string; asOf?: string | undefined; bundle?: string | undefined },
): Promise<Calculation> {
  const today = ctx.clock.today();
  const asOf = checkAsOf(input.asOf, today);
  const account = await getAccountRow(ctx.db, input.accountNumber);
  const settings = await loadDepositSettings(ctx.db);
  const policy = policyInForce(settings.policies, account.class, asOf);
  const history = await historyOf(ctx.db, input.accountNumber, asOf);
  const allowed = Boolean(policy.installments?.allowed);
  const req = requiredDeposit(policy, history.billed, {
    asOf,
    today,
    installments: allowed,
    ...(input.bundle ? { bundle: input.bundle } : {}),
  });
  const deposits = await loadDeposits(ctx.db, (q) => q.where('account_number', input.accountNumber));
  const open = openDeposit(deposits);
  const w = req.working;
  const explanation = [
    `Policy ${policy.id} for ${policy.accountClass} accounts, in force since ${policy.effectiveFrom}.`,
    w.usedDefault
      ? w.reason
      : `Bills used: ${w.monthsUsed.length} month${w.monthsUsed.length === 1 ? '' : 's'}, ${w.windowFrom} to ${w.windowTo}, total ${formatMoney(w.totalCents)}.`,
    ...(w.usedDefault ? [] : [w.reason]),
    ...(w.capped ? [] : w.capCents !== null ? [`The cap is ${formatMoney(w.capCents)}: not reached.`] : []),
    `Required deposit: ${formatMoney(req.amountCents)}.`,
    allowed && req.installments.length > 1
      ? `In installments: ${dueWords(req.installments)}.`
      : 'Collected in full (this policy has no installments).',
  ];
  let full = req.amountCents;
  let installment: Cents | null =
    allowed && req.installments.length > 1 ? (req.installments[0]?.amountCents ?? null) : null;
  let openOut: Calculation['open'] = null;
  if (open) {
    const b = depositBalances(open);
    const outstanding = installmentsOutstanding(open.schedule, b.paidCents);
    full = addCents(...outstanding.map((o) => o.amountCents));
    installment = outstanding.length > 1 ? (outstanding[0]?.amountCents ?? null) : null;
    openOut = { depositId: open.id, requiredCents: open.requiredCents, paidCents: b.paidCents, outstanding };
    explanation.push(
      outstanding.length
        ? `On record: a deposit of ${formatMoney(open.requiredCents)} (${STATUS_WORDS[depositStatus(open)].toLowerCase()}), ${formatMoney(b.paidCents)} paid; still due ${dueWords(outstanding)}.`
        : `On record: a deposit of ${formatMoney(open.requiredCents)}, paid in full (${formatMoney(b.heldCents)} held).`,
    );
  }
  return {
    accountNumber: input.accountNumber,
    asOf,
    policy: policySummary(policy),
    amountCents: req.amountCents,
    working: {
      windowFrom: w.windowFrom,
      windowTo: w.windowTo,
      monthsUsed: w.monthsUsed,
      basis: w.basis,
      totalCents: w.totalCents,
      averageOrHighestCents: w.averageOrHighestCents,
      multiple: w.multiple,
      beforeCapCents: w.beforeCapCents,
      capCents: w.capCents,
      capped: w.capped,
      usedDefault: w.usedDefault,
      bundle: w.bundle,
      reason: w.reason,
    },
    installments: req.installments,
    explanation,
    open: openOut,
    collectFullCents: full,
    collectInstallmentCents: installment,
  };
}
