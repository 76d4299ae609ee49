import type { AccountDetail } from '../../../../shared/api/schemas.js';
import { Money } from '../../components/Money.js';

const CATEGORY: Record<string, string> = {
  basic_local: 'Basic local',
  other_regulated: 'Other regulated',
  non_regulated: 'Non-regulated',
  equipment: 'Equipment',
  taxes: 'Taxes & fees',
  late_fee: 'Late fee',
};

function shortDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${m}/${d}/${y?.slice(2)}`;
}

export function AccountPanel({ account: a }: { account: AccountDetail }): React.JSX.Element {
  return (
    <aside className="account" data-testid="account-panel" aria-label="Account">
      <div className="acct-head">
        <span className="acct-no" data-testid="account-number">
          {a.accountNumber}
        </span>
        <span className={`badge ${a.status}`}>{a.status[0]?.toUpperCase() + a.status.slice(1)}</span>
      </div>
      <div className="acct-name" data-testid="account-name">
        {a.name}
      </div>
      <div className="muted">
        {a.class === 'commercial' ? 'Commercial' : 'Residential'} · {a.phone}
      </div>
      <div className="muted">{a.serviceAddress}</div>
      {a.cashOnly && (
        <div className="banner bad" data-testid="cash-only">
          CASH ONLY: no checks. {a.cashOnlyReason}
        </div>
      )}
      <dl className="figures">
        <dt>Balance</dt>
        <dd data-testid="balance">
          <Money cents={a.balanceCents} />
        </dd>
        <dt>Past due</dt>
        <dd className={a.pastDueCents > 0 ? 'bad' : ''} data-testid="past-due">
          <Money cents={a.pastDueCents} />
        </dd>
        <dt>Deposit held</dt>
        <dd>
          <Money cents={a.depositHeldCents} />
        </dd>
      </dl>
      <table className="aging" aria-label="Aging">
        <thead>
          <tr>
            <th>Current</th>
            <th>30</th>
            <th>60</th>
            <th>90+</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <Money cents={a.aging.current} />
            </td>
            <td>
              <Money cents={a.aging.d30} />
            </td>
            <td>
              <Money cents={a.aging.d60} />
            </td>
            <td className={a.aging.d90 > 0 ? 'bad' : ''}>
              <Money cents={a.aging.d90} />
            </td>
          </tr>
        </tbody>
      </table>
      {a.pendingCents !== 0 && (
        <div className="banner warn" data-testid="pending">
          {/* Net of what this counter posted and the server has not confirmed: money taken lowers the
              balance, a fee, debit or reversed payment raises it, and the words must say which. */}
          <Money cents={Math.abs(a.pendingCents)} symbol />{' '}
          {a.pendingCents > 0 ? 'taken' : 'added to the balance'} at this counter, not yet confirmed by the
          server.
        </div>
      )}
      <div className="muted small">Balance as of {new Date(a.asOf).toLocaleString()}</div>
      {a.lastBill && (
        <section className="bill" aria-label="Last bill">
          <h3>
            Last bill {shortDate(a.lastBill.billDate)} · due {shortDate(a.lastBill.dueDate)}
          </h3>
          <table>
            <tbody>
              {a.lastBill.lines.map((l, i) => (
                <tr key={i}>
                  <td>
                    {l.description}
                    <span className="cat">{CATEGORY[l.category] ?? l.category}</span>
                  </td>
                  <td className="num">
                    <Money cents={l.amountCents} />
                  </td>
                </tr>
              ))}
              <tr className="total">
                <td>Total</td>
                <td className="num">
                  <Money cents={a.lastBill.totalCents} />
                </td>
              </tr>
            </tbody>
          </table>
        </section>
      )}
      {a.recentPayments.length > 0 && (
        <section className="payments" aria-label="Recent payments">
          <h3>Recent payments</h3>
          <table>
            <tbody>
              {a.recentPayments.slice(0, 4).map((p, i) => (
                <tr key={i}>
                  <td>{shortDate(p.date)}</td>
                  <td>
                    {p.method} · {p.where}
                  </td>
                  <td className="num">
                    <Money cents={p.amountCents} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </aside>
  );
}
