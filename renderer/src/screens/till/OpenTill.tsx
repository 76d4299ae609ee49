import { useState } from 'react';

import { api } from '../../api/client.js';
import { DenominationCount, toCounts } from '../../components/DenominationCount.js';
import { FormError, SubmitButton } from '../../components/SubmitForm.js';
import { useCounter } from '../../stores/counter.js';
import { fieldErrorsOf, useTill } from '../../stores/till.js';

/** Start of shift: count the opening float by denomination; the screen adds it up. */
export function OpenTill(): React.JSX.Element {
  const config = useTill((s) => s.config);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  if (!config) return <div className="loading">Loading…</div>;
  const submit = async (): Promise<void> => {
    try {
      useTill.getState().setCurrent(await api.call('till.open', { counts: toCounts(counts) }));
      useCounter.getState().notify('info', 'Till open. Next customer!');
      useCounter.getState().newCustomer();
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="till-screen" data-testid="open-till">
      <h2>Open your till</h2>
      <p className="muted">
        Count the opening float in the drawer. Type how many of each; the total adds up as you go. Enter opens
        the till.
      </p>
      <DenominationCount
        currency={config.currency}
        counts={counts}
        onChange={setCounts}
        errors={errors}
        autoFocus
        onEnter={() => void submit()}
        testId="float"
      />
      <FormError error={error} testId="till-error" />
      <SubmitButton onClick={() => void submit()} testId="open-till-button">
        Open till
      </SubmitButton>
    </div>
  );
}
