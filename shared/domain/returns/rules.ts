/**
 * Returned checks, the rules besides the fee (nsf.ts): the policy (return reasons, cash-only points),
 * which part of a payment's allocation a returned check reopens, and when an account is cash only.
 */
import { z } from 'zod';

import { addCents, subCents, type Cents } from '../../money.js';
import { NsfFeeScheduleSchema, validateFeeSchedule } from '../nsf.js';
import type { JournalLine } from '../tenders.js';

export const ReturnReasonSchema = z.object({
  code: z.string().regex(/^[a-z_]{2,32}$/),
  label: z.string().min(1),
  /** Cash-only points a return for this reason adds (0: none, e.g. a bank error). */
  points: z.number().int().min(0),
});
export type ReturnReason = z.infer<typeof ReturnReasonSchema>;

export const CashOnlyPolicySchema = z.object({
  /** Points expire this many calendar months after the return. */
  pointsExpireMonths: z.number().int().positive(),
  /** Active points at or above this make the account cash only … */
  threshold: z.number().int().positive(),
  /** … for this many calendar months from the return that reached it. */
  cashOnlyMonths: z.number().int().positive(),
});
export type CashOnlyPolicy = z.infer<typeof CashOnlyPolicySchema>;

/** Policy key `returns` in the replicated policies table. */
export const ReturnsPolicySchema = z.object({
  /** The jurisdiction whose fee schedule applies at this counter. */
  jurisdiction: z.string().min(1),
  reasons: z.array(ReturnReasonSchema).min(1),
  feeSchedules: z.array(NsfFeeScheduleSchema).min(1),
  cashOnly: CashOnlyPolicySchema,
});
export type ReturnsPolicy = z.infer<typeof ReturnsPolicySchema>;

export function parseReturnsPolicy(value: unknown): ReturnsPolicy {
  const p = ReturnsPolicySchema.parse(value);
  for (const s of p.feeSchedules) validateFeeSchedule(s);
  return p;
}

/** ISO date + n calendar months; a day the month lacks becomes its last day (Jan 31 + 1 = Feb 28/29). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export type ReturnHistoryItem = { date: string; points: number };

export type CashOnlyState = {
  /** Points in force on `asOf`. */
  points: number;
  /** When each point-carrying return stops counting. */
  expiring: { date: string; points: number; expiresOn: string }[];
  /** The period the account is in (or was last put in), null if none. */
  period: { from: string; until: string } | null;
  active: boolean;
};

/**
 * Replays the account's returns in date order: a return's points count from its date until
 * `pointsExpireMonths` later (exclusive). The return that brings the active points to the threshold
 * starts a cash-only period of `cashOnlyMonths` from its date. A supervisor's lift on day L ends the
 * period then; points stay, so the next return that keeps them at the threshold starts a new period.
 */
export function cashOnlyState(
  history: ReturnHistoryItem[],
  policy: CashOnlyPolicy,
  asOf: string,
  liftedOn: string[] = [],
): CashOnlyState {
  const sorted = [...history].sort((a, b) => a.date.localeCompare(b.date));
  const lifts = [...liftedOn].sort();
  let period: CashOnlyState['period'] = null;
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i] as ReturnHistoryItem;
    if (r.points === 0) continue;
    const active = sorted
      .slice(0, i + 1)
      .filter((h) => addMonths(h.date, policy.pointsExpireMonths) > r.date)
      .reduce((n, h) => n + h.points, 0);
    if (active >= policy.threshold)
      period = { from: r.date, until: addMonths(r.date, policy.cashOnlyMonths) };
  }
  if (period) {
    const from = period.from;
    const lift = lifts.find((l) => l >= from);
    if (lift && lift < period.until) period = { from, until: lift };
  }
  const expiring = sorted
    .filter((h) => h.points > 0 && h.date <= asOf)
    .map((h) => ({ date: h.date, points: h.points, expiresOn: addMonths(h.date, policy.pointsExpireMonths) }))
    .filter((h) => h.expiresOn > asOf);
  return {
    points: expiring.reduce((n, h) => n + h.points, 0),
    expiring,
    period,
    active: period !== null && period.from <= asOf && asOf < period.until,
  };
}

export type AllocationPart = { itemId: string | null; category: string; cents: Cents };

/**
 * The part of a payment's allocation that one of its tenders paid. The payment's tenders are laid over
 * its allocation in their own order (tender 1 paid the first items in allocation order, tender 2 the
 * next …, what no item took is the unapplied credit at the end), so a check paid the slice from the
 * sum of the tenders before it: a $60 cash + $40 check payment that paid A $70 then B $30 had its
 * check pay A $10 and B $30. Returned in the original allocation order.
 */
export function tenderSlice(
  allocation: AllocationPart[],
  unappliedCents: Cents,
  tenders: { netCents: Cents }[],
  position: number,
): AllocationPart[] {
  const sequence = [
    ...allocation.filter((a) => a.cents > 0),
    ...(unappliedCents > 0 ? [{ itemId: null, category: 'unapplied_credit', cents: unappliedCents }] : []),
  ];
  const start = addCents(...tenders.slice(0, position).map((t) => t.netCents), 0);
  const tender = tenders[position];
  if (!tender) throw new RangeError(`no tender at position ${position}`);
  const end = addCents(start, tender.netCents);
  const out: AllocationPart[] = [];
  let at = 0;
  for (const a of sequence) {
    const from = Math.max(at, start);
    const to = Math.min(addCents(at, a.cents), end);
    if (to > from) out.push({ itemId: a.itemId, category: a.category, cents: subCents(to, from) });
    at = addCents(at, a.cents);
  }
  if (addCents(...out.map((o) => o.cents), 0) !== tender.netCents)
    throw new Error('invariant: the tender slice does not add up to the tender');
  return out;
}

/** Debit the customer the check and the fee; credit the bank's returned items and fee income. */
export function returnJournal(
  accountNumber: string,
  faceCents: number,
  feeCents: number,
  checkNumber: string,
): JournalLine[] {
  return [
    { ledgerAccount: `ar:${accountNumber}`, cents: faceCents, memo: `returned check #${checkNumber}` },
    { ledgerAccount: 'returned_items', cents: -faceCents, memo: `returned check #${checkNumber}` },
    ...(feeCents > 0
      ? [
          { ledgerAccount: `ar:${accountNumber}`, cents: feeCents, memo: 'NSF fee' },
          { ledgerAccount: 'fee_income', cents: -feeCents, memo: 'NSF fee' },
        ]
      : []),
  ];
}

/** The words the account panel and the payment screen show: why, and until when. */
export function cashOnlyWords(state: CashOnlyState, lastReason: string | null): string | null {
  if (!state.active || !state.period) return null;
  return `${state.points} returned-check point${state.points === 1 ? '' : 's'}${lastReason ? ` (last: ${lastReason})` : ''}. Cash only until ${state.period.until}.`;
}
