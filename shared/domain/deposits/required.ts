/**
 * The deposit an account must pay under its policy, with the working, and its split into installments.
 */
import { z } from 'zod';

import { CounterError } from '../../api/errors.js';
import { addCents, subCents, type Cents } from '../../money.js';
import {
  AmountCents,
  money,
  monthIndex,
  monthOf,
  notAfterToday,
  parseDate,
  parseInput,
  parseRatio,
  parseToday,
  roundDiv,
  toCents,
  type RoundMode,
} from './internal.js';
import {
  BilledMonthSchema,
  DepositPolicySchema,
  InstallmentPlanSchema,
  type BilledMonth,
  type DepositPolicy,
  type InstallmentPlan,
  type RoundingOrder,
} from './schemas.js';

export type DueWith = 'now' | `bill ${number}`;
export type Installment = { dueWith: DueWith; amountCents: Cents };

export type RequiredDepositOptions = {
  /** The day the deposit is calculated; the window is the `lookbackMonths` full months before its month. */
  asOf: string;
  /** Refuse an `asOf` after this date. */
  today?: string;
  /** The service bundle, needed when the policy's new-service default is set per bundle. */
  bundle?: string;
  /** The customer pays in installments (refused when the policy does not allow it). */
  installments?: boolean;
};

export type RequiredDeposit = {
  amountCents: Cents;
  working: {
    policyId: string;
    /** First and last month of the look-back window. */
    windowFrom: string;
    windowTo: string;
    /** Billed months inside the window, oldest first. */
    monthsUsed: { month: string; billedCents: Cents }[];
    basis: 'average' | 'highest';
    /** Sum of the months used. */
    totalCents: Cents;
    /**
     * The average rounded half-up to the cent (for reading; under the exact order the multiple is
     * taken of the unrounded average), or the highest month; null when the default applied.
     */
    averageOrHighestCents: Cents | null;
    /** Whether the multiple was taken of the exact average or of the average rounded first. */
    roundingOrder: RoundingOrder;
    multiple: string;
    beforeCapCents: Cents;
    capCents: Cents | null;
    capped: boolean;
    usedDefault: boolean;
    bundle: string | null;
    reason: string;
  };
  installments: Installment[];
};

/**
 * An exact amount of cents n ÷ d in dollars: every digit when the division ends within four places of a
 * cent ($75.005), otherwise four places and an ellipsis ($83.41666…).
 */
function exactMoney(n: bigint, d: bigint): string {
  const places = 4;
  const scale = 10n ** BigInt(places);
  const scaled = n * scale;
  const whole = scaled / d;
  if (whole * d === scaled) {
    const cents = whole / scale;
    const rest = (whole % scale).toString().padStart(places, '0').replace(/0+$/, '');
    return `${money(toCents(cents, 'history'))}${rest}`;
  }
  const cents = whole / scale;
  const rest = (whole % scale).toString().padStart(places, '0');
  return `${money(toCents(cents, 'history'))}${rest}…`;
}

function roundingWords(unitCents: number, mode: RoundMode): string {
  const unit =
    unitCents === 1 ? 'cent' : unitCents === 100 ? 'whole dollar' : `multiple of ${money(unitCents)}`;
  return mode === 'up'
    ? `rounded up to the next ${unit}`
    : mode === 'down'
      ? `rounded down to the ${unit}`
      : `rounded to the nearest ${unit}`;
}

/**
 * Splits a deposit into the policy's installments: the down payment is `downPaymentPercent` of the
 * amount rounded **up** to the cent (the odd cent is collected now); the rest is spread evenly over
 * `count` monthly bills, and the cents that do not divide evenly go one each to the earliest bills.
 * Bills that would carry $0.00 are left out. The parts always sum to the amount.
 *
 * @example
 * splitInstallments(10_003, { allowed: true, downPaymentPercent: '50', count: 2, interval: 'monthly bill' });
 * // 50 % of 100.03 = 50.015 → now 50.02; rest 50.01 → bill 1 25.01, bill 2 25.00
 * // [{ dueWith: 'now', amountCents: 5_002 }, { dueWith: 'bill 1', amountCents: 2_501 },
 * //  { dueWith: 'bill 2', amountCents: 2_500 }]
 */
export function splitInstallments(amountCents: Cents, plan: InstallmentPlan): Installment[] {
  const p = parseInput(InstallmentPlanSchema, plan, 'installments');
  const amount = parseInput(AmountCents, amountCents, 'amountCents');
  const pct = parseRatio(p.downPaymentPercent);
  const down = toCents(roundDiv(BigInt(amount) * pct.n, pct.d * 100n, 'up'), 'amountCents');
  const rest = subCents(amount, down);
  const each = Math.floor(rest / p.count);
  const extra = rest - each * p.count;
  const parts: Installment[] = [{ dueWith: 'now', amountCents: down }];
  for (let k = 1; k <= p.count; k += 1) {
    const cents = each + (k <= extra ? 1 : 0);
    if (cents > 0) parts.push({ dueWith: `bill ${k}`, amountCents: cents });
  }
  return parts;
}

