/**
 * Lifting an account's cash-only flag before its period ends: a supervisor's decision, with the reason
 * (kept in the audit log and sent to the server). A CSR sees who may lift it and until when it holds.
 */
import { useState } from 'react';

import { api } from '../../api/client.js';
import { Field } from '../../components/Field.js';
import { FormError, useSubmitForm } from '../../components/SubmitForm.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';

export function LiftCashOnly(): React.JSX.Element | null {
  const account = useCounter((s) => s.account);
  const role = useSession((s) => s.state?.cashier?.role);
  const [reason, setReason] = useState('');
  const [lifted, setLifted] = useState<string | null>(null);
  const form = useSubmitForm<string>((number) => {
    setLifted(number);
    setReason('');
  });
  if (lifted && account?.accountNumber === lifted && !account.cashOnly)
    return (
      <p className="banner ok" data-testid="cash-only-lifted">
        Cash only lifted: checks are accepted again on {lifted}.
      </p>
    );
  if (!account?.cashOnly) return null;
  if (role !== 'supervisor')
    return (
      <p className="muted" data-testid="cash-only-lift-hint">
        Only a supervisor can lift cash only before it ends.
      </p>
    );
  const lift = (): Promise<void> =>
    form.run(async () => {
      await api.call('returns.liftCashOnly', { accountNumber: account.accountNumber, reason });
      // The panel and the payment screen read the flag from the account: load it again.
      useCounter.setState({
        account: await api.call('accounts.get', { accountNumber: account.accountNumber }),
      });
      return account.accountNumber;
    }, 'lifted');
  return (
    <div className="lift-cash-only" data-testid="cash-only-lift">
      <h3>Lift cash only (supervisor)</h3>
      <Field
        label="Why (kept in the audit log)"
        value={reason}
        onChange={(v) => {
          setReason(v);
          form.setErrors({});
          form.setError(null);
        }}
        maxLength={200}
        testId="cash-only-lift-reason"
        error={form.errors.reason}
        onEnter={() => void lift()}
      />
      {/* A refusal of the reason shows at the field; any other above the button. */}
      <FormError error={form.errors.reason ? null : form.error} testId="cash-only-lift-error" />
      <button
        type="button"
        disabled={form.busy}
        onClick={() => void lift()}
        data-testid="cash-only-lift-submit"
      >
        Lift cash only
      </button>
    </div>
  );
}
