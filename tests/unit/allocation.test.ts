import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  ageItems,
  allocatedTotal,
  allocatePayment,
  pastDue,
  type AllocationPolicy,
  type OpenItem,
} from '../../shared/domain/allocation.js';

const POLICY: AllocationPolicy = {
  priority: ['basic_local', 'other_regulated', 'taxes', 'non_regulated', 'equipment', 'late_fee'],
  excluded: ['deposit_installment'],
};

const item = (id: string, category: string, dueDate: string, openCents: number): OpenItem => ({
  id,
  category,
  dueDate,
  openCents,
});

describe('allocatePayment', () => {
  const items: OpenItem[] = [
    item('a', 'non_regulated', '2026-09-01', 5_000),
    item('b', 'basic_local', '2026-11-01', 2_000),
    item('c', 'basic_local', '2026-10-01', 1_500),
    item('d', 'other_regulated', '2026-10-01', 1_000),
    item('e', 'deposit_installment', '2026-08-01', 7_500),
    item('f', 'misc', '2026-01-01', 300),
  ];

  it('pays by category priority first, then the oldest due date within a category', () => {
    // 60.00: basic_local oldest c 15.00 (45.00 left), then b 20.00 (25.00), other_regulated d 10.00 (15.00),
    // then non_regulated a gets the last 15.00 of its 50.00. The 2026-01-01 'misc' item is older than all
    // of them but unlisted, so it comes after every listed category.
    expect(allocatePayment(6_000, items, POLICY)).toEqual({
      allocations: [
        { itemId: 'c', category: 'basic_local', cents: 1_500 },
        { itemId: 'b', category: 'basic_local', cents: 2_000 },
        { itemId: 'd', category: 'other_regulated', cents: 1_000 },
        { itemId: 'a', category: 'non_regulated', cents: 1_500 },
      ],
      unappliedCents: 0,
    });
  });

  it('never pays an excluded category and leaves the remainder unapplied', () => {
    // Payable: 15.00 + 20.00 + 10.00 + 50.00 + 3.00 = 98.00; 200.00 - 98.00 = 102.00 unapplied.
    const r = allocatePayment(20_000, items, POLICY);
    expect(r.allocations).toEqual([
      { itemId: 'c', category: 'basic_local', cents: 1_500 },
      { itemId: 'b', category: 'basic_local', cents: 2_000 },
      { itemId: 'd', category: 'other_regulated', cents: 1_000 },
      { itemId: 'a', category: 'non_regulated', cents: 5_000 },
      { itemId: 'f', category: 'misc', cents: 300 },
    ]);
    expect(r.unappliedCents).toBe(10_200);
    expect(r.allocations.some((a) => a.itemId === 'e')).toBe(false);
    expect(allocatedTotal(r)).toBe(20_000);
  });

  it('a payment that exactly clears an item stops there', () => {
    expect(allocatePayment(1_500, items, POLICY)).toEqual({
      allocations: [{ itemId: 'c', category: 'basic_local', cents: 1_500 }],
      unappliedCents: 0,
    });
  });

  it('a one-cent payment goes to the first item in the order', () => {
    expect(allocatePayment(1, items, POLICY)).toEqual({
      allocations: [{ itemId: 'c', category: 'basic_local', cents: 1 }],
      unappliedCents: 0,
    });
  });

  it('a zero payment allocates nothing; no items means everything is unapplied', () => {
    expect(allocatePayment(0, items, POLICY)).toEqual({ allocations: [], unappliedCents: 0 });
    expect(allocatePayment(4_200, [], POLICY)).toEqual({ allocations: [], unappliedCents: 4_200 });
  });

  it('skips items with nothing (or a credit) open', () => {
    const r = allocatePayment(
      1_000,
      [
        item('x', 'basic_local', '2026-01-01', 0),
        item('y', 'basic_local', '2026-02-01', -500),
        item('z', 'taxes', '2026-03-01', 400),
      ],
      POLICY,
    );
    expect(r).toEqual({ allocations: [{ itemId: 'z', category: 'taxes', cents: 400 }], unappliedCents: 600 });
  });

  it('breaks ties on the same category and due date by item id', () => {
    const r = allocatePayment(
      150,
      [item('k2', 'taxes', '2026-10-01', 100), item('k1', 'taxes', '2026-10-01', 100)],
      POLICY,
    );
    expect(r.allocations).toEqual([
      { itemId: 'k1', category: 'taxes', cents: 100 },
      { itemId: 'k2', category: 'taxes', cents: 50 },
    ]);
  });

  it('follows the policy data, not a built-in order', () => {
    const reversed: AllocationPolicy = { priority: ['non_regulated', 'basic_local'], excluded: [] };
    const r = allocatePayment(5_500, items, reversed);
    // non_regulated a 50.00 first, then basic_local c gets 5.00.
    expect(r.allocations).toEqual([
      { itemId: 'a', category: 'non_regulated', cents: 5_000 },
      { itemId: 'c', category: 'basic_local', cents: 500 },
    ]);
  });

  it('does not modify the items it is given', () => {
    const copy = structuredClone(items);
    allocatePayment(20_000, items, POLICY);
    expect(items).toEqual(copy);
  });

  it('refuses negative or fractional payments', () => {
    expect(() => allocatePayment(-1, items, POLICY)).toThrow(RangeError);
    expect(() => allocatePayment(10.5, items, POLICY)).toThrow(RangeError);
  });
});

