/**
 * Deposit handlers: an account's deposits, the required-amount calculation, collect / refund / final
 * bill (postings on the kernel; receipt printed after the commit, drawer kicked for cash, check and
 * money order), the supervisor's interest batch, fund report and policy maintenance. Roles are checked
 * by the contract (access) and, for approvals over the refund limit, by the postings.
 */
import type { depositChannels } from '../../../shared/api/channels/deposits.js';
import { afterCommit, receiptOf } from '../../kernel/effects.js';
import { calculateDeposit } from '../../services/deposits/calculate.js';
import { depositCollectPosting } from '../../services/deposits/collect.js';
import { fundReport } from '../../services/deposits/fund.js';
import { creditInterestBatch } from '../../services/deposits/interest.js';
import { finalBillPosting, payoutResult, depositRefundPosting } from '../../services/deposits/payout.js';
import { depositPolicies, saveDepositPolicies } from '../../services/deposits/policies.js';
import { depositsForAccount } from '../../services/deposits/views.js';
import { paymentResult } from '../../services/ledger/payments.js';
import type { TillPolicy } from '../../services/till/till.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function depositHandlers(
  deps: HostDeps,
  policy: TillPolicy,
): HandlerMap<keyof typeof depositChannels> {
  const { ctx, pushStatus, sync } = deps;
  const limits = { refundApprovalOverCents: policy.refundApprovalOverCents };
  /** Not postings themselves (the batch is many, a policy save is none): nudge the sync and the status bar. */
  const after = (): void => {
    sync.nudge();
    pushStatus();
  };
  return {
    'deposits.forAccount': (input) => depositsForAccount(ctx, input.accountNumber, input.asOf),
    'deposits.calculate': (input) => calculateDeposit(ctx, input),
    'deposits.collect': async (input, session) => {
      const posted = await depositCollectPosting.post(ctx, cashierOf(session), input);
      const effects = await afterCommit(deps, posted);
      const base = await paymentResult(ctx, posted);
      return { ...base, receipt: receiptOf(effects), drawerOpened: effects.drawerOpened };
    },
    'deposits.refund': async (input, session) => {
      const posted = await depositRefundPosting.post(ctx, cashierOf(session), { input, limits });
      const effects = await afterCommit(deps, posted);
      const result = await payoutResult(ctx, posted);
      return {
        transactionId: posted.transactionId,
        receipt: receiptOf(effects),
        drawerOpened: effects.drawerOpened,
        paidOutCents: result.paidOutCents,
      };
    },
    'deposits.applyFinal': async (input, session) => {
      const posted = await finalBillPosting.post(ctx, cashierOf(session), { input, limits });
      const effects = await afterCommit(deps, posted);
      const result = await payoutResult(ctx, posted);
      return {
        transactionId: posted.transactionId,
        receipt: receiptOf(effects),
        drawerOpened: effects.drawerOpened,
        paidOutCents: result.paidOutCents,
        appliedToBillCents: result.appliedToBillCents,
        refundCents: result.refundCents,
      };
    },
    'deposits.creditInterestBatch': async (input, session) => {
      const result = await creditInterestBatch(ctx, cashierOf(session), input);
      if (!input.dryRun && result.count > 0) after();
      return result;
    },
    'deposits.fundReport': (input) => fundReport(ctx, input.asOf),
    'deposits.policies': () => depositPolicies(ctx),
    'deposits.savePolicies': async (input, session) => {
      const saved = await saveDepositPolicies(ctx, cashierOf(session), input);
      after();
      return saved;
    },
  };
}

export const depositsModule = defineModule({
  name: 'deposits',
  handlers: (deps, config) => depositHandlers(deps, config.tillPolicy),
  zReport: {
    lines: [
      { key: 'deposits', label: 'Deposits collected', kinds: ['deposit'] },
      // What went back to customers from their deposits: refunds, and the remainder after a final bill.
      {
        key: 'depositRefunds',
        label: 'Deposit refunds',
        kinds: ['deposit_refund', 'deposit_apply'],
        positiveOnly: true,
      },
    ],
    kindLabels: { deposit_refund: 'Deposit refund', deposit_apply: 'Deposit to final bill' },
  },
});
