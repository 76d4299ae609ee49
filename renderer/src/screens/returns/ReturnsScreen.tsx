/**
 * Returned check (Ctrl+K): find the payment by account, receipt (typed or scanned) or check number,
 * pick the check (↑/↓) and the bank's reason (1–9), Enter records it. The outcome shows what a busy
 * CSR must say: the fee and why, what is due now, cash only until when, and where the letter is; a
 * supervisor can lift cash only here, with the reason.
 */
import { useEffect } from 'react';

import { formatCents } from '../../../../shared/money.js';
import { Field } from '../../components/Field.js';
import { Money } from '../../components/Money.js';
import { LiftCashOnly } from './LiftCashOnly.js';
import { useReturns } from './store.js';

export function ReturnsScreen(): React.JSX.Element {
  const s = useReturns();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (s.done) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        s.move(e.key === 'ArrowDown' ? 1 : -1);
      } else if (e.key === 'Enter' && document.activeElement?.tagName !== 'INPUT') {
        // Enter records from anywhere on the screen (the query field has its own Enter: find, then record).
        e.preventDefault();
        void s.record();
      } else if (/^[1-9]$/.test(e.key) && document.activeElement?.tagName !== 'INPUT') {
        const r = s.reasons[Number(e.key) - 1];
        if (r) s.setReason(r.code);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [s]);

  if (s.done) {
    const d = s.done;
    return (
      <div className="till-screen" data-testid="return-done">
        <h2>Returned check recorded</h2>
        <div className="row">
          <span>Check reversed</span>
          <Money cents={d.faceCents} symbol />
        </div>
        <div className="row big-row">
          <strong>NSF fee</strong>
          <strong data-testid="return-fee">
            <Money cents={d.feeCents} symbol />
          </strong>
        </div>
        <ul className="muted" data-testid="return-working">
          {d.feeSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
          <li>{d.feeRule}</li>
        </ul>
        <div className="row big-row">
          <strong>Now due</strong>
          <strong data-testid="return-due">
            <Money cents={d.account.amountDueCents} symbol />
          </strong>
        </div>
        {d.cashOnly.active ? (
          <p className="banner bad" data-testid="return-cash-only">
            CASH ONLY until {d.cashOnly.until ?? '—'}: no checks ({d.cashOnly.points} of{' '}
            {d.cashOnly.threshold} points).
          </p>
        ) : (
          <p className="muted" data-testid="return-cash-only">
            Returned-check points: {d.cashOnly.points} of {d.cashOnly.threshold}. Checks still accepted.
          </p>
        )}
        <p>
          Back-office slip {d.receipt.receiptNumber} printed. Letter to the customer:{' '}
          <code data-testid="return-letter">{d.letterPath}</code>
        </p>
        <LiftCashOnly />
        <p className="muted">Esc: back to the account.</p>
      </div>
    );
  }

  const current = s.checks[s.selected];
  return (
    <div className="till-screen" data-testid="returns">
      <h2>Returned check</h2>
      <Field
        label="Account, receipt or check number (or scan the receipt)"
        value={s.query}
        onChange={s.setQuery}
        autoFocus
        maxLength={40}
        testId="returns-query"
        onEnter={() => void (current && s.checks.length ? s.record() : s.find())}
      />
      {s.checks.length > 0 && (
        <table className="list" data-testid="returns-checks">
          <thead>
            <tr>
              <th>Receipt</th>
              <th>Paid on</th>
              <th>Account</th>
              <th>Check #</th>
              <th>Check</th>
              <th>Also paid</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {s.checks.map((c, i) => (
              <tr
                key={`${c.transactionId}:${c.tenderPosition}`}
                className={i === s.selected ? 'selected' : ''}
              >
                <td>{c.receiptNumber}</td>
                <td>{c.paidOn}</td>
                <td>
                  {c.accountNumber} {c.accountName}
                </td>
                <td>{c.checkNumber}</td>
                <td>
                  <Money cents={c.faceCents} symbol />
                </td>
                <td>
                  {c.otherTenders
                    .map((t) => `${t.type.replace('_', ' ')} ${formatCents(t.amountCents)}`)
                    .join(', ')}
                </td>
                <td className="muted">{c.blocked ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="reasons" data-testid="returns-reasons">
        <span className="label">Returned because</span>
        {s.reasons.map((r, i) => (
          <button
            type="button"
            key={r.code}
            className={r.code === s.reason ? 'primary' : ''}
            onClick={() => s.setReason(r.code)}
            data-testid={`reason-${r.code}`}
          >
            <kbd>{i + 1}</kbd> {r.label}
          </button>
        ))}
      </div>
      <label>
        <input
          type="checkbox"
          checked={s.itemType === 'echeck'}
          onChange={(e) => s.setItemType(e.currentTarget.checked ? 'echeck' : 'check')}
        />{' '}
        Electronic check / ACH
      </label>
      {s.error && (
        <p className="form-error" role="alert" data-testid="returns-error">
          {s.error}
        </p>
      )}
      <LiftCashOnly />
      <button
        type="button"
        className="primary big"
        disabled={s.busy || !current}
        onClick={() => void s.record()}
        data-testid="returns-submit"
      >
        Record returned check <kbd>Enter</kbd>
      </button>
    </div>
  );
}
