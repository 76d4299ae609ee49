/** Drop, paid-out, refund and void: a form, a supervisor's approval where needed, then the slip. */
import { useState } from 'react';

import type { Receipt } from '../../../../shared/api/schemas.js';
import { formatCents, parseAmount, centsToInput } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { ApprovalFields, withApproval, type ApprovalDraft } from '../../components/ApprovalFields.js';
import { DenominationCount, toCounts } from '../../components/DenominationCount.js';
import { Field } from '../../components/Field.js';
import { Money } from '../../components/Money.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { fieldErrorsOf, useTill } from '../../stores/till.js';

function useForm() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [requestId] = useState(() => crypto.randomUUID());
  const run = async (call: () => Promise<Receipt>, done: string): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      const receipt = await call();
      useCounter.setState({ receipt, screen: 'receipt' });
      useCounter
        .getState()
        .notify(
          receipt.printed ? 'info' : 'error',
          receipt.printed ? done : `${done} Slip not printed: ${receipt.printError ?? 'printer error'}.`,
        );
      void useTill.getState().refresh();
      void useSession.getState().refreshStatus();
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { errors, error, busy, run, requestId, setErrors, setError };
}

function FormError({ error }: { error: string | null }): React.JSX.Element | null {
  return error ? (
    <div className="banner bad" role="alert" data-testid="form-error">
      {error}
    </div>
  ) : null;
}

const needsApproval = (): boolean => useSession.getState().state?.cashier?.role !== 'supervisor';

export function DropScreen(): React.JSX.Element {
  const config = useTill((s) => s.config);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [approval, setApproval] = useState<ApprovalDraft>({ supervisorId: '', pin: '' });
  const f = useForm();
  if (!config) return <div />;
  const submit = () =>
    void f.run(async () => {
      const r = await api.call('till.drop', {
        requestId: f.requestId,
        counts: toCounts(counts),
        ...withApproval(approval),
      });
      return r.receipt;
    }, 'Cash drop recorded.');
  return (
    <div className="till-screen" data-testid="drop">
      <h2>Cash drop to the safe</h2>
      <p className="muted">Count what goes into the drop bag. A supervisor approves it.</p>
      <DenominationCount
        currency={config.currency}
        counts={counts}
        onChange={setCounts}
        errors={f.errors}
        autoFocus
        onEnter={submit}
        testId="drop-count"
      />
      {needsApproval() && (
        <ApprovalFields value={approval} onChange={setApproval} errors={f.errors} onEnter={submit} />
      )}
      <FormError error={f.error} />
      <button
        type="button"
        className="primary big"
        disabled={f.busy}
        onClick={submit}
        data-testid="drop-submit"
      >
        Record drop <kbd>Enter</kbd>
      </button>
    </div>
  );
}

export function PaidOutScreen(): React.JSX.Element {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState<ApprovalDraft>({ supervisorId: '', pin: '' });
  const f = useForm();
  const submit = () => {
    const a = parseAmount(amount);
    if (!a.ok) {
      f.setErrors({ amountCents: a.message });
      return;
    }
    void f.run(async () => {
      const r = await api.call('till.paidOut', {
        requestId: f.requestId,
        amountCents: a.cents,
        reason,
        ...withApproval(approval),
      });
      return r.receipt;
    }, 'Paid-out recorded.');
  };
  return (
    <div className="till-screen" data-testid="paid-out">
      <h2>Paid-out</h2>
      <p className="muted">
        Cash taken out of the drawer for an expense. Keep the receipt for it with the slip.
      </p>
      <div className="row">
        <Field
          label="Amount"
          value={amount}
          onChange={setAmount}
          autoFocus
          inputMode="decimal"
          size="big"
          testId="paid-out-amount"
          error={f.errors.amountCents}
          onEnter={submit}
        />
        <Field
          label="Reason"
          value={reason}
          onChange={setReason}
          maxLength={200}
          testId="paid-out-reason"
          error={f.errors.reason}
          onEnter={submit}
        />
      </div>
      {needsApproval() && (
        <ApprovalFields value={approval} onChange={setApproval} errors={f.errors} onEnter={submit} />
      )}
      <FormError error={f.error} />
      <button
        type="button"
        className="primary big"
        disabled={f.busy}
        onClick={submit}
        data-testid="paid-out-submit"
      >
        Record paid-out <kbd>Enter</kbd>
      </button>
    </div>
  );
}

