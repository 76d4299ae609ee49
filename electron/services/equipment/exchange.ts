/**
 * An equipment exchange, as a posting on the kernel: the old unit comes back (set aside as defective)
 * and a new one is handed over in the same transaction. Under warranty, like for like, nothing is
 * charged; otherwise the difference is paid through the tenders or refunded. A goodwill exchange
 * outside the warranty needs a supervisor. The old unit, the replacement's stock and the cash for a
 * cash refund are all read in the plan, inside the transaction.
 */
import type { Knex } from 'knex';

import type { RefundMethod, UnitView } from '../../../shared/api/channels/equipment.js';
import type { Approval } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Tender } from '../../../shared/api/schemas.js';
import {
  checkHandover,
  exchangeQuote,
  type CatalogItem,
  type ExchangeQuote,
  type HandoverScan,
  type HandoverUnit,
  type ItemCondition,
  type OrderLine,
} from '../../../shared/domain/equipment.js';
import {
  DRAWER_TENDERS,
  settleTenders,
  tenderDebits,
  type Settlement,
} from '../../../shared/domain/tenders.js';
import { formatMoney } from '../../../shared/money.js';
import type { HandedOverUnit } from '../../../shared/sync/equipment.js';
import { definePosting } from '../../kernel/posting.js';
import { getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import { newId } from '../ids.js';
import { paymentTenderLines } from '../ledger/payments.js';
import {
  checkCashForRefund,
  equipmentDeposits,
  equipmentDetail,
  findUnit,
  handoverMove,
  insertMoves,
  insertReturnRow,
  insertUnits,
  Journal,
  nextInvoiceNumber,
  receiptNumberOf,
  refundLedger,
  refundTenders,
  refundWay,
  returnedUnit,
  returnMoves,
  unitDoc,
  type UnitRef,
  type UnitsResult,
} from './common.js';
import {
  effectiveStock,
  loadEquipmentPolicies,
  toAssignment,
  toStockEntries,
  type EquipmentPolicies,
} from './data.js';
import { exchangeReceipt, returnGoodsInvoice } from './documents.js';

export type ExchangeInput = UnitRef & {
  requestId: string;
  accountNumber: string;
  condition: ItemCondition;
  newSku: string;
  newSerial?: string | undefined;
  goodwill: boolean;
  tenders: Tender[];
  confirmOvertenderCredit: boolean;
  refundMethod: RefundMethod;
  approval?: Approval | undefined;
  expectedDueCents?: number | undefined;
};

type QuoteInput = UnitRef & {
  accountNumber: string;
  condition: ItemCondition;
  newSku: string;
  goodwill: boolean;
};

async function quoteWith(
  db: Knex | Knex.Transaction,
  policies: EquipmentPolicies,
  today: string,
  input: QuoteInput,
): Promise<{ quote: ExchangeQuote; unit: UnitView; newItem: CatalogItem }> {
  const newItem = policies.bySku.get(input.newSku);
  if (!newItem) throw new CounterError('NOT_FOUND', `No catalog item has the SKU ${input.newSku}.`, 'newSku');
  const unit = await findUnit(db, input, input.accountNumber, policies);
  const quote = exchangeQuote(toAssignment(unit), newItem, input.condition, today, {
    accountNumber: input.accountNumber,
    catalog: policies.catalog,
    fees: policies.fees,
    taxRules: policies.taxRules,
    supervisorOverride: input.goodwill,
  });
  return { quote, unit, newItem };
}

/** Quotes an exchange for the screen. */
export async function quoteExchange(
  db: Knex,
  today: string,
  input: QuoteInput,
): Promise<{ quote: ExchangeQuote; unit: UnitView }> {
  const { quote, unit } = await quoteWith(db, await loadEquipmentPolicies(db), today, input);
  return { quote, unit };
}

/** The replacement checked against this branch's stock, its refusals worded for the newSerial field. */
async function replacementUnit(
  trx: Knex.Transaction,
  ctx: ServiceContext,
  policies: EquipmentPolicies,
  newItem: CatalogItem,
  line: OrderLine,
  newSerial: string | undefined,
): Promise<HandoverUnit> {
  const scans: HandoverScan[] = newSerial ? [{ lineIndex: 0, serial: newSerial }] : [];
  const stock = await effectiveStock(trx, { serials: scans.map((s) => s.serial) });
  let handover;
  try {
    handover = checkHandover(
      [line],
      scans,
      toStockEntries(stock.values()),
      ctx.terminal.branch,
      policies.catalog,
    );
  } catch (err) {
    // The replacement's serial belongs to the newSerial field on this screen.
    if (err instanceof CounterError && err.field?.startsWith('scans.'))
      throw new CounterError(err.code, err.message, 'newSerial', err.details);
    if (err instanceof CounterError && err.field === 'lines.0')
      throw new CounterError(err.code, `Scan the serial of the replacement ${newItem.name}.`, 'newSerial');
    throw err;
  }
  const unit = handover.units[0];
  if (!unit) throw new Error('invariant: no replacement unit');
  return unit;
}

export const exchangePosting = definePosting<
  ExchangeInput,
  UnitsResult & { quote: ExchangeQuote },
  EquipmentPolicies
>({
  name: 'equipment.exchange',
  requestId: (input) => input.requestId,
  approval: (input) => input.approval,
  prepare: (ctx) => loadEquipmentPolicies(ctx.db),
  async plan(tx, input, policies) {
    const { trx, ctx, cashier } = tx;
    const today = tx.businessDate;
    const { quote, unit, newItem } = await quoteWith(trx, policies, today, input);
    if (
      input.expectedDueCents !== undefined &&
      input.expectedDueCents !== quote.dueNowCents - quote.refundCents
    )
      throw new CounterError(
        'CONFLICT',
        `The exchange figures changed: ${quote.dueNowCents > 0 ? `${formatMoney(quote.dueNowCents)} is due` : `${formatMoney(quote.refundCents)} is refunded`}. Go over it with the customer again.`,
        'expectedDueCents',
      );
    const approver = tx.approvalIf(quote.needsSupervisor, 'a goodwill exchange outside the warranty');
    const way = refundWay(input.refundMethod, quote.refundCents);
    const till = await tx.openTill();
    await checkCashForRefund(tx, till.id, way);
    const account = await getAccountRow(trx, input.accountNumber, { withPending: true });
    const acct = input.accountNumber;
    const newLine: OrderLine = { sku: newItem.sku, mode: quote.mode, quantity: 1 };
    const newUnit = await replacementUnit(trx, ctx, policies, newItem, newLine, input.newSerial);

    let settlement: Settlement | null = null;
    if (quote.dueNowCents > 0)
      settlement = settleTenders(quote.dueNowCents, input.tenders, {
        cashOnly: account.cash_only === 1,
        confirmOvertenderCredit: input.confirmOvertenderCredit,
      });
    else if (input.tenders.length > 0)
      throw new CounterError(
        'INVALID_INPUT',
        'Nothing is due for this exchange: remove the tenders.',
        'tenders',
      );

    const journal = new Journal();
    if (settlement)
      for (const l of tenderDebits(settlement, 'equipment exchange'))
        journal.add(l.ledgerAccount, l.cents, l.memo);
    if (quote.mode === 'buy') {
      if (quote.creditCents > 0)
        journal
          .add('equipment_sales', unit.pricePaidCents, 'exchange: old unit credited')
          .add('tax_payable', unit.taxPaidCents, 'exchange: tax on old unit credited');
      journal
        .add('equipment_sales', -quote.newPriceCents, 'exchange: new unit sold')
        .add('tax_payable', -quote.newTaxCents, 'exchange: sales tax');
    } else {
      journal
        .add(equipmentDeposits(acct), -quote.depositDueCents, 'exchange: more equipment deposit held')
        .add(equipmentDeposits(acct), quote.depositReleaseCents, 'exchange: equipment deposit released');
    }
    journal
      .add('fee_income', -quote.feeCents, `${quote.condition.replace('_', ' ')} equipment fee`)
      .add(`ar:${acct}`, -(settlement?.creditCents ?? 0), 'over-tender credited to the account')
      .add(refundLedger(way.method, acct), -way.payoutCents, 'exchange refund');

    const invoiceNumber = await nextInvoiceNumber(trx, ctx);
    const handed: HandedOverUnit = {
      assignmentId: newId(),
      lineIndex: 0,
      unitIndex: 0,
      sku: newItem.sku,
      serial: newUnit.serial,
      mode: quote.mode,
      handedOverOn: quote.newUnit.handedOverOn,
      pricePaidCents: quote.newUnit.pricePaidCents,
      taxPaidCents: quote.newUnit.taxPaidCents,
      leaseDepositCents: quote.newUnit.leaseDepositCents,
      monthlyCents: quote.newUnit.monthlyCents,
    };
    const returned = returnedUnit(unit, input.condition, today, {
      refundCents: quote.creditCents,
      restockingFeeCents: 0,
      feeCents: quote.feeCents,
      depositReleaseCents: quote.mode === 'lease' ? unit.leaseDepositCents : 0,
      stopMonthlyCents: quote.stopMonthlyCents,
      toStatus: 'defective',
    });
    const doc = unitDoc(unit, input.condition);
    const changeCents = settlement?.changeCents ?? 0;
    const moves = [
      ...returnMoves(returned, policies.bySku.get(unit.sku), 'damaged'),
      handoverMove(handed, acct),
    ];
    return {
      kind: 'eq_exchange',
      accountNumber: acct,
      amountCents: quote.dueNowCents - quote.refundCents,
      appliedCents: settlement?.appliedCents ?? -way.payoutCents,
      changeCents,
      creditCents: settlement?.creditCents ?? 0,
      tillId: till.id,
      approver,
      reason: quote.reason.slice(0, 300),
      journal: journal.lines,
      tenders: settlement ? paymentTenderLines(input.tenders, settlement) : refundTenders(way),
      receipt: exchangeReceipt(ctx, {
        invoiceNumber,
        account: { number: acct, name: account.name },
        old: doc,
        newName: newItem.name,
        newSerial: newUnit.serial,
        newMonthlyCents: quote.newMonthlyCents,
        lines: quote.lines,
        dueCents: quote.dueNowCents,
        refundCents: quote.refundCents,
        tenders: input.tenders,
        changeCents,
        creditCents: settlement?.creditCents ?? 0,
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
          netCents: quote.refundCents - quote.dueNowCents,
          way: { method: way.method, payoutCents: way.payoutCents, owedCents: 0 },
          exchangedFor: `${newItem.name}${newUnit.serial ? ` ${newUnit.serial}` : ''}`,
        }),
      ],
      detail: equipmentDetail({
        orderId: null,
        handovers: [handed],
        returns: [returned],
        received: [],
        invoiceNumber,
      }),
      async after(w, ids, outbox) {
        const rows = { transactionId: ids.transactionId, outboxId: outbox.id };
        await insertUnits(w, [handed], {
          ...rows,
          orderId: null,
          accountNumber: acct,
          receiptNumber: receiptNumberOf(ids),
        });
        await insertReturnRow(w, returned, {
          ...rows,
          accountNumber: acct,
          netCents: quote.refundCents - quote.dueNowCents,
          refundMethod: way.payoutCents > 0 ? way.method : null,
          approvedBy: approver?.id ?? null,
          replacementId: handed.assignmentId,
          invoiceNumber,
          quote,
          now: tx.now,
        });
        await insertMoves(w, ctx, moves, { ...rows, now: tx.now });
      },
      audit: {
        action: 'equipment.exchange',
        details: {
          accountNumber: acct,
          oldAssignmentId: unit.id,
          oldSerial: unit.serial,
          newAssignmentId: handed.assignmentId,
          newSerial: handed.serial,
          condition: input.condition,
          dueNowCents: quote.dueNowCents,
          refundCents: quote.refundCents,
          invoiceNumber,
        },
      },
      drawer:
        input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)) ||
        (way.method === 'cash' && way.payoutCents > 0),
      result: { unitIds: [handed.assignmentId], quote },
    };
  },
});
