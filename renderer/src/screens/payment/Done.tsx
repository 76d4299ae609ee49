import { useEffect, useRef } from 'react';

import { Money } from '../../components/Money.js';
import { ReceiptPaper } from '../../components/ReceiptPaper.js';
import { useCounter } from '../../stores/counter.js';

export function Done(): React.JSX.Element {
  const result = useCounter((s) => s.result);
  const receipt = useCounter((s) => s.receipt);
  const purpose = useCounter((s) => s.purpose);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  if (!result || !receipt) return <div />;
  const { payment, account } = result;
  return (
    <div className="done" data-testid="done">
      <div className="done-main">
        <h2>
          {purpose.kind === 'custom' ? `${purpose.title}: paid` : 'Payment taken'}{' '}
          <span className="rno">Receipt {payment.receiptNumber}</span>
        </h2>
        {payment.changeCents > 0 ? (
          <div className="change-due" data-testid="done-change">
            <span className="label">CHANGE DUE</span>
            <Money cents={payment.changeCents} symbol className="giant" />
          </div>
        ) : (
          <div className="change-due none" data-testid="done-change">
            <span className="label">No change due</span>
          </div>
        )}
        <dl className="figures">
          <dt>Paid</dt>
          <dd>
            <Money cents={payment.amountCents} symbol />
          </dd>
          <dt>{purpose.kind === 'custom' ? 'Account balance (bills)' : 'New balance'}</dt>
          <dd data-testid="new-balance">
            <Money cents={account.balanceCents} symbol />
          </dd>
        </dl>
        {result.drawerOpened && <p className="muted">Drawer opened.</p>}
        {!receipt.printed && (
          <div className="banner bad" role="alert" data-testid="print-error">
            Receipt not printed: {receipt.printError}. The payment is posted; press F9 to print it when the
            printer is back.
          </div>
        )}
        <button
          ref={next}
          type="button"
          className="primary big"
          onClick={() => useCounter.getState().newCustomer()}
          data-testid="next-customer"
        >
          Next customer <kbd>Enter</kbd>
        </button>
        <p className="muted small">F9 reprints this receipt (marked DUPLICATE).</p>
      </div>
      <ReceiptPaper lines={receipt.lines} testId="receipt" />
    </div>
  );
}
