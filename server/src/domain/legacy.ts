/**
 * The ledger events counters sent before the `ledger.posted` envelope, translated into it (pure
 * functions; shared/sync/legacy.ts has their schemas). A counter in the field may still have them
 * queued; once translated they are applied by the one ledger applier like any other envelope, so they
 * are checked and written exactly as a counter sending the envelope would have them.
 */
import type { Tender } from '../../../shared/api/schemas.js';
import { settleTenders } from '../../../shared/domain/tenders.js';
import { addCents, type Cents } from '../../../shared/money.js';
import type {
  DepositPosted,
  EquipmentPosted,
  LegacyLedgerPosted,
  PaymentPosted,
} from '../../../shared/sync/legacy.js';
import { tenderReferences, type LedgerPosted, type LedgerTender } from '../../../shared/sync/ledger.js';

/**
 * Tenders as the customer handed them over, with what each left after change (the shared tender
 * rules). Tenders the rules refuse keep their amount as net: the payment's own check refuses them.
 */
function settledTenders(amountCents: Cents, tenders: Tender[], creditCents: Cents): LedgerTender[] {
  let net: (number | undefined)[] = [];
  try {
    net = settleTenders(amountCents, tenders, {
      cashOnly: false,
      confirmOvertenderCredit: creditCents > 0,
    }).net.map((n) => n.cents);
  } catch {
    // Left to the capability's check, which gives the reason.
  }
  return tenders.map((t, i) => ({
    type: t.type,
    amountCents: t.amountCents,
    netCents: net[i] ?? t.amountCents,
    ...tenderReferences(t),
  }));
}

type Carried = Pick<
  LedgerPosted,
  | 'transactionId'
  | 'requestId'
  | 'journal'
  | 'receiptNumber'
  | 'cashierId'
  | 'terminalCode'
  | 'branch'
  | 'tillId'
  | 'businessDate'
  | 'createdAt'
>;

/** What every older ledger type carried as the envelope does. */
function carried(p: Carried): Carried {
  return {
    transactionId: p.transactionId,
    requestId: p.requestId,
    journal: p.journal,
    receiptNumber: p.receiptNumber,
    cashierId: p.cashierId,
    terminalCode: p.terminalCode,
    branch: p.branch,
    tillId: p.tillId,
    businessDate: p.businessDate,
    createdAt: p.createdAt,
  };
}

export function fromPaymentPosted(p: PaymentPosted): LedgerPosted {
  return {
    ...carried(p),
    posting: 'payment',
    kind: 'payment',
    accountNumber: p.accountNumber,
    amountCents: p.amountCents,
    appliedCents: p.appliedCents,
    changeCents: p.changeCents,
    creditCents: p.creditCents,
    tenders: settledTenders(p.amountCents, p.tenders, p.creditCents),
    reversesId: null,
    reason: null,
    approvedBy: null,
    detail: { capability: 'payment', allocations: p.allocations, unappliedCents: p.unappliedCents },
  };
}

/** The detail-less `ledger.posted` of a till or correction transaction. */
export function fromLegacyLedger(p: LegacyLedgerPosted): LedgerPosted {
  return {
    ...carried(p),
    posting: p.kind,
    kind: p.kind,
    accountNumber: p.accountNumber,
    amountCents: p.amountCents,
    appliedCents: 0,
    changeCents: 0,
    creditCents: 0,
    tenders: p.tenders,
    reversesId: p.reversesId,
    reason: p.reason,
    approvedBy: p.approvedBy,
    detail: { capability: 'till', allocations: p.allocations },
  };
}

const DEPOSIT_KIND = {
  collect: 'deposit',
  interest: 'deposit_interest',
  refund: 'deposit_refund',
  apply: 'deposit_apply',
} as const;

/**
 * `deposit.posted`: its `amountCents` was what was collected, credited or paid out in all; the
 * envelope's is the transaction's (a final-bill application: what was refunded), with everything paid
 * out in the detail. A cash refund's tender was implied by its method.
 */
export function fromDepositPosted(p: DepositPosted): LedgerPosted {
  const payout = p.kind === 'refund' || p.kind === 'apply';
  const cashOut = payout && p.method === 'cash' && p.refundCents > 0 ? p.refundCents : 0;
  return {
    ...carried(p),
    posting: `deposit.${p.kind}`,
    kind: DEPOSIT_KIND[p.kind],
    accountNumber: p.accountNumber,
    amountCents: p.kind === 'apply' ? p.refundCents : p.amountCents,
    appliedCents: {
      collect: addCents(p.amountCents, p.creditCents),
      interest: 0,
      refund: -p.amountCents,
      apply: p.appliedToBillCents,
    }[p.kind],
    changeCents: p.changeCents,
    creditCents: p.creditCents,
    tenders:
      p.kind === 'collect'
        ? settledTenders(p.amountCents, p.tenders, p.creditCents)
        : cashOut > 0
          ? [{ type: 'cash', amountCents: -cashOut, netCents: -cashOut }]
          : [],
    reversesId: null,
    reason: null,
    approvedBy: p.approvedBy,
    detail: {
      capability: 'deposit',
      deposit: p.deposit,
      movement: p.movement,
      credits: p.credits,
      method: p.method,
      paidOutCents: payout ? p.amountCents : 0,
      appliedToBillCents: p.appliedToBillCents,
      refundCents: p.refundCents,
    },
  };
}

export function fromEquipmentPosted(p: EquipmentPosted): LedgerPosted {
  return {
    ...carried(p),
    posting: `equipment.${p.kind}`,
    kind: p.kind,
    accountNumber: p.accountNumber,
    amountCents: p.amountCents,
    appliedCents: 0,
    changeCents: p.changeCents,
    creditCents: 0,
    tenders: p.tenders,
    reversesId: null,
    reason: p.reason,
    approvedBy: p.approvedBy,
    detail: {
      capability: 'equipment',
      orderId: p.orderId,
      handovers: p.handovers,
      returns: p.returns,
      received: p.received,
      invoiceNumber: p.invoiceNumber,
    },
  };
}
