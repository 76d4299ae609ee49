/**
 * Back billing: charges that were never billed (a meter or service missed, a rate error), billed late
 * under the jurisdiction's rules, which are policy data:
 *
 * - a maximum age: a charge whose first period began more than `maxAgeMonths` months before this month
 *   is refused, unless the customer caused the delay and the policy waives the limit for that;
 * - an installment plan at least as long as the months the charges span (and, where the policy says
 *   so, as long as the oldest charge is old);
 * - an installment cap, a percentage of the customer's average monthly bill, either on the installment
 *   alone or on the bill plus the installment: the plan is then long enough that no installment is
 *   over the cap; the longest of these lengths wins;
 * - the installments are not grounds for disconnection and carry no late fees (flags on the open items).
 *
 * The plan's installments sum EXACTLY to the total: total ÷ n rounded down, and the remainder's cents
 * go one each to the first installments (deterministic, and never over the cap: n ≥ total ÷ cap).
 */
import { z } from 'zod';

import { formatCents, sumCents, type Cents } from '../money.js';
import { dayOf, isIsoDate, isIsoMonth, isoOf, monthIndex, monthOf, parseRatio } from './deposits/internal.js';
import { daysInMonthOf } from './adjustments.js';

export const BackBillPolicySchema = z.object({
  jurisdiction: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,6})?$/),
  label: z.string().min(1).max(80),
  maxAgeMonths: z.number().int().min(1).max(120),
  /** The age limit does not apply to charges whose delay the customer caused. */
  waiveAgeWhenCustomerCaused: z.boolean(),
  /** The plan is at least as long as the months the charges span / as the oldest charge is old. */
  minLength: z.object({ span: z.boolean(), age: z.boolean() }),
  /** Installment cap: a percentage (decimal text, "50") of the average monthly bill. */
  cap: z
    .object({
      percentOfAverageBill: z.string().regex(/^\d+(\.\d+)?$/),
      basis: z.enum(['installment', 'bill_plus_installment']),
    })
    .nullable(),
  /** The longest plan the policy allows: a cap that would need more installments refuses the plan. */
  maxInstallments: z.number().int().min(1).max(360),
  /** Where the charges post (the revenue side of the journal). */
  ledgerAccount: z.string().regex(/^[a-z_]+(:[a-z0-9_]+)?$/),
  notDisconnectable: z.boolean(),
  noLateFees: z.boolean(),
});
export type BackBillPolicy = z.infer<typeof BackBillPolicySchema>;

export const BackBillChargeSchema = z.object({
  description: z.string().trim().min(3, 'Describe the charge (the service or meter).').max(80),
  category: z.string().regex(/^[a-z_]{2,32}$/),
  /** First and last month of service billed, inclusive ('YYYY-MM'). */
  fromMonth: z.string().refine(isIsoMonth, 'Months are YYYY-MM.'),
  toMonth: z.string().refine(isIsoMonth, 'Months are YYYY-MM.'),
  amountPerPeriodCents: z.number().int().positive('The amount per period must be more than zero.').safe(),
  /** The customer caused the delay (e.g. refused meter access): the age limit may not apply. */
  customerCaused: z.boolean(),
});
export type BackBillCharge = z.infer<typeof BackBillChargeSchema>;

export type BackBillContext = {
  /** Today ('YYYY-MM-DD'). */
  today: string;
  /**
   * The customer's recent bills (the cap's base): their sum and how many. The average is kept as the
   * exact ratio sum ÷ count; only the cap it gives is rounded, once.
   */
  bills: { sumCents: Cents; count: number };
  /** The regular monthly bill the installment is added to (the cap on bill + installment); the average when absent. */
  currentBillCents?: Cents;
  /** Due date of the first installment ('YYYY-MM-DD'); the rest follow monthly on the same day. */
  firstDueDate: string;
};

export type BackBillRule =
  'no_charges' | 'no_periods' | 'future' | 'max_age' | 'cap' | 'max_length' | 'sum' | 'context';

export type Installment = { number: number; dueDate: string; cents: Cents; working: string };

