import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { PostPaymentInputSchema } from '../../shared/api/contract.js';
import { CounterError } from '../../shared/api/errors.js';
import { counterError } from '../support/errors.js';
import { TenderSchema, type Tender } from '../../shared/api/schemas.js';
import {
  DRAWER_TENDERS,
  journalBalances,
  paymentJournal,
  settleTenders,
  tenderLedgerAccount,
  type Settlement,
  type TenderContext,
} from '../../shared/domain/tenders.js';

const ACCOUNT = '1000042517';
const OPEN: TenderContext = { cashOnly: false };
const CONFIRMED: TenderContext = { cashOnly: false, confirmOvertenderCredit: true };

const cash = (amountCents: number): Tender => ({ type: 'cash', amountCents });
const check = (amountCents: number, routingNumber = '011000015'): Tender => ({
  type: 'check',
  amountCents,
  checkNumber: '1042',
  routingNumber,
  bankAccount: '123456789',
});
const card = (amountCents: number): Tender => ({
  type: 'card',
  amountCents,
  brand: 'Visa',
  last4: '1111',
  authCode: 'A1B2C3',
});
const moneyOrder = (amountCents: number): Tender => ({
  type: 'money_order',
  amountCents,
  serial: 'MO-884211',
});

describe('settleTenders', () => {
  type Row = {
    name: string;
    amountCents: number;
    tenders: Tender[];
    ctx: TenderContext;
    /** The whole settlement (toEqual), or the figures that matter (toMatchObject). */
    settlement: Settlement | Partial<Settlement>;
    whole: boolean;
    /** The journal: [ledger account, cents]; drawer lines say 'payment received', the AR line 'bill payment'. */
    journal?: [string, number][];
  };
  const rows: Row[] = [
    {
      name: 'exact cash: no change',
      amountCents: 7_345,
      tenders: [cash(7_345)],
      ctx: OPEN,
      whole: true,
      settlement: {
        appliedCents: 7_345,
        tenderedCents: 7_345,
        changeCents: 0,
        creditCents: 0,
        net: [{ type: 'cash', cents: 7_345 }],
      },
    },
    {
      name: 'cash with change: 100.00 for 73.45 gives 26.55',
      amountCents: 7_345,
      tenders: [cash(10_000)],
      ctx: OPEN,
      whole: true,
      settlement: {
        appliedCents: 7_345,
        tenderedCents: 10_000,
        changeCents: 2_655,
        creditCents: 0,
        net: [{ type: 'cash', cents: 7_345 }],
      },
      journal: [
        ['drawer:cash', 7_345],
        ['ar:1000042517', -7_345],
      ],
    },
    {
      // 100.00 due; check 60.00 + cash 50.00 = 110.00 → change 10.00; the check stays whole, cash nets 40.00.
      name: 'split check + cash: the change comes out of the cash only',
      amountCents: 10_000,
      tenders: [check(6_000), cash(5_000)],
      ctx: OPEN,
      whole: true,
      settlement: {
        appliedCents: 10_000,
        tenderedCents: 11_000,
        changeCents: 1_000,
        creditCents: 0,
        net: [
          { type: 'check', cents: 6_000 },
          { type: 'cash', cents: 4_000 },
        ],
      },
      journal: [
        ['drawer:checks', 6_000],
        ['drawer:cash', 4_000],
        ['ar:1000042517', -10_000],
      ],
    },
    {
      // 50.00 due; cash 5.00 + card 30.00 + cash 40.00 = 75.00 → change 25.00: 5.00 from the first cash,
      // 20.00 from the second (which nets 20.00). Cash lines merge into one drawer:cash line of 20.00.
      name: 'change larger than the first cash tender takes the rest from the next cash tender',
      amountCents: 5_000,
      tenders: [cash(500), card(3_000), cash(4_000)],
      ctx: OPEN,
      whole: false,
      settlement: {
        changeCents: 2_500,
        net: [
          { type: 'cash', cents: 0 },
          { type: 'card', cents: 3_000 },
          { type: 'cash', cents: 2_000 },
        ],
      },
      journal: [
        ['card_clearing', 3_000],
        ['drawer:cash', 2_000],
        ['ar:1000042517', -5_000],
      ],
    },
    {
      // 120.00 due; money order 100.00 + cash 25.00 → change 5.00.
      name: 'money order + cash, with change from the cash',
      amountCents: 12_000,
      tenders: [moneyOrder(10_000), cash(2_500)],
      ctx: OPEN,
      whole: false,
      settlement: { changeCents: 500 },
      journal: [
        ['drawer:money_orders', 10_000],
        ['drawer:cash', 2_000],
        ['ar:1000042517', -12_000],
      ],
    },
    {
      name: 'non-cash over-tender, confirmed, becomes account credit',
      amountCents: 10_000,
      tenders: [card(12_000)],
      ctx: CONFIRMED,
      whole: true,
      settlement: {
        appliedCents: 12_000,
        tenderedCents: 12_000,
        changeCents: 0,
        creditCents: 2_000,
        net: [{ type: 'card', cents: 12_000 }],
      },
      journal: [
        ['card_clearing', 12_000],
        ['ar:1000042517', -12_000],
      ],
    },
    {
      // 100.00 due; check 120.00 + cash 20.00. The check alone covers 120.00 → 20.00 credit (confirmed);
      // applied 120.00 of 140.00 tendered → 20.00 change = all the cash, which nets 0 (no drawer:cash line).
      name: 'check over the amount plus cash, confirmed: all the cash comes back as change, the excess check is credit',
      amountCents: 10_000,
      tenders: [check(12_000), cash(2_000)],
      ctx: CONFIRMED,
      whole: false,
      settlement: {
        appliedCents: 12_000,
        tenderedCents: 14_000,
        changeCents: 2_000,
        creditCents: 2_000,
      },
      journal: [
        ['drawer:checks', 12_000],
        ['ar:1000042517', -12_000],
      ],
    },
  ];

  it.each(rows)('$name', (row) => {
    const s = settleTenders(row.amountCents, row.tenders, row.ctx);
    if (row.whole) expect(s).toEqual(row.settlement);
    else expect(s).toMatchObject(row.settlement);
    if (row.journal)
      expect(paymentJournal(ACCOUNT, s)).toEqual(
        row.journal.map(([ledgerAccount, cents]) => ({
          ledgerAccount,
          cents,
          memo: ledgerAccount.startsWith('ar:') ? 'bill payment' : 'payment received',
        })),
      );
  });

  it('short tender says how much is still due', () => {
    const err = counterError(() => settleTenders(10_000, [cash(6_000)], OPEN));
    expect(err.code).toBe('TENDER_SHORT');
    expect(err.field).toBe('tenders');
    expect(err.message).toBe('Tenders cover $60.00 of $100.00: $40.00 still due.');
    const split = counterError(() => settleTenders(123_456, [card(100_000), cash(20_000)], OPEN));
    expect(split.message).toBe('Tenders cover $1,200.00 of $1,234.56: $34.56 still due.');
  });

  it.each<[string, Tender[]]>([
    ['a card over the amount', [card(12_000)]],
    ['a check over the amount, with cash besides', [check(12_000), cash(2_000)]],
  ])('non-cash over-tender needs confirmation: %s', (_name, tenders) => {
    const err = counterError(() => settleTenders(10_000, tenders, OPEN));
    expect(err.code).toBe('OVERTENDER_NEEDS_CONFIRMATION');
    expect(err.field).toBe('tenders');
    expect(err.message).toContain('$20.00');
  });

  it('cash over-tender next to a non-cash tender needs no confirmation', () => {
    // card 80.00 + cash 50.00 for 100.00: card is under the amount, so only change (30.00) is due.
    expect(settleTenders(10_000, [card(8_000), cash(5_000)], OPEN)).toMatchObject({
      appliedCents: 10_000,
      changeCents: 3_000,
      creditCents: 0,
    });
    // card exactly 100.00 + cash 5.00: the cash all comes back.
    expect(settleTenders(10_000, [card(10_000), cash(500)], OPEN)).toMatchObject({
      appliedCents: 10_000,
      changeCents: 500,
      creditCents: 0,
      net: [
        { type: 'card', cents: 10_000 },
        { type: 'cash', cents: 0 },
      ],
    });
  });

  it('refuses a check on a cash-only account, naming the tender', () => {
    const err = counterError(() => settleTenders(10_000, [cash(2_000), check(8_000)], { cashOnly: true }));
    expect(err.code).toBe('CASH_ONLY');
    expect(err.field).toBe('tenders.1');
    // Cash, card and money order are fine on a cash-only account.
    expect(
      settleTenders(10_000, [cash(2_000), card(3_000), moneyOrder(5_000)], { cashOnly: true }).appliedCents,
    ).toBe(10_000);
  });

  it('refuses an invalid routing number on the tender that has it', () => {
    const err = counterError(() => settleTenders(10_000, [cash(100), check(9_900, '011000016')], OPEN));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.field).toBe('tenders.1.routingNumber');
    expect(err.message).toContain('011000016');
    expect(counterError(() => settleTenders(100, [check(100, '000000000')], OPEN)).field).toBe(
      'tenders.0.routingNumber',
    );
  });

  it('needs at least one and at most 8 tenders', () => {
    const none = counterError(() => settleTenders(100, [], OPEN));
    expect(none.code).toBe('TENDER_SHORT');
    expect(none.field).toBe('tenders');
    const nine = counterError(() =>
      settleTenders(
        900,
        Array.from({ length: 9 }, () => cash(100)),
        OPEN,
      ),
    );
    expect(nine.code).toBe('INVALID_INPUT');
    expect(nine.field).toBe('tenders');
    expect(nine.message).toBe('At most 8 tenders on one payment.');
    expect(
      settleTenders(
        800,
        Array.from({ length: 8 }, () => cash(100)),
        OPEN,
      ).changeCents,
    ).toBe(0);
  });

  it('refuses a zero, negative or fractional amount', () => {
    for (const amount of [0, -100, 10.5]) {
      const err = counterError(() => settleTenders(amount, [cash(1_000)], OPEN));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.field).toBe('amount');
    }
  });
});

