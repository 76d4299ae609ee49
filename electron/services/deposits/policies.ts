/**
 * Deposit policies and the interest-rate table: the words a CSR reads a policy in, the policies in
 * force, and the supervisor's save (validated as a whole; deposits still held keep the policy they were
 * taken under and need a rate for every year they were held). Saved policies go to the server through
 * the outbox.
 */
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import {
  DEPOSIT_POLICIES_KEY,
  DEPOSIT_RATES_KEY,
  depositStatus,
  validateDepositSettings,
} from '../../../shared/domain/deposit-ledger.js';
import {
  policyInForce,
  ratePercentFor,
  validateRateTable,
  type DepositPolicy,
  type InterestRateTable,
} from '../../../shared/domain/deposits.js';
import { formatMoney } from '../../../shared/money.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { enqueue } from '../outbox/outbox.js';
import { loadDeposits } from './records.js';
import { loadDepositSettings, OPEN } from './settings.js';

export function policyWords(p: DepositPolicy): string[] {
  const base =
    p.basis === 'average'
      ? `${p.multiple} × the average monthly bill of the last ${String(p.lookbackMonths)} months`
      : `${p.multiple} × the highest monthly bill of the last ${String(p.lookbackMonths)} months`;
  const rounding =
    p.roundTo.unitCents === 1 && p.roundTo.mode === 'half_up'
      ? ''
      : `, rounded ${p.roundTo.mode === 'up' ? 'up' : p.roundTo.mode === 'down' ? 'down' : ''} to ${p.roundTo.unitCents === 100 ? 'the whole dollar' : formatMoney(p.roundTo.unitCents)}`.replace(
          '  ',
          ' ',
        );
  const cap = p.capCents === null ? '' : `, at most ${formatMoney(p.capCents)}`;
  const defaults =
    typeof p.newServiceDefaultCents === 'number'
      ? formatMoney(p.newServiceDefaultCents)
      : Object.entries(p.newServiceDefaultCents)
          .map(([b, c]) => `${b} ${formatMoney(c)}`)
          .join(', ');
  return [
    `${base}${rounding}${cap}.`,
    `New service or fewer than ${String(p.minimumHistoryMonths)} billed months: ${defaults}.`,
    p.installments?.allowed
      ? `Installments allowed: ${p.installments.downPaymentPercent}% down, the rest over the next ${String(p.installments.count)} monthly bills.`
      : 'No installments: collected in full.',
    `Interest: ${p.interest.method === 'simple' ? 'simple' : `compounded yearly (${p.interest.compoundOn === 'dec31' ? 'Dec 31' : 'anniversary'})`}, none if refunded within ${String(p.interest.graceDays)} days.`,
    `Refund after ${String(p.refund.consecutiveMonths)} consecutive months with at most ${String(p.refund.maxLatePayments)} late payment${p.refund.maxLatePayments === 1 ? '' : 's'}.`,
  ];
}

export function policySummary(p: DepositPolicy) {
  return {
    id: p.id,
    accountClass: p.accountClass,
    effectiveFrom: p.effectiveFrom,
    effectiveTo: p.effectiveTo,
    words: policyWords(p),
    installmentsAllowed: Boolean(p.installments?.allowed),
    bundles: typeof p.newServiceDefaultCents === 'number' ? [] : Object.keys(p.newServiceDefaultCents).sort(),
  };
}

export async function depositPolicies(ctx: ServiceContext) {
  const settings = await loadDepositSettings(ctx.db);
  const today = ctx.clock.today();
  const inForce = (['residential', 'commercial'] as const).flatMap((c) => {
    try {
      return [policySummary(policyInForce(settings.policies, c, today))];
    } catch {
      return [];
    }
  });
  return {
    policies: settings.policies,
    rates: settings.rates,
    appliedRates: [...settings.rates.rates]
      .sort((a, b) => a.year - b.year)
      .map((r) => ratePercentFor(settings.rates, r.year)),
    inForce,
  };
}

export async function saveDepositPolicies(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { policies: unknown[]; rates: unknown },
): Promise<{ saved: boolean; policies: number; rateYears: number }> {
  const today = ctx.clock.today();
  const settings = validateDepositSettings(
    { policies: input.policies as DepositPolicy[], rates: input.rates as InterestRateTable },
    today,
  );
  // Deposits still held keep the policy they were taken under, and need a rate for every year they were held.
  const deposits = await loadDeposits(ctx.db, (q) => q);
  const held = deposits.filter((d) => OPEN.includes(depositStatus(d)));
  const missing = [...new Set(deposits.map((d) => d.policyId))].filter(
    (id) => !settings.policies.some((p) => p.id === id),
  );
  if (missing.length)
    throw new CounterError(
      'INVALID_INPUT',
      `Policy ${missing.join(', ')} is used by deposits on record: keep it (end it with an end date instead of removing it).`,
      'policies',
    );
  const firstPaid = held
    .flatMap((d) => d.movements.filter((m) => m.kind === 'payment').map((m) => m.date))
    .sort()[0];
  if (firstPaid) validateRateTable(settings.rates, Number(firstPaid.slice(0, 4)), Number(today.slice(0, 4)));
  const now = ctx.clock.now();
  const rows = [
    { key: DEPOSIT_POLICIES_KEY, value: JSON.stringify(settings.policies) },
    { key: DEPOSIT_RATES_KEY, value: JSON.stringify(settings.rates) },
  ];
  await ctx.db.transaction(async (trx) => {
    for (const r of rows) await trx('policies').insert(r).onConflict('key').merge(['value']);
    await enqueue(
      trx,
      'deposit.settings_saved',
      {
        policies: rows[0]?.value ?? '[]',
        rates: rows[1]?.value ?? '{}',
        savedBy: cashier.id,
        savedAt: now.toISOString(),
        terminalCode: ctx.terminal.code,
        branch: ctx.terminal.branch,
      },
      now,
    );
    await appendAudit(
      trx,
      {
        actor: cashier.id,
        action: 'deposit.policies',
        entityType: 'policy',
        entityId: DEPOSIT_POLICIES_KEY,
        details: {
          policies: settings.policies.map((p) => `${p.id} ${p.effectiveFrom}..${p.effectiveTo ?? ''}`),
          rates: settings.rates.rates.map((r) => `${String(r.year)} ${r.ratePercent}`),
          rounding: settings.rates.rounding,
        },
      },
      now,
    );
  });
  return { saved: true, policies: settings.policies.length, rateYears: settings.rates.rates.length };
}
