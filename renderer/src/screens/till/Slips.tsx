/** Drop, paid-out, refund and void: a form, a supervisor's approval where needed, then the slip. */
import { useState } from 'react';

import type { Receipt } from '../../../../shared/api/schemas.js';
import { formatCents, parseAmount, centsToInput } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { withApproval } from '../../components/ApprovalFields.js';
import { DenominationCount, toCounts } from '../../components/DenominationCount.js';
import { Money } from '../../components/Money.js';
import { AmountField, ReasonField, SubmitBlock, useSubmitForm } from '../../components/SubmitForm.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { useTill } from '../../stores/till.js';

function useForm() {
  return useSubmitForm<Receipt>((receipt, done) => {
    useCounter.setState({ receipt, screen: 'receipt' });
    useCounter
      .getState()
      .notify(
        receipt.printed ? 'info' : 'error',
        receipt.printed ? done : `${done} Slip not printed: ${receipt.printError ?? 'printer error'}.`,
      );
    void useTill.getState().refresh();
    void useSession.getState().refreshStatus();
  });
}

const supervisorNeeded = (): boolean => useSession.getState().state?.cashier?.role !== 'supervisor';

export function DropScreen(): React.JSX.Element {
  const config = useTill((s) => s.config);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const f = useForm();
  if (!config) return <div />;
  const submit = () =>
    void f.run(async () => {
      const r = await api.call('till.drop', {
        requestId: f.requestId,
        counts: toCounts(counts),
        ...withApproval(f.approval),
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
      <SubmitBlock form={f} needsApproval={supervisorNeeded()} onSubmit={submit} testId="drop-submit">
        Record drop
      </SubmitBlock>
    </div>
  );
}

export function PaidOutScreen(): React.JSX.Element {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
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
        ...withApproval(f.approval),
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
        <AmountField form={f} value={amount} onChange={setAmount} testId="paid-out-amount" onEnter={submit} />
        <ReasonField form={f} value={reason} onChange={setReason} testId="paid-out-reason" onEnter={submit} />
      </div>
      <SubmitBlock form={f} needsApproval={supervisorNeeded()} onSubmit={submit} testId="paid-out-submit">
        Record paid-out
      </SubmitBlock>
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
        ...withApproval(f.approval),
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
        <AmountField
          form={f}
          label="Refund amount"
          value={amount}
          onChange={setAmount}
          testId="refund-amount"
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
        <ReasonField form={f} value={reason} onChange={setReason} testId="refund-reason" onEnter={submit} />
      </div>
      <SubmitBlock
        form={f}
        needsApproval={overLimit && supervisorNeeded()}
        approvalLabel={`Over ${formatCents(config.refundApprovalOverCents, { symbol: true })}: supervisor approval`}
        onSubmit={submit}
        testId="refund-submit"
      >
        Refund
      </SubmitBlock>
    </div>
  );
}

export function VoidScreen(): React.JSX.Element {
  const target = useCounter((s) => s.voidTarget);
  const [reason, setReason] = useState('');
  const f = useForm();
  if (!target) return <div />;
  const submit = () =>
    void f.run(async () => {
      const r = await api.call('payments.void', {
        transactionId: target.transactionId,
        reason,
        ...withApproval(f.approval),
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
      <ReasonField
        form={f}
        value={reason}
        onChange={setReason}
        autoFocus
        testId="void-reason"
        onEnter={submit}
      />
      <SubmitBlock form={f} needsApproval={supervisorNeeded()} onSubmit={submit} testId="void-submit">
        Void payment
      </SubmitBlock>
    </div>
  );
}
