/**
 * Collecting a security deposit (in full or an installment) through the payment screen's tenders, as a
 * posting on the kernel. The deposit due is worked out inside the posting's transaction (the open
 * deposit and what is still due on it, or a new deposit under the policy in force), so two windows can
 * never both take the same installment; the amount the screen showed must still be what is due.
 */
import type { Tender } from '../../../shared/api/schemas.js';
import { CounterError } from '../../../shared/api/errors.js';
import {
  depositBalances,
  depositCollectJournal,
  depositTerms,
  installmentsOutstanding,
} from '../../../shared/domain/deposit-ledger.js';
import { policyInForce, requiredDeposit, type Installment } from '../../../shared/domain/deposits.js';
import { DRAWER_TENDERS, settleTenders } from '../../../shared/domain/tenders.js';
import { addCents, formatMoney, type Cents } from '../../../shared/money.js';
import type { DepositMovementData } from '../../../shared/sync/deposits.js';
import { definePosting } from '../../kernel/posting.js';
import { getAccountRow } from '../accounts/accounts.js';
import { newId } from '../ids.js';
import { paymentTenderLines } from '../ledger/payments.js';
import { receiptTenders } from '../ledger/post.js';
import { wrapText } from '../receipts/wrap.js';
import { depositDetail, writeDepositRows } from './event.js';
import { dueWords } from './figures.js';
import { loadDeposits, type DepositRow } from './records.js';
import { accountHeld, historyOf, loadDepositSettings, openDeposit, policyById } from './settings.js';

export type CollectInput = {
  requestId: string;
  accountNumber: string;
  part: 'full' | 'installment';
  amountCents: Cents;
  tenders: Tender[];
  confirmOvertenderCredit: boolean;
  bundle?: string | undefined;
};

/** What is due now on the account: the open deposit's next installment(s), or a new deposit. */
type Due = { dep: DepositRow; isNew: boolean; amount: Cents; label: string; working: string[] };

function dueOnOpen(open: DepositRow, part: CollectInput['part']): Due {
  const outstanding = installmentsOutstanding(open.schedule, depositBalances(open).paidCents);
  if (outstanding.length === 0)
    throw new CounterError(
      'CONFLICT',
      `The deposit of ${formatMoney(open.requiredCents)} on this account is paid in full.`,
      'part',
    );
  const first = outstanding[0] as Installment;
  return {
    dep: open,
    isNew: false,
    amount: part === 'full' ? addCents(...outstanding.map((o) => o.amountCents)) : first.amountCents,
    label:
      part === 'full' || outstanding.length === 1
        ? outstanding.length === open.schedule.length
          ? 'Security deposit'
          : 'Security deposit, rest due'
        : `Deposit installment (${first.dueWith === 'now' ? 'down payment' : `due with ${first.dueWith}`})`,
    working: [],
  };
}

