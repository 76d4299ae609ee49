/**
 * The NSF (returned check) fee: policy data, never constants here. A fee schedule is effective-dated and
 * belongs to a jurisdiction; it can express
 * - a fixed fee (one tier from 0 with no upper bound);
 * - tiers by the check's face amount (each tier's bounds inclusive, in cents);
 * - "the greater of the tier fee or N % of the face" (`percent`);
 * - a legal cap that limits the contracted fee (`capCents`, and `capPercent` of the face);
 * - no fee for some reasons (a bank error is not the customer's doing).
 *
 * Exact first, round once: N % of the face is worked as face × (N as an exact ratio of integers) and
 * rounded ONCE to the cent, half up (a half cent goes up; every amount here is >= 0, so half up and
 * half away from zero agree). The tier fee and the caps are whole cents already.
 */
import { z } from 'zod';

import { CounterError } from '../api/errors.js';
import { formatCents, type Cents } from '../money.js';

/** A decimal percentage as text ("5", "2.5", "12.75"), kept exact: never parsed into a float. */
const PercentText = z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'A percentage like 5 or 2.5.');

export const NsfTierSchema = z.object({
  /** Inclusive bounds of the check's face amount, in cents; `maxCents` null = no upper bound. */
  minCents: z.number().int(),
  maxCents: z.number().int().nullable(),
  feeCents: z.number().int(),
});
export type NsfTier = z.infer<typeof NsfTierSchema>;

export const NsfFeeScheduleSchema = z.object({
  id: z.string().min(1),
  jurisdiction: z.string().min(1),
  /** ISO dates: in force from `effectiveFrom` (inclusive) to `effectiveTo` (exclusive; null = open). */
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  effectiveTo: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  tiers: z.array(NsfTierSchema).min(1),
  /** The fee is the greater of the tier fee and this percentage of the face. */
  percent: PercentText.nullable(),
  /** Legal caps on the contracted fee: a fixed amount and/or a percentage of the face. */
  capCents: z.number().int().nullable(),
  capPercent: PercentText.nullable(),
  /** Return reasons that carry no fee (e.g. bank_error). */
  noFeeReasons: z.array(z.string()),
  /** The rule in words, as the letter prints it ("State law caps NSF fees at $30"). */
  citation: z.string(),
});
export type NsfFeeSchedule = z.infer<typeof NsfFeeScheduleSchema>;

export type NsfFeeWorking = {
  feeCents: Cents;
  scheduleId: string;
  /** Each step of the working, in words a CSR can read out. */
  steps: string[];
  /** The rule that set the fee: no_fee, tier, percent, cap. */
  decidedBy: 'no_fee' | 'tier' | 'percent' | 'cap';
};

const bad = (message: string): CounterError => new CounterError('INVALID_INPUT', message, 'feeSchedule');

/** Refuses a schedule a fee could not be worked from: negative amounts, overlapping tiers, a gap. */
export function validateFeeSchedule(s: NsfFeeSchedule): void {
  const tiers = [...s.tiers].sort((a, b) => a.minCents - b.minCents);
  for (const t of tiers) {
    if (t.feeCents < 0) throw bad(`Fee schedule ${s.id}: a tier fee cannot be negative.`);
    if (t.minCents < 0) throw bad(`Fee schedule ${s.id}: a tier cannot start below zero.`);
    if (t.maxCents !== null && t.maxCents < t.minCents)
      throw bad(`Fee schedule ${s.id}: a tier ends before it starts.`);
  }
  if (tiers[0] && tiers[0].minCents !== 0) throw bad(`Fee schedule ${s.id}: the first tier must start at 0.`);
  for (let i = 1; i < tiers.length; i++) {
    const prev = tiers[i - 1] as NsfTier;
    const t = tiers[i] as NsfTier;
    if (prev.maxCents === null || t.minCents <= prev.maxCents)
      throw bad(
        `Fee schedule ${s.id}: tiers overlap at ${formatCents(t.minCents, { symbol: true })}: each face amount must fall in one tier.`,
      );
    if (t.minCents !== prev.maxCents + 1)
      throw bad(`Fee schedule ${s.id}: no tier covers ${formatCents(prev.maxCents + 1, { symbol: true })}.`);
  }
  if (s.capCents !== null && s.capCents < 0) throw bad(`Fee schedule ${s.id}: the cap cannot be negative.`);
  if (s.effectiveTo !== null && s.effectiveTo <= s.effectiveFrom)
    throw bad(`Fee schedule ${s.id}: it ends before it starts.`);
}

