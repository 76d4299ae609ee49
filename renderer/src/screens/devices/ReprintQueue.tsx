/**
 * The reprint queue (F12, or the printer chip in the status bar): receipts whose print failed, with
 * the reason, and one key to print them all once the printer is back. The drawer also opens here
 * without a sale (a reason, a supervisor's approval; audited).
 */
import { useEffect, useRef, useState } from 'react';

import { ApprovalFields, approvalOrUndefined, type ApprovalDraft } from '../../components/ApprovalFields.js';
import { Money } from '../../components/Money.js';
import { useCounter } from '../../stores/counter.js';
import { useDevices } from '../../stores/devices.js';
import { useSession } from '../../stores/session.js';
import { usePick } from '../../stores/pick.js';

function NoSale({ needsApproval }: { needsApproval: boolean }): React.JSX.Element {
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState<ApprovalDraft>({ supervisorId: '', pin: '' });
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const r = await useDevices.getState().noSale(reason, approvalOrUndefined(approval));
    setBusy(false);
    setResult(r);
    if (r.ok) {
      setReason('');
      setApproval({ supervisorId: '', pin: '' });
    }
  };
  return (
    <section className="no-sale" data-testid="no-sale">
      <h3>Open the drawer without a sale</h3>
      <div className="row">
        <label className={`field ${result && !result.ok ? 'has-error' : ''}`}>
          <span className="label">Reason (kept in the audit log)</span>
          <input
            value={reason}
            maxLength={120}
            placeholder="e.g. change for the safe"
            data-testid="no-sale-reason"
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setResult(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                e.stopPropagation();
                void submit();
              }
            }}
          />
        </label>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void submit()}
          data-testid="no-sale-open"
        >
          Open drawer
        </button>
      </div>
      {needsApproval && (
        <ApprovalFields value={approval} onChange={setApproval} onEnter={() => void submit()} />
      )}
      {result && (
        <p className={result.ok ? 'saved' : 'error'} role="status" data-testid="no-sale-result">
          {result.message}
        </p>
      )}
    </section>
  );
}

export function ReprintQueue(): React.JSX.Element {
  const { queue, queueLoaded: loaded, printing } = usePick(useDevices, 'queue', 'queueLoaded', 'printing');
  const { queueResult: result, queueError: error } = usePick(useDevices, 'queueResult', 'queueError');
  const printer = useSession((s) => s.status?.printer);
  const role = useSession((s) => s.state?.cashier?.role);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    useDevices.setState({ queueResult: null, queueError: null });
    void useDevices.getState().loadQueue();
  }, []);
  useEffect(() => {
    if (queue.length) button.current?.focus();
  }, [queue.length]);

  const printerUsable = !printer || ['ready', 'no_status', 'virtual'].includes(printer.state);
  return (
    <div className="reprint-queue" data-testid="reprint-queue">
      <h2>Reprint queue</h2>
      {printer && (
        <p className={`banner ${printerUsable ? 'ok' : 'bad'}`} data-testid="queue-printer">
          Printer: {printer.state.replace('_', ' ')}
          {printer.detail ? ` · ${printer.detail}` : ''}
        </p>
      )}
      {!loaded ? (
        <p className="muted">Loading…</p>
      ) : queue.length === 0 ? (
        <p className="muted" data-testid="queue-empty">
          Nothing waiting: every receipt has printed.
        </p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th>Receipt</th>
                <th>Time</th>
                <th>Account</th>
                <th className="num">Amount</th>
                <th>Why it did not print</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((q) => (
                <tr key={q.receiptNumber} data-testid="queue-row">
                  <td>
                    {q.receiptNumber}
                    {q.printCount > 0 && <span className="muted small"> (reprint)</span>}
                  </td>
                  <td>
                    {new Date(q.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
                  </td>
                  <td>
                    {q.accountNumber ?? ''} {q.accountName ?? ''}
                  </td>
                  <td className="num">
                    <Money cents={q.amountCents} />
                  </td>
                  <td className="reason">{q.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="dev-actions">
            <button
              ref={button}
              type="button"
              className="primary"
              disabled={printing}
              onClick={() => void useDevices.getState().printQueue()}
              data-testid="print-queue"
            >
              {printing ? 'Printing…' : `Print ${queue.length} receipt${queue.length === 1 ? '' : 's'}`}{' '}
              <kbd>Enter</kbd>
            </button>
            {!printerUsable && (
              <span className="muted small">Fix the printer first (paper, cover, cable).</span>
            )}
          </div>
        </>
      )}
      {result && (
        <p className={`banner ${result.failed ? 'bad' : 'ok'}`} role="status" data-testid="queue-result">
          {result.printed.length > 0 && `Printed ${result.printed.map((p) => p.receiptNumber).join(', ')}. `}
          {result.failed && `${result.failed.receiptNumber} did not print: ${result.failed.reason}. `}
          {result.remaining > 0 ? `${result.remaining} still waiting.` : 'The queue is empty.'}
        </p>
      )}
      {error && <p className="banner bad">{error}</p>}
      {(role === 'supervisor' || role === 'csr') && <NoSale needsApproval={role === 'csr'} />}
      <p className="muted small">
        Receipts the customer never got print as the original; the others print marked DUPLICATE.{' '}
        <button type="button" className="link" onClick={() => useCounter.getState().back()}>
          Esc back
        </button>
      </p>
    </div>
  );
}
