/**
 * Deterministic demo data: accounts (residential and commercial) with monthly bills, line items by
 * category, payments, the open items that remain (by the same allocation rule the counter uses),
 * a few cash-only and collections accounts, and the demo cashiers. Same seed, same data.
 *
 * `count` scales it: ~2,000 for the demo, 1,000,000 (with `months: 1`) for the lookup benchmark.
 */
import { allocatePayment, type AllocationPolicy, type OpenItem } from '../../shared/domain/allocation.js';
import { addCents, mulCents, subCents, sumCents, type Cents } from '../../shared/money.js';
import type { DepositData } from '../../shared/sync/deposits.js';
import { demoDeposit, type DemoDepositKind } from './deposits.js';

export type DemoAccount = {
  accountNumber: string;
  name: string;
  class: 'residential' | 'commercial';
  status: 'active' | 'suspended' | 'collections' | 'closed';
  serviceAddress: string;
  phone: string;
  phoneDigits: string;
  cashOnly: boolean;
  cashOnlyReason: string | null;
  balanceCents: Cents;
  depositHeldCents: Cents;
};
export type DemoBill = {
  id: string;
  accountNumber: string;
  billDate: string;
  dueDate: string;
  totalCents: Cents;
  lines: { category: string; description: string; amountCents: Cents }[];
};
export type DemoPayment = {
  id: string;
  accountNumber: string;
  paidOn: string;
  amountCents: Cents;
  method: string;
  channel: string;
};
export type DemoAccountBundle = {
  account: DemoAccount;
  bills: DemoBill[];
  openItems: (OpenItem & { accountNumber: string; billId: string })[];
  payments: DemoPayment[];
  /** The account's deposit record (held, requested or paid in part), when it has one. */
  deposits: DepositData[];
};

export type DemoCashier = { id: string; name: string; role: 'csr' | 'supervisor' | 'admin'; pin: string };

/** Demo sign-ins (also listed in the README). */
export const DEMO_CASHIERS: DemoCashier[] = [
  { id: '1001', name: 'Dana Whitfield', role: 'csr', pin: '1234' },
  { id: '1002', name: 'Luis Ortega', role: 'csr', pin: '2345' },
  { id: '2001', name: 'Sam Okafor', role: 'supervisor', pin: '2468' },
  { id: '9001', name: 'Alex Kim', role: 'admin', pin: '9999' },
];

export const DEFAULT_ALLOCATION_POLICY: AllocationPolicy = {
  priority: ['basic_local', 'other_regulated', 'taxes', 'non_regulated', 'equipment', 'late_fee'],
  excluded: ['deposit_installment'],
  order: 'category_first',
};

/** The account on the design card: amount due 73.45, nothing past due, deposit held 150.00. */
export const DEMO_MARIA = '1000042517';

export type DemoOptions = { count: number; months: number; today: string; seed?: number };

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Maria',
  'James',
  'Aisha',
  'Chen',
  'Olga',
  'Diego',
  'Fatima',
  'Liam',
  'Noor',
  'Sofia',
  'Kwame',
  'Hannah',
  'Raj',
  'Emily',
  'José',
  'Zoë',
  'Björn',
  'Priya',
  'Marcus',
  'Renée',
  'Tomás',
  'Grace',
  'Ahmed',
  'Lucía',
  'Peter',
  'Mei',
  'Ivan',
  'Chloé',
  'Samuel',
  'Ana',
];
const LAST = [
  'Álvarez',
  'Smith',
  'Johnson',
  'Nguyen',
  'Okafor',
  'García',
  'Müller',
  'Brown',
  'Kowalski',
  'Patel',
  'Martínez',
  'Lee',
  'O’Brien',
  'Dubois',
  'Rossi',
  'Haddad',
  'Jensen',
  'Silva',
  'Cohen',
  'Wright',
  'Novák',
  'Tanaka',
  'Moreno',
  'Fischer',
  'Ibrahim',
  'Walker',
  'Peña',
  'Schmidt',
  'Young',
  'Lindqvist',
];
const COMPANY = [
  'Bakery',
  'Dental Care',
  'Auto Repair',
  'Flowers',
  'Law Office',
  'Hardware',
  'Café',
  'Laundromat',
  'Pharmacy',
  'Print Shop',
  'Yoga Studio',
  'Pet Clinic',
];
const STREETS = [
  'Elm St',
  'Oak Ave',
  'Maple Dr',
  'Cedar Ln',
  'Main St',
  'Pine Rd',
  'Lakeview Blvd',
  'River Rd',
  'Hillcrest Ave',
  'Park Pl',
  'Sunset Blvd',
  'Church St',
  'Mill Rd',
  'Washington Ave',
  'Jefferson St',
];
const CITIES = ['Springfield', 'Riverton', 'Fairview', 'Lakeside', 'Georgetown'];
const AREA = ['217', '309', '618', '815', '630'];

function isoAddDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function isoAddMonths(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export function demoAccountNumber(index: number): string {
  return index === 0 ? DEMO_MARIA : String(1_100_000_000 + index * 7);
}

type Plan = { basic: Cents; regulated: Cents; nonRegulated: Cents[]; equipment: Cents; labels: string[] };

function plan(rand: () => number, commercial: boolean): Plan {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  if (commercial) {
    return {
      basic: pick([5495, 8990, 12450]),
      regulated: pick([1500, 2975, 4410]),
      nonRegulated: [pick([12999, 19999, 29999])],
      equipment: pick([0, 1500, 2500]),
      labels: [
        'Business lines',
        'Long distance & features',
        pick(['Business internet 300', 'Business internet 1G', 'Business TV + internet']),
      ],
    };
  }
  return {
    basic: pick([1895, 2495, 2950]),
    regulated: pick([0, 450, 899, 1250]),
    nonRegulated: rand() < 0.7 ? [pick([4999, 5999, 7999])] : [],
    equipment: pick([0, 0, 1000, 1200]),
    labels: [
      'Basic local service',
      'Long distance',
      pick(['Internet 100', 'Internet 300', 'TV Basic + Internet']),
    ],
  };
}

/** One account with its bills, payments and open items. Index 0 is Maria Álvarez from the design card. */
export function demoAccount(index: number, opts: DemoOptions): DemoAccountBundle {
  const rand = mulberry32((opts.seed ?? 20261125) ^ Math.imul(index + 1, 2654435761));
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const accountNumber = demoAccountNumber(index);
  const maria = index === 0;
  const commercial = !maria && index % 7 === 3;
  const collections = !maria && index % 53 === 11;
  // Service ended (final bill issued): the deposit held is to be applied to the final balance.
  const closed = !maria && !collections && index % 89 === 60;
  const cashOnly = !maria && index % 97 === 5;
  const first = maria ? 'Maria' : pick(FIRST);
  const last = maria ? 'Álvarez' : pick(LAST);
  const name = commercial ? `${last} ${pick(COMPANY)}` : `${first} ${last}`;
  const serviceAddress = maria
    ? '12 Elm St, Apt 3, Springfield'
    : `${1 + Math.floor(rand() * 9900)} ${pick(STREETS)}${rand() < 0.25 ? `, Apt ${1 + Math.floor(rand() * 40)}` : ''}, ${pick(CITIES)}`;
  const phoneDigits = maria
    ? '2175550142'
    : `${pick(AREA)}${String(2_000_000 + ((index * 7_919) % 7_999_999)).padStart(7, '0')}`;
  const phone = `(${phoneDigits.slice(0, 3)}) ${phoneDigits.slice(3, 6)}-${phoneDigits.slice(6)}`;
  const p = maria
    ? {
        basic: 2495,
        regulated: 1250,
        nonRegulated: [2999],
        equipment: 0,
        labels: ['Basic local service', 'Long distance', 'Internet 100'],
      }
    : plan(rand, commercial);

  // The current bill was issued 10 days ago and is due in 10 days; earlier bills monthly before it.
  const lastBillDate = isoAddDays(opts.today, -10);
  const bills: DemoBill[] = [];
  for (let m = opts.months - 1; m >= 0; m--) {
    const billDate = isoAddMonths(lastBillDate, -m);
    const id = `B${accountNumber}-${billDate.replaceAll('-', '')}`;
    const lines: DemoBill['lines'] = [
      { category: 'basic_local', description: p.labels[0] ?? 'Basic local service', amountCents: p.basic },
    ];
    if (p.regulated)
      lines.push({
        category: 'other_regulated',
        description: p.labels[1] ?? 'Long distance',
        amountCents: p.regulated,
      });
    for (const nr of p.nonRegulated)
      lines.push({ category: 'non_regulated', description: p.labels[2] ?? 'Internet', amountCents: nr });
    if (p.equipment)
      lines.push({ category: 'equipment', description: 'Equipment lease', amountCents: p.equipment });
    const taxable = sumCents(lines.map((l) => l.amountCents));
    // Maria's bill is exactly 73.45 (the design card): 24.95 + 12.50 + 29.99 + 6.01 tax.
    const tax = maria ? 601 : mulCents(taxable, 0.0825);
    lines.push({ category: 'taxes', description: 'Taxes and regulatory fees', amountCents: tax });
    bills.push({
      id,
      accountNumber,
      billDate,
      dueDate: isoAddDays(billDate, 20),
      totalCents: addCents(taxable, tax),
      lines,
    });
  }

  // Payments: each earlier bill is paid about 10 days after it is issued; collections accounts stop
  // paying four months back; some accounts pay part.
  const payments: DemoPayment[] = [];
  bills.forEach((bill, i) => {
    const isCurrent = i === bills.length - 1;
    if (isCurrent) return;
    if (collections && i >= bills.length - 5) return;
    const partial = !maria && rand() < 0.06;
    const amount = partial ? Math.round(bill.totalCents / 2) : bill.totalCents;
    payments.push({
      id: `P${bill.id.slice(1)}`,
      accountNumber,
      paidOn: isoAddDays(bill.billDate, 8 + Math.floor(rand() * 12)),
      amountCents: amount,
      method: pick(['card', 'card', 'bank', 'cash', 'check']),
      channel: pick(['online', 'autopay', 'counter', 'mail']),
    });
  });

  // Open items: every bill line is an item; payments apply by the allocation policy in date order.
  const items: (OpenItem & { accountNumber: string; billId: string })[] = [];
  let credit = 0;
  const byDate = [...payments].sort((a, b) => a.paidOn.localeCompare(b.paidOn));
  for (const bill of bills) {
    bill.lines.forEach((line, li) => {
      items.push({
        id: `${bill.id}-${li + 1}`,
        accountNumber,
        billId: bill.id,
        category: line.category,
        dueDate: bill.dueDate,
        openCents: line.amountCents,
      });
    });
    for (const pay of byDate.filter(
      (x) => x.paidOn >= bill.billDate && x.paidOn < isoAddMonths(bill.billDate, 1),
    )) {
      const r = allocatePayment(addCents(pay.amountCents, credit), items, DEFAULT_ALLOCATION_POLICY, {
        asOf: pay.paidOn,
      });
      for (const a of r.allocations) {
        const it = items.find((x) => x.id === a.itemId);
        if (it) it.openCents = subCents(it.openCents, a.cents);
      }
      credit = r.unappliedCents;
    }
  }
  const openItems = items.filter((i) => i.openCents > 0);
  const balanceCents = subCents(sumCents(openItems.map((i) => i.openCents)), credit);

  const account: DemoAccount = {
    accountNumber,
    name,
    class: commercial ? 'commercial' : 'residential',
    status: collections ? 'collections' : closed ? 'closed' : 'active',
    serviceAddress,
    phone,
    phoneDigits,
    cashOnly,
    cashOnlyReason: cashOnly ? 'Returned check (NSF): cash, card or money order only' : null,
    balanceCents,
    depositHeldCents: maria ? 15000 : commercial ? pick([0, 25000, 40000]) : pick([0, 0, 0, 10000, 15000]),
  };
  if (closed && account.depositHeldCents === 0) account.depositHeldCents = 10000;

  // The deposit record behind the amount held (paid 1 to 6 years ago; Maria's on a fixed day), or a
  // deposit requested for new service, or one paid in part under the installment plan.
  const daysAgo = maria ? 1_349 : 400 + Math.floor(rand() * 1_800);
  const depositKind: DemoDepositKind =
    account.depositHeldCents > 0
      ? 'held'
      : !commercial && !collections && index % 41 === 20
        ? 'partial'
        : !collections && index % 41 === 7
          ? 'requested'
          : 'none';
  const deposit = demoDeposit({
    accountNumber,
    accountClass: account.class,
    kind: depositKind,
    heldCents: account.depositHeldCents,
    daysAgo,
    today: opts.today,
    bills,
    payments,
  });
  if (deposit && depositKind === 'partial')
    account.depositHeldCents = addCents(...deposit.movements.map((m) => m.amountCents));
  return { account, bills, openItems, payments, deposits: deposit ? [deposit] : [] };
}

export function* demoAccounts(opts: DemoOptions): Generator<DemoAccountBundle> {
  for (let i = 0; i < opts.count; i++) yield demoAccount(i, opts);
}