export type BackBillPlan = {
  jurisdiction: string;
  totalCents: Cents;
  periods: { description: string; category: string; month: string; cents: Cents }[];
  spanMonths: number;
  ageMonths: number;
  capCents: Cents | null;
  /** What set the plan's length. */
  lengthFrom: 'span' | 'age' | 'cap' | 'single';
  installments: Installment[];
  notDisconnectable: boolean;
  noLateFees: boolean;
  /** The rule applied, in words, for the letter. */
  rule: string;
  working: string[];
};

export type BackBillResult =
  { ok: true; plan: BackBillPlan } | { ok: false; rule: BackBillRule; message: string; working: string[] };

const money = (c: Cents): string => formatCents(c, { symbol: true });
const plural = (n: number, word: string): string => `${String(n)} ${word}${n === 1 ? '' : 's'}`;

/** The same day `k` months after `date`, on the month's last day when it is shorter (31 Jan → 28 Feb). */
export function addMonthsClamped(date: string, k: number): string {
  const m = monthIndex(date) + k;
  const month = monthOf(m);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonthOf(month));
  return isoOf(dayOf(`${month}-${String(day).padStart(2, '0')}`));
}

/** n equal installments of `total`, the remainder's cents one each to the first ones. */
export function splitEvenly(totalCents: Cents, n: number): { cents: Cents; extra: boolean }[] {
  if (!Number.isSafeInteger(totalCents) || totalCents <= 0 || !Number.isInteger(n) || n < 1)
    throw new RangeError('split a positive total over at least one installment');
  const base = Math.floor(totalCents / n);
  const remainder = totalCents - base * n;
  return Array.from({ length: n }, (_, i) => ({
    cents: base + (i < remainder ? 1 : 0),
    extra: i < remainder,
  }));
}

/** Installments that do not add up to the plan's total are refused (a plan edited or built wrongly). */
export function checkInstallmentsSum(installments: { cents: Cents }[], totalCents: Cents): string | null {
  const sum = sumCents(installments.map((i) => i.cents));
  if (installments.some((i) => !Number.isSafeInteger(i.cents) || i.cents <= 0))
    return 'Every installment must be a positive amount.';
  return sum === totalCents
    ? null
    : `The installments add up to ${money(sum)}, not the ${money(totalCents)} billed.`;
}

function refuse(rule: BackBillRule, message: string, working: string[] = []): BackBillResult {
  return { ok: false, rule, message, working };
}

