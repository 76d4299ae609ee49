/**
 * Paying a deposit out: a refund (cash from the drawer, a check mailed by head office, or a credit to
 * the account; all of it, or part of the principal) and the final bill (applied to the closing balance,
 * the rest refunded). A supervisor approves refunds over the till's limit and early refunds (not
 * eligible yet). The slip prints; the receipt shows on screen.
 */
import { useState } from 'react';

import { finalBillApplication } from '../../../../shared/domain/deposits.js';
import { REFUND_METHOD_WORDS, type RefundMethod } from '../../../../shared/domain/deposit-ledger.js';
import type { Receipt } from '../../../../shared/api/schemas.js';
import { formatCents, parseAmount } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { withApproval } from '../../components/ApprovalFields.js';
import { Field } from '../../components/Field.js';
import { useWindowKeys } from '../../components/keys.js';
import { Money, MoneyRow } from '../../components/Money.js';
import { ReasonField, SubmitBlock, useSubmitForm } from '../../components/SubmitForm.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { useTill } from '../../stores/till.js';
import { useDeposit } from './store.js';

function usePayoutForm() {
  return useSubmitForm<{ receipt: Receipt; drawerOpened: boolean }>((r, done) => {
    const account = useCounter.getState().account;
    if (account) {
      void useCounter.getState().openAccountQuiet(account.accountNumber);
      void useDeposit.getState().load(account.accountNumber);
    }
    useCounter.setState({ receipt: r.receipt, screen: 'receipt', today: null });
    useCounter
      .getState()
      .notify(
        r.receipt.printed ? 'info' : 'error',
        `${done}${r.drawerOpened ? ' Drawer opened.' : ''}${r.receipt.printed ? '' : ` Slip not printed: ${r.receipt.printError ?? 'printer error'}.`}`,
      );
    void useTill.getState().refresh();
    void useSession.getState().refreshStatus();
  });
}

/** Enter confirms from anywhere on the screen but a text field (fields confirm with their own Enter): it presses the screen's main button. */
function useEnter(): void {
  useWindowKeys((e) => {
    const t = e.target as HTMLElement | null;
    if (e.key !== 'Enter' || e.defaultPrevented || t?.tagName === 'INPUT' || t?.tagName === 'BUTTON') return;
    const button = document.querySelector<HTMLButtonElement>('button[data-enter]');
    if (!button || button.disabled) return;
    e.preventDefault();
    button.click();
  }, []);
}

const isSupervisor = (): boolean => useSession.getState().state?.cashier?.role === 'supervisor';

export function DepositRefundScreen(): React.JSX.Element {
  const account = useCounter((s) => s.account);
  const config = useTill((s) => s.config);
  const data = useDeposit((s) => s.data);
  const dep = data?.deposits.find((d) => d.id === data.openDepositId) ?? null;
  const [method, setMethod] = useState<RefundMethod>('cash');
  const [part, setPart] = useState('');
  const [reason, setReason] = useState('Deposit refunded: good payment record');
  const f = usePayoutForm();
  useEnter();
  if (!account || !config || !dep) return <div />;
  const partial = part.trim() ? parseAmount(part) : null;
  const paysOut = partial?.ok ? partial.cents : dep.refund.availableCents;
  const needsApproval = !isSupervisor() && (paysOut > config.refundApprovalOverCents || !dep.refund.eligible);
  const submit = () => {
    if (partial && !partial.ok) {
      f.setErrors({ amountCents: partial.message });
      return;
    }
    void f.run(
      () =>
        api.call('deposits.refund', {
          requestId: f.requestId,
          accountNumber: account.accountNumber,
          depositId: dep.id,
          method,
          reason,
          ...(partial?.ok ? { amountCents: partial.cents } : {}),
          ...withApproval(f.approval),
        }),
      'Deposit refunded.',
    );
  };
  return (
    <div className="till-screen" data-testid="deposit-refund">
      <h2>Refund the deposit</h2>
      <div className={dep.refund.eligible ? 'banner ok' : 'banner warn'}>
        {dep.refund.eligible ? 'Eligible for refund. ' : 'Not eligible yet: a supervisor must approve. '}
        {((r) => r.charAt(0).toUpperCase() + r.slice(1))(
          dep.refund.reason.replace(/^(Eligible for refund|Not eligible yet): /, ''),
        )}
      </div>
      <table className="list dep-payout" data-testid="deposit-refund-figures">
        <tbody>
          <MoneyRow label={<>Deposit principal (paid {dep.datePaid})</>} cents={dep.principalHeldCents} />
          <MoneyRow label="Interest credited earlier" cents={dep.heldCents - dep.principalHeldCents} />
          <MoneyRow
            label="Interest to today, credited now"
            cents={dep.refund.availableCents - dep.heldCents}
          />
          <MoneyRow
            label="Refund in full"
            cents={dep.refund.availableCents}
            className="total"
            moneyClassName="huge"
          />
        </tbody>
      </table>
      <div className="row">
        <label className="field">
          <span className="label">How</span>
          <select
            value={method}
            autoFocus
            onChange={(e) => setMethod(e.currentTarget.value as RefundMethod)}
            data-testid="deposit-refund-method"
          >
            {(Object.keys(REFUND_METHOD_WORDS) as RefundMethod[]).map((m) => (
              <option key={m} value={m}>
                {REFUND_METHOD_WORDS[m]}
              </option>
            ))}
          </select>
          {f.errors.method && <span className="error">{f.errors.method}</span>}
        </label>
        <Field
          label="Part of the principal only (blank = all)"
          value={part}
          onChange={setPart}
          inputMode="decimal"
          testId="deposit-refund-part"
          error={f.errors.amountCents}
          onEnter={submit}
        />
      </div>
      <div className="wide-field">
        <ReasonField
          form={f}
          label="Reason (prints on the slip)"
          value={reason}
          onChange={setReason}
          testId="deposit-refund-reason"
          onEnter={submit}
        />
      </div>
      <SubmitBlock
        form={f}
        needsApproval={needsApproval}
        approvalLabel={
          !dep.refund.eligible
            ? 'Early refund: supervisor approval'
            : `Over ${formatCents(config.refundApprovalOverCents, { symbol: true })}: supervisor approval`
        }
        onSubmit={submit}
        testId="deposit-refund-submit"
        enter
      >
        Refund <Money cents={paysOut} symbol />
      </SubmitBlock>
      <p className="muted small">Esc goes back to the deposit.</p>
    </div>
  );
}

