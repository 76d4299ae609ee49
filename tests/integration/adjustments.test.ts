/**
 * Adjustments and back billing on a real SQLite counter: limits by role and reason (a supervisor's ID
 * and PIN over the CSR's, nothing at all over the supervisor's), an outage credit computed from the
 * bill line, the credit taken off the item it corrects, back-billed installments as open items a
 * normal payment pays, the letter as a real PDF; every refusal writes nothing; N identical requests
 * post once.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import { fireAtOnce, expectBooksHold, refusalCodes } from '../support/concurrency.js';
import { ANY_BALANCE, signInWithTill, startTestHost } from '../support/counter.js';
import { pdfText } from '../support/pdf.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
type Reply = Awaited<ReturnType<Host['call']>>;

const SUPERVISOR = { supervisorId: '2001', pin: '2468' };

function value<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function writes(host: Host): Promise<number[]> {
  const n = async (t: string) =>
    Number(((await host.ctx.db(t).count({ n: '*' }).first()) as { n: number }).n);
  return Promise.all(
    [
      'transactions',
      'journal_lines',
      'outbox',
      'adjustments',
      'back_bill_plans',
      'pending_open_items',
      'allocations',
      'audit_log',
    ].map(n),
  );
}

describe('adjustments and back billing on the counter', () => {
  let host: Host;
  let csr: Session;
  let sup: Session;
  let account: string;
  let line: { id: number; amount_cents: number };
  let item: { id: string; open_cents: number };

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 40, months: 3 } });
    csr = await signInWithTill(host, '1001', '1234');
    sup = host.newSession();
    value(await host.call('session.signIn', { cashierId: '2001', pin: '2468' }, sup));
    // An account whose last bill has a service line of 40.00 or more (an outage of 25 days is over 25.00).
    const row = (await host.ctx
      .db('bill_lines as l')
      .join('bills as b', 'b.id', 'l.bill_id')
      .join('open_items as o', 'o.account_number', 'b.account_number')
      .where('l.amount_cents', '>=', 4000)
      .orderBy('b.account_number')
      .first('b.account_number', 'l.id', 'l.amount_cents', 'o.id as item_id', 'o.open_cents')) as {
      account_number: string;
      id: number;
      amount_cents: number;
      item_id: string;
      open_cents: number;
    };
    account = row.account_number;
    line = { id: row.id, amount_cents: row.amount_cents };
    item = { id: row.item_id, open_cents: row.open_cents };
  });
  afterAll(() => host.close());

  const outage = (daysOut: number, extra: Record<string, unknown> = {}) => ({
    requestId: randomUUID(),
    accountNumber: account,
    direction: 'credit',
    reasonCode: 'outage_credit',
    outage: { billLineId: String(line.id), daysOut, month: '2026-11' },
    itemId: item.id,
    memo: 'Line down after the storm',
    ...extra,
  });

  it('an outage credit within the CSR limit posts, balanced, and is pending on the account', async () => {
    // rate × 2 ÷ 30 (November), rounded half up once.
    const expected = Math.floor((2 * line.amount_cents * 2 + 30) / 60);
    const r = value<{
      adjustment: { amountCents: number; pending: boolean; approvedBy: string | null };
      working: string;
    }>(await host.call('adjustments.post', outage(2), csr));
    expect(r.adjustment).toMatchObject({ amountCents: expected, pending: true, approvedBy: null });
    expect(r.working).toMatch(/× 2 days ÷ 30 days in 2026-11/);
    const view = value<{ openItems: { id: string; openCents: number }[] }>(
      await host.call('adjustments.account', { accountNumber: account }, csr),
    );
    expect(view.openItems.find((i) => i.id === item.id)?.openCents).toBe(
      item.open_cents - Math.min(expected, item.open_cents),
    );
    await expectBooksHold(host);
  });

  it('over the CSR limit: refused without a supervisor (nothing written), posts with one', async () => {
    const before = await writes(host);
    const input = outage(25);
    const refused = await host.call('adjustments.post', input, csr);
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'NEEDS_SUPERVISOR',
      message: expect.stringMatching(/supervisor must approve/),
    });
    expect(await writes(host)).toEqual(before);
    const ok = value<{ adjustment: { approvedBy: string } }>(
      await host.call('adjustments.post', { ...input, approval: SUPERVISOR }, csr),
    );
    expect(ok.adjustment.approvedBy).toBe('2001');
  });

  it('over the supervisor limit nobody posts it; bad input names the field; nothing written', async () => {
    const before = await writes(host);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { reasonCode: 'goodwill', outage: undefined, amountCents: 5001, approval: SUPERVISOR },
        'FORBIDDEN',
        /over the supervisor limit of \$50\.00/,
      ],
      [
        { reasonCode: 'goodwill', outage: undefined, amountCents: 100, direction: 'debit' },
        'INVALID_INPUT',
        /never a debit/,
      ],
      [{ reasonCode: 'nope', outage: undefined, amountCents: 100 }, 'INVALID_INPUT', /no adjustment reason/],
      [
        { outage: { billLineId: String(line.id), daysOut: 31, month: '2026-11' } },
        'INVALID_INPUT',
        /1 to 30/,
      ],
      [{ itemId: 'not-an-item' }, 'INVALID_INPUT', /not open on this account/],
      [{ expectedCents: 1 }, 'CONFLICT', /not the \$0\.01 shown/],
    ];
    for (const [extra, code, message] of cases) {
      const r = await host.call('adjustments.post', { ...outage(1), ...extra }, csr);
      expect(r.ok ? null : r.error, JSON.stringify(extra)).toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    }
    expect(await writes(host)).toEqual(before);
  });

  it('N identical adjustments with one request id post once', async () => {
    const input = { ...outage(1), reasonCode: 'courtesy_credit', outage: undefined, amountCents: 300 };
    const before = await writes(host);
    const fired = await fireAtOnce(host, csr, 'adjustments.post', 6, () => input);
    expect(refusalCodes(fired)).toEqual({});
    const ids = new Set(
      fired.ok.map((r) =>
        r.ok ? (r.value as { adjustment: { transactionId: string } }).adjustment.transactionId : '',
      ),
    );
    expect(ids.size).toBe(1);
    expect((await writes(host))[0]).toBe((before[0] ?? 0) + 1);
    await expectBooksHold(host);
  });

  it('the day report totals by reason', async () => {
    const r = value<{
      byReason: { reasonCode: string; count: number; creditCents: number }[];
      totals: { count: number };
    }>(await host.call('adjustments.report', {}, sup));
    expect(r.byReason.find((x) => x.reasonCode === 'outage_credit')?.count).toBe(2);
    expect(r.totals.count).toBe(3);
    const csrTry = await host.call('adjustments.report', {}, csr);
    expect(csrTry.ok ? null : csrTry.error.code).toBe('FORBIDDEN');
  });

  describe('back billing', () => {
    const charges = [
      {
        description: 'Second line never billed',
        category: 'basic_local',
        fromMonth: '2026-03',
        toMonth: '2026-08',
        amountPerPeriodCents: 1250,
        customerCaused: false,
      },
    ];
    const base = () => ({ accountNumber: account, jurisdiction: 'CA', charges, firstDueDate: '2026-12-20' });

    it('bad input: future months, zero periods, installments that do not sum; nothing written', async () => {
      const before = await writes(host);
      const future = await host.call(
        'backBilling.preview',
        { ...base(), charges: [{ ...charges[0], toMonth: '2026-12' }] },
        sup,
      );
      expect(
        future.ok && !(future.value as { ok: boolean }).ok ? (future.value as { rule: string }).rule : null,
      ).toBe('future');
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ charges: [{ ...charges[0], toMonth: '2027-01' }], installments: [100] }, /in the future/],
        [
          { charges: [{ ...charges[0], fromMonth: '2026-08', toMonth: '2026-07' }], installments: [100] },
          /zero periods/,
        ],
        [{ installments: Array<number>(9).fill(834) }, /add up to \$75\.06, not the \$75\.00/],
      ];
      for (const [extra, message] of cases) {
        const r = await host.call('backBilling.post', { ...base(), requestId: randomUUID(), ...extra }, sup);
        expect(r.ok ? null : r.error, JSON.stringify(extra)).toMatchObject({
          code: 'INVALID_INPUT',
          message: expect.stringMatching(message),
        });
      }
      const csrTry = await host.call(
        'backBilling.post',
        { ...base(), requestId: randomUUID(), installments: [7500] },
        csr,
      );
      expect(csrTry.ok ? null : csrTry.error.code).toBe('FORBIDDEN');
      expect(await writes(host)).toEqual(before);
    });

    it('posts the plan; installments are open items a normal payment pays; the letter is a PDF', async () => {
      // CA rules: length ≥ span (6) and ≥ age (2026-03 → 2026-11 = 8): 8 installments: 7500 ÷ 8 = 937
      // remainder 7500 − 8 × 937 = 4 → four of 9.38, then four of 9.37.
      const preview = value<{ ok: true; plan: { installments: { cents: number }[]; lengthFrom: string } }>(
        await host.call('backBilling.preview', base(), sup),
      );
      expect(preview.plan.lengthFrom).toBe('age');
      const cents = preview.plan.installments.map((i) => i.cents);
      expect(cents).toEqual([938, 938, 938, 938, 937, 937, 937, 937]);
      const posted = value<{
        backBill: {
          installments: { itemId: string; openCents: number; notDisconnectable: boolean; pending: boolean }[];
        };
        letter: { file: string; lines: string[] };
      }>(
        await host.call('backBilling.post', { ...base(), requestId: randomUUID(), installments: cents }, sup),
      );
      expect(posted.backBill.installments).toHaveLength(8);
      expect(
        posted.backBill.installments.every((i) => i.notDisconnectable && i.pending && i.openCents > 0),
      ).toBe(true);
      const text = await pdfText(posted.letter.file);
      expect(text).toMatch(/Second line never billed: 2026-03 to 2026-08 at \$12\.50 a month/);
      expect(text).toMatch(/Installment 8 due 2027-07-20: \$9\.37/);
      expect(text).toMatch(/not grounds for disconnecting/);
      // A normal payment of everything the account owes pays the installments too.
      const view = value<{ openItems: { id: string; openCents: number }[] }>(
        await host.call('adjustments.account', { accountNumber: account }, csr),
      );
      const owed = view.openItems.reduce((a, i) => a + i.openCents, 0);
      value(
        await host.call(
          'payments.post',
          {
            requestId: randomUUID(),
            accountNumber: account,
            amountCents: owed,
            tenders: [{ type: 'cash', amountCents: owed }],
            ...ANY_BALANCE,
          },
          csr,
        ),
      );
      const paid = (await host.ctx
        .db('allocations')
        .whereIn(
          'item_id',
          posted.backBill.installments.map((i) => i.itemId),
        )
        .sum({ c: 'cents' })
        .first()) as { c: number };
      expect(Number(paid.c)).toBe(7500);
      const after = value<{ openItems: unknown[] }>(
        await host.call('adjustments.account', { accountNumber: account }, csr),
      );
      expect(after.openItems).toEqual([]);
      await expectBooksHold(host);
    });
  });
});
