/**
 * The `ledger.posted` envelope on the server, on SQLite AND on PostgreSQL:
 * - a batch holding one of each ledger type a counter queued before the envelope (`payment.posted`, the
 *   detail-less `ledger.posted` of a void, `deposit.posted`, `equipment.posted`) applies exactly as those
 *   types always applied: the same balances, transactions, tenders, journal and capability rows;
 * - an envelope whose detail names a capability the server does not know is rejected for review and
 *   writes nothing.
 * The payloads are built inline from the shared rules only, so the same file runs against the version
 * before the envelope.
 */
import { randomUUID } from 'node:crypto';

import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoAccountNumber } from '../../../resources/demo/generate.js';
import type { Tender } from '../../../shared/api/schemas.js';
import { depositCollectJournal } from '../../../shared/domain/deposit-ledger.js';
import { paymentJournal, settleTenders } from '../../../shared/domain/tenders.js';
import type {
  DepositPosted,
  EquipmentPosted,
  LegacyLedgerPosted,
  PaymentPosted,
} from '../../../shared/sync/legacy.js';
import { event, paymentPayload } from '../../support/sync-events.js';
import { SERVER_TODAY, TEST_SERVERS, type TestServer } from '../../support/server-setup.js';

const NOW = `${SERVER_TODAY}T15:00:00.000Z`;
const who = {
  cashierId: '1001',
  terminalCode: 'MAIN-02',
  branch: 'MAIN',
  businessDate: SERVER_TODAY,
  createdAt: NOW,
};

