/**
 * Supervisor (F6 then S, or F6 with no account): 1 the deposit fund report, 2 the yearly interest
 * batch (preview, then Enter credits; running it again credits nothing new), 3 the policies (each with
 * its rounding order and interest day count) and the yearly rate table (effective-dated; the table's
 * rounding rule and floor; saved only when there is no gap, overlap or missing year).
 */
import { useEffect, useState } from 'react';

import type { ChannelOutput } from '../../../../shared/api/contract.js';
import type {
  DayCount,
  DepositPolicy,
  InterestRateTable,
  RoundingOrder,
} from '../../../../shared/domain/deposits.js';
import { DAY_COUNTS, ratePercentFor, ROUNDING_ORDERS } from '../../../../shared/domain/deposits.js';
import { centsToInput, parseAmount } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { Money } from '../../components/Money.js';
import { useCounter } from '../../stores/counter.js';

type Tab = 'fund' | 'batch' | 'policies';
type Batch = ChannelOutput<'deposits.creditInterestBatch'>;
type Fund = ChannelOutput<'deposits.fundReport'>;

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return Boolean(t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA'));
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function DepositAdmin(): React.JSX.Element {
  const [tab, setTab] = useState<Tab>('fund');
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.altKey || typing(e)) return;
      const next = ({ '1': 'fund', '2': 'batch', '3': 'policies' } as Record<string, Tab>)[e.key];
      if (!next) return;
      e.preventDefault();
      setTab(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="deposit-screen" data-testid="deposit-admin">
      <h2>Deposit fund · supervisor</h2>
      <div className="tabs">
        {(
          [
            ['1', 'fund', 'Fund report'],
            ['2', 'batch', 'Yearly interest batch'],
            ['3', 'policies', 'Policies and rates'],
          ] as [string, Tab, string][]
        ).map(([k, t, label]) => (
          <button
            key={t}
            type="button"
            className={tab === t ? 'tab on' : 'tab'}
            onClick={() => setTab(t)}
            data-testid={`deposit-tab-${t}`}
          >
            <kbd>{k}</kbd> {label}
          </button>
        ))}
      </div>
      {tab === 'fund' && <FundPanel />}
      {tab === 'batch' && <BatchPanel />}
      {tab === 'policies' && <PoliciesPanel />}
    </div>
  );
}

