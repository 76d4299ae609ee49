/**
 * Paying a deposit out, as postings on the kernel: a refund (principal and every interest credit, or
 * part of the principal, in cash, by a check request or as a credit to the account) and the final bill
 * (the deposit and its interest applied to a closed account's balance, the rest refunded). Every check
 * that guards the money runs in the plan, inside the posting's transaction: the deposit is still open
 * and holds what is paid out, the refund is eligible or approved, the drawer has the cash. Two windows
 * paying out the same deposit, or emptying the same drawer, can never both pass.
 */
import type { Approval } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import {
  depositBalances,
  depositPayoutJournal,
  type RefundMethod,
} from '../../../shared/domain/deposit-ledger.js';
import {
  finalBillApplication,
  refundEligibility,
  type DepositPolicy,
} from '../../../shared/domain/deposits.js';
import { addCents, formatMoney, subCents, type Cents } from '../../../shared/money.js';
import type { DepositMovementData } from '../../../shared/sync/deposits.js';
import { definePosting, type Plan, type Posted, type PostingTx } from '../../kernel/posting.js';
import { getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import { wrapText } from '../receipts/wrap.js';
import { creditData, depositDetail, writeDepositRows, type PayoutResult } from './event.js';
import { interestLines, payoutOf, type Payout } from './figures.js';
import type { DepositRow } from './records.js';
import { historyOf, loadDepositSettings, loadOpenDeposit, policyById } from './settings.js';

type Limits = { refundApprovalOverCents: Cents };

export type RefundInput = {
  requestId: string;
  accountNumber: string;
  depositId: string;
  method: RefundMethod;
  amountCents?: Cents | undefined;
  reason: string;
  approval?: Approval | undefined;
};

export type ApplyFinalInput = Omit<RefundInput, 'amountCents' | 'reason' | 'method'> & {
  method: 'cash' | 'check_request';
};

const overLimit = (limits: Limits) => `a refund over ${formatMoney(limits.refundApprovalOverCents)}`;

/** Both payouts are keyed by what the cashier asked for; the limits in force are not part of it. */
const keyedByInput = {
  fingerprint: (i: { input: unknown }) => i.input,
  requestId: (i: { input: { requestId: string } }) => i.input.requestId,
  approval: (i: { input: { approval?: Approval | undefined } }) => i.input.approval,
};

export const depositRefundPosting = definePosting<{ input: RefundInput; limits: Limits }, PayoutResult>({
  name: 'deposit.refund',
  ...keyedByInput,
  async plan(tx, { input, limits }) {
    const today = tx.businessDate;
    const basis = await payoutBasis(tx, input);
    const { till, settings, dep, policy, balance } = basis;
    const history = await historyOf(tx.trx, input.accountNumber, today);
    const eligibility = refundEligibility(policy, history.payments, today);
    const payout = payoutOf(dep, policy, settings.rates, today, 'refund', input.amountCents);
    if (input.method === 'cash')
      await checkDrawerCash(
        tx,
        till.id,
        payout.paidOutCents,
        `There is not enough cash in the drawer for ${formatMoney(payout.paidOutCents)}: use a check request or credit it to the account.`,
      );
    const approver = tx.approvalIf(
      payout.paidOutCents > limits.refundApprovalOverCents || !eligibility.eligible,
      !eligibility.eligible
        ? `an early deposit refund (${eligibility.reason.replace(/\.$/, '')})`
        : overLimit(limits),
    );
    const principalHeld = depositBalances(dep).principalHeldCents;
    return payoutPlan(tx, {
      kind: 'refund',
      ...basis,
      payout,
      method: input.method,
      appliedToBillCents: 0,
      refundCents: payout.paidOutCents,
      approver,
      reason: input.reason,
      title: 'DEPOSIT REFUND',
      notes: [
        ...wrapText(`Reason: ${input.reason}`),
        ...wrapText(
          eligibility.eligible ? eligibility.reason : `Refunded early with approval. ${eligibility.reason}`,
        ),
        ...(payout.principalOutCents === principalHeld
          ? []
          : [
              `Part of the principal; ${formatMoney(subCents(principalHeld, payout.principalOutCents))} stays on deposit.`,
            ]),
      ],
      balanceAfterCents:
        input.method === 'account_credit' ? subCents(balance, payout.paidOutCents) : undefined,
    });
  },
});

export const finalBillPosting = definePosting<{ input: ApplyFinalInput; limits: Limits }, PayoutResult>({
  name: 'deposit.applyFinal',
  ...keyedByInput,
  async plan(tx, { input, limits }) {
    const basis = await payoutBasis(tx, input, (acc) => {
      if (acc.status !== 'closed')
        throw new CounterError(
          'CONFLICT',
          `Account ${input.accountNumber} is ${acc.status}: the deposit goes to the final bill only when service has ended (account closed). Refund it instead.`,
          'accountNumber',
        );
    });
    const { till, settings, dep, policy, balance } = basis;
    const payout = payoutOf(dep, policy, settings.rates, tx.businessDate, 'applied');
    const held = subCents(payout.paidOutCents, payout.interestCents);
    const fba = finalBillApplication(held, payout.interestCents, balance);
    if (input.method === 'cash')
      await checkDrawerCash(
        tx,
        till.id,
        fba.refundCents,
        `There is not enough cash in the drawer for the ${formatMoney(fba.refundCents)} left over: use a check request.`,
      );
    const approver = tx.approvalIf(fba.refundCents > limits.refundApprovalOverCents, overLimit(limits));
    return payoutPlan(tx, {
      kind: 'apply',
      ...basis,
      payout,
      method: input.method,
      appliedToBillCents: fba.appliedToBillCents,
      refundCents: fba.refundCents,
      approver,
      reason: 'Final bill: service ended',
      title: 'DEPOSIT - FINAL BILL',
      notes: [
        `Final balance before: ${formatMoney(Math.max(0, balance))}`,
        `Applied to the final bill: ${formatMoney(fba.appliedToBillCents)}`,
        `Refunded: ${formatMoney(fba.refundCents)}`,
        ...(fba.remainingBalanceCents > 0
          ? [`Still owed after the deposit: ${formatMoney(fba.remainingBalanceCents)}`]
          : []),
      ],
      balanceAfterCents: fba.remainingBalanceCents,
    });
  },
});

type AccountRow = Awaited<ReturnType<typeof getAccountRow>>;

/**
 * What both payouts read first, inside the posting's transaction: the open till, the account (with what
 * this counter has pending on it; `checkAccount` refuses it before the deposit is looked up), the open
 * deposit and its policy, and the balance owed.
 */
async function payoutBasis(
  tx: PostingTx,
  input: { accountNumber: string; depositId: string },
  checkAccount?: (account: AccountRow) => void,
) {
  const till = await tx.openTill();
  const account = await getAccountRow(tx.trx, input.accountNumber, { withPending: true });
  checkAccount?.(account);
  const settings = await loadDepositSettings(tx.trx);
  const dep = await loadOpenDeposit(tx.trx, input.accountNumber, input.depositId);
  const policy = policyById(settings, dep.policyId);
  const balance = addCents(account.balance_cents, account.pending_cents ?? 0);
  return { till, account, settings, dep, policy, balance };
}

/** A cash payout needs that much cash in the drawer, counted inside the transaction. */
async function checkDrawerCash(tx: PostingTx, tillId: string, cents: Cents, message: string): Promise<void> {
  if (cents > (await tx.drawerCash(tillId))) throw new CounterError('INVALID_INPUT', message, 'method');
}

type PayoutArgs = {
  kind: 'refund' | 'apply';
  dep: DepositRow;
  policy: DepositPolicy;
  account: { name: string };
  till: { id: string };
  payout: Payout;
  method: RefundMethod;
  appliedToBillCents: Cents;
  refundCents: Cents;
  approver: Cashier | null;
  reason: string;
  title: string;
  notes: string[];
  balanceAfterCents: Cents | undefined;
};

const PAYOUT_LABEL: Record<RefundMethod, string> = {
  cash: 'Cash paid out',
  check_request: 'Check requested',
  account_credit: 'Credited to account',
};

/** The posting of a payout: transaction, cash out of the drawer, movement and credits, receipt, event. */
function payoutPlan(tx: PostingTx, args: PayoutArgs): Plan<PayoutResult> {
  const accountNumber = args.dep.accountNumber;
  const a = {
    ...args,
    journal: depositPayoutJournal(accountNumber, {
      interestCents: args.payout.interestCents,
      paidOutCents: args.payout.paidOutCents,
      appliedToBillCents: args.appliedToBillCents,
      refundCents: args.refundCents,
      method: args.method,
    }),
  };
  const cashOut = a.method === 'cash' ? a.refundCents : 0;
  const credits = creditData(a.payout.newCredits, tx.transactionId);
  const movement: DepositMovementData = {
    id: newId(),
    date: tx.businessDate,
    kind: a.kind === 'refund' ? 'refund' : 'applied',
    amountCents: a.payout.principalOutCents,
    interestOutCents: a.payout.interestOutCents,
    transactionId: tx.transactionId,
  };
  const creditedBefore = addCents(...a.dep.credits.map((c) => c.amountCents));
  const items = [
    { label: 'Deposit principal', amountCents: a.payout.principalOutCents },
    ...(a.payout.interestOutCents > 0 && creditedBefore > 0
      ? [
          {
            label: 'Interest credited earlier',
            amountCents: subCents(a.payout.interestOutCents, a.payout.interestCents),
          },
        ]
      : []),
    ...(a.payout.principalOutCents === depositBalances(a.dep).principalHeldCents
      ? [{ label: 'Interest to today', amountCents: a.payout.interestCents }]
      : []),
  ];
  return {
    kind: a.kind === 'refund' ? 'deposit_refund' : 'deposit_apply',
    accountNumber,
    amountCents: a.kind === 'refund' ? a.payout.paidOutCents : a.refundCents,
    appliedCents: a.kind === 'refund' ? -a.payout.paidOutCents : a.appliedToBillCents,
    tillId: a.till.id,
    approver: a.approver,
    reason: a.reason,
    journal: a.journal,
    tenders: cashOut > 0 ? [{ type: 'cash', amountCents: -cashOut, netCents: -cashOut }] : [],
    write: (w) => writeDepositRows(w, a.dep.id, movement, credits),
    receipt: {
      title: a.title,
      account: { number: accountNumber, name: a.account.name },
      notes: [
        `Deposit paid ${a.dep.movements.find((m) => m.kind === 'payment')?.date ?? ''} (policy ${a.dep.policyId})`,
        ...(a.payout.closing
          ? ['Interest by calendar year:', ...interestLines(a.payout.closing, a.policy.interest.graceDays)]
          : []),
        ...a.notes,
        ...(a.approver ? [`Approved by ${a.approver.name} (${a.approver.id})`] : []),
      ],
      items,
      totalCents: a.payout.paidOutCents,
      tenders: [
        ...(a.appliedToBillCents > 0
          ? [{ label: 'Applied to final bill', amountCents: a.appliedToBillCents }]
          : []),
        ...(a.refundCents > 0 ? [{ label: PAYOUT_LABEL[a.method], amountCents: a.refundCents }] : []),
      ],
      ...(a.balanceAfterCents !== undefined ? { balanceAfterCents: a.balanceAfterCents } : {}),
      footer: [
        ...(a.method === 'check_request' && a.refundCents > 0
          ? ['A check will be mailed to the address on the account.']
          : []),
        ...tx.ctx.company.footer,
      ],
    },
    detail: depositDetail(a.dep, {
      movement,
      credits,
      method: a.method,
      paidOutCents: a.payout.paidOutCents,
      appliedToBillCents: a.appliedToBillCents,
      refundCents: a.refundCents,
    }),
    audit: {
      action: a.kind === 'refund' ? 'deposit.refund' : 'deposit.applyFinal',
      details: {
        accountNumber,
        depositId: a.dep.id,
        paidOutCents: a.payout.paidOutCents,
        interestCents: a.payout.interestCents,
        appliedToBillCents: a.appliedToBillCents,
        refundCents: a.refundCents,
        method: a.method,
        reason: a.reason,
      },
    },
    drawer: cashOut > 0,
    result: {
      paidOutCents: a.payout.paidOutCents,
      appliedToBillCents: a.appliedToBillCents,
      refundCents: a.refundCents,
    },
  };
}

/**
 * What a payout reported. A request first posted before payouts stored their result (an upgrade between
 * a call and its retry) is read back from its transaction row.
 */
export async function payoutResult(ctx: ServiceContext, posted: Posted<PayoutResult>): Promise<PayoutResult> {
  if (typeof posted.result.paidOutCents === 'number') return posted.result;
  const row = (await ctx.db('transactions').where('id', posted.transactionId).first()) as {
    amount_cents: number;
    applied_cents: number;
    kind: string;
  };
  const applied = row.kind === 'deposit_apply';
  return {
    paidOutCents: applied ? addCents(row.amount_cents, row.applied_cents) : row.amount_cents,
    appliedToBillCents: applied ? row.applied_cents : 0,
    refundCents: row.amount_cents,
  };
}