/** The exact ratio of a decimal percentage: "2.5" → 25/1000. */
function percentRatio(p: string): { num: bigint; den: bigint } {
  const [whole, frac = ''] = p.split('.');
  return { num: BigInt(`${whole ?? '0'}${frac}`), den: 100n * 10n ** BigInt(frac.length) };
}

/** face × p %, rounded once to the cent, half up. 2.5 % of $41.00: 4100 × 25/1000 = 102.5 → 103. */
export function percentOfCents(faceCents: Cents, p: string): Cents {
  const { num, den } = percentRatio(p);
  const exact2 = 2n * BigInt(faceCents) * num; // twice the exact value × den
  return Number((exact2 + den) / (2n * den));
}

/** The schedule in force on `date` for `jurisdiction`; a clear error when none (or two) are. */
export function scheduleFor(schedules: NsfFeeSchedule[], jurisdiction: string, date: string): NsfFeeSchedule {
  const inForce = schedules.filter(
    (s) =>
      s.jurisdiction === jurisdiction &&
      s.effectiveFrom <= date &&
      (s.effectiveTo === null || date < s.effectiveTo),
  );
  if (inForce.length === 0)
    throw new CounterError(
      'INVALID_INPUT',
      `No NSF fee schedule is in force for ${jurisdiction} on ${date}: ask the office to publish one.`,
    );
  if (inForce.length > 1)
    throw bad(
      `Two NSF fee schedules are in force for ${jurisdiction} on ${date}: ${inForce.map((s) => s.id).join(', ')}.`,
    );
  return inForce[0] as NsfFeeSchedule;
}

/** The NSF fee for a returned check of `faceCents`, returned for `reason`, with its working. */
export function nsfFee(schedule: NsfFeeSchedule, faceCents: Cents, reason: string): NsfFeeWorking {
  validateFeeSchedule(schedule);
  if (!Number.isSafeInteger(faceCents) || faceCents <= 0)
    throw new CounterError('INVALID_INPUT', 'The check amount must be more than zero.', 'faceCents');
  const $ = (c: Cents): string => formatCents(c, { symbol: true });
  const base = { scheduleId: schedule.id };
  if (schedule.noFeeReasons.includes(reason))
    return {
      ...base,
      feeCents: 0,
      decidedBy: 'no_fee',
      steps: [`No fee when a check is returned for ${reason.replaceAll('_', ' ')}.`],
    };
  const tier = schedule.tiers.find(
    (t) => faceCents >= t.minCents && (t.maxCents === null || faceCents <= t.maxCents),
  );
  if (!tier) throw bad(`Fee schedule ${schedule.id}: no tier covers ${$(faceCents)}.`);
  const steps = [
    schedule.tiers.length === 1 && tier.maxCents === null
      ? `Fixed fee ${$(tier.feeCents)}.`
      : `Check of ${$(faceCents)} is in the tier ${$(tier.minCents)}–${tier.maxCents === null ? 'up' : $(tier.maxCents)}: ${$(tier.feeCents)}.`,
  ];
  let fee = tier.feeCents;
  let decidedBy: NsfFeeWorking['decidedBy'] = 'tier';
  if (schedule.percent !== null) {
    const pct = percentOfCents(faceCents, schedule.percent);
    steps.push(`${schedule.percent}% of ${$(faceCents)} = ${$(pct)} (rounded once to the cent, half up).`);
    if (pct > fee) {
      fee = pct;
      decidedBy = 'percent';
    }
    steps.push(`The greater of the two: ${$(fee)}.`);
  }
  const caps: { cents: Cents; words: string }[] = [];
  if (schedule.capCents !== null) caps.push({ cents: schedule.capCents, words: `${$(schedule.capCents)}` });
  if (schedule.capPercent !== null) {
    const c = percentOfCents(faceCents, schedule.capPercent);
    caps.push({ cents: c, words: `${schedule.capPercent}% of the face = ${$(c)}` });
  }
  for (const cap of caps) {
    if (fee > cap.cents) {
      steps.push(`Capped by law at ${cap.words}: ${$(cap.cents)}.`);
      fee = cap.cents;
      decidedBy = 'cap';
    }
  }
  return { ...base, feeCents: fee, decidedBy, steps };
}