describe('allocatePayment: past due first, or category first (a policy choice)', () => {
  // asOf 2026-11-25. Past due = due before that day (pastDue's rule); due on it is current.
  const asOf = '2026-11-25';
  const open: OpenItem[] = [
    item('nr-old', 'non_regulated', '2026-10-20', 3_000), // past due
    item('bl-new', 'basic_local', '2026-12-05', 2_000), // current
    item('bl-old', 'basic_local', '2026-11-05', 1_000), // past due
    item('tx-today', 'taxes', '2026-11-25', 500), // due today: current
    item('or-old', 'other_regulated', '2026-09-20', 700), // past due
  ];
  type Row = { name: string; order: AllocationPolicy['order']; amount: number; paid: [string, number][] };
  const rows: Row[] = [
    {
      // Category first: basic_local bl-old 10.00 (40.00 left), bl-new 20.00 (20.00), other_regulated
      // or-old 7.00 (13.00), taxes tx-today 5.00 (8.00), non_regulated nr-old gets 8.00 of its 30.00:
      // the past-due non-regulated item waits behind a current basic-local one.
      name: 'category first (today’s default): a current basic-local item before a past-due non-regulated one',
      order: 'category_first',
      amount: 5_000,
      paid: [
        ['bl-old', 1_000],
        ['bl-new', 2_000],
        ['or-old', 700],
        ['tx-today', 500],
        ['nr-old', 800],
      ],
    },
    {
      // Past due first, by category within: bl-old 10.00 (40.00 left), or-old 7.00 (33.00), nr-old
      // 30.00 (3.00); then current by category: bl-new gets the last 3.00 of its 20.00.
      name: 'past due first: every past-due item, by category, before anything current',
      order: 'past_due_first',
      amount: 5_000,
      paid: [
        ['bl-old', 1_000],
        ['or-old', 700],
        ['nr-old', 3_000],
        ['bl-new', 300],
      ],
    },
    {
      // 17.00 past due first: bl-old 10.00, or-old 7.00, nothing for the rest.
      name: 'past due first: a payment that covers only part of what is past due',
      order: 'past_due_first',
      amount: 1_700,
      paid: [
        ['bl-old', 1_000],
        ['or-old', 700],
      ],
    },
    {
      // 80.00 covers all 72.00 payable in either order; past due first: bl-old, or-old, nr-old, then
      // current bl-new 20.00, tx-today 5.00; 8.00 unapplied.
      name: 'past due first: more than is open leaves the rest unapplied',
      order: 'past_due_first',
      amount: 8_000,
      paid: [
        ['bl-old', 1_000],
        ['or-old', 700],
        ['nr-old', 3_000],
        ['bl-new', 2_000],
        ['tx-today', 500],
      ],
    },
  ];

  it.each(rows)('$name', ({ order, amount, paid }) => {
    const r = allocatePayment(amount, open, { ...POLICY, order }, { asOf });
    expect(r.allocations.map((a) => [a.itemId, a.cents])).toEqual(paid);
    expect(allocatedTotal(r)).toBe(amount);
  });

  it('category first is the default when the policy data does not name an order', () => {
    const { order: _none, ...older } = { ...POLICY, order: undefined };
    const r = allocatePayment(5_000, open, older, { asOf });
    expect(r.allocations.map((a) => a.itemId)).toEqual(['bl-old', 'bl-new', 'or-old', 'tx-today', 'nr-old']);
  });

  it('past due first needs the day to tell past due from current', () => {
    expect(() => allocatePayment(5_000, open, { ...POLICY, order: 'past_due_first' })).toThrow(
      /past due first needs the business date/,
    );
  });
});

