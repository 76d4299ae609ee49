import { useEffect } from 'react';

import { TENDER_LABEL } from '../../../../shared/domain/tenders.js';
import { Money } from '../../components/Money.js';
import { useCounter } from '../../stores/counter.js';

export function TodayScreen(): React.JSX.Element {
  const today = useCounter((s) => s.today);
  const selected = useCounter((s) => s.todaySelected);
  const setSelected = (f: (i: number) => number): void =>
    useCounter.setState({ todaySelected: f(useCounter.getState().todaySelected) });
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const list = useCounter.getState().today?.payments ?? [];
      if (e.key === 'ArrowDown') setSelected((i) => Math.min(list.length - 1, i + 1));
      else if (e.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
      else if (e.key.toUpperCase() === 'V' && !e.ctrlKey) {
        const p = list[selected];
        if (p && p.kind === 'payment' && !p.voidedBy) useCounter.setState({ voidTarget: p, screen: 'void' });
      } else if (e.key === 'Enter') {
        const p = list[selected];
        if (p) void useCounter.getState().showReceipt(p.receiptNumber);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);
  if (!today) return <div />;
  return (
    <div className="today" data-testid="today">
      <h2>Today’s payments · {today.businessDate}</h2>
      <div className="today-totals">
        <span>
          {today.totals.count} payments · <Money cents={today.totals.amountCents} symbol />
        </span>
        {today.totals.byTender.map((t) => (
          <span key={t.type} className="chip">
            {TENDER_LABEL[t.type as keyof typeof TENDER_LABEL] ?? t.type}: {t.count} ·{' '}
            <Money cents={t.amountCents} symbol />
          </span>
        ))}
      </div>
      <table className="list">
        <thead>
          <tr>
            <th>Time</th>
            <th>Receipt</th>
            <th>Account</th>
            <th>Name</th>
            <th>Tenders</th>
            <th className="num">Amount</th>
            <th></th>
            <th>Server</th>
          </tr>
        </thead>
        <tbody>
          {today.payments.map((p, i) => (
            <tr
              key={p.transactionId}
              className={i === selected ? 'selected' : ''}
              onClick={() => void useCounter.getState().showReceipt(p.receiptNumber)}
              data-testid="today-row"
            >
              <td>{new Date(p.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</td>
              <td>{p.receiptNumber}</td>
              <td>{p.accountNumber}</td>
              <td>{p.accountName}</td>
              <td>{p.tenders.map((t) => TENDER_LABEL[t.type]).join(' + ')}</td>
              <td className="num">
                <Money cents={p.amountCents} />
              </td>
              <td>
                {p.voidedBy
                  ? 'VOID'
                  : p.kind === 'payment'
                    ? ''
                    : p.kind === 'void'
                      ? 'Void'
                      : p.kind.startsWith('deposit')
                        ? p.kind === 'deposit'
                          ? 'Deposit'
                          : p.kind === 'deposit_apply'
                            ? 'Deposit to final bill'
                            : 'Deposit refund'
                        : p.kind.startsWith('eq_')
                          ? `Equipment ${p.kind.slice(3)}`
                          : 'Refund'}
              </td>
              <td>{p.posted ? 'Posted' : 'Queued'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {today.payments.length === 0 && <p className="muted">No payments on this terminal today.</p>}
      <p className="muted small">
        ↑ ↓ choose · Enter view receipt · F9 reprint · V void (supervisor) · Esc back
      </p>
    </div>
  );
}
