/**
 * The `ledger.posted` envelope: each capability's detail survives the wire (JSON) and the schema, an
 * unknown capability does not pass, and each ledger type an older counter queued translates into the
 * envelope with the figures worked out by hand below.
 */
import { describe, expect, it } from 'vitest';

import {
  fromDepositPosted,
  fromEquipmentPosted,
  fromLegacyLedger,
  fromPaymentPosted,
} from '../../server/src/domain/legacy.js';
import type { LedgerDetail } from '../../shared/sync/details.js';
import { LedgerPostedSchema, tenderedOf, type LedgerPosted } from '../../shared/sync/ledger.js';
import type {
  DepositPosted,
  EquipmentPosted,
  LegacyLedgerPosted,
  PaymentPosted,
} from '../../shared/sync/legacy.js';
import { redactChecksForSync } from '../../shared/sync/redact.js';

const A = '1000042517';
const who = {
  cashierId: '1001',
  terminalCode: 'MAIN-02',
  branch: 'MAIN',
  tillId: 'till-1',
  businessDate: '2026-11-25',
  createdAt: '2026-11-25T15:00:00.000Z',
};

function envelope(kind: string, detail: LedgerDetail, fields: Partial<LedgerPosted> = {}): LedgerPosted {
  return {
    transactionId: 'tx-1',
    requestId: 'req-1',
    posting: kind,
    kind,
    accountNumber: A,
    amountCents: 1_000,
    appliedCents: 0,
    changeCents: 0,
    creditCents: 0,
    tenders: [],
    journal: [],
    reversesId: null,
    reason: null,
    approvedBy: null,
    receiptNumber: 'R-1',
    ...who,
    detail,
    ...fields,
  };
}

const header = {
  id: 'dep-1',
  accountNumber: A,
  policyId: 'RES-2024',
  requiredCents: 10_000,
  schedule: [{ dueWith: 'now', amountCents: 10_000 }],
  requestedOn: '2026-11-25',
};

describe('the envelope on the wire', () => {
  const samples: [string, LedgerPosted][] = [
    [
      'payment',
      envelope(
        'payment',
        {
          capability: 'payment',
          allocations: [{ itemId: 'i1', category: 'service', cents: 1_000 }],
          unappliedCents: 0,
        },
        {
          tenders: [
            {
              type: 'check',
              amountCents: 1_000,
              netCents: 1_000,
              checkNumber: '1234',
              routingNumber: '011000015',
              bankAccount: '000123456789',
            },
          ],
        },
      ),
    ],
    [
      'till',
      envelope(
        'void',
        { capability: 'till', allocations: [{ itemId: null, category: 'unapplied_credit', cents: -50 }] },
        { reversesId: 'tx-0', approvedBy: '2001' },
      ),
    ],
    [
      'deposit',
      envelope('deposit_refund', {
        capability: 'deposit',
        deposit: header,
        movement: {
          id: 'm-1',
          date: '2026-11-25',
          kind: 'refund',
          amountCents: 10_000,
          interestOutCents: 12,
          transactionId: 'tx-1',
        },
        credits: [],
        method: 'cash',
        paidOutCents: 10_012,
        appliedToBillCents: 0,
        refundCents: 10_012,
      }),
    ],
    [
      'equipment',
      envelope(
        'eq_receive',
        {
          capability: 'equipment',
          orderId: null,
          handovers: [],
          returns: [],
          received: [{ sku: 'ACC-COAX6', serial: null, quantity: 3 }],
          invoiceNumber: null,
        },
        { accountNumber: null, amountCents: 0 },
      ),
    ],
  ];

  it.each(samples)('carries a %s detail through JSON and the schema unchanged', (_capability, env) => {
    expect(LedgerPostedSchema.parse(JSON.parse(JSON.stringify(env)))).toEqual(env);
  });

  it('cuts a check tender’s bank account to its last 4 digits before it leaves the counter', () => {
    const sent = redactChecksForSync(samples[0]![1]);
    expect(sent.tenders[0]).toMatchObject({ bankAccount: '6789', routingNumber: '011000015' });
    expect(LedgerPostedSchema.safeParse(sent).success).toBe(true);
  });

  it('does not pass a detail of a capability it does not know, or without a capability', () => {
    const loyalty = { ...samples[0]![1], detail: { capability: 'loyalty', points: 7 } };
    const r = LedgerPostedSchema.safeParse(loyalty);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['detail', 'capability']);
    expect(LedgerPostedSchema.safeParse({ ...samples[0]![1], detail: undefined }).success).toBe(false);
  });

  it('gives back the tender the customer handed over, for the shared tender rules', () => {
    expect(tenderedOf(samples[0]![1].tenders[0]!)).toEqual({
      type: 'check',
      amountCents: 1_000,
      checkNumber: '1234',
      routingNumber: '011000015',
      bankAccount: '000123456789',
    });
    expect(tenderedOf({ type: 'cash', amountCents: 3_000, netCents: 2_500 })).toEqual({
      type: 'cash',
      amountCents: 3_000,
    });
  });
});

