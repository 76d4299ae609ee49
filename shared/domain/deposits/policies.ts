/**
 * Validating deposit policies (well formed, effective dates with no gap or overlap per account class),
 * finding the policy in force, and validating the interest rate table and the rate applied per year.
 */
import { CounterError } from '../../api/errors.js';
import {
  dayOf,
  decimalText,
  isoOf,
  lessThan,
  parseDate,
  parseInput,
  parseRatio,
  roundDiv,
  type Ratio,
} from './internal.js';
import {
  AccountClassSchema,
  DepositPolicySchema,
  InterestRateTableSchema,
  type DepositAccountClass,
  type DepositPolicy,
  type InterestRateTable,
} from './schemas.js';

/**
 * Checks a full set of deposit policies: each is well formed (no negative amounts or counts, a multiple
 * above zero, an end not before its start) and, per account class, their effective dates follow each
 * other with no gap and no overlap. Returns the policies as parsed; throws CounterError INVALID_INPUT
 * naming the field (`policies.<i>.<field>`) otherwise.
 *
 * @example
 * validatePolicies([
 *   { id: 'R-2020', accountClass: 'residential', effectiveFrom: '2020-01-01', effectiveTo: '2023-12-31', … },
 *   { id: 'R-2024', accountClass: 'residential', effectiveFrom: '2024-01-01', effectiveTo: null, … },
 * ]); // ok
 * // With R-2024 starting 2024-02-01 instead: "Gap in the residential deposit policies: none is in force
 * // from 2024-01-01 to 2024-01-31 (between R-2020 and R-2024)." field policies.1.effectiveFrom
 */
export function validatePolicies(policies: readonly DepositPolicy[]): DepositPolicy[] {
  if (!Array.isArray(policies))
    throw new CounterError('INVALID_INPUT', 'Policies must be a list.', 'policies');
  const parsed = policies.map((p, i) => parseInput(DepositPolicySchema, p, `policies.${String(i)}`));
  const seen = new Map<string, number>();
  parsed.forEach((p, i) => {
    const before = seen.get(p.id);
    if (before !== undefined)
      throw new CounterError(
        'INVALID_INPUT',
        `Two policies share the id ${p.id}: give each its own.`,
        `policies.${String(i)}.id`,
      );
    seen.set(p.id, i);
  });
  for (const accountClass of AccountClassSchema.options) {
    const ofClass = parsed
      .map((policy, index) => ({ policy, index }))
      .filter((x) => x.policy.accountClass === accountClass)
      .sort((a, b) => a.policy.effectiveFrom.localeCompare(b.policy.effectiveFrom));
    for (let k = 1; k < ofClass.length; k += 1) {
      const prev = ofClass[k - 1];
      const next = ofClass[k];
      if (!prev || !next) continue;
      const a = prev.policy;
      const b = next.policy;
      const field = `policies.${String(next.index)}.effectiveFrom`;
      if (a.effectiveTo === null)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${accountClass} deposit policies overlap: ${a.id} has no end date but ${b.id} starts on ${b.effectiveFrom}. End ${a.id} on ${isoOf(dayOf(b.effectiveFrom) - 1)}.`,
          field,
        );
      const expected = dayOf(a.effectiveTo) + 1;
      const starts = dayOf(b.effectiveFrom);
      if (starts < expected)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${accountClass} deposit policies overlap: ${a.id} runs to ${a.effectiveTo} but ${b.id} starts on ${b.effectiveFrom}.`,
          field,
        );
      if (starts > expected)
        throw new CounterError(
          'INVALID_INPUT',
          `Gap in the ${accountClass} deposit policies: none is in force from ${isoOf(expected)} to ${isoOf(starts - 1)} (between ${a.id} and ${b.id}).`,
          field,
        );
    }
  }
  return parsed;
}

/**
 * The policy of `accountClass` in force on `date` from a validated set.
 *
 * @example
 * policyInForce(policies, 'residential', '2024-06-01').id; // 'R-2024' (in force 2024-01-01 onwards)
 */