describe('journal helpers', () => {
  it('maps tenders to ledger accounts', () => {
    expect(tenderLedgerAccount('cash')).toBe('drawer:cash');
    expect(tenderLedgerAccount('check')).toBe('drawer:checks');
    expect(tenderLedgerAccount('money_order')).toBe('drawer:money_orders');
    expect(tenderLedgerAccount('card')).toBe('card_clearing');
    expect([...DRAWER_TENDERS].sort()).toEqual(['cash', 'check', 'money_order']);
  });

  it('journalBalances is true only when the lines sum to zero', () => {
    expect(journalBalances([{ cents: 7_345 }, { cents: -7_345 }])).toBe(true);
    expect(journalBalances([{ cents: 6_000 }, { cents: 4_000 }, { cents: -10_000 }])).toBe(true);
    expect(journalBalances([])).toBe(true);
    expect(journalBalances([{ cents: 1 }])).toBe(false);
    expect(journalBalances([{ cents: 6_000 }, { cents: 4_000 }, { cents: -9_999 }])).toBe(false);
  });

  it('merges tenders of the same kind into one line and drops zero lines', () => {
    const s: Settlement = {
      appliedCents: 300,
      tenderedCents: 300,
      changeCents: 0,
      creditCents: 0,
      net: [
        { type: 'card', cents: 100 },
        { type: 'cash', cents: 0 },
        { type: 'card', cents: 200 },
      ],
    };
    expect(paymentJournal('1100000007', s)).toEqual([
      { ledgerAccount: 'card_clearing', cents: 300, memo: 'payment received' },
      { ledgerAccount: 'ar:1100000007', cents: -300, memo: 'bill payment' },
    ]);
  });
});

