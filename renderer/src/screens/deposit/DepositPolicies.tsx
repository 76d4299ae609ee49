/**
 * Supervisor's tab 3: the deposit policies (each with its rounding order and interest day count) and
 * the yearly rate table (effective-dated; the table's rounding rule and floor; saved only when there is
 * no gap, overlap or missing year).
 */
import { useEffect, useState } from 'react';

import type {
  DayCount,
  DepositPolicy,
  InterestRateTable,
  RoundingOrder,
} from '../../../../shared/domain/deposits.js';
import { DAY_COUNTS, ratePercentFor, ROUNDING_ORDERS } from '../../../../shared/domain/deposits.js';
import { centsToInput, parseAmount } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { Select, type Choice } from '../../components/Select.js';
import { errorText } from '../../components/useLoaded.js';

type PolicyDraft = DepositPolicy & { capText: string };

/** What each choice means, in the words on the select. */
const ROUNDING_WORDS: Record<RoundingOrder, string> = {
  exact: 'multiple × exact average, rounded once',
  average_first: 'average rounded first, then × multiple',
};
const DAY_COUNT_WORDS: Record<DayCount, string> = {
  'actual/365': 'actual/365 (a leap year earns 366/365)',
  'actual/actual': 'actual/actual (a full year earns the rate)',
};
const RATE_ROUNDING: Choice[] = [
  ['none', 'used as published'],
  ['tenth_percent', 'nearest tenth of a percent'],
  ['whole_percent', 'nearest whole percent'],
];

/**
 * One editable column of the policy table: an input, or a select where it has options. `testId` is
 * the suffix of `policy-<row>-…` for the columns the tests type into.
 */
type Column = {
  head: string;
  get(p: PolicyDraft): string;
  set(p: PolicyDraft, text: string): Partial<PolicyDraft>;
  size?: number;
  className?: string;
  placeholder?: string;
  testId?: string;
  options?: Choice[];
};

const COLUMNS: Column[] = [
  {
    head: 'From',
    className: 'date',
    size: 10,
    testId: 'from',
    get: (p) => p.effectiveFrom,
    set: (_, v) => ({ effectiveFrom: v }),
  },
  {
    head: 'To',
    className: 'date',
    size: 10,
    placeholder: 'open',
    testId: 'to',
    get: (p) => p.effectiveTo ?? '',
    set: (_, v) => ({ effectiveTo: v.trim() || null }),
  },
  {
    head: 'Basis',
    options: [
      ['average', 'average'],
      ['highest', 'highest'],
    ],
    get: (p) => p.basis,
    set: (_, v) => ({ basis: v as PolicyDraft['basis'] }),
  },
  { head: 'Multiple', size: 4, get: (p) => p.multiple, set: (_, v) => ({ multiple: v }) },
  {
    head: 'Months',
    size: 3,
    get: (p) => String(p.lookbackMonths),
    set: (_, v) => ({ lookbackMonths: Number(v) }),
  },
  { head: 'Cap $', className: 'cap', size: 8, get: (p) => p.capText, set: (_, v) => ({ capText: v }) },
  {
    head: 'Rounding',
    testId: 'rounding',
    options: ROUNDING_ORDERS.map((o) => [o, ROUNDING_WORDS[o]]),
    get: (p) => p.roundingOrder,
    set: (_, v) => ({ roundingOrder: v as RoundingOrder }),
  },
  {
    head: 'Day count',
    testId: 'daycount',
    options: DAY_COUNTS.map((d) => [d, DAY_COUNT_WORDS[d]]),
    get: (p) => p.interest.dayCount,
    set: (p, v) => ({ interest: { ...p.interest, dayCount: v as DayCount } }),
  },
  {
    head: 'Grace days',
    size: 3,
    get: (p) => String(p.interest.graceDays),
    set: (p, v) => ({ interest: { ...p.interest, graceDays: Number(v) } }),
  },
  {
    head: 'Refund after',
    size: 3,
    get: (p) => String(p.refund.consecutiveMonths),
    set: (p, v) => ({ refund: { ...p.refund, consecutiveMonths: Number(v) } }),
  },
  {
    head: 'Late ≤',
    size: 2,
    get: (p) => String(p.refund.maxLatePayments),
    set: (p, v) => ({ refund: { ...p.refund, maxLatePayments: Number(v) } }),
  },
];

function ColumnCell({
  column: c,
  policy,
  row,
  onChange,
}: {
  column: Column;
  policy: PolicyDraft;
  row: number;
  onChange(patch: Partial<PolicyDraft>): void;
}): React.JSX.Element {
  const testId = c.testId ? `policy-${row}-${c.testId}` : undefined;
  const set = (text: string): void => onChange(c.set(policy, text));
  return (
    <td>
      {c.options ? (
        <Select value={c.get(policy)} choices={c.options} onChange={set} testId={testId} />
      ) : (
        <input
          className={c.className}
          value={c.get(policy)}
          size={c.size}
          placeholder={c.placeholder}
          onChange={(e) => set(e.currentTarget.value)}
          data-testid={testId}
        />
      )}
    </td>
  );
}

function draftOf(p: DepositPolicy): PolicyDraft {
  return { ...p, capText: p.capCents === null ? '' : centsToInput(p.capCents) };
}

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The drafts as the host takes them: each cap typed in dollars becomes cents, or the words why not. */
function policiesOf(drafts: PolicyDraft[]): DepositPolicy[] | string {
  const out: DepositPolicy[] = [];
  for (const { capText, ...rest } of drafts) {
    let capCents: number | null = null;
    if (capText.trim()) {
      const c = parseAmount(capText);
      if (!c.ok) return `${rest.id}: cap ${c.message}`;
      capCents = c.cents;
    }
    out.push({ ...rest, capCents });
  }
  return out;
}

