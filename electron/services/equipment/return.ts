/**
 * An equipment return, as a posting on the kernel: the unit comes back (condition recorded), a sale
 * within its window is refunded less any restocking fee, a lease stops its monthly charge and releases
 * the equipment deposit, a damaged or incomplete unit is charged the scheduled fee. A refund after the
 * window needs a supervisor. The return prints a receipt and a return-goods invoice (its own series).
 *
 * Everything that guards the money runs in the plan, inside the transaction: the unit is read there
 * (so of N returns of one unit at once, one posts and the others find it returned) and the cash for a
 * cash refund is counted there (so two refunds cannot both spend the same cash).
 */
import type { Knex } from 'knex';

import type { RefundMethod, UnitView } from '../../../shared/api/channels/equipment.js';
import type { Approval } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import { returnQuote, type ItemCondition, type ReturnQuote } from '../../../shared/domain/equipment.js';
import { definePosting } from '../../kernel/posting.js';
import { getAccountRow } from '../accounts/accounts.js';
import {
  checkCashForRefund,
  equipmentDeposits,
  equipmentDetail,
  findUnit,
  insertMoves,
  insertReturnRow,
  Journal,
  nextInvoiceNumber,
  refundLedger,
  refundTenders,
  refundWay,
  returnedUnit,
  returnMoves,
  unitDoc,
  type UnitRef,
  type UnitsResult,
} from './common.js';
import { loadEquipmentPolicies, toAssignment, type EquipmentPolicies } from './data.js';
import { returnGoodsInvoice, returnReceipt } from './documents.js';

export type ReturnInput = UnitRef & {
  requestId: string;
  accountNumber: string;
  condition: ItemCondition;
  refundMethod: RefundMethod;
  approval?: Approval | undefined;
  note?: string | undefined;
};

type QuoteInput = UnitRef & { accountNumber: string; condition: ItemCondition; supervisorOverride: boolean };

function quoteFor(
  unit: UnitView,
  input: QuoteInput,
  today: string,
  policies: EquipmentPolicies,
): ReturnQuote {
  return returnQuote(toAssignment(unit), input.condition, today, policies.catalog, policies.fees, {
    accountNumber: input.accountNumber,
    supervisorOverride: input.supervisorOverride,
  });
}

/** Quotes a return for the screen. */
export async function quoteReturn(
  db: Knex,
  today: string,
  input: QuoteInput,
): Promise<{ quote: ReturnQuote; unit: UnitView }> {
  const policies = await loadEquipmentPolicies(db);
  const unit = await findUnit(db, input, input.accountNumber, policies);
  return { quote: quoteFor(unit, input, today, policies), unit };
}

export const returnPosting = definePosting<
  ReturnInput,
  UnitsResult & { quote: ReturnQuote },
  EquipmentPolicies
>({
  name: 'equipment.return',
  requestId: (input) => input.requestId,
  approval: (input) => input.approval,
  prepare: (ctx) => loadEquipmentPolicies(ctx.db),
  async plan(tx, input, policies) {
    const { trx, ctx, cashier } = tx;
    const today = tx.businessDate;
    const unit = await findUnit(trx, input, input.accountNumber, policies);
    let quote = quoteFor(unit, { ...input, supervisorOverride: false }, today, policies);
    let approver = null;
    if (quote.needsSupervisor) {
      if (!input.approval && cashier.role !== 'supervisor')
        throw new CounterError('NEEDS_SUPERVISOR', `${quote.reason} Ask for their ID and PIN.`, 'approval');
      approver = tx.requireApproval('a refund after the return window');
      quote = quoteFor(unit, { ...input, supervisorOverride: true }, today, policies);
    }
    const way = refundWay(input.refundMethod, quote.netCents);
    const till = await tx.openTill();
    await checkCashForRefund(tx, till.id, way);
    const account = await getAccountRow(trx, input.accountNumber);
    const acct = input.accountNumber;

    const journal = new Journal();
    if (quote.mode === 'buy') {
      const refunded = quote.refundCents > 0 || quote.restockingFeeCents > 0;
      if (refunded)
        journal
          .add('equipment_sales', unit.pricePaidCents, 'equipment returned: sale reversed')
          .add('tax_payable', unit.taxPaidCents, 'equipment returned: tax refunded')
          .add('fee_income', -quote.restockingFeeCents, 'restocking fee');
    } else {
      journal.add(equipmentDeposits(acct), quote.depositReleaseCents, 'equipment deposit released');
    }
    journal
      .add('fee_income', -quote.feeCents, `${quote.condition.replace('_', ' ')} equipment fee`)
      .add(refundLedger(way.method, acct), -way.payoutCents, 'equipment refund')
      .add(`ar:${acct}`, way.owedCents, 'equipment fee charged to the account');

    const invoiceNumber = await nextInvoiceNumber(trx, ctx);
    const tenders = refundTenders(way);
    const doc = unitDoc(unit, input.condition);
    const returned = returnedUnit(unit, input.condition, today, {
      refundCents: quote.refundCents,
      restockingFeeCents: quote.restockingFeeCents,
      feeCents: quote.feeCents,
      depositReleaseCents: quote.depositReleaseCents,
      stopMonthlyCents: quote.stopMonthlyCents,
      toStatus: input.condition === 'good' ? 'returned' : 'defective',
    });
    const item = policies.bySku.get(unit.sku);
    return {
      kind: 'eq_return',
      accountNumber: acct,
      amountCents: quote.netCents,
      appliedCents: -quote.netCents,
      tillId: till.id,
      approver,
      reason: input.note ?? null,
      journal: journal.lines,
      tenders,
      receipt: returnReceipt(ctx, {
        invoiceNumber,
        account: { number: acct, name: account.name },
        unit: doc,
        lines: quote.lines,
        netCents: quote.netCents,
        way,
        reason: quote.reason,
        approvedBy: approver,
      }),
      documents: [
        returnGoodsInvoice(ctx, invoiceNumber, {
          cashier,
          account,
          unit: doc,
          lines: quote.lines,
          netCents: quote.netCents,
          way,
          exchangedFor: null,
        }),
      ],
      detail: equipmentDetail({
        orderId: unit.orderId,
        handovers: [],
        returns: [returned],
        received: [],
        invoiceNumber,
      }),
      async after(w, ids, outbox) {
        await insertReturnRow(w, returned, {
          transactionId: ids.transactionId,
          outboxId: outbox.id,
          accountNumber: acct,
          netCents: quote.netCents,
          refundMethod: way.payoutCents > 0 ? way.method : null,
          approvedBy: approver?.id ?? null,
          replacementId: null,
          invoiceNumber,
          quote,
          now: tx.now,
        });
        await insertMoves(w, ctx, returnMoves(returned, item, input.condition), {
          transactionId: ids.transactionId,
          outboxId: outbox.id,
          now: tx.now,
        });
      },
      audit: {
        action: 'equipment.return',
        details: {
          accountNumber: acct,
          assignmentId: unit.id,
          serial: unit.serial,
          condition: input.condition,
          netCents: quote.netCents,
          refundMethod: way.method,
          invoiceNumber,
        },
      },
      drawer: tenders.length > 0,
      result: { unitIds: [], quote },
    };
  },
});