/**
 * The deposit an account must pay under `policy`, with the working the CSR can read out.
 *
 * The window is the `lookbackMonths` full calendar months before the month of `asOf` (a bill for the
 * month of `asOf` is accepted but not used: that month is not over). With at least
 * `minimumHistoryMonths` billed months (and at least one) in the window, the amount is `multiple` ×
 * (the average of those months, or the highest of them), rounded once per `roundTo`. Under the
 * policy's `roundingOrder` 'exact' (the default) the multiple is taken of the exact average (total ÷
 * months as a ratio); under 'average_first' the average is rounded half-up to the cent first, as some
 * tariffs print it, which can land a cent or two above multiple × average. Without enough history it
 * is the new-service default (per bundle when the policy says so). The cap, when set, is applied last.
 * Refuses negative bills, months after `asOf`, a month given twice, an `asOf` outside the policy's
 * effective dates, and installments the policy does not allow.
 *
 * @example
 * // Residential: 2 × the 12-month average, to the cent, cap $500.00; asOf 2025-01-15.
 * // Bills 2024-01 … 2024-12 total $1,001.00 → average 1,001.00 ÷ 12 = 83.41666…
 * // exact: 2 × 1,001.00 ÷ 12 = 166.8333… → $166.83 (average first: 83.42 × 2 = $166.84)
 * requiredDeposit(residential, history, { asOf: '2025-01-15' });
 * // { amountCents: 16_683, working: { averageOrHighestCents: 8_342, multiple: '2', capped: false, … },
 * //   installments: [{ dueWith: 'now', amountCents: 16_683 }] }
 */