export const depositCollectPosting = definePosting<CollectInput, Record<string, never>>({
  name: 'deposit.collect',
  requestId: (input) => input.requestId,
  async plan(tx, input) {
    const { trx, ctx } = tx;
    const today = tx.businessDate;
    const till = await tx.openTill();
    const account = await getAccountRow(trx, input.accountNumber, { withPending: true });
    if (account.status === 'closed')
      throw new CounterError(
        'ACCOUNT_CLOSED',
        `Account ${input.accountNumber} is closed: a deposit cannot be collected on it.`,
        'accountNumber',
      );
    const settings = await loadDepositSettings(trx);
    const open = openDeposit(await loadDeposits(trx, (q) => q.where('account_number', input.accountNumber)));
    let due: Due;
    if (open) due = dueOnOpen(open, input.part);
    else {
      const policy = policyInForce(settings.policies, account.class, today);
      const history = await historyOf(trx, input.accountNumber, today);
      const req = requiredDeposit(policy, history.billed, {
        asOf: today,
        today,
        installments: input.part === 'installment',
        ...(input.bundle ? { bundle: input.bundle } : {}),
      });
      if (req.amountCents === 0)
        throw new CounterError('INVALID_INPUT', `Policy ${policy.id} requires no deposit for this account.`);
      const schedule: Installment[] =
        input.part === 'installment' ? req.installments : [{ dueWith: 'now', amountCents: req.amountCents }];
      if (input.part === 'installment' && schedule.length < 2)
        throw new CounterError(
          'INVALID_INPUT',
          'This deposit is too small to split: collect it in full.',
          'part',
        );
      due = {
        dep: {
          id: newId(),
          accountNumber: input.accountNumber,
          policyId: policy.id,
          requiredCents: req.amountCents,
          schedule,
          requestedOn: today,
          movements: [],
          credits: [],
        },
        isNew: true,
        amount: schedule[0]?.amountCents ?? req.amountCents,
        label: input.part === 'installment' ? 'Deposit installment (down payment)' : 'Security deposit',
        working: [req.working.reason],
      };
    }
    const { dep, amount } = due;
    if (amount !== input.amountCents)
      throw new CounterError(
        'CONFLICT',
        `The deposit due now is ${formatMoney(amount)}, not ${formatMoney(input.amountCents)}: calculate again.`,
        'amountCents',
      );
    const policy = policyById(settings, dep.policyId);
    const settlement = settleTenders(amount, input.tenders, {
      cashOnly: account.cash_only === 1,
      confirmOvertenderCredit: input.confirmOvertenderCredit,
    });
    const journal = depositCollectJournal(input.accountNumber, amount, settlement);
    const heldBefore = await accountHeld(trx, input.accountNumber, account.deposit_held_cents);
    const movement: DepositMovementData = {
      id: newId(),
      date: today,
      kind: 'payment',
      amountCents: amount,
      interestOutCents: 0,
      transactionId: tx.transactionId,
    };
    const stillDue = installmentsOutstanding(dep.schedule, addCents(depositBalances(dep).paidCents, amount));
    return {
      kind: 'deposit',
      accountNumber: input.accountNumber,
      amountCents: amount,
      appliedCents: settlement.appliedCents,
      changeCents: settlement.changeCents,
      creditCents: settlement.creditCents,
      tillId: till.id,
      journal,
      tenders: paymentTenderLines(input.tenders, settlement),
      async write(w) {
        if (due.isNew)
          await w('deposits').insert({
            id: dep.id,
            account_number: dep.accountNumber,
            policy_id: dep.policyId,
            required_cents: dep.requiredCents,
            schedule: JSON.stringify(dep.schedule),
            requested_on: dep.requestedOn,
            version: 0,
          });
        await writeDepositRows(w, dep.id, movement, []);
      },
      receipt: {
        title: 'DEPOSIT',
        account: { number: input.accountNumber, name: account.name },
        notes: [
          ...wrapText(
            `Security deposit required: ${formatMoney(dep.requiredCents)} (policy ${dep.policyId}).`,
          ),
          ...due.working.flatMap((w) => wrapText(w)),
          ...(stillDue.length ? wrapText(`Still due: ${dueWords(stillDue)}.`) : ['Deposit paid in full.']),
          `Deposit held after this payment: ${formatMoney(addCents(heldBefore, amount))}`,
        ],
        items: [{ label: due.label, amountCents: amount }],
        totalCents: amount,
        tenders: receiptTenders(input.tenders),
        changeCents: settlement.changeCents,
        creditCents: settlement.creditCents,
        footer: [...depositTerms(policy).flatMap((t) => wrapText(t)), ...ctx.company.footer],
      },
      detail: depositDetail(dep, {
        movement,
        credits: [],
        method: null,
        paidOutCents: 0,
        appliedToBillCents: 0,
        refundCents: 0,
      }),
      audit: {
        action: 'deposit.collect',
        details: {
          accountNumber: input.accountNumber,
          depositId: dep.id,
          amountCents: amount,
          part: input.part,
          tenders: input.tenders.map((t) => t.type),
        },
      },
      drawer: input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)),
      result: {},
    };
  },
});
