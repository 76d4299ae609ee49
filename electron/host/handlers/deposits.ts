/**
 * Deposit handlers: an account's deposits, the required-amount calculation, collect / refund / final
 * bill (receipt printed after the commit, drawer kicked for cash, check and money order), the
 * supervisor's interest batch, fund report and policy maintenance. Roles are checked by the contract
 * (access) and, for approvals over the refund limit, by the services.
 */
import type { depositChannels } from '../../../shared/api/channels/deposits.js';
import type { Receipt } from '../../../shared/api/schemas.js';
import {
  applyDepositToFinalBill,
  calculateDeposit,
  collectDeposit,
  creditInterestBatch,
  depositPolicies,
  depositsForAccount,
  fundReport,
  refundDeposit,
  saveDepositPolicies,
  type PostedDeposit,
} from '../../services/deposits/deposits.js';
import { paymentResult } from '../../services/ledger/payments.js';
import type { TillPolicy } from '../../services/till/till.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function depositHandlers(
  deps: HostDeps,
  policy: TillPolicy,
): HandlerMap<keyof typeof depositChannels> {
  const { ctx, devices, receipts, pushStatus, sync } = deps;
  const after = (): void => {
    sync.nudge();
    pushStatus();
  };
  const receiptOf = async (posted: PostedDeposit): Promise<Receipt> => {
    if (!posted.receiptNumber) throw new Error('deposit posting without a receipt number');
    return posted.replay ? receipts.get(posted.receiptNumber) : receipts.printOriginal(posted.receiptNumber);
  };
  const slip = async (posted: PostedDeposit) => {
    const receipt = await receiptOf(posted);
    const drawerOpened = posted.drawer && !posted.replay ? await devices.kickDrawer() : false;
    after();
    return { transactionId: posted.transactionId, receipt, drawerOpened, paidOutCents: posted.paidOutCents };
  };
  return {
    'deposits.forAccount': (input) => depositsForAccount(ctx, input.accountNumber, input.asOf),
    'deposits.calculate': (input) => calculateDeposit(ctx, input),
    'deposits.collect': async (input, session) => {
      const posted = await collectDeposit(ctx, input, cashierOf(session));
      const base = await paymentResult(ctx, posted);
      const receipt = await receiptOf(posted);
      const drawerOpened = posted.drawer && !posted.replay ? await devices.kickDrawer() : false;
      after();
      return { ...base, receipt, drawerOpened };
    },
    'deposits.refund': async (input, session) =>
      slip(await refundDeposit(ctx, cashierOf(session), input, policy)),
    'deposits.applyFinal': async (input, session) => {
      const posted = await applyDepositToFinalBill(ctx, cashierOf(session), input, policy);
      return {
        ...(await slip(posted)),
        appliedToBillCents: posted.appliedToBillCents,
        refundCents: posted.refundCents,
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