export function DepositFinalScreen(): React.JSX.Element {
  const account = useCounter((s) => s.account);
  const config = useTill((s) => s.config);
  const data = useDeposit((s) => s.data);
  const dep = data?.deposits.find((d) => d.id === data.openDepositId) ?? null;
  const [method, setMethod] = useState<'cash' | 'check_request'>('check_request');
  const f = usePayoutForm();
  useEnter();
  if (!account || !config || !dep || !data) return <div />;
  const interest = dep.refund.availableCents - dep.heldCents;
  const fba = finalBillApplication(dep.heldCents, interest, data.balanceCents);
  const needsApproval = !isSupervisor() && fba.refundCents > config.refundApprovalOverCents;
  const submit = () =>
    void f.run(
      () =>
        api.call('deposits.applyFinal', {
          requestId: f.requestId,
          accountNumber: account.accountNumber,
          depositId: dep.id,
          method,
          ...withApproval(f.approval),
        }),
      'Deposit applied to the final bill.',
    );
  return (
    <div className="till-screen" data-testid="deposit-final">
      <h2>Apply the deposit to the final bill</h2>
      <table className="list dep-payout">
        <tbody>
          <MoneyRow label="Deposit + interest to today" cents={fba.availableCents} />
          <MoneyRow label="Final balance due" cents={Math.max(0, data.balanceCents)} />
          <MoneyRow
            label="Applied to the final bill"
            cents={fba.appliedToBillCents}
            testId="deposit-final-applied"
          />
          <MoneyRow
            label="Refunded to the customer"
            cents={fba.refundCents}
            className="total"
            moneyClassName="huge"
            testId="deposit-final-refund"
          />
          {fba.remainingBalanceCents > 0 && (
            <MoneyRow
              label="Still owed after the deposit"
              cents={fba.remainingBalanceCents}
              labelClassName="bad"
            />
          )}
        </tbody>
      </table>
      {fba.refundCents > 0 && (
        <label className="field">
          <span className="label">Refund the rest by</span>
          <select
            value={method}
            autoFocus
            onChange={(e) => setMethod(e.currentTarget.value as 'cash' | 'check_request')}
            data-testid="deposit-final-method"
          >
            <option value="check_request">{REFUND_METHOD_WORDS.check_request}</option>
            <option value="cash">{REFUND_METHOD_WORDS.cash}</option>
          </select>
          {f.errors.method && <span className="error">{f.errors.method}</span>}
        </label>
      )}
      <SubmitBlock
        form={f}
        needsApproval={needsApproval}
        approvalLabel={`Over ${formatCents(config.refundApprovalOverCents, { symbol: true })}: supervisor approval`}
        onSubmit={submit}
        testId="deposit-final-submit"
        enter
      >
        Apply to final bill
      </SubmitBlock>
      <p className="muted small">Esc goes back to the deposit.</p>
    </div>
  );
}