export function requiredDeposit(
  policy: DepositPolicy,
  history: readonly BilledMonth[],
  opts: RequiredDepositOptions,
): RequiredDeposit {
  const p = parseInput(DepositPolicySchema, policy, 'policy');
  const asOf = parseDate(opts.asOf, 'asOf');
  notAfterToday(asOf, parseToday(opts.today), 'asOf', 'The calculation date');
  if (asOf < p.effectiveFrom || (p.effectiveTo !== null && asOf > p.effectiveTo))
    throw new CounterError(
      'INVALID_INPUT',
      `Policy ${p.id} is in force from ${p.effectiveFrom}${p.effectiveTo ? ` to ${p.effectiveTo}` : ''}: it does not apply on ${asOf}.`,
      'policy',
    );
  const bills = parseInput(z.array(BilledMonthSchema), history, 'history');
  const asOfMonth = monthIndex(asOf);
  const seen = new Set<string>();
  bills.forEach((b, i) => {
    const field = `history.${String(i)}`;
    if (!Number.isSafeInteger(b.billedCents))
      throw new CounterError(
        'INVALID_INPUT',
        `The bill for ${b.month} is not a whole number of cents.`,
        `${field}.billedCents`,
      );
    if (b.billedCents < 0)
      throw new CounterError(
        'INVALID_INPUT',
        `The bill for ${b.month} is negative (${money(b.billedCents)}): a billing history cannot have negative months.`,
        `${field}.billedCents`,
      );
    if (monthIndex(b.month) > asOfMonth)
      throw new CounterError(
        'INVALID_INPUT',
        `The billing history has a bill for ${b.month}, after ${asOf}: months in the future are not history.`,
        `${field}.month`,
      );
    if (seen.has(b.month))
      throw new CounterError(
        'INVALID_INPUT',
        `The billing history has ${b.month} twice: keep one bill per month.`,
        `${field}.month`,
      );
    seen.add(b.month);
  });

  const firstIdx = asOfMonth - p.lookbackMonths;
  const lastIdx = asOfMonth - 1;
  const windowFrom = monthOf(firstIdx);
  const windowTo = monthOf(lastIdx);
  const monthsUsed = bills
    .filter((b) => monthIndex(b.month) >= firstIdx && monthIndex(b.month) <= lastIdx)
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((b) => ({ month: b.month, billedCents: b.billedCents }));
  const totalCents = addCents(...monthsUsed.map((m) => m.billedCents));
  const usedDefault = monthsUsed.length === 0 || monthsUsed.length < p.minimumHistoryMonths;
  const windowWords = `${String(p.lookbackMonths)} months ${windowFrom} to ${windowTo}`;

  let beforeCapCents: Cents;
  let averageOrHighestCents: Cents | null = null;
  let bundle: string | null = null;
  let reason: string;
  if (usedDefault) {
    const defaults = p.newServiceDefaultCents;
    const why =
      monthsUsed.length === 0
        ? `No bills in the ${windowWords}`
        : `Only ${String(monthsUsed.length)} billed month${monthsUsed.length === 1 ? '' : 's'} in the ${windowWords} (the policy needs ${String(p.minimumHistoryMonths)})`;
    if (typeof defaults === 'number') {
      beforeCapCents = defaults;
      reason = `${why}: the new-service deposit of ${money(defaults)} applies.`;
    } else {
      const names = Object.keys(defaults).sort();
      if (opts.bundle === undefined)
        throw new CounterError(
          'INVALID_INPUT',
          `${why}: the deposit depends on the service bundle. Choose one of: ${names.join(', ')}.`,
          'bundle',
        );
      const amount = defaults[opts.bundle];
      if (amount === undefined)
        throw new CounterError(
          'INVALID_INPUT',
          `Policy ${p.id} has no new-service deposit for bundle "${opts.bundle}". Bundles: ${names.join(', ')}.`,
          'bundle',
        );
      bundle = opts.bundle;
      beforeCapCents = amount;
      reason = `${why}: the new-service deposit for ${bundle} of ${money(amount)} applies.`;
    }
  } else {
    const multiple = parseRatio(p.multiple);
    const unit = BigInt(p.roundTo.unitCents);
    // The base as an exact ratio of cents: total ÷ months for the average, the month itself for the highest.
    let base: { n: bigint; d: bigint };
    let baseWords: string;
    if (p.basis === 'average') {
      const months = BigInt(monthsUsed.length);
      averageOrHighestCents = toCents(roundDiv(BigInt(totalCents), months, 'half_up'), 'history');
      const plural = monthsUsed.length === 1 ? '' : 's';
      const exactWords = `${money(totalCents)} ÷ ${String(monthsUsed.length)} = ${exactMoney(BigInt(totalCents), months)}`;
      if (p.roundingOrder === 'average_first') {
        base = { n: BigInt(averageOrHighestCents), d: 1n };
        const shown = exactMoney(BigInt(totalCents), months);
        baseWords = `the average of ${String(monthsUsed.length)} monthly bill${plural} ${windowFrom} to ${windowTo} (${exactWords}${shown === money(averageOrHighestCents) ? '' : `, rounded to ${money(averageOrHighestCents)} first`})`;
      } else {
        base = { n: BigInt(totalCents), d: months };
        baseWords = `the average of ${String(monthsUsed.length)} monthly bill${plural} ${windowFrom} to ${windowTo} (${exactWords})`;
      }
    } else {
      averageOrHighestCents = Math.max(...monthsUsed.map((m) => m.billedCents));
      base = { n: BigInt(averageOrHighestCents), d: 1n };
      const top = monthsUsed.find((m) => m.billedCents === averageOrHighestCents);
      baseWords = `the highest monthly bill ${windowFrom} to ${windowTo} (${top?.month ?? ''}: ${money(averageOrHighestCents)})`;
    }
    // One rounding: multiple × base, to the policy's unit.
    beforeCapCents = toCents(
      roundDiv(base.n * multiple.n, base.d * multiple.d * unit, p.roundTo.mode) * unit,
      'history',
    );
    reason = `${p.multiple} × ${baseWords} = ${money(beforeCapCents)}${p.roundTo.unitCents === 1 && p.roundTo.mode === 'half_up' ? '' : `, ${roundingWords(p.roundTo.unitCents, p.roundTo.mode)}`}.`;
  }
  const capped = p.capCents !== null && beforeCapCents > p.capCents;
  const amountCents = capped && p.capCents !== null ? p.capCents : beforeCapCents;
  if (capped) reason += ` Capped at ${money(amountCents)} by policy ${p.id}.`;

  let installments: Installment[] = [{ dueWith: 'now', amountCents }];
  if (opts.installments) {
    if (!p.installments?.allowed)
      throw new CounterError(
        'INVALID_INPUT',
        `Policy ${p.id} does not allow installments: collect the full ${money(amountCents)} now.`,
        'installments',
      );
    installments = splitInstallments(amountCents, p.installments);
  }

  return {
    amountCents,
    working: {
      policyId: p.id,
      windowFrom,
      windowTo,
      monthsUsed,
      basis: p.basis,
      totalCents,
      averageOrHighestCents,
      multiple: p.multiple,
      roundingOrder: p.roundingOrder,
      beforeCapCents,
      capCents: p.capCents,
      capped,
      usedDefault,
      bundle,
      reason,
    },
    installments,
  };
}
