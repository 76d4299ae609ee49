/**
 * F6 Deposit: with an account open, what it holds (amount, date paid, installments outstanding,
 * interest accrued to today by calendar year, credited so far, status, refund eligibility and why),
 * the required-deposit calculation with its working, and one key for each action:
 * C calculate · F collect in full · I collect an installment · R refund · B final bill · S supervisor.
 */
import { useEffect } from 'react';

import type { Calculation, DepositView } from '../../../../shared/api/channels/deposits.js';
import { KeyMenu, type MenuItem } from '../../components/KeyMenu.js';
import { Money } from '../../components/Money.js';
import { asChoices, Select } from '../../components/Select.js';
import { Stat, StatCard } from '../../components/Stat.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { useDeposit } from './store.js';

function longDate(iso: string | null): string {
  if (!iso) return '—';
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function dueWith(d: string): string {
  return d === 'now' ? 'Down payment (now)' : `With ${d}`;
}

type Action = Omit<MenuItem, 'testId'>;

export function DepositScreen(): React.JSX.Element {
  const account = useCounter((s) => s.account);
  const role = useSession((s) => s.state?.cashier?.role);
  const { data: loaded, calc: calculated, loading, error, bundles, bundle } = useDeposit();
  const accountNumber = account?.accountNumber;
  // The store still holds the last account's deposits until this one's arrive: never show them here.
  const data = loaded?.accountNumber === accountNumber ? loaded : null;
  const calc = calculated?.accountNumber === accountNumber ? calculated : null;

  useEffect(() => {
    if (accountNumber) void useDeposit.getState().load(accountNumber);
  }, [accountNumber]);

  const open = data?.deposits.find((d) => d.id === data.openDepositId) ?? null;
  const history = data?.deposits.filter((d) => d.id !== data.openDepositId) ?? [];
  const closedAccount = data?.accountStatus === 'closed';
  const canPayOut = Boolean(open && open.principalHeldCents > 0);
  const actions: Action[] = [
    {
      key: 'C',
      label: 'Calculate required deposit',
      enabled: !closedAccount,
      run: () => void useDeposit.getState().calculate(),
    },
    {
      key: 'F',
      label: open && open.outstanding.length ? 'Collect everything still due' : 'Collect deposit in full',
      enabled: !closedAccount && !(open && open.outstanding.length === 0),
      run: () => void useDeposit.getState().collect('full'),
    },
    {
      key: 'I',
      label: 'Collect an installment',
      enabled:
        !closedAccount &&
        !(open && open.outstanding.length < 2) &&
        !(calc && calc.collectInstallmentCents === null),
      run: () => void useDeposit.getState().collect('installment'),
    },
    {
      key: 'R',
      label: 'Refund deposit + interest',
      enabled: canPayOut,
      run: () => useCounter.setState({ screen: 'depositRefund' }),
    },
    {
      key: 'B',
      label: 'Apply to final bill',
      enabled: canPayOut && closedAccount,
      hint: 'Only when service has ended (account closed).',
      run: () => useCounter.setState({ screen: 'depositFinal' }),
    },
    ...(role === 'supervisor'
      ? [
          {
            key: 'S',
            label: 'Supervisor: interest batch, fund report, policies',
            enabled: true,
            run: () => useCounter.setState({ screen: 'depositAdmin' }),
          },
        ]
      : []),
  ];

  if (!account) return <div />;
  return (
    <div className="deposit-screen" data-testid="deposit">
      <h2>
        Security deposit <span className="muted">· {account.name}</span>
      </h2>
      {loading && !data && <p className="muted">Loading…</p>}
      {error && (
        <div className="banner bad" role="alert" data-testid="deposit-error">
          {error}
        </div>
      )}
      {bundles.length > 0 && (
        <label className="field">
          <span className="label">Service bundle (sets the new-service deposit)</span>
          <Select
            value={bundle}
            autoFocus
            testId="deposit-bundle"
            choices={[['', 'Choose the bundle…'], ...asChoices(bundles)]}
            onChange={(b) => useDeposit.getState().setBundle(b)}
          />
        </label>
      )}
      <div className="deposit-grid">
        <div className="deposit-main">
          {data && !open && (
            <div className="dep-card none" data-testid="deposit-none">
              <div className="dep-big">No deposit held</div>
              <p className="muted dep-none-hint">
                {data.heldCents !== 0 ? (
                  <>
                    The account shows <Money cents={data.heldCents} symbol /> held but no open deposit record.
                  </>
                ) : (
                  'Press C to calculate what this account should pay.'
                )}
              </p>
            </div>
          )}
          {open && <DepositCard d={open} />}
          {calc && <CalculationPanel calc={calc} />}
          {history.length > 0 && (
            <section className="dep-history" aria-label="Earlier deposits">
              <h3>Earlier deposits</h3>
              <table className="list">
                <tbody>
                  {history.map((d) => (
                    <tr key={d.id}>
                      <td>{longDate(d.datePaid ?? d.requestedOn)}</td>
                      <td>{d.statusWords}</td>
                      <td className="num">
                        <Money cents={d.paidCents} symbol />
                      </td>
                      <td className="muted">
                        interest <Money cents={d.creditedCents} symbol />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>
        <KeyMenu
          items={actions.map((a) => ({ ...a, testId: `deposit-${a.key.toLowerCase()}` }))}
          className="menu dep-actions"
        >
          <li className="muted small">Esc goes back to the payment.</li>
        </KeyMenu>
      </div>
    </div>
  );
}

function DepositCard({ d }: { d: DepositView }): React.JSX.Element {
  const i = d.interest;
  return (
    <StatCard
      testId="deposit-card"
      head={
        <>
          <Stat label="Deposit held">
            <Money cents={d.heldCents} symbol className="dep-amount" />
          </Stat>
          <Stat label="Status">
            <span className={`badge dep-${d.status}`} data-testid="deposit-status">
              {d.statusWords}
            </span>
          </Stat>
          <Stat label="Date paid">
            <strong data-testid="deposit-date-paid">{longDate(d.datePaid)}</strong>
          </Stat>
          <Stat label="Required">
            <strong>
              <Money cents={d.requiredCents} symbol />
            </strong>
            <span className="muted small"> policy {d.policyId}</span>
          </Stat>
        </>
      }
    >
      {d.principalHeldCents > 0 && (
        <div className={d.refund.eligible ? 'banner ok' : 'banner warn'} data-testid="deposit-eligibility">
          <strong>{d.refund.eligible ? 'Eligible for refund. ' : 'Not eligible for refund yet. '}</strong>
          {sentence(d.refund.reason.replace(/^(Eligible for refund|Not eligible yet): /, ''))}
        </div>
      )}
      {d.outstanding.length > 0 && (
        <div className="dep-section" data-testid="deposit-outstanding">
          <h3>Installments outstanding</h3>
          <table className="list">
            <tbody>
              {d.outstanding.map((o) => (
                <tr key={o.dueWith}>
                  <td>{dueWith(o.dueWith)}</td>
                  <td className="num">
                    <Money cents={o.amountCents} symbol />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {i && (
        <div className="dep-section" data-testid="deposit-interest">
          <div className="dep-interest-head">
            <span className="dep-interest-total">
              Interest to today: <Money cents={i.totalCents} symbol />
            </span>
            <span className="muted small">
              {i.method === 'simple' ? 'simple' : 'compounded yearly'} · credited so far{' '}
              <Money cents={d.creditedCents} symbol /> · not yet credited{' '}
              <span data-testid="deposit-uncredited">
                <Money cents={d.uncreditedCents} symbol />
              </span>
            </span>
          </div>
          {i.graceApplied ? (
            <p className="muted">No interest: paid out within the {i.graceDays}-day grace period.</p>
          ) : (
            <table className="list dep-years" data-testid="deposit-years">
              <thead>
                <tr>
                  <th>Year</th>
                  <th>Days held</th>
                  <th className="num">Balance</th>
                  <th className="num">Rate</th>
                  <th className="num">Interest</th>
                </tr>
              </thead>
              <tbody>
                {i.years.map((y) => (
                  <tr key={`${y.year}-${y.from}`}>
                    <td>{y.year}</td>
                    <td>
                      {y.days}{' '}
                      <span className="muted small">
                        {y.from.slice(5)} – {y.to.slice(5)}
                      </span>
                    </td>
                    <td className="num">
                      <Money cents={y.principalCents} symbol />
                      {y.lastPrincipalCents !== y.principalCents && (
                        <>
                          {' → '}
                          <Money cents={y.lastPrincipalCents} symbol />
                        </>
                      )}
                    </td>
                    <td className="num" title={`published ${y.ratePercentPublished}%`}>
                      {y.rateApplied}%
                      {y.rateApplied !== y.ratePercentPublished && (
                        <span className="muted small"> pub. {y.ratePercentPublished}</span>
                      )}
                    </td>
                    <td className="num">
                      <Money cents={y.interestCents} symbol />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!i.graceApplied && d.datePaid && (i.asOf <= i.graceEndsOn || d.creditsDue.length > 0) && (
            <p className="muted small">
              {i.asOf <= i.graceEndsOn &&
                `Refunded by ${longDate(i.graceEndsOn)} (${i.graceDays} days after payment), it earns no interest at all. `}
              {d.creditsDue.length > 0 &&
                `${d.creditsDue.length} yearly credit${d.creditsDue.length === 1 ? '' : 's'} waiting for the supervisor's interest batch.`}
            </p>
          )}
          <p className="dep-refund-total">
            A full refund today pays{' '}
            <strong data-testid="deposit-available">
              <Money cents={d.refund.availableCents} symbol />
            </strong>{' '}
            (principal <Money cents={d.principalHeldCents} symbol /> + interest).
          </p>
        </div>
      )}
      <ul className="muted small dep-terms">
        {d.terms.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </StatCard>
  );
}

function CalculationPanel({ calc }: { calc: Calculation }): React.JSX.Element {
  const w = calc.working;
  return (
    <StatCard
      className="dep-card calc"
      testId="deposit-calc"
      head={
        <>
          <Stat label="Required deposit">
            <Money cents={calc.amountCents} symbol className="dep-amount" />
          </Stat>
          <Stat label="Policy">
            <strong>{calc.policy.id}</strong>
          </Stat>
          {calc.installments.length > 1 && (
            <Stat label="In installments">
              <strong>
                {calc.installments.map((i, n) => (
                  <span key={i.dueWith}>
                    {n > 0 && ' + '}
                    <Money cents={i.amountCents} symbol />
                  </span>
                ))}
              </strong>
            </Stat>
          )}
        </>
      }
    >
      <h3>How it is worked out</h3>
      <ol className="dep-working" data-testid="deposit-working">
        {calc.explanation.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
      {!w.usedDefault && (
        <div className="months" aria-label="Bills used">
          {w.monthsUsed.map((m) => (
            <span
              key={m.month}
              className={w.basis === 'highest' && m.billedCents === w.averageOrHighestCents ? 'top' : ''}
            >
              <span className="muted">{m.month}</span> <Money cents={m.billedCents} />
            </span>
          ))}
        </div>
      )}
      <p className="muted small">
        F collects <Money cents={calc.collectFullCents} symbol />
        {calc.collectInstallmentCents !== null && (
          <>
            {' '}
            · I collects the next installment <Money cents={calc.collectInstallmentCents} symbol />
          </>
        )}
        .
      </p>
    </StatCard>
  );
}
