/** Builders for push events as a counter makes them (valid by the shared tender rules), for server tests. */
import { randomUUID } from 'node:crypto';

import { v7 } from 'uuid';

import type { Tender } from '../../shared/api/schemas.js';
import { paymentJournal, settleTenders } from '../../shared/domain/tenders.js';
import type { PaymentPosted } from '../../shared/sync/events.js';
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

export function paymentPayload(spec: PaymentSpec): PaymentPosted {
  const tenders: Tender[] = spec.tenders ?? [{ type: 'cash', amountCents: spec.amountCents }];
  const settlement = settleTenders(spec.amountCents, tenders, {
    cashOnly: false,
    confirmOvertenderCredit: true,
  });
  const now = new Date().toISOString();
  return {
    transactionId: v7(),
    requestId: randomUUID(),
    accountNumber: spec.accountNumber,
    amountCents: spec.amountCents,
    appliedCents: settlement.appliedCents,
    changeCents: settlement.changeCents,
    creditCents: settlement.creditCents,
    tenders,
    allocations: [],
    unappliedCents: 0,
    journal: paymentJournal(spec.accountNumber, settlement),
    receiptNumber: spec.receiptNumber ?? `T-${Math.floor(Math.random() * 1e6)}`,
    cashierId: '1001',
    terminalCode: spec.terminalCode ?? 'MAIN-02',
    branch: spec.branch ?? 'MAIN',
    tillId: spec.tillId ?? null,
    businessDate: spec.businessDate ?? now.slice(0, 10),
    createdAt: now,
  };
}

export function event(seq: number, type: string, payload: unknown, id: string = v7()): PushEvent {
  return { id, seq, type, payload, occurredAt: new Date().toISOString() };
}

export function paymentEvent(seq: number, spec: PaymentSpec): PushEvent {
  return event(seq, 'payment.posted', paymentPayload(spec));
}