describe('ageItems', () => {
  it('buckets by days past due with exact boundaries 30/31, 60/61, 90/91', () => {
    // asOf 2026-11-25. Day counts: 10-26 → 30 (Oct 26..31 = 5, + 25); 09-26 → 60 (4 + 31 + 25);
    // 08-27 → 90 (4 + 30 + 31 + 25). Amounts are powers of two so each bucket sum names its items.
    const items = [
      item('due-today', 'basic_local', '2026-11-25', 1), // 0 days → current
      item('not-yet-due', 'basic_local', '2026-12-10', 2), // -15 days → current
      item('d-30', 'basic_local', '2026-10-26', 4), // 30 → current
      item('d-31', 'basic_local', '2026-10-25', 8), // 31 → 30
      item('d-60', 'basic_local', '2026-09-26', 16), // 60 → 30
      item('d-61', 'basic_local', '2026-09-25', 32), // 61 → 60
      item('d-90', 'basic_local', '2026-08-27', 64), // 90 → 60
      item('d-91', 'basic_local', '2026-08-26', 128), // 91 → 90
      item('d-365', 'basic_local', '2025-11-25', 256), // 365 → 90
      item('paid', 'basic_local', '2025-01-01', 0), // nothing open: ignored
      item('credit', 'basic_local', '2025-01-01', -512), // credit: ignored
    ];
    expect(ageItems(items, '2026-11-25')).toEqual({
      current: 1 + 2 + 4,
      d30: 8 + 16,
      d60: 32 + 64,
      d90: 128 + 256,
    });
  });

  it('counts February 29 in a leap year', () => {
    // 2028-01-31 → 2028-03-01: 1 + 29 = 30 days → current; one day earlier → 31 → 30 bucket.
    expect(
      ageItems(
        [item('a', 'taxes', '2028-01-31', 100), item('b', 'taxes', '2028-01-30', 1_000)],
        '2028-03-01',
      ),
    ).toEqual({ current: 100, d30: 1_000, d60: 0, d90: 0 });
  });

  it('the buckets add up to everything open', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            days: fc.integer({ min: -60, max: 400 }),
            openCents: fc.integer({ min: -5_000, max: 50_000 }),
          }),
          { maxLength: 30 },
        ),
        (rows) => {
          const asOf = Date.UTC(2026, 10, 25);
          const items = rows.map((r, i) =>
            item(
              String(i),
              'taxes',
              new Date(asOf - r.days * 86_400_000).toISOString().slice(0, 10),
              r.openCents,
            ),
          );
          const b = ageItems(items, '2026-11-25');
          const open = rows.filter((r) => r.openCents > 0);
          expect(b.current + b.d30 + b.d60 + b.d90).toBe(open.reduce((s, r) => s + r.openCents, 0));
          const sumWhere = (f: (d: number) => boolean) =>
            open.filter((r) => f(r.days)).reduce((s, r) => s + r.openCents, 0);
          expect(b.current).toBe(sumWhere((d) => d <= 30));
          expect(b.d30).toBe(sumWhere((d) => d >= 31 && d <= 60));
          expect(b.d60).toBe(sumWhere((d) => d >= 61 && d <= 90));
          expect(b.d90).toBe(sumWhere((d) => d >= 91));
        },
      ),
    );
  });
});