export function policyInForce(
  policies: readonly DepositPolicy[],
  accountClass: DepositAccountClass,
  date: string,
): DepositPolicy {
  parseDate(date, 'date');
  const found = validatePolicies(policies).find(
    (p) =>
      p.accountClass === accountClass &&
      p.effectiveFrom <= date &&
      (p.effectiveTo === null || date <= p.effectiveTo),
  );
  if (!found)
    throw new CounterError(
      'NOT_FOUND',
      `No ${accountClass} deposit policy is in force on ${date}: ask a supervisor to set one up.`,
      'policy',
    );
  return found;
}

/**
 * Checks a rate table: well formed, no negative rate, and exactly one rate for every calendar year
 * from `fromYear` to `toYear` (a year listed twice is refused as an overlap). Returns the parsed table.
 *
 * @example
 * validateRateTable({ rounding: { mode: 'none', floorPercent: null },
 *   rates: [{ year: 2023, ratePercent: '4' }, { year: 2025, ratePercent: '3.5' }] }, 2023, 2025);
 * // CounterError INVALID_INPUT, field 'rates': "No interest rate for 2024 in the rate table: enter the
 * // rate published for 2024."
 */
export function validateRateTable(
  table: InterestRateTable,
  fromYear: number,
  toYear: number,
): InterestRateTable {
  const parsed = parseInput(InterestRateTableSchema, table, 'rates');
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear)
    throw new CounterError(
      'INVALID_INPUT',
      `The years to check must run forwards (from ${String(fromYear)} to ${String(toYear)}).`,
      'years',
    );
  const years = new Set<number>();
  parsed.rates.forEach((r, i) => {
    if (years.has(r.year))
      throw new CounterError(
        'INVALID_INPUT',
        `${String(r.year)} appears twice in the rate table: keep only the rate published for ${String(r.year)}.`,
        `rates.rates.${String(i)}.year`,
      );
    years.add(r.year);
  });
  for (let y = fromYear; y <= toYear; y += 1) {
    if (!years.has(y))
      throw new CounterError(
        'INVALID_INPUT',
        `No interest rate for ${String(y)} in the rate table: enter the rate published for ${String(y)}.`,
        'rates',
      );
  }
  return parsed;
}

export type AppliedRate = { year: number; ratePercentPublished: string; rateApplied: string };

/** The rate of `year` after rounding and floor, with its exact ratio (for interest.ts; not public). */
export function appliedRate(table: InterestRateTable, year: number): AppliedRate & { ratio: Ratio } {
  const entry = table.rates.find((r) => r.year === year);
  if (!entry)
    throw new CounterError(
      'INVALID_INPUT',
      `No interest rate for ${String(year)} in the rate table: enter the rate published for ${String(year)}.`,
      'rates',
    );
  const published = parseRatio(entry.ratePercent);
  let ratio: Ratio;
  switch (table.rounding.mode) {
    case 'none':
      ratio = published;
      break;
    case 'whole_percent':
      ratio = { n: roundDiv(published.n, published.d, 'half_up'), d: 1n };
      break;
    case 'tenth_percent':
      ratio = { n: roundDiv(published.n * 10n, published.d, 'half_up'), d: 10n };
      break;
  }
  if (table.rounding.floorPercent !== null) {
    const floor = parseRatio(table.rounding.floorPercent);
    if (lessThan(ratio, floor)) ratio = floor;
  }
  return { year, ratePercentPublished: entry.ratePercent, rateApplied: decimalText(ratio), ratio };
}

/**
 * The rate used for `year`: the published rate rounded per the table's rule (half-up to the nearest
 * whole or tenth of a percent), then raised to the floor if below it.
 *
 * @example
 * // rounding { mode: 'whole_percent', floorPercent: '1' }
 * ratePercentFor(table, 2021); // published '0.4' → rounds to 0 → floor → { rateApplied: '1' }
 * ratePercentFor(table, 2023); // published '2.5' → { rateApplied: '3' } (half-up)
 */
export function ratePercentFor(table: InterestRateTable, year: number): AppliedRate {
  const { ratio: _ratio, ...rest } = appliedRate(parseInput(InterestRateTableSchema, table, 'rates'), year);
  return rest;
}