export function PoliciesPanel(): React.JSX.Element {
  const [policies, setPolicies] = useState<PolicyDraft[] | null>(null);
  const [rates, setRates] = useState<InterestRateTable | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [newFrom, setNewFrom] = useState('');
  useEffect(() => {
    void api.call('deposits.policies', {}).then(
      (r) => {
        setPolicies(r.policies.map(draftOf));
        setRates(r.rates);
      },
      (err: unknown) => setMessage({ ok: false, text: errorText(err) }),
    );
  }, []);
  if (!policies || !rates)
    return message ? <div className="banner bad">{message.text}</div> : <p className="muted">Loading…</p>;
  const set = (i: number, patch: Partial<PolicyDraft>) =>
    setPolicies(policies.map((p, n) => (n === i ? { ...p, ...patch } : p)));
  const setRate = (i: number, ratePercent: string) =>
    setRates({ ...rates, rates: rates.rates.map((r, n) => (n === i ? { ...r, ratePercent } : r)) });
  const setRounding = (patch: Partial<InterestRateTable['rounding']>) =>
    setRates({ ...rates, rounding: { ...rates.rounding, ...patch } });
  const applied = (year: number): string => {
    try {
      return `${ratePercentFor(rates, year).rateApplied}%`;
    } catch {
      return '?';
    }
  };
  /** A new policy for a class from a date: a copy of the class's current one, which now ends the day before. */
  const addFrom = (accountClass: 'residential' | 'commercial') => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newFrom)) {
      setMessage({ ok: false, text: 'Type the date the new policy starts (YYYY-MM-DD) first.' });
      return;
    }
    const current = policies.find((p) => p.accountClass === accountClass && p.effectiveTo === null);
    if (!current) return;
    const id = `${accountClass === 'residential' ? 'RES' : 'COM'}-${newFrom.replaceAll('-', '')}`;
    setPolicies([
      ...policies.map((p) => (p === current ? { ...p, effectiveTo: dayBefore(newFrom) } : p)),
      { ...current, id, effectiveFrom: newFrom, effectiveTo: null },
    ]);
  };
  const save = async () => {
    const out = policiesOf(policies);
    if (typeof out === 'string') {
      setMessage({ ok: false, text: out });
      return;
    }
    try {
      const r = await api.call('deposits.savePolicies', { policies: out, rates });
      setMessage({
        ok: true,
        text: `Saved ${r.policies} policies and ${r.rateYears} yearly rates. They go to the server with the next sync.`,
      });
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  return (
    <div className="dep-card" data-testid="deposit-policies">
      {message && (
        <div
          className={message.ok ? 'banner ok' : 'banner bad'}
          role="alert"
          data-testid="deposit-policies-message"
        >
          {message.text}
        </div>
      )}
      <h3>Policies (per class, effective-dated: each starts the day after the one before ends)</h3>
      <table className="list policies">
        <thead>
          <tr>
            <th>Policy</th>
            {COLUMNS.map((c) => (
              <th key={c.head}>{c.head}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {policies.map((p, i) => (
            <tr key={`${p.id}-${i}`} data-testid={`policy-${p.id}`}>
              <td>
                <strong>{p.id}</strong>
                <br />
                <span className="muted small">{p.accountClass}</span>
              </td>
              {COLUMNS.map((c) => (
                <ColumnCell key={c.head} column={c} policy={p} row={i} onChange={(patch) => set(i, patch)} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <label className="field">
          <span className="label">New policy starting (YYYY-MM-DD)</span>
          <input
            value={newFrom}
            onChange={(e) => setNewFrom(e.currentTarget.value)}
            data-testid="policy-new-from"
          />
        </label>
        <button type="button" onClick={() => addFrom('residential')}>
          + Residential from that date
        </button>
        <button type="button" onClick={() => addFrom('commercial')}>
          + Commercial from that date
        </button>
      </div>
      <h3>Yearly interest rates (as published)</h3>
      <div className="row">
        <label className="field">
          <span className="label">Rounding of the published rate</span>
          <Select
            value={rates.rounding.mode}
            choices={RATE_ROUNDING}
            onChange={(mode) => setRounding({ mode: mode as InterestRateTable['rounding']['mode'] })}
            testId="rates-rounding"
          />
        </label>
        <label className="field">
          <span className="label">Never below (floor, %)</span>
          <input
            value={rates.rounding.floorPercent ?? ''}
            placeholder="no floor"
            onChange={(e) => setRounding({ floorPercent: e.currentTarget.value.trim() || null })}
            data-testid="rates-floor"
          />
        </label>
      </div>
      <table className="list rates">
        <thead>
          <tr>
            <th>Year</th>
            <th>Published %</th>
            <th>Applied</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rates.rates.map((r, i) => (
            <tr key={r.year}>
              <td>{r.year}</td>
              <td>
                <input
                  value={r.ratePercent}
                  size={6}
                  onChange={(e) => setRate(i, e.currentTarget.value)}
                  data-testid={`rate-${r.year}`}
                />
              </td>
              <td>{applied(r.year)}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => setRates({ ...rates, rates: rates.rates.filter((_, n) => n !== i) })}
                  data-testid={`rate-${r.year}-remove`}
                >
                  remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button
          type="button"
          onClick={() => {
            const last = Math.max(...rates.rates.map((r) => r.year));
            setRates({
              ...rates,
              rates: [
                ...rates.rates,
                { year: last + 1, ratePercent: rates.rates.at(-1)?.ratePercent ?? '0' },
              ],
            });
          }}
        >
          + Next year
        </button>
        <button
          type="button"
          className="primary big"
          onClick={() => void save()}
          data-testid="deposit-policies-save"
        >
          Save policies and rates
        </button>
      </div>
    </div>
  );
}