describe('the ledger types an older counter queued, translated', () => {
  it('payment.posted: each tender’s net by the tender rules, the allocations in the detail', () => {
    // $25.00 due; $30.00 cash and a $5.00 card. Cards give no change: the card's $5.00 stays whole,
    // the cash nets $30.00 - $10.00 change = $20.00; $20.00 + $5.00 = $25.00 applied.
    const p: PaymentPosted = {
      transactionId: 'tx-p',
      requestId: 'req-p',
      accountNumber: A,
      amountCents: 2_500,
      appliedCents: 2_500,
      changeCents: 1_000,
      creditCents: 0,
      tenders: [
        { type: 'cash', amountCents: 3_000 },
        { type: 'card', amountCents: 500, brand: 'Visa', last4: '4242', authCode: 'OK12' },
      ],
      allocations: [{ itemId: 'i1', category: 'service', cents: 2_500 }],
      unappliedCents: 0,
      journal: [
        { ledgerAccount: 'drawer:cash', cents: 2_000, memo: 'cash' },
        { ledgerAccount: 'card_clearing', cents: 500, memo: 'card' },
        { ledgerAccount: `ar:${A}`, cents: -2_500, memo: 'payment' },
      ],
      receiptNumber: 'R-7',
      ...who,
    };
    const env = fromPaymentPosted(p);
    expect(LedgerPostedSchema.safeParse(env).success).toBe(true);
    expect(env).toMatchObject({
      kind: 'payment',
      amountCents: 2_500,
      appliedCents: 2_500,
      changeCents: 1_000,
      reversesId: null,
      approvedBy: null,
      receiptNumber: 'R-7',
      tenders: [
        { type: 'cash', amountCents: 3_000, netCents: 2_000 },
        {
          type: 'card',
          amountCents: 500,
          netCents: 500,
          cardBrand: 'Visa',
          cardLast4: '4242',
          authCode: 'OK12',
        },
      ],
      detail: { capability: 'payment', allocations: p.allocations, unappliedCents: 0 },
    });
  });

  it('the detail-less ledger.posted: a till transaction with its allocations in the detail', () => {
    const p: LegacyLedgerPosted = {
      transactionId: 'tx-v',
      requestId: 'req-v',
      kind: 'void',
      accountNumber: A,
      amountCents: 2_500,
      journal: [
        { ledgerAccount: 'drawer:cash', cents: -2_500, memo: 'void' },
        { ledgerAccount: `ar:${A}`, cents: 2_500, memo: 'void' },
      ],
      tenders: [{ type: 'cash', amountCents: -2_500, netCents: -2_500 }],
      allocations: [{ itemId: 'i1', category: 'service', cents: -2_500 }],
      reversesId: 'tx-p',
      reason: 'wrong account',
      approvedBy: '2001',
      receiptNumber: 'R-8',
      ...who,
    };
    const env = fromLegacyLedger(p);
    expect(LedgerPostedSchema.safeParse(env).success).toBe(true);
    expect(env).toMatchObject({
      kind: 'void',
      appliedCents: 0,
      changeCents: 0,
      creditCents: 0,
      tenders: p.tenders,
      reversesId: 'tx-p',
      approvedBy: '2001',
      tillId: 'till-1',
      detail: { capability: 'till', allocations: p.allocations },
    });
  });

  it('deposit.posted (applied to a final bill): the transaction is the refund, the payout in the detail', () => {
    // $100.12 paid out: $60.00 to the final bill, $40.12 refunded in cash. The transaction's amount
    // is what was refunded ($40.12), the cash out of the drawer the implied tender.
    const p: DepositPosted = {
      transactionId: 'tx-d',
      requestId: 'req-d',
      kind: 'apply',
      accountNumber: A,
      deposit: header,
      movement: {
        id: 'm-1',
        date: '2026-11-25',
        kind: 'applied',
        amountCents: 10_000,
        interestOutCents: 12,
        transactionId: 'tx-d',
      },
      credits: [],
      amountCents: 10_012,
      tenders: [],
      changeCents: 0,
      creditCents: 0,
      method: 'cash',
      appliedToBillCents: 6_000,
      refundCents: 4_012,
      journal: [],
      receiptNumber: 'R-9',
      approvedBy: '2001',
      ...who,
    };
    const env = fromDepositPosted(p);
    expect(LedgerPostedSchema.safeParse(env).success).toBe(true);
    expect(env).toMatchObject({
      kind: 'deposit_apply',
      amountCents: 4_012,
      appliedCents: 6_000,
      tenders: [{ type: 'cash', amountCents: -4_012, netCents: -4_012 }],
      detail: {
        capability: 'deposit',
        deposit: header,
        movement: p.movement,
        method: 'cash',
        paidOutCents: 10_012,
        appliedToBillCents: 6_000,
        refundCents: 4_012,
      },
    });
    // A collection: $100.00 in cash, nothing paid out.
    const collect = fromDepositPosted({
      ...p,
      kind: 'collect',
      amountCents: 10_000,
      tenders: [{ type: 'cash', amountCents: 10_000 }],
      method: null,
      appliedToBillCents: 0,
      refundCents: 0,
    });
    expect(collect).toMatchObject({
      kind: 'deposit',
      amountCents: 10_000,
      appliedCents: 10_000,
      tenders: [{ type: 'cash', amountCents: 10_000, netCents: 10_000 }],
      detail: { paidOutCents: 0 },
    });
  });

  it('equipment.posted: the units in the detail, no credit', () => {
    const p: EquipmentPosted = {
      transactionId: 'tx-e',
      requestId: 'req-e',
      kind: 'eq_receive',
      accountNumber: null,
      orderId: null,
      handovers: [],
      returns: [],
      received: [{ sku: 'ACC-COAX6', serial: null, quantity: 3 }],
      amountCents: 0,
      journal: [],
      tenders: [],
      changeCents: 0,
      receiptNumber: 'R-10',
      invoiceNumber: null,
      reason: 'shipment PO-1',
      approvedBy: '2001',
      ...who,
    };
    const env = fromEquipmentPosted(p);
    expect(LedgerPostedSchema.safeParse(env).success).toBe(true);
    expect(env).toMatchObject({
      kind: 'eq_receive',
      accountNumber: null,
      creditCents: 0,
      reason: 'shipment PO-1',
      detail: { capability: 'equipment', received: p.received, orderId: null, invoiceNumber: null },
    });
  });
});
