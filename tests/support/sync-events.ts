/** Builders for push events as a counter makes them (valid by the shared tender rules), for server tests. */
import { randomUUID } from 'node:crypto';

import { v7 } from 'uuid';

import type { Tender } from '../../shared/api/schemas.js';
import { paymentJournal, settleTenders } from '../../shared/domain/tenders.js';
import type { PaymentPosted } from '../../shared/sync/legacy.js';
import { tenderReferences, type LedgerPosted } from '../../shared/sync/ledger.js';
import type { PushEvent } from '../../shared/sync/protocol.js';

export type PaymentSpec = {
  accountNumber: string;
  amountCents: number;
  tenders?: Tender[];
  terminalCode?: string;
  branch?: string;
  tillId?: string | null;
  receiptNumber?: string;
  businessDate?: string;
};

/** A payment's `ledger.posted` envelope, with its account always set. */
export type PaymentEnvelope = LedgerPosted & { accountNumber: string };

/** A bill payment as a counter queues it now: the `ledger.posted` envelope with the payment's detail. */
export function paymentPayload(spec: PaymentSpec): PaymentEnvelope {
  const tenders: Tender[] = spec.tenders ?? [{ type: 'cash', amountCents: spec.amountCents }];
  const settlement = settleTenders(spec.amountCents, tenders, {
    cashOnly: false,
    confirmOvertenderCredit: true,
  });
  const now = new Date().toISOString();
  return {
    transactionId: v7(),
    requestId: randomUUID(),
    posting: 'payment',
    kind: 'payment',
    accountNumber: spec.accountNumber,
    amountCents: spec.amountCents,
    appliedCents: settlement.appliedCents,
    changeCents: settlement.changeCents,
    creditCents: settlement.creditCents,
    tenders: tenders.map((t, i) => ({
      type: t.type,
      amountCents: t.amountCents,
      netCents: settlement.net[i]?.cents ?? 0,
      ...tenderReferences(t),
    })),
    journal: paymentJournal(spec.accountNumber, settlement),
    reversesId: null,
    reason: null,
    approvedBy: null,
    receiptNumber: spec.receiptNumber ?? `T-${Math.floor(Math.random() * 1e6)}`,
    cashierId: '1001',
    terminalCode: spec.terminalCode ?? 'MAIN-02',
    branch: spec.branch ?? 'MAIN',
    tillId: spec.tillId ?? null,
    businessDate: spec.businessDate ?? now.slice(0, 10),
    createdAt: now,
    detail: { capability: 'payment', allocations: [], unappliedCents: 0 },
  };
}

/** The same payment as a counter queued it before the envelope (`payment.posted`). */
export function legacyPaymentPayload(spec: PaymentSpec): PaymentPosted {
  const p = paymentPayload(spec);
  const tenders: Tender[] = spec.tenders ?? [{ type: 'cash', amountCents: spec.amountCents }];
  return {
    transactionId: p.transactionId,
    requestId: p.requestId,
    accountNumber: p.accountNumber,
    amountCents: p.amountCents,
    appliedCents: p.appliedCents,
    changeCents: p.changeCents,
    creditCents: p.creditCents,
    tenders,
    allocations: [],
    unappliedCents: 0,
    journal: p.journal,
    receiptNumber: p.receiptNumber ?? '',
    cashierId: p.cashierId,
    terminalCode: p.terminalCode,
    branch: p.branch,
    tillId: p.tillId,
    businessDate: p.businessDate,
    createdAt: p.createdAt,
  };
}

/**
 * A till or correction transaction's envelope (a drop, a void …): the fields given over defaults of
 * an approved transaction on MAIN-02 with no account, tenders or journal.
 */
export function tillPayload(fields: Partial<LedgerPosted> & Pick<LedgerPosted, 'kind'>): LedgerPosted {
  return {
    transactionId: v7(),
    requestId: randomUUID(),
    posting: fields.kind,
    accountNumber: null,
    amountCents: 0,
    appliedCents: 0,
    changeCents: 0,
    creditCents: 0,
    tenders: [],
    journal: [],
    reversesId: null,
    reason: null,
    approvedBy: '2001',
    receiptNumber: null,
    cashierId: '1001',
    terminalCode: 'MAIN-02',
    branch: 'MAIN',
    tillId: `till-${v7()}`,
    businessDate: new Date().toISOString().slice(0, 10),
    createdAt: new Date().toISOString(),
    detail: { capability: 'till', allocations: [] },
    ...fields,
  };
}

export function event(seq: number, type: string, payload: unknown, id: string = v7()): PushEvent {
  return { id, seq, type, payload, occurredAt: new Date().toISOString() };
}

export function paymentEvent(seq: number, spec: PaymentSpec): PushEvent {
  return event(seq, 'ledger.posted', paymentPayload(spec));
}
