import { describe, expect, it } from 'vitest';

import {
  DEFAULT_ALLOCATION_POLICY,
  DEMO_CASHIERS,
  DEMO_MARIA,
  demoAccount,
  demoAccountNumber,
  demoAccounts,
  type DemoOptions,
} from '../../resources/demo/generate.js';

const OPTS: DemoOptions = { count: 300, months: 12, today: '2026-11-25' };
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const all = [...demoAccounts(OPTS)];

describe('demo data generator', () => {
  it('is deterministic: the same options give deep-equal output', () => {
    expect([...demoAccounts(OPTS)]).toEqual(all);
    expect(demoAccount(137, OPTS)).toEqual(all[137]);
  });

  it('depends on the seed', () => {
    const other = [...demoAccounts({ ...OPTS, count: 20, seed: 7 })];
    expect(other.map((b) => b.account.name)).not.toEqual(all.slice(0, 20).map((b) => b.account.name));
    // Account numbers do not depend on the seed.
    expect(other.map((b) => b.account.accountNumber)).toEqual(
      all.slice(0, 20).map((b) => b.account.accountNumber),
    );
  });

  it('account 0 is Maria Álvarez from the design card', () => {
    const maria = all[0];
    expect(maria).toBeDefined();
    if (!maria) return;
    expect(DEMO_MARIA).toBe('1000042517');
    expect(maria.account).toMatchObject({
      accountNumber: '1000042517',
      name: 'Maria Álvarez',
      class: 'residential',
      status: 'active',
      serviceAddress: '12 Elm St, Apt 3, Springfield',
      phone: '(217) 555-0142',
      cashOnly: false,
      balanceCents: 7_345,
      depositHeldCents: 15_000,
    });
    // 24.95 + 12.50 + 29.99 + 6.01 tax = 73.45 every month.
    expect(maria.bills).toHaveLength(12);
    for (const bill of maria.bills) {
      expect(bill.totalCents).toBe(7_345);
      expect(bill.lines.map((l) => [l.category, l.amountCents])).toEqual([
        ['basic_local', 2_495],
        ['other_regulated', 1_250],
        ['non_regulated', 2_999],
        ['taxes', 601],
      ]);
    }
    // The current bill: issued 10 days before today (2026-11-15), due 20 days after it (2026-12-05).
    const current = maria.bills.at(-1);
    expect(current?.billDate).toBe('2026-11-15');
    expect(current?.dueDate).toBe('2026-12-05');
    // Eleven earlier bills paid in full; only the current bill is open.
    expect(maria.payments).toHaveLength(11);
    expect(maria.payments.every((p) => p.amountCents === 7_345)).toBe(true);
    expect(maria.openItems.map((i) => i.billId)).toEqual(Array(4).fill(current?.id));
    expect(sum(maria.openItems.map((i) => i.openCents))).toBe(7_345);
  });

  it('numbers accounts uniquely with 10 digits', () => {
    expect(demoAccountNumber(0)).toBe('1000042517');
    expect(demoAccountNumber(1)).toBe('1100000007');
    expect(demoAccountNumber(13)).toBe('1100000091');
    const numbers = all.map((b) => b.account.accountNumber);
    expect(new Set(numbers).size).toBe(300);
    for (const n of numbers) expect(n).toMatch(/^\d{10}$/);
  });

  it('every account: balance === Σ bill totals − Σ payments, and open items carry exactly that balance', () => {
    for (const { account, bills, payments, openItems } of all) {
      const billed = sum(bills.map((b) => b.totalCents));
      const paid = sum(payments.map((p) => p.amountCents));
      expect(account.balanceCents, account.accountNumber).toBe(billed - paid);
      // credit = Σ open − balance. No demo payment is larger than what is open when it is made (each pays at
      // most the bill issued just before it, whose lines are all still open), so no credit is ever left over.
      const credit = sum(openItems.map((i) => i.openCents)) - account.balanceCents;
      expect(credit, account.accountNumber).toBe(0);
      expect(sum(openItems.map((i) => i.openCents)) - credit).toBe(account.balanceCents);
      for (const item of openItems) {
        expect(item.openCents).toBeGreaterThan(0);
        expect(item.accountNumber).toBe(account.accountNumber);
        // An open item never holds more than the bill line it came from.
        const bill = bills.find((b) => b.id === item.billId);
        expect(bill).toBeDefined();
        const lineNo = Number(item.id.split('-').at(-1));
        const line = bill?.lines[lineNo - 1];
        expect(line?.category).toBe(item.category);
        expect(item.openCents).toBeLessThanOrEqual(line?.amountCents ?? 0);
        expect(item.dueDate).toBe(bill?.dueDate);
      }
      expect(account.balanceCents).toBeGreaterThanOrEqual(0);
    }
  });

  it('bills add up: total === Σ lines, due 20 days after the bill date, one per month', () => {
    for (const { bills } of all) {
      expect(bills).toHaveLength(12);
      for (const bill of bills) {
        expect(bill.totalCents).toBe(sum(bill.lines.map((l) => l.amountCents)));
        const days = (Date.parse(bill.dueDate) - Date.parse(bill.billDate)) / 86_400_000;
        expect(days).toBe(20);
      }
      expect(bills.map((b) => b.billDate.slice(0, 7))).toEqual([
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
        '2026-05',
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
        '2026-11',
      ]);
    }
  });

  it('taxes are 8.25 % of the taxable lines, rounded half up to the cent', () => {
    for (const { account, bills } of all.slice(1, 60)) {
      for (const bill of bills) {
        const taxable = sum(bill.lines.filter((l) => l.category !== 'taxes').map((l) => l.amountCents));
        const tax = bill.lines.find((l) => l.category === 'taxes')?.amountCents;
        // exact integer arithmetic: taxable × 825 / 10000, + 0.5 then floor
        expect(tax, account.accountNumber).toBe(Math.floor((taxable * 825 + 5_000) / 10_000));
      }
    }
  });

  it('an account that paid every earlier bill in full owes exactly its current bill, line by line', () => {
    let checked = 0;
    for (const { account, bills, payments, openItems } of all) {
      const current = bills.at(-1);
      const paidInFull =
        payments.length === bills.length - 1 &&
        payments.every((p) => bills.find((b) => `P${b.id.slice(1)}` === p.id)?.totalCents === p.amountCents);
      if (!paidInFull || !current) continue;
      checked++;
      expect(account.balanceCents).toBe(current.totalCents);
      expect(openItems.map((i) => [i.id, i.category, i.dueDate, i.openCents])).toEqual(
        current.lines.map((l, n) => [`${current.id}-${n + 1}`, l.category, current.dueDate, l.amountCents]),
      );
    }
    // About 94 % of the non-collections accounts pay every bill in full (6 % chance of a half payment each month).
    expect(checked).toBeGreaterThan(100);
  });

  it('a half payment leaves the lowest-priority lines open first (allocation order)', () => {
    // Some account paid half of a bill (6 % chance a month, so one of 300 accounts surely did).
    const partial = all.find((b) =>
      b.payments.some((p) => {
        const bill = b.bills.find((x) => `P${x.id.slice(1)}` === p.id);
        return bill !== undefined && p.amountCents < bill.totalCents;
      }),
    );
    expect(partial).toBeDefined();
    if (!partial) return;
    // Payments pay by category priority first: a line that received money means every higher-priority line
    // of the same bill was paid in full.
    const rank = (c: string): number => DEFAULT_ALLOCATION_POLICY.priority.indexOf(c);
    for (const bill of partial.bills) {
      const open = new Map(
        partial.openItems.filter((i) => i.billId === bill.id).map((i) => [i.id, i.openCents]),
      );
      bill.lines.forEach((line, n) => {
        const openHere = open.get(`${bill.id}-${n + 1}`) ?? 0;
        const paidHere = line.amountCents - openHere;
        if (paidHere === 0) return;
        bill.lines.forEach((other, m) => {
          if (rank(other.category) < rank(line.category))
            expect(open.get(`${bill.id}-${m + 1}`) ?? 0).toBe(0);
        });
      });
    }
  });

  it('has cash-only, collections and commercial accounts', () => {
    const cashOnly = all.filter((b) => b.account.cashOnly);
    const collections = all.filter((b) => b.account.status === 'collections');
    const commercial = all.filter((b) => b.account.class === 'commercial');
    // index % 97 === 5 → 5, 102, 199, 296; index % 53 === 11 → 11, 64, 117, 170, 223, 276; index % 7 === 3 → 43.
    expect(cashOnly.map((b) => b.account.accountNumber)).toEqual([5, 102, 199, 296].map(demoAccountNumber));
    expect(collections.map((b) => b.account.accountNumber)).toEqual(
      [11, 64, 117, 170, 223, 276].map(demoAccountNumber),
    );
    expect(commercial).toHaveLength(43);
    for (const b of cashOnly) expect(b.account.cashOnlyReason).toMatch(/NSF/);
    for (const b of all.filter((x) => !x.account.cashOnly)) expect(b.account.cashOnlyReason).toBeNull();
    // Collections accounts stopped paying: the last five bills are unpaid, so they owe at least those.
    for (const b of collections) {
      expect(b.payments.length).toBeLessThanOrEqual(7);
      expect(b.account.balanceCents).toBeGreaterThanOrEqual(sum(b.bills.slice(-5).map((x) => x.totalCents)));
    }
    for (const b of commercial)
      expect(b.account.depositHeldCents === 0 || b.account.depositHeldCents >= 25_000).toBe(true);
  });

  it('the demo cashiers match the README', () => {
    expect(DEMO_CASHIERS.map((c) => [c.id, c.pin, c.role])).toEqual([
      ['1001', '1234', 'csr'],
      ['1002', '2345', 'csr'],
      ['2001', '2468', 'supervisor'],
      ['9001', '9999', 'admin'],
    ]);
  });
});
