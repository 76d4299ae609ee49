/**
 * Adjustments' part in `ledger.posted`: a bill adjustment (kind `adjustment`) or a back-billing plan
 * (kind `back_bill`). The ledger applier has checked and writes the transaction, journal and balance;
 * this checks the detail against the envelope and writes only the capability's own rows and the open
 * items it adds or credits.
 *
 * Checks: the journal touches only the account's receivable and the one ledger account the detail
 * names; its amounts agree with the detail (the installments sum to the total); a back-billing plan is
 * a supervisor's; the open items it adds are new.
 */
import { allocatePayment, type Allocation } from '../../../../shared/domain/allocation.js';
import { sumCents } from '../../../../shared/money.js';
import type { AdjustmentDetail } from '../../../../shared/sync/adjustments.js';
import type { LedgerPosted } from '../../../../shared/sync/ledger.js';
import { Rejection, type AccountState, type Batch } from '../batch.js';
import { detailApplier } from './details/types.js';

function what(p: LedgerPosted): string {
  return `the ${p.kind === 'back_bill' ? 'back-billing plan' : 'adjustment'} ${p.transactionId} on account ${p.accountNumber ?? ''}`;
}
const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function checkDetail(p: LedgerPosted, d: AdjustmentDetail): void {
  if (d.type !== p.kind)
    throw new Rejection('INVALID_PAYLOAD', `${sentence(what(p))}: its detail is of another kind.`);
  if (p.tenders.length)
    throw new Rejection('INVALID_PAYLOAD', `${sentence(what(p))} carries tenders: no money changes hands.`);
  const ar = `ar:${p.accountNumber ?? ''}`;
  const bad = p.journal.find((l) => l.ledgerAccount !== ar && l.ledgerAccount !== d.ledgerAccount);
  if (bad)
    throw new Rejection(
      'ACCOUNT_NOT_ALLOWED',
      `${sentence(what(p))} posts to ${bad.ledgerAccount}: not applied.`,
    );
  const arCents = sumCents(p.journal.filter((l) => l.ledgerAccount === ar).map((l) => l.cents));
  if (d.type === 'adjustment') {
    const expected = d.direction === 'credit' ? -d.amountCents : d.amountCents;
    if (arCents !== expected)
      throw new Rejection(
        'INCONSISTENT_AMOUNT',
        `${sentence(what(p))} moves the receivable by ${arCents}, its detail says ${expected}.`,
      );
  } else {
    if (!p.approvedBy) throw new Rejection('UNKNOWN_APPROVER', `${sentence(what(p))} names no supervisor.`);
    if (arCents !== d.totalCents || sumCents(d.installments.map((i) => i.cents)) !== d.totalCents)
      throw new Rejection(
        'INCONSISTENT_AMOUNT',
        `${sentence(what(p))}: its installments, journal and total disagree.`,
      );
  }
}

/**
 * A credit is taken off the item it corrects first (the ledger applier allocated it by the general
 * order): given back and allocated again, the corrected item first, the rest in the policy's order.
 */
async function creditCorrectedItemFirst(
  batch: Batch,
  account: AccountState,
  p: LedgerPosted,
  itemId: string,
  openBefore: number,
  amountCents: number,
): Promise<void> {
  const want = Math.min(openBefore, amountCents);
  const taken = await batch.allocationsOf(p.transactionId);
  const onItem = sumCents(taken.filter((a) => a.item_id === itemId).map((a) => a.cents));
  if (want === 0 || onItem === want) return;
  batch.restore(account, p.transactionId, taken);
  const item = account.items.find((it) => it.id === itemId);
  if (!item) throw new Error('invariant: the corrected item is on the account after a restore');
  const first: Allocation = { itemId, category: item.category, cents: want };
  const rest = allocatePayment(
    amountCents - want,
    batch.openItems(account).map((i) => (i.id === itemId ? { ...i, openCents: i.openCents - want } : i)),
    await batch.allocationPolicy(),
    { asOf: p.businessDate },
  );
  batch.allocate(account, p.transactionId, [first, ...rest.allocations]);
}

export const adjustmentDetail = detailApplier<'adjustment'>({
  kinds: ['adjustment', 'back_bill'],
  needsAccount: true,
  what,
  unknownAccount: (p) => `Account ${p.accountNumber ?? ''} is not on the server: ${what(p)} was not applied.`,
  check(batch, p, d, account) {
    if (!account) throw new Error('invariant: an adjustment is on an account the batch loaded');
    checkDetail(p, d);
    const adds =
      d.type === 'back_bill' ? d.installments.map((i) => i.itemId) : d.newItem ? [d.newItem.id] : [];
    if (adds.some((id) => account.items.some((it) => it.id === id)))
      throw new Rejection(
        'DUPLICATE_ITEM',
        `${sentence(what(p))} adds an open item the account already has.`,
      );
    const accountNumber = account.row.account_number;
    // Read before the ledger applier allocates the credit.
    const corrected =
      d.type === 'adjustment' && d.itemId ? account.items.find((it) => it.id === d.itemId) : undefined;
    const openBefore = corrected?.open_cents ?? 0;

    return Promise.resolve(async () => {
      if (d.type === 'adjustment') {
        // The item may be paid already (another counter): the credit then goes in the general order.
        if (d.direction === 'credit' && corrected)
          await creditCorrectedItemFirst(batch, account, p, corrected.id, openBefore, d.amountCents);
        if (d.newItem)
          batch.addItem(account, {
            id: d.newItem.id,
            account_number: accountNumber,
            bill_id: null,
            category: d.newItem.category,
            due_date: d.newItem.dueDate,
            open_cents: d.amountCents,
            not_disconnectable: false,
          });
        batch.insert('adjustments', {
          transaction_id: p.transactionId,
          account_number: accountNumber,
          direction: d.direction,
          reason_code: d.reasonCode,
          ledger_account: d.ledgerAccount,
          amount_cents: d.amountCents,
          memo: d.memo,
          item_id: d.itemId,
          new_item_id: d.newItem?.id ?? null,
          outage: d.outage ? JSON.stringify(d.outage) : null,
          business_date: p.businessDate,
        });
        return;
      }
      for (const i of d.installments)
        batch.addItem(account, {
          id: i.itemId,
          account_number: accountNumber,
          bill_id: null,
          category: d.category,
          due_date: i.dueDate,
          open_cents: i.cents,
          not_disconnectable: d.notDisconnectable,
        });
      batch.insert('back_bill_plans', {
        transaction_id: p.transactionId,
        account_number: accountNumber,
        jurisdiction: d.jurisdiction,
        total_cents: d.totalCents,
        charges: JSON.stringify(d.charges),
        installments: JSON.stringify(d.installments),
        length_from: d.lengthFrom,
        rule: d.rule,
        no_late_fees: d.noLateFees,
        business_date: p.businessDate,
      });
    });
  },
});