describe('pastDue', () => {
  it('sums what was due before the date (not on it, not after it)', () => {
    const items = [
      item('yesterday', 'basic_local', '2026-11-24', 100),
      item('today', 'basic_local', '2026-11-25', 200),
      item('next-week', 'basic_local', '2026-12-01', 400),
      item('october', 'taxes', '2026-10-01', 800),
      item('paid', 'taxes', '2026-10-01', 0),
      item('credit', 'taxes', '2026-10-01', -50),
    ];
    expect(pastDue(items, '2026-11-25')).toBe(900);
    expect(pastDue(items, '2026-11-24')).toBe(800);
    expect(pastDue(items, '2026-12-02')).toBe(1_500);
    expect(pastDue([], '2026-11-25')).toBe(0);
  });
});

describe('allocatePayment properties', () => {
  const CATEGORIES = [
    'basic_local',
    'other_regulated',
    'taxes',
    'non_regulated',
    'equipment',
    'late_fee',
    'deposit_installment',
    'misc',
  ];
  const DATES = ['2026-06-20', '2026-07-20', '2026-08-20', '2026-09-20', '2026-10-20', '2026-11-20'];

  const scenario = fc.record({
    amount: fc.integer({ min: 0, max: 300_000 }),
    items: fc.array(
      fc.record({
        category: fc.constantFrom(...CATEGORIES),
        dueDate: fc.constantFrom(...DATES),
        openCents: fc.integer({ min: -2_000, max: 40_000 }),
      }),
      { maxLength: 25 },
    ),
    policy: fc.record({
      priority: fc.shuffledSubarray(CATEGORIES),
      excluded: fc.subarray(['deposit_installment', 'late_fee']),
      order: fc.constantFrom('category_first' as const, 'past_due_first' as const),
    }),
  });
  // Half the due dates are past due on this day, half current (due on it counts as current).
  const ASOF = '2026-09-20';

  it('Σ allocations + unapplied === amount; nobody gets more than is open; order is respected', () => {
    fc.assert(
      fc.property(scenario, ({ amount, items: rows, policy }) => {
        const items = rows.map((r, i) =>
          item(`i${String(i).padStart(2, '0')}`, r.category, r.dueDate, r.openCents),
        );
        const r = allocatePayment(amount, items, policy, { asOf: ASOF });
        const byId = new Map(items.map((x) => [x.id, x]));
        const paid = new Map<string, number>();
        for (const a of r.allocations) {
          const it = byId.get(a.itemId);
          expect(it).toBeDefined();
          if (!it) continue;
          expect(paid.has(a.itemId)).toBe(false);
          paid.set(a.itemId, a.cents);
          expect(a.category).toBe(it.category);
          expect(a.cents).toBeGreaterThan(0);
          expect(a.cents).toBeLessThanOrEqual(it.openCents);
          expect(policy.excluded).not.toContain(it.category);
        }
        expect(r.allocations.reduce((s, a) => s + a.cents, 0) + r.unappliedCents).toBe(amount);
        expect(r.unappliedCents).toBeGreaterThanOrEqual(0);

        const rank = (c: string): number =>
          policy.priority.includes(c) ? policy.priority.indexOf(c) : policy.priority.length;
        const payable = items.filter((x) => x.openCents > 0 && !policy.excluded.includes(x.category));
        // Whatever is unapplied means every payable item was paid in full.
        if (r.unappliedCents > 0) for (const x of payable) expect(paid.get(x.id)).toBe(x.openCents);
        // An item earlier in the order (past due before current when the policy says so, then higher
        // priority, then older) is never left open while a later one got money.
        const current = (x: OpenItem): number =>
          policy.order === 'past_due_first' && x.dueDate >= ASOF ? 1 : 0;
        for (const later of payable) {
          if (!paid.has(later.id)) continue;
          for (const earlier of payable) {
            const before =
              current(earlier) < current(later) ||
              (current(earlier) === current(later) &&
                (rank(earlier.category) < rank(later.category) ||
                  (rank(earlier.category) === rank(later.category) && earlier.dueDate < later.dueDate)));
            if (before)
              expect(paid.get(earlier.id), `${earlier.id} before ${later.id}`).toBe(earlier.openCents);
          }
        }
        // The amount is used up before anything is left unpaid.
        const totalPayable = payable.reduce((s, x) => s + x.openCents, 0);
        expect(r.unappliedCents).toBe(Math.max(0, amount - totalPayable));
      }),
      { numRuns: 1000 },
    );
    // 1,000 runs take about a second alone; allow for a machine shared with other test runs.
  }, 30_000);
});
