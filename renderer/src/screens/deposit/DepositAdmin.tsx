/**
 * Supervisor (F6 then S, or F6 with no account): 1 the deposit fund report, 2 the yearly interest
 * batch (preview, then Enter credits; running it again credits nothing new), 3 the policies and the
 * yearly rate table (DepositPolicies.tsx).
 */
import { useState } from 'react';

import type { ChannelOutput } from '../../../../shared/api/contract.js';
import { api } from '../../api/client.js';
import { typing, useWindowKeys } from '../../components/keys.js';
import { Money } from '../../components/Money.js';
import { Stat, StatCard } from '../../components/Stat.js';
import { errorText, useLoaded } from '../../components/useLoaded.js';
import { useCounter } from '../../stores/counter.js';
import { PoliciesPanel } from './DepositPolicies.js';

type Tab = 'fund' | 'batch' | 'policies';
type Batch = ChannelOutput<'deposits.creditInterestBatch'>;

const TABS: [string, Tab, string][] = [
  ['1', 'fund', 'Fund report'],
  ['2', 'batch', 'Yearly interest batch'],
  ['3', 'policies', 'Policies and rates'],
];

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function DepositAdmin(): React.JSX.Element {
  const [tab, setTab] = useState<Tab>('fund');
  useWindowKeys((e) => {
    if (e.ctrlKey || e.altKey || typing(e)) return;
    const next = TABS.find(([k]) => k === e.key)?.[1];
    if (!next) return;
    e.preventDefault();
    setTab(next);
  }, []);
  return (
    <div className="deposit-screen" data-testid="deposit-admin">
      <h2>Deposit fund · supervisor</h2>
      <div className="tabs">
        {TABS.map(([k, t, label]) => (
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

/** A table of figures: each row its cells, then an amount right-aligned. */
function FiguresTable({
  rows,
  testId,
}: {
  rows: { key: string; cells: React.ReactNode[]; cents: number }[];
  testId?: string;
}): React.JSX.Element {
  return (
    <table className="list" data-testid={testId}>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            {r.cells.map((c, n) => (
              <td key={n} className={n > 0 ? 'num' : undefined}>
                {c}
              </td>
            ))}
            <td className="num">
              <Money cents={r.cents} symbol />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FundPanel(): React.JSX.Element {
  const { data: fund, error } = useLoaded(() => api.call('deposits.fundReport', {}));
  if (error) return <div className="banner bad">{error}</div>;
  if (!fund) return <p className="muted">Adding up the fund…</p>;
  const t = fund.today;
  const today: [string, { count: number; cents: number }][] = [
    ['Collected', t.collected],
    ['Refunded', t.refunded],
    ['Applied to final bills', t.applied],
    ['Interest credited', t.interestCredited],
  ];
  return (
    <StatCard
      testId="deposit-fund"
      head={
        <>
          <Stat label="Deposits held">
            <Money cents={fund.totalHeldCents} symbol className="huge" />
            <span className="muted small">{fund.deposits} deposits</span>
          </Stat>
          <Stat label="Interest owed, not yet credited">
            <Money cents={fund.accruedInterestCents} symbol className="huge" />
          </Stat>
          <Stat label="Yearly credits due">
            <strong>
              {fund.creditsDue.count} · <Money cents={fund.creditsDue.cents} symbol />
            </strong>
          </Stat>
        </>
      }
    >
      <h3>On this counter today ({fund.businessDate})</h3>
      <FiguresTable
        testId="deposit-fund-today"
        rows={today.map(([label, v]) => ({ key: label, cells: [label, v.count], cents: v.cents }))}
      />
      <h3>By account class</h3>
      <FiguresTable
        rows={fund.byClass.map((c) => ({
          key: c.accountClass,
          cells: [c.accountClass, `${c.deposits} accounts`],
          cents: c.heldCents,
        }))}
      />
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
    </StatCard>
  );
}

function BatchPanel(): React.JSX.Element {
  const loaded = useLoaded(() => api.call('deposits.creditInterestBatch', { dryRun: true }));
  const preview = loaded.data;
  const [done, setDone] = useState<Batch | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (busy || !preview || preview.count === 0) return;
    setBusy(true);
    try {
      setDone(await api.call('deposits.creditInterestBatch', { dryRun: false }));
      loaded.reload();
      useCounter.getState().notify('info', 'Interest batch done.');
    } catch (err) {
      loaded.setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  useWindowKeys((e) => {
    if (e.key !== 'Enter' || typing(e)) return;
    e.preventDefault();
    void run();
  });
  return (
    <div className="dep-card" data-testid="deposit-batch">
      <p>
        Credits each deposit's interest on its anniversary (the yearly credit). Safe to run any time and more
        than once: credits already made are never made again.
      </p>
      {loaded.error && <div className="banner bad">{loaded.error}</div>}
      {done && (
        <div className="banner ok" data-testid="deposit-batch-done">
          Credited {plural(done.count, 'anniversary credit')}, <Money cents={done.totalCents} symbol />.
        </div>
      )}
      {preview && (
        <>
          <h3 data-testid="deposit-batch-preview">
            Due now: {plural(preview.count, 'credit')}, <Money cents={preview.totalCents} symbol />{' '}
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