export function RefundScreen(): React.JSX.Element {
  const account = useCounter((s) => s.account);
  const config = useTill((s) => s.config);
  const credit = account && account.balanceCents < 0 ? -account.balanceCents : 0;
  const [amount, setAmount] = useState(credit ? centsToInput(credit) : '');
  const [method, setMethod] = useState<'cash' | 'check_request'>('cash');
  const [reason, setReason] = useState('Credit balance refunded at the counter');
  const [approval, setApproval] = useState<ApprovalDraft>({ supervisorId: '', pin: '' });
  const f = useForm();
  if (!account || !config) return <div />;
  const parsed = parseAmount(amount);
  const overLimit = parsed.ok && parsed.cents > config.refundApprovalOverCents;
  const submit = () => {
    if (!parsed.ok) {
      f.setErrors({ amountCents: parsed.message });
      return;
    }
    void f.run(async () => {
      const r = await api.call('refunds.post', {
        requestId: f.requestId,
        accountNumber: account.accountNumber,
        amountCents: parsed.cents,
        method,
        reason,
        ...withApproval(approval),
      });
      void useCounter.getState().openAccountQuiet(account.accountNumber);
      return r.receipt;
    }, 'Refund recorded.');
  };
  return (
    <div className="till-screen" data-testid="refund">
      <h2>Refund a credit balance</h2>
      <p>
        {account.name} has a credit of <Money cents={credit} symbol />.
      </p>
      <div className="row">
        <Field
          label="Refund amount"
          value={amount}
          onChange={setAmount}
          autoFocus
          inputMode="decimal"
          size="big"
          testId="refund-amount"
          error={f.errors.amountCents}
          onEnter={submit}
        />
        <label className="field">
          <span className="label">How</span>
          <select
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value as 'cash' | 'check_request')}
            data-testid="refund-method"
          >
            <option value="cash">Cash from the drawer</option>
            <option value="check_request">Check mailed by head office</option>
          </select>
          {f.errors.method && <span className="error">{f.errors.method}</span>}
        </label>
        <Field
          label="Reason"
          value={reason}
          onChange={setReason}
          maxLength={200}
          testId="refund-reason"
          error={f.errors.reason}
          onEnter={submit}
        />
      </div>
      {overLimit && needsApproval() && (
        <ApprovalFields
          label={`Over ${formatCents(config.refundApprovalOverCents, { symbol: true })}: supervisor approval`}
          value={approval}
          onChange={setApproval}
          errors={f.errors}
          onEnter={submit}
        />
      )}
      <FormError error={f.error} />
      <button
        type="button"
        className="primary big"
        disabled={f.busy}
        onClick={submit}
        data-testid="refund-submit"
      >
        Refund <kbd>Enter</kbd>
      </button>
    </div>
  );
}

export function VoidScreen(): React.JSX.Element {
  const target = useCounter((s) => s.voidTarget);
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState<ApprovalDraft>({ supervisorId: '', pin: '' });
  const f = useForm();
  if (!target) return <div />;
  const submit = () =>
    void f.run(async () => {
      const r = await api.call('payments.void', {
        transactionId: target.transactionId,
        reason,
        ...withApproval(approval),
      });
      return r.receipt;
    }, `Receipt ${target.receiptNumber} is void.`);
  return (
    <div className="till-screen" data-testid="void">
      <h2>Void receipt {target.receiptNumber}</h2>
      <p>
        {target.accountName} ({target.accountNumber}) · <Money cents={target.amountCents} symbol /> ·{' '}
        {target.tenders.map((t) => t.type.replace('_', ' ')).join(' + ')}
      </p>
      <p className="muted">
        The payment is reversed (never edited). Give back what the customer paid with; the receipt says VOID.
      </p>
      <Field
        label="Reason"
        value={reason}
        onChange={setReason}
        autoFocus
        maxLength={200}
        testId="void-reason"
        error={f.errors.reason}
        onEnter={submit}
      />
      {needsApproval() && (
        <ApprovalFields value={approval} onChange={setApproval} errors={f.errors} onEnter={submit} />
      )}
      <FormError error={f.error} />
      <button
        type="button"
        className="primary big"
        disabled={f.busy}
        onClick={submit}
        data-testid="void-submit"
      >
        Void payment <kbd>Enter</kbd>
      </button>
    </div>
  );
}