export function backBillPlan(
  policy: BackBillPolicy,
  charges: BackBillCharge[],
  context: BackBillContext,
): BackBillResult {
  if (!isIsoDate(context.today) || !isIsoDate(context.firstDueDate))
    return refuse('context', 'Today and the first due date must be dates (YYYY-MM-DD).');
  const { sumCents: billsSum, count: billCount } = context.bills;
  if (!Number.isSafeInteger(billsSum) || billsSum < 0 || !Number.isSafeInteger(billCount) || billCount < 0)
    return refuse(
      'context',
      'The bills the average is taken over must be whole cents and a count, zero or more.',
    );
  if (context.firstDueDate < context.today)
    return refuse('context', 'The first installment cannot fall due before today.');
  if (charges.length === 0) return refuse('no_charges', 'Enter at least one under-billed charge.');
  const thisMonth = monthIndex(context.today);
  const working: string[] = [];
  const periods: BackBillPlan['periods'] = [];
  for (const [i, c] of charges.entries()) {
    const from = monthIndex(c.fromMonth);
    const to = monthIndex(c.toMonth);
    const n = to - from + 1;
    const name = `Charge ${String(i + 1)} (${c.description})`;
    if (n < 1)
      return refuse(
        'no_periods',
        `${name}: the last month ${c.toMonth} is before the first ${c.fromMonth}: zero periods to bill.`,
      );
    if (to > thisMonth)
      return refuse(
        'future',
        `${name}: ${c.toMonth} is in the future. Back billing covers months already served.`,
      );
    const age = thisMonth - from;
    if (age > policy.maxAgeMonths) {
      if (!(c.customerCaused && policy.waiveAgeWhenCustomerCaused))
        return refuse(
          'max_age',
          `${name}: ${c.fromMonth} is ${plural(age, 'month')} old; ${policy.label} allows back billing of at most ${plural(policy.maxAgeMonths, 'month')}${policy.waiveAgeWhenCustomerCaused ? ' unless the customer caused the delay' : ''}.`,
          [`age of ${c.fromMonth} on ${context.today}: ${String(age)} > ${String(policy.maxAgeMonths)}`],
        );
      working.push(
        `${name}: ${plural(age, 'month')} old, over the ${String(policy.maxAgeMonths)}-month limit, billed because the customer caused the delay.`,
      );
    }
    for (let m = from; m <= to; m++)
      periods.push({
        description: c.description,
        category: c.category,
        month: monthOf(m),
        cents: c.amountPerPeriodCents,
      });
    working.push(
      `${name}: ${plural(n, 'period')} ${c.fromMonth} to ${c.toMonth} × ${money(c.amountPerPeriodCents)} = ${money(c.amountPerPeriodCents * n)}`,
    );
  }
  const totalCents = sumCents(periods.map((p) => p.cents));
  if (!Number.isSafeInteger(totalCents)) return refuse('context', 'The total is too large.');
  working.push(`Total back-billed: ${money(totalCents)}`);

  const months = new Set(periods.map((p) => p.month));
  const spanMonths = months.size;
  const earliest = Math.min(...periods.map((p) => monthIndex(p.month)));
  const ageMonths = thisMonth - earliest;

  const candidates: { from: BackBillPlan['lengthFrom']; n: number; why: string }[] = [];
  if (policy.minLength.age)
    candidates.push({
      from: 'age',
      n: ageMonths,
      why: `at least as long as the oldest charge is old: ${monthOf(earliest)} to ${monthOf(thisMonth)} = ${plural(ageMonths, 'month')}`,
    });
  if (policy.minLength.span)
    candidates.push({
      from: 'span',
      n: spanMonths,
      why: `at least as long as the months the charges cover: ${plural(spanMonths, 'month')}`,
    });
  let capCents: Cents | null = null;
  if (policy.cap) {
    const pct = parseRatio(policy.cap.percentOfAverageBill);
    // Exact: (sum ÷ count) × pct ÷ 100 [− the bill], one ratio, rounded DOWN once (a cap is a ceiling:
    // never let it grow by rounding). No bills: an average of zero.
    const count = BigInt(Math.max(billCount, 1));
    const den = count * pct.d * 100n;
    const ofAverageNum = BigInt(billsSum) * pct.n;
    // The bill the installment is added to: the current bill, or the (exact) average itself.
    const billNum =
      context.currentBillCents !== undefined
        ? BigInt(context.currentBillCents) * den
        : BigInt(billsSum) * pct.d * 100n;
    const floorDiv = (n: bigint): bigint => (n >= 0n ? n / den : -((-n + den - 1n) / den));
    const ofAverage = Number(floorDiv(ofAverageNum));
    capCents = Number(floorDiv(policy.cap.basis === 'installment' ? ofAverageNum : ofAverageNum - billNum));
    const average = `${money(billsSum)} ÷ ${plural(billCount, 'bill')}`;
    const bill =
      context.currentBillCents !== undefined
        ? money(context.currentBillCents)
        : `the average bill (${average})`;
    const capWorking =
      policy.cap.basis === 'installment'
        ? `cap: ${policy.cap.percentOfAverageBill}% of the average bill (${average}) = ${money(capCents)} per installment (rounded down once)`
        : `cap: bill + installment ≤ ${policy.cap.percentOfAverageBill}% of the average bill (${average}) ≈ ${money(ofAverage)}; less ${bill} leaves ${money(capCents)} per installment (exact, rounded down once)`;
    if (capCents <= 0)
      return refuse('cap', `The installment cap leaves no room: ${capWorking}. Refer the plan to billing.`, [
        ...working,
        capWorking,
      ]);
    const n = Math.ceil(totalCents / capCents);
    candidates.push({
      from: 'cap',
      n,
      why: `${capWorking}; ${money(totalCents)} ÷ ${money(capCents)} → ${plural(n, 'installment')} (rounded up)`,
    });
  }
  let length = 1;
  let lengthFrom: BackBillPlan['lengthFrom'] = 'single';
  for (const c of candidates) {
    working.push(`Length ${c.why}.`);
    if (c.n > length) {
      length = c.n;
      lengthFrom = c.from;
    }
  }
  if (length > policy.maxInstallments)
    return refuse(
      lengthFrom === 'cap' ? 'cap' : 'max_length',
      `The rules ask for ${plural(length, 'installment')}, more than the ${String(policy.maxInstallments)} ${policy.label} allows. Refer the plan to billing.`,
      working,
    );
  // One installment per cent at most: a plan longer than the total is in cents is meaningless.
  length = Math.min(length, totalCents);
  working.push(
    `Plan: ${plural(length, 'installment')} (set by ${lengthFrom === 'single' ? 'no rule: one installment' : `the ${lengthFrom}`}).`,
  );

  const split = splitEvenly(totalCents, length);
  const base = Math.floor(totalCents / length);
  const remainder = totalCents - base * length;
  const installments = split.map((s, i) => ({
    number: i + 1,
    dueDate: addMonthsClamped(context.firstDueDate, i),
    cents: s.cents,
    working:
      `${money(totalCents)} ÷ ${String(length)} = ${money(base)}` +
      (remainder
        ? ` remainder ${String(remainder)}¢${s.extra ? ': +1¢ (one of the first ' + String(remainder) + ')' : ''}`
        : ''),
  }));
  const problem = checkInstallmentsSum(installments, totalCents);
  if (problem) return refuse('sum', problem, working);
  if (capCents !== null && installments.some((i) => i.cents > (capCents as number)))
    throw new Error('invariant: an installment over the cap');
  const rule =
    `${policy.label}: back billing of at most ${plural(policy.maxAgeMonths, 'month')}` +
    `${policy.waiveAgeWhenCustomerCaused ? ' (no limit when the customer caused the delay)' : ''}; ` +
    `installments ${[policy.minLength.span ? 'at least as many as the months billed' : '', policy.minLength.age ? 'at least as many as the months since the oldest charge' : '', policy.cap ? `each within ${policy.cap.percentOfAverageBill}% of the average bill${policy.cap.basis === 'bill_plus_installment' ? ' together with the bill' : ''}` : ''].filter(Boolean).join(', ') || 'as one amount'}` +
    `${policy.notDisconnectable ? '; not grounds for disconnection' : ''}${policy.noLateFees ? '; no late fees' : ''}.`;
  return {
    ok: true,
    plan: {
      jurisdiction: policy.jurisdiction,
      totalCents,
      periods,
      spanMonths,
      ageMonths,
      capCents,
      lengthFrom,
      installments,
      notDisconnectable: policy.notDisconnectable,
      noLateFees: policy.noLateFees,
      rule,
      working,
    },
  };
}

