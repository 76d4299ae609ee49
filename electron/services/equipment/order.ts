/**
 * An equipment order handed over and paid, as a posting on the kernel: the serials scanned for each
 * unit are checked against this branch's stock (as last pulled, with this counter's own moves), the
 * sale price, tax and lease deposits are paid through the tenders, and each unit becomes an assignment
 * on the account (the lease's monthly charge goes on the account when the server applies the event).
 * The stock check runs in the plan, inside the transaction: two orders cannot hand over one serial.
 */
import { CounterError } from '../../../shared/api/errors.js';
import type { Tender } from '../../../shared/api/schemas.js';
import {
  checkHandover,
  priceOrder,
  type HandoverScan,
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
import { newId } from '../ids.js';
import { paymentTenderLines } from '../ledger/payments.js';
import {
  equipmentDeposits,
  equipmentDetail,
  handoverMove,
  insertMoves,
  insertUnits,
  Journal,
  receiptNumberOf,
  type Move,
  type UnitsResult,
} from './common.js';
import { effectiveStock, loadEquipmentPolicies, toStockEntries, type EquipmentPolicies } from './data.js';
import { orderReceipt } from './documents.js';

export type OrderInput = {
  requestId: string;
  accountNumber: string;
  lines: OrderLine[];
  scans: HandoverScan[];
  tenders: Tender[];
  confirmOvertenderCredit: boolean;
  expectedDueCents?: number | undefined;
};

export const orderPosting = definePosting<OrderInput, UnitsResult, EquipmentPolicies>({
  name: 'equipment.order',
  requestId: (input) => input.requestId,
  prepare: (ctx) => loadEquipmentPolicies(ctx.db),
  async plan(tx, input, policies) {
    const { trx, ctx } = tx;
    const today = tx.businessDate;
    const priced = priceOrder(input.lines, policies.catalog, policies.taxRules, today);
    if (input.expectedDueCents !== undefined && input.expectedDueCents !== priced.dueNowCents)
      throw new CounterError(
        'CONFLICT',
        `The prices changed since the quote: ${formatMoney(priced.dueNowCents)} is due now, not ${formatMoney(input.expectedDueCents)}. Go over the order with the customer again.`,
        'expectedDueCents',
      );
    const till = await tx.openTill();
    const account = await getAccountRow(trx, input.accountNumber, { withPending: true });
    if (account.status === 'closed')
      throw new CounterError(
        'ACCOUNT_CLOSED',
        `Account ${input.accountNumber} is closed: equipment cannot be handed over on it.`,
        'accountNumber',
      );
    const stock = await effectiveStock(trx, { serials: input.scans.map((s) => s.serial) });
    const { units } = checkHandover(
      input.lines,
      input.scans,
      toStockEntries(stock.values()),
      ctx.terminal.branch,
      policies.catalog,
    );
    let settlement: Settlement | null = null;
    if (priced.dueNowCents > 0)
      settlement = settleTenders(priced.dueNowCents, input.tenders, {
        cashOnly: account.cash_only === 1,
        confirmOvertenderCredit: input.confirmOvertenderCredit,
      });
    else if (input.tenders.length > 0)
      throw new CounterError(
        'INVALID_INPUT',
        'Nothing is due now for this order: remove the tenders.',
        'tenders',
      );

    const acct = input.accountNumber;
    const journal = new Journal();
    if (settlement)
      for (const l of tenderDebits(settlement, 'equipment order'))
        journal.add(l.ledgerAccount, l.cents, l.memo);
    journal
      .add('equipment_sales', -priced.subtotalCents, 'equipment sold')
      .add('tax_payable', -priced.taxCents, 'sales tax on equipment')
      .add(equipmentDeposits(acct), -priced.depositCents, 'equipment deposit held')
      .add(`ar:${acct}`, -(settlement?.creditCents ?? 0), 'over-tender credited to the account');

    const orderId = newId();
    const handovers: HandedOverUnit[] = units.map((u) => {
      const share = priced.lines[u.lineIndex]?.units[u.unitIndex];
      if (!share) throw new Error('invariant: unit without a priced share');
      return {
        assignmentId: newId(),
        lineIndex: u.lineIndex,
        unitIndex: u.unitIndex,
        sku: u.sku,
        serial: u.serial,
        mode: u.mode,
        handedOverOn: today,
        pricePaidCents: share.priceCents,
        taxPaidCents: share.taxCents,
        leaseDepositCents: share.depositCents,
        monthlyCents: share.monthlyCents,
      };
    });
    const moves: Move[] = handovers.filter((h) => h.serial !== null).map((h) => handoverMove(h, acct));
    priced.lines.forEach((l) => {
      if (!policies.bySku.get(l.sku)?.serialized)
        moves.push({
          serial: null,
          sku: l.sku,
          quantity: -l.quantity,
          from_status: 'in_stock',
          to_status: 'assigned',
          account_number: acct,
          assignment_id: null,
        });
    });
    const changeCents = settlement?.changeCents ?? 0;
    return {
      kind: 'eq_order',
      accountNumber: acct,
      amountCents: priced.dueNowCents,
      appliedCents: settlement?.appliedCents ?? 0,
      changeCents,
      creditCents: settlement?.creditCents ?? 0,
      tillId: till.id,
      journal: journal.lines,
      tenders: settlement ? paymentTenderLines(input.tenders, settlement) : [],
      receipt: orderReceipt(ctx, {
        account: { number: acct, name: account.name },
        priced,
        serialsByLine: priced.lines.map((_, i) =>
          units.filter((u) => u.lineIndex === i).map((u) => u.serial),
        ),
        tenders: input.tenders,
        changeCents,
        creditCents: settlement?.creditCents ?? 0,
        catalog: policies.bySku,
        today,
      }),
      detail: equipmentDetail({ orderId, handovers, returns: [], received: [] }),
      async after(w, ids, outbox) {
        const createdAt = tx.now.toISOString();
        await w('equipment_orders').insert({
          id: orderId,
          transaction_id: ids.transactionId,
          account_number: acct,
          status: 'handed_over',
          subtotal_cents: priced.subtotalCents,
          tax_cents: priced.taxCents,
          deposit_cents: priced.depositCents,
          due_now_cents: priced.dueNowCents,
          new_monthly_cents: priced.newMonthlyCents,
          new_monthly_tax_cents: priced.newMonthlyTaxCents,
          tax_rules: JSON.stringify(priced.taxRules),
          cashier_id: tx.cashier.id,
          business_date: today,
          created_at: createdAt,
        });
        await w('equipment_order_lines').insert(
          priced.lines.map((l, i) => ({
            order_id: orderId,
            line_index: i,
            sku: l.sku,
            name: l.name,
            mode: l.mode,
            quantity: l.quantity,
            unit_cents: l.unitCents,
            extended_cents: l.extendedCents,
            tax_cents: l.taxCents,
            deposit_cents: l.depositCents,
            monthly_cents: l.monthlyCents,
            monthly_tax_cents: l.monthlyTaxCents,
            tax_rule_id: l.taxRuleId,
            rate_percent: l.ratePercent,
          })),
        );
        await insertUnits(w, handovers, {
          transactionId: ids.transactionId,
          outboxId: outbox.id,
          orderId,
          accountNumber: acct,
          receiptNumber: receiptNumberOf(ids),
        });
        await insertMoves(w, ctx, moves, {
          transactionId: ids.transactionId,
          outboxId: outbox.id,
          now: tx.now,
        });
      },
      audit: {
        action: 'equipment.order',
        details: {
          accountNumber: acct,
          orderId,
          dueNowCents: priced.dueNowCents,
          newMonthlyCents: priced.newMonthlyCents,
          serials: handovers.flatMap((h) => (h.serial ? [h.serial] : [])),
          tenders: input.tenders.map((t) => t.type),
        },
      },
      drawer: input.tenders.some((t) => DRAWER_TENDERS.includes(t.type)),
      result: { unitIds: handovers.map((h) => h.assignmentId) },
    };
  },
});