describe.each(TEST_SERVERS)('server on %s', (_name, start) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  }, 60_000);
  afterAll(() => s?.close());

  const k = () => s.db.knex;
  const num = (v: unknown): number => Number(v);
  async function account(a: string): Promise<{ status: string; balance: number; held: number }> {
    const r = (await k()('accounts').where('account_number', a).first()) as Record<string, unknown>;
    return { status: String(r.status), balance: num(r.balance_cents), held: num(r.deposit_held_cents) };
  }
  async function openItems(a: string): Promise<[string, number][]> {
    const rows = (await k()('open_items').where('account_number', a).orderBy('id')) as Record<
      string,
      unknown
    >[];
    return rows.map((r) => [String(r.id), num(r.open_cents)]);
  }
  async function transaction(id: string) {
    const t = (await k()('transactions').where('id', id).first()) as Record<string, unknown>;
    const tenders = (await k()('transaction_tenders')
      .where('transaction_id', id)
      .orderBy('position')) as Record<string, unknown>[];
    const journal = (await k()('journal_lines')
      .where('transaction_id', id)
      .orderBy(['ledger_account', 'cents'])) as Record<string, unknown>[];
    return {
      row: {
        kind: t.kind,
        account: t.account_number,
        amount: num(t.amount_cents),
        ar: num(t.ar_cents),
        change: num(t.change_cents),
        credit: num(t.credit_cents),
        unapplied: num(t.unapplied_cents),
        reverses: t.reverses_id,
        receipt: t.receipt_number,
        approvedBy: t.approved_by,
        till: t.till_id,
      },
      tenders: tenders.map((d) => [d.type, num(d.amount_cents), num(d.net_cents), d.reference]),
      journal: journal.map((l) => [l.ledger_account, num(l.cents)]),
    };
  }

  /** A transaction row as `transaction` reads it: what a test leaves out is zero, none, or the legacy till. */
  const row = (
    r: { kind: string; account: string; amount: number; receipt: string } & Record<string, unknown>,
  ) => ({
    ar: 0,
    change: 0,
    credit: 0,
    unapplied: 0,
    reverses: null,
    approvedBy: null,
    till: 'till-legacy',
    ...r,
  });

  it('applies a batch of one of each legacy ledger type exactly as before', async () => {
    const [a, b] = [demoAccountNumber(12), demoAccountNumber(13)];
    const [before, itemsBefore, beforeB] = [await account(a), await openItems(a), await account(b)];
    expect(beforeB.status).toBe('active');
    const levelOf = async () =>
      num(
        (
          (await k()('equipment_stock_levels')
            .where({ branch: 'MAIN', sku: 'ACC-COAX6' })
            .first('on_hand')) as { on_hand: unknown } | undefined
        )?.on_hand ?? 0,
      );
    const levelBefore = await levelOf();

    // A cash payment with change, as `payment.posted`.
    const cash: Tender[] = [{ type: 'cash', amountCents: 3_000 }];
    const settled = settleTenders(2_500, cash, { cashOnly: false, confirmOvertenderCredit: false });
    const payment: PaymentPosted = {
      transactionId: v7(),
      requestId: randomUUID(),
      accountNumber: a,
      amountCents: 2_500,
      appliedCents: 2_500,
      changeCents: 500,
      creditCents: 0,
      tenders: cash,
      allocations: [],
      unappliedCents: 0,
      journal: paymentJournal(a, settled),
      receiptNumber: 'L-000001',
      tillId: 'till-legacy',
      ...who,
    };
    // Its void, as the detail-less `ledger.posted`.
    const voided: LegacyLedgerPosted = {
      transactionId: v7(),
      requestId: randomUUID(),
      kind: 'void',
      accountNumber: a,
      amountCents: 2_500,
      journal: payment.journal.map((l) => ({ ...l, cents: -l.cents, memo: `void: ${l.memo}` })),
      tenders: [{ type: 'cash', amountCents: -2_500, netCents: -2_500 }],
      allocations: [],
      reversesId: payment.transactionId,
      reason: 'wrong account',
      approvedBy: '2001',
      receiptNumber: 'L-000002',
      tillId: 'till-legacy',
      ...who,
    };
    // A deposit collected in cash, as `deposit.posted`.
    const depositId = v7();
    const depositTx = v7();
    const depositCash: Tender[] = [{ type: 'cash', amountCents: 10_000 }];
    const depositSettled = settleTenders(10_000, depositCash, {
      cashOnly: false,
      confirmOvertenderCredit: false,
    });
    const deposit: DepositPosted = {
      transactionId: depositTx,
      requestId: randomUUID(),
      kind: 'collect',
      accountNumber: b,
      deposit: {
        id: depositId,
        accountNumber: b,
        policyId: 'RES-2024',
        requiredCents: 10_000,
        schedule: [{ dueWith: 'now', amountCents: 10_000 }],
        requestedOn: SERVER_TODAY,
      },
      movement: {
        id: v7(),
        date: SERVER_TODAY,
        kind: 'payment',
        amountCents: 10_000,
        interestOutCents: 0,
        transactionId: depositTx,
      },
      credits: [],
      amountCents: 10_000,
      tenders: depositCash,
      changeCents: 0,
      creditCents: 0,
      method: null,
      appliedToBillCents: 0,
      refundCents: 0,
      journal: depositCollectJournal(b, 10_000, depositSettled),
      receiptNumber: 'L-000003',
      approvedBy: null,
      tillId: 'till-legacy',
      ...who,
    };
    // Stock received, as `equipment.posted`.
    const received: EquipmentPosted = {
      transactionId: v7(),
      requestId: randomUUID(),
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
      receiptNumber: 'L-000004',
      invoiceNumber: null,
      reason: 'shipment PO-1',
      approvedBy: '2001',
      tillId: 'till-legacy',
      ...who,
    };

    const t = await s.enroll();
    const res = await s.push(t, [
      event(1, 'payment.posted', payment),
      event(2, 'ledger.posted', voided),
      event(3, 'deposit.posted', deposit),
      event(4, 'equipment.posted', received),
    ]);
    expect(res.rejected).toEqual([]);
    expect(res.acked.map((x) => x.seq)).toEqual([1, 2, 3, 4]);

    // The payment and its void: the balance and the open items are back where they were.
    expect(await account(a)).toEqual(before);
    expect(await openItems(a)).toEqual(itemsBefore);
    expect(await transaction(payment.transactionId)).toEqual({
      row: row({ kind: 'payment', account: a, amount: 2_500, ar: -2_500, change: 500, receipt: 'L-000001' }),
      tenders: [['cash', 3_000, 2_500, null]],
      journal: [
        [`ar:${a}`, -2_500],
        ['drawer:cash', 2_500],
      ],
    });
    expect(await transaction(voided.transactionId)).toEqual({
      row: row({
        kind: 'void',
        account: a,
        amount: 2_500,
        ar: 2_500,
        reverses: payment.transactionId,
        receipt: 'L-000002',
        approvedBy: '2001',
      }),
      tenders: [['cash', -2_500, -2_500, null]],
      journal: [
        [`ar:${a}`, 2_500],
        ['drawer:cash', -2_500],
      ],
    });
    const history = (await k()('account_payments')
      .whereIn('id', [payment.transactionId, voided.transactionId])
      .orderBy('amount_cents')) as Record<string, unknown>[];
    expect(history.map((h) => [h.id, num(h.amount_cents), h.method])).toEqual([
      [voided.transactionId, -2_500, 'void'],
      [payment.transactionId, 2_500, 'cash'],
    ]);

    // The deposit: held on the account, its record and movement on the server.
    expect(await account(b)).toEqual({ ...beforeB, held: beforeB.held + 10_000 });
    expect(await transaction(depositTx)).toEqual({
      row: row({ kind: 'deposit', account: b, amount: 10_000, receipt: 'L-000003' }),
      tenders: [['cash', 10_000, 10_000, null]],
      journal: [
        [`deposits_held:${b}`, -10_000],
        ['drawer:cash', 10_000],
      ],
    });
    expect(await k()('deposits').where('id', depositId).first('account_number', 'policy_id')).toEqual({
      account_number: b,
      policy_id: 'RES-2024',
    });
    const movements = (await k()('deposit_movements').where('deposit_id', depositId)) as Record<
      string,
      unknown
    >[];
    expect(movements.map((m) => [m.kind, num(m.amount_cents), m.transaction_id])).toEqual([
      ['payment', 10_000, depositTx],
    ]);

    // The shipment: three more on hand, a transaction with no money.
    expect(await levelOf()).toBe(levelBefore + 3);
    expect((await transaction(received.transactionId)).row).toMatchObject({
      kind: 'eq_receive',
      account: null,
      amount: 0,
      ar: 0,
      approvedBy: '2001',
    });
  });

  it('rejects a detail of a capability it does not know, for review, writing nothing', async () => {
    const a = demoAccountNumber(14);
    const [balance, tables] = [
      await account(a),
      async () => [
        await s.count('transactions'),
        await s.count('journal_lines'),
        await s.count('transaction_tenders'),
      ],
    ];
    const rowsBefore = await tables();
    const loyalty = {
      ...paymentPayload({ accountNumber: a, amountCents: 700 }),
      detail: { capability: 'loyalty', points: 7 },
    };
    const t = await s.enroll();
    const res = await s.push(t, [event(1, 'ledger.posted', loyalty)]);
    expect(res.acked).toEqual([]);
    expect(res.rejected).toMatchObject([{ seq: 1, code: 'INVALID_PAYLOAD' }]);
    expect(res.rejected[0]!.message).toMatch(/detail/);
    expect(res.lastSeq).toBe(1);
    expect(await tables()).toEqual(rowsBefore);
    expect(await account(a)).toEqual(balance);
    const kept = (await k()('events').where({ terminal_id: t.terminalId, seq: 1 }).first()) as Record<
      string,
      unknown
    >;
    expect(kept).toMatchObject({ status: 'rejected', reject_code: 'INVALID_PAYLOAD', type: 'ledger.posted' });
  });
});