/** Demo rules (demo data and a fresh counter before its first pull); real ones come from the server. */
export const DEMO_BACK_BILL_POLICIES: BackBillPolicy[] = [
  {
    jurisdiction: 'NY',
    label: 'New York (demo rules)',
    maxAgeMonths: 24,
    waiveAgeWhenCustomerCaused: true,
    minLength: { span: true, age: false },
    cap: { percentOfAverageBill: '50', basis: 'installment' },
    maxInstallments: 60,
    ledgerAccount: 'back_billed_revenue',
    notDisconnectable: true,
    noLateFees: true,
  },
  {
    jurisdiction: 'CA',
    label: 'California (demo rules)',
    maxAgeMonths: 36,
    waiveAgeWhenCustomerCaused: true,
    minLength: { span: true, age: true },
    cap: null,
    maxInstallments: 60,
    ledgerAccount: 'back_billed_revenue',
    notDisconnectable: true,
    noLateFees: true,
  },
  {
    jurisdiction: 'TX',
    label: 'Texas (demo rules)',
    maxAgeMonths: 6,
    waiveAgeWhenCustomerCaused: false,
    minLength: { span: true, age: false },
    cap: { percentOfAverageBill: '150', basis: 'bill_plus_installment' },
    maxInstallments: 60,
    ledgerAccount: 'back_billed_revenue',
    notDisconnectable: true,
    noLateFees: true,
  },
];
