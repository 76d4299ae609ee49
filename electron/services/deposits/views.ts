/**
 * An account's deposits as the deposit screen shows them: status, what was paid and is held, the
 * installments still due, interest by calendar year to the as-of date, the credits made and due, and
 * whether (and how much) a refund would pay today.
 */
import type { DepositAccount, DepositView } from '../../../shared/api/channels/deposits.js';
import {
  depositBalances,
  depositStatus,
  depositTerms,
  installmentsOutstanding,
  STATUS_WORDS,
  type DepositSettings,
} from '../../../shared/domain/deposit-ledger.js';
import { refundEligibility, type RefundEligibility } from '../../../shared/domain/deposits.js';
import { addCents } from '../../../shared/money.js';
import { getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { interestState, payoutOf } from './figures.js';
import { loadDeposits, type DepositRow } from './records.js';
import {
  accountHeld,
  checkAsOf,
  historyOf,
  loadDepositSettings,
  OPEN,
  openDeposit,
  policyById,
} from './settings.js';

function depositView(
  d: DepositRow,
  settings: DepositSettings,
  eligibility: RefundEligibility,
  asOf: string,
): DepositView {
  const policy = policyById(settings, d.policyId);
  const balances = depositBalances(d);
  const status = depositStatus(d);
  const open = OPEN.includes(status);
  const interest = interestState(d, policy, settings.rates, asOf);
  const available =
    open && balances.principalHeldCents > 0
      ? payoutOf(d, policy, settings.rates, asOf, 'refund').paidOutCents
      : 0;
  return {
    id: d.id,
    policyId: d.policyId,
    status,
    statusWords: STATUS_WORDS[status],
    requiredCents: d.requiredCents,
    requestedOn: d.requestedOn,
    datePaid: d.movements.find((m) => m.kind === 'payment')?.date ?? null,
    paidCents: balances.paidCents,
    principalHeldCents: balances.principalHeldCents,
    heldCents: balances.heldCents,
    schedule: d.schedule,
    outstanding: open ? installmentsOutstanding(d.schedule, balances.paidCents) : [],
    movements: d.movements.map((m) => ({
      date: m.date,
      kind: m.kind,
      amountCents: m.amountCents,
      interestOutCents: m.interestOutCents,
    })),
    interest: interest.accrued
      ? {
          asOf,
          method: policy.interest.method,
          totalCents: interest.accrued.totalCents,
          years: interest.accrued.years.map((y) => ({
            year: y.year,
            from: y.from,
            to: y.to,
            days: y.days,
            ratePercentPublished: y.ratePercentPublished,
            rateApplied: y.rateApplied,
            principalCents: y.principalCents,
            lastPrincipalCents: y.segments.at(-1)?.principalCents ?? y.principalCents,
            interestCents: y.interestCents,
            compounded: y.compounded,
          })),
          graceApplied: interest.accrued.graceApplied,
          graceEndsOn: interest.accrued.graceEndsOn,
          graceDays: policy.interest.graceDays,
        }
      : null,
    creditedCents: interest.creditedCents,
    credits: d.credits.map((c) => ({ creditDate: c.creditDate, kind: c.kind, amountCents: c.amountCents })),
    uncreditedCents: interest.uncreditedCents,
    creditsDue: interest.creditsDue.map((c) => ({ creditDate: c.creditDate, amountCents: c.amountCents })),
    refund: {
      eligible: eligibility.eligible,
      reason: eligibility.reason,
      nextPossibleDate: eligibility.nextPossibleDate,
      availableCents: available,
    },
    terms: depositTerms(policy),
  };
}

export async function depositsForAccount(
  ctx: ServiceContext,
  accountNumber: string,
  asOfInput?: string,
): Promise<DepositAccount> {
  const today = ctx.clock.today();
  const asOf = checkAsOf(asOfInput, today);
  const account = await getAccountRow(ctx.db, accountNumber, { withPending: true });
  const settings = await loadDepositSettings(ctx.db);
  const deposits = await loadDeposits(ctx.db, (q) => q.where('account_number', accountNumber));
  const history = await historyOf(ctx.db, accountNumber, asOf);
  const views = deposits.map((d) =>
    depositView(
      d,
      settings,
      refundEligibility(policyById(settings, d.policyId), history.payments, asOf),
      asOf,
    ),
  );
  const open = openDeposit(deposits);
  return {
    accountNumber,
    accountName: account.name,
    accountClass: account.class,
    accountStatus: account.status,
    balanceCents: addCents(account.balance_cents, account.pending_cents ?? 0),
    heldCents: await accountHeld(ctx.db, accountNumber, account.deposit_held_cents),
    asOf,
    deposits: views,
    openDepositId: open?.id ?? null,
  };
}
