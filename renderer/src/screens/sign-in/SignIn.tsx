import { useState } from 'react';

import type { SessionState } from '../../../../shared/api/contract.js';
import { api, ApiError } from '../../api/client.js';
import { Field } from '../../components/Field.js';
import { useSession } from '../../stores/session.js';

export function SignIn({ terminal }: { terminal: SessionState['terminal'] }): React.JSX.Element {
  const [cashierId, setCashierId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      useSession.getState().setState(await api.call('session.signIn', { cashierId: cashierId.trim(), pin }));
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      setError({
        field: e?.field === 'cashierId' ? 'cashierId' : 'pin',
        message: err instanceof Error ? err.message : String(err),
      });
      setPin('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form
        className="signin-card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>Countertop</h1>
        <p className="muted">
          {terminal.companyName} · {terminal.name} ({terminal.code})
        </p>
        <Field
          label="Cashier ID"
          value={cashierId}
          onChange={setCashierId}
          autoFocus
          inputMode="numeric"
          maxLength={8}
          testId="cashier-id"
          error={error?.field === 'cashierId' ? error.message : undefined}
        />
        <Field
          label="PIN"
          type="password"
          value={pin}
          onChange={setPin}
          inputMode="numeric"
          maxLength={8}
          testId="pin"
          error={error?.field === 'pin' ? error.message : undefined}
        />
        <button type="submit" className="primary big" disabled={busy} data-testid="sign-in">
          Sign in <kbd>Enter</kbd>
        </button>
      </form>
    </div>
  );
}