function FundPanel(): React.JSX.Element {
  const [fund, setFund] = useState<Fund | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.call('deposits.fundReport', {}).then(setFund, (err: unknown) => setError(errorText(err)));
  }, []);
  if (error) return <div className="banner bad">{error}</div>;
  if (!fund) return <p className="muted">Adding up the fund…</p>;
  const t = fund.today;
  return (
    <div className="dep-card" data-testid="deposit-fund">
      <div className="dep-head">
        <div>
          <span className="label">Deposits held</span>
          <Money cents={fund.totalHeldCents} symbol className="huge" />
          <span className="muted small">{fund.deposits} deposits</span>
        </div>
        <div>
          <span className="label">Interest owed, not yet credited</span>
          <Money cents={fund.accruedInterestCents} symbol className="huge" />
        </div>
        <div>
          <span className="label">Yearly credits due</span>
          <strong>
            {fund.creditsDue.count} · <Money cents={fund.creditsDue.cents} symbol />
          </strong>
        </div>
      </div>
      <h3>On this counter today ({fund.businessDate})</h3>
      <table className="list" data-testid="deposit-fund-today">
        <tbody>
          {(
            [
              ['Collected', t.collected],
              ['Refunded', t.refunded],
              ['Applied to final bills', t.applied],
              ['Interest credited', t.interestCredited],
            ] as [string, { count: number; cents: number }][]
          ).map(([label, v]) => (
            <tr key={label}>
              <td>{label}</td>
              <td className="num">{v.count}</td>
              <td className="num">
                <Money cents={v.cents} symbol />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>By account class</h3>
      <table className="list">
        <tbody>
          {fund.byClass.map((c) => (
            <tr key={c.accountClass}>
              <td>{c.accountClass}</td>
              <td className="num">{c.deposits} accounts</td>
              <td className="num">
                <Money cents={c.heldCents} symbol />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {fund.differences.length === 0 ? (
        <div className="banner ok">Every account's deposits held match its deposit records.</div>
      ) : (
        <div className="banner bad" data-testid="deposit-fund-differences">
          {fund.differences.length} account(s) where the amount held and the deposit records differ:{' '}
          {fund.differences
            .slice(0, 5)
            .map((d) => d.accountNumber)
            .join(', ')}
        </div>
      )}
    </div>
  );
}

function BatchPanel(): React.JSX.Element {
  const [preview, setPreview] = useState<Batch | null>(null);
  const [done, setDone] = useState<Batch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () =>
    void api
      .call('deposits.creditInterestBatch', { dryRun: true })
      .then(setPreview, (err: unknown) => setError(errorText(err)));
  useEffect(load, []);
  const run = async () => {
    if (busy || !preview || preview.count === 0) return;
    setBusy(true);
    try {
      setDone(await api.call('deposits.creditInterestBatch', { dryRun: false }));
      load();
      useCounter.getState().notify('info', 'Interest batch done.');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Enter' || typing(e)) return;
      e.preventDefault();
      void run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return (
    <div className="dep-card" data-testid="deposit-batch">
      <p>
        Credits each deposit's interest on its anniversary (the yearly credit). Safe to run any time and more
        than once: credits already made are never made again.
      </p>
      {error && <div className="banner bad">{error}</div>}
      {done && (
        <div className="banner ok" data-testid="deposit-batch-done">
          Credited {done.count} anniversary credit{done.count === 1 ? '' : 's'},{' '}
          <Money cents={done.totalCents} symbol />.
        </div>
      )}
      {preview && (
        <>
          <h3 data-testid="deposit-batch-preview">
            Due now: {preview.count} credit{preview.count === 1 ? '' : 's'},{' '}
            <Money cents={preview.totalCents} symbol />{' '}
            <span className="muted small">({preview.alreadyCredited} made before)</span>
          </h3>
          <table className="list">
            <tbody>
              {preview.credited.slice(0, 12).map((c) => (
                <tr key={`${c.depositId}-${c.creditDate}`}>
                  <td>{c.accountNumber}</td>
                  <td>anniversary {c.creditDate}</td>
                  <td className="num">
                    <Money cents={c.amountCents} symbol />
                  </td>
                </tr>
              ))}
              {preview.credited.length > 12 && (
                <tr>
                  <td colSpan={3} className="muted">
                    … and {preview.credited.length - 12} more
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
      <button
        type="button"
        className="primary big"
        disabled={busy || !preview || preview.count === 0}
        onClick={() => void run()}
        data-testid="deposit-batch-run"
      >
        Credit interest now <kbd>Enter</kbd>
      </button>
    </div>
  );
}

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

function draftOf(p: DepositPolicy): PolicyDraft {
  return { ...p, capText: p.capCents === null ? '' : centsToInput(p.capCents) };
}

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function PoliciesPanel(): React.JSX.Element {
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
    const out: DepositPolicy[] = [];
    for (const p of policies) {
      const { capText, ...rest } = p;
      let capCents: number | null = null;
      if (capText.trim()) {
        const c = parseAmount(capText);
        if (!c.ok) {
          setMessage({ ok: false, text: `${p.id}: cap ${c.message}` });
          return;
        }
        capCents = c.cents;
      }
      out.push({ ...rest, capCents });
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
            <th>From</th>
            <th>To</th>
            <th>Basis</th>
            <th>Multiple</th>
            <th>Months</th>
            <th>Cap $</th>
            <th>Rounding</th>
            <th>Day count</th>
            <th>Grace days</th>
            <th>Refund after</th>
            <th>Late ≤</th>
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
              <td>
                <input
                  className="date"
                  value={p.effectiveFrom}
                  size={10}
                  onChange={(e) => set(i, { effectiveFrom: e.currentTarget.value })}
                  data-testid={`policy-${i}-from`}
                />
              </td>
              <td>
                <input
                  className="date"
                  value={p.effectiveTo ?? ''}
                  size={10}
                  placeholder="open"
                  onChange={(e) => set(i, { effectiveTo: e.currentTarget.value.trim() || null })}
                  data-testid={`policy-${i}-to`}
                />
              </td>
              <td>
                <select
                  value={p.basis}
                  onChange={(e) => set(i, { basis: e.currentTarget.value as 'average' | 'highest' })}
                >
                  <option value="average">average</option>
                  <option value="highest">highest</option>
                </select>
              </td>
              <td>
                <input
                  value={p.multiple}
                  size={4}
                  onChange={(e) => set(i, { multiple: e.currentTarget.value })}
                />
              </td>
              <td>
                <input
                  value={String(p.lookbackMonths)}
                  size={3}
                  onChange={(e) => set(i, { lookbackMonths: Number(e.currentTarget.value) })}
                />
              </td>
              <td>
                <input
                  className="cap"
                  value={p.capText}
                  size={8}
                  onChange={(e) => set(i, { capText: e.currentTarget.value })}
                />
              </td>
              <td>
                <select
                  value={p.roundingOrder}
                  onChange={(e) => set(i, { roundingOrder: e.currentTarget.value as RoundingOrder })}
                  data-testid={`policy-${i}-rounding`}
                >
                  {ROUNDING_ORDERS.map((o) => (
                    <option key={o} value={o}>
                      {ROUNDING_WORDS[o]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  value={p.interest.dayCount}
                  onChange={(e) =>
                    set(i, { interest: { ...p.interest, dayCount: e.currentTarget.value as DayCount } })
                  }
                  data-testid={`policy-${i}-daycount`}
                >
                  {DAY_COUNTS.map((d) => (
                    <option key={d} value={d}>
                      {DAY_COUNT_WORDS[d]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  value={String(p.interest.graceDays)}
                  size={3}
                  onChange={(e) =>
                    set(i, { interest: { ...p.interest, graceDays: Number(e.currentTarget.value) } })
                  }
                />
              </td>
              <td>
                <input
                  value={String(p.refund.consecutiveMonths)}
                  size={3}
                  onChange={(e) =>
                    set(i, { refund: { ...p.refund, consecutiveMonths: Number(e.currentTarget.value) } })
                  }
                />
              </td>
              <td>
                <input
                  value={String(p.refund.maxLatePayments)}
                  size={2}
                  onChange={(e) =>
                    set(i, { refund: { ...p.refund, maxLatePayments: Number(e.currentTarget.value) } })
                  }
                />
              </td>
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
          <select
            value={rates.rounding.mode}
            onChange={(e) =>
              setRates({
                ...rates,
                rounding: {
                  ...rates.rounding,
                  mode: e.currentTarget.value as InterestRateTable['rounding']['mode'],
                },
              })
            }
            data-testid="rates-rounding"
          >
            <option value="none">used as published</option>
            <option value="tenth_percent">nearest tenth of a percent</option>
            <option value="whole_percent">nearest whole percent</option>
          </select>
        </label>
        <label className="field">
          <span className="label">Never below (floor, %)</span>
          <input
            value={rates.rounding.floorPercent ?? ''}
            placeholder="no floor"
            onChange={(e) =>
              setRates({
                ...rates,
                rounding: { ...rates.rounding, floorPercent: e.currentTarget.value.trim() || null },
              })
            }
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