describe('settleTenders properties', () => {
  const tenderArb: fc.Arbitrary<Tender> = fc.oneof(
    fc.integer({ min: 1, max: 300_000 }).map(cash),
    fc.integer({ min: 1, max: 300_000 }).map((c) => check(c, '021000021')),
    fc.integer({ min: 1, max: 300_000 }).map(card),
    fc.integer({ min: 1, max: 300_000 }).map(moneyOrder),
  );
  // Tenders first, then an amount they cover.
  const covered = fc
    .array(tenderArb, { minLength: 1, maxLength: 8 })
    .chain((tenders) =>
      fc
        .integer({ min: 1, max: tenders.reduce((s, t) => s + t.amountCents, 0) })
        .map((amount) => ({ amount, tenders })),
    );

  it('for any valid settlement: journal sums to zero, Σ net === applied, change ≤ cash tendered', () => {
    fc.assert(
      fc.property(covered, ({ amount, tenders }) => {
        const s = settleTenders(amount, tenders, CONFIRMED);
        const tendered = tenders.reduce((a, t) => a + t.amountCents, 0);
        const cashIn = tenders.filter((t) => t.type === 'cash').reduce((a, t) => a + t.amountCents, 0);
        const nonCash = tendered - cashIn;

        expect(s.tenderedCents).toBe(tendered);
        expect(s.creditCents).toBe(Math.max(0, nonCash - amount));
        expect(s.appliedCents).toBe(amount + s.creditCents);
        expect(s.changeCents).toBe(tendered - s.appliedCents);
        expect(s.changeCents).toBeGreaterThanOrEqual(0);
        expect(s.changeCents).toBeLessThanOrEqual(cashIn);
        expect(s.net.reduce((a, n) => a + n.cents, 0)).toBe(s.appliedCents);
        s.net.forEach((n, i) => {
          const t = tenders[i];
          expect(n.type).toBe(t?.type);
          expect(n.cents).toBeGreaterThanOrEqual(0);
          // Non-cash tenders are never reduced by change.
          if (n.type === 'cash') expect(n.cents).toBeLessThanOrEqual(t?.amountCents ?? 0);
          else expect(n.cents).toBe(t?.amountCents);
        });

        const journal = paymentJournal(ACCOUNT, s);
        expect(journalBalances(journal)).toBe(true);
        expect(journal.reduce((a, l) => a + l.cents, 0)).toBe(0);
        expect(journal.filter((l) => l.ledgerAccount.startsWith('ar:'))).toEqual([
          { ledgerAccount: `ar:${ACCOUNT}`, cents: -s.appliedCents, memo: 'bill payment' },
        ]);
        for (const l of journal) if (!l.ledgerAccount.startsWith('ar:')) expect(l.cents).toBeGreaterThan(0);
        expect(new Set(journal.map((l) => l.ledgerAccount)).size).toBe(journal.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('asks for confirmation exactly when the non-cash tenders exceed the amount', () => {
    fc.assert(
      fc.property(covered, ({ amount, tenders }) => {
        const nonCash = tenders.filter((t) => t.type !== 'cash').reduce((a, t) => a + t.amountCents, 0);
        let code: string | null = null;
        try {
          settleTenders(amount, tenders, OPEN);
        } catch (err) {
          if (!(err instanceof CounterError)) throw err;
          code = err.code;
        }
        expect(code).toBe(nonCash > amount ? 'OVERTENDER_NEEDS_CONFIRMATION' : null);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses exactly when the tenders do not cover the amount', () => {
    fc.assert(
      fc.property(
        fc.array(tenderArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 3_000_000 }),
        (tenders, amount) => {
          const tendered = tenders.reduce((a, t) => a + t.amountCents, 0);
          fc.pre(tendered < amount);
          expect(counterError(() => settleTenders(amount, tenders, CONFIRMED)).code).toBe('TENDER_SHORT');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('tender schemas refuse card numbers', () => {
  const CARD_MESSAGE =
    'Never type a full card number. Use the card terminal; record only brand, last 4 and auth code.';
  const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }): string[] =>
    r.error?.issues.map((i) => i.message) ?? [];

  it('accepts ordinary tenders', () => {
    for (const t of [cash(100), check(100), card(100), moneyOrder(100)])
      expect(TenderSchema.safeParse(t).success).toBe(true);
  });

  it('refuses a card number typed as a check bank account', () => {
    const r = TenderSchema.safeParse({ ...check(100), bankAccount: '4111111111111111' });
    expect(r.success).toBe(false);
    expect(messages(r)).toContain(CARD_MESSAGE);
    expect(r.error?.issues[0]?.path).toEqual(['bankAccount']);
  });

  it('refuses a card number typed as an auth code', () => {
    const r = TenderSchema.safeParse({ ...card(100), authCode: '4111111111111111' });
    expect(r.success).toBe(false);
    expect(messages(r)).toContain(CARD_MESSAGE);
  });

  it('refuses a card number typed as a money order serial', () => {
    const r = TenderSchema.safeParse({ ...moneyOrder(100), serial: '4111-1111-1111-1111' });
    expect(r.success).toBe(false);
    expect(messages(r)).toContain(CARD_MESSAGE);
  });

  it('refuses a card number in the payment note, accepts a normal note', () => {
    const base = {
      requestId: '0190a8e4-3c2b-7cde-8f00-123456789abc',
      accountNumber: ACCOUNT,
      amountCents: 100,
      tenders: [cash(100)],
    };
    const bad = PostPaymentInputSchema.safeParse({
      ...base,
      note: 'cust card 4111 1111 1111 1111 exp 12/28',
    });
    expect(bad.success).toBe(false);
    expect(messages(bad)).toContain(CARD_MESSAGE);
    expect(bad.error?.issues[0]?.path).toEqual(['note']);
    const ok = PostPaymentInputSchema.safeParse({ ...base, note: 'Paid at counter, phone (217) 555-0142' });
    expect(ok.success).toBe(true);
  });

  it.each(['111', '11111', 'abcd', '4111111111111111', '', '11 1'])('card last4 %j is refused', (last4) => {
    const r = TenderSchema.safeParse({ ...card(100), last4 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['last4']);
  });

  it('card last4 of four digits is accepted', () => {
    expect(TenderSchema.safeParse({ ...card(100), last4: '0004' }).success).toBe(true);
  });
});
