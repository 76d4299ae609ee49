/**
 * The blind close: the CSR counts cash by denomination, checks and money orders by number and total,
 * and types the card terminal's batch total, without seeing what is expected. The host answers with
 * the difference; beyond tolerance a supervisor accepts it with a note. Then the Z report prints.
 */
import { Fragment, useState } from 'react';

import type { ChannelOutput } from '../../../../shared/api/contract.js';
import { formatCents, parseAmount } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { ApprovalFields, approvalOrUndefined, type ApprovalDraft } from '../../components/ApprovalFields.js';
import { DenominationCount, toCounts } from '../../components/DenominationCount.js';
import { Field } from '../../components/Field.js';
import { MoneyRow } from '../../components/Money.js';
import { FormError, SubmitButton } from '../../components/SubmitForm.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { fieldErrorsOf, useTill } from '../../stores/till.js';

type Figures = ChannelOutput<'till.close'>['figures'];
type Tally = 'checks' | 'moneyOrders';

/** Counted by number and total; `key` is the field of the close's input, `testId` the fields' prefix. */
const TALLIES: { key: Tally; title: string; testId: string }[] = [
  { key: 'checks', title: 'Checks', testId: 'close-checks' },
  { key: 'moneyOrders', title: 'Money orders', testId: 'close-mo' },
];
/** Each tally's two fields: what is typed, its label, its keyboard, and the input field it is checked as. */
const TALLY_FIELDS: ['count' | 'total', string, 'numeric' | 'decimal', string][] = [
  ['count', 'How many', 'numeric', 'count'],
  ['total', 'Total', 'decimal', 'cents'],
];

function words(c: number): string {
  return c === 0
    ? 'even'
    : c > 0
      ? `${formatCents(c, { symbol: true })} over`
      : `${formatCents(-c, { symbol: true })} short`;
}

export function CloseTill(): React.JSX.Element {
  const config = useTill((s) => s.config);
  const role = useSession((s) => s.state?.cashier?.role);
  const [cash, setCash] = useState<Record<string, string>>({});
  const [tallies, setTallies] = useState<Record<Tally, { count: string; total: string }>>({
    checks: { count: '', total: '' },
    moneyOrders: { count: '', total: '' },
  });
  const setTally = (key: Tally, patch: Partial<{ count: string; total: string }>): void =>
    setTallies({ ...tallies, [key]: { ...tallies[key], ...patch } });
  const [card, setCard] = useState('');
  const [note, setNote] = useState('');
  const [approval, setApproval] = useState<ApprovalDraft>({ supervisorId: '', pin: '' });
  const [figures, setFigures] = useState<Figures | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!config) return <div />;

  const money = (text: string, field: string, errs: Record<string, string>): number => {
    if (text.trim() === '') return 0;
    const p = parseAmount(text, { allowZero: true });
    if (!p.ok) errs[field] = p.message;
    return p.ok ? p.cents : 0;
  };
  const count = (text: string): number => (text.trim() === '' ? 0 : Number(text));
  const tallyInput = (key: Tally, errs: Record<string, string>) => ({
    count: count(tallies[key].count),
    cents: money(tallies[key].total, `${key}.cents`, errs),
  });

  const submit = async (): Promise<void> => {
    if (busy) return;
    const errs: Record<string, string> = {};
    const input = {
      cashCounts: toCounts(cash),
      checks: tallyInput('checks', errs),
      moneyOrders: tallyInput('moneyOrders', errs),
      cardBatchCents: money(card, 'cardBatchCents', errs),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(figures && approvalOrUndefined(approval) ? { approval: approvalOrUndefined(approval) } : {}),
    };
    if (Object.keys(errs).length) {
      setErrors(errs);
      return;
    }
    setBusy(true);
    try {
      const r = await api.call('till.close', input);
      setFigures(r.figures);
      setErrors({});
      setError(null);
      if (r.status === 'closed') {
        useTill.getState().setCurrent(null);
        useCounter.setState({ zReport: r.z, screen: 'zreport' });
        useCounter
          .getState()
          .notify(
            'info',
            `Till closed: ${words(r.figures.overShortCents)}. Z report ${r.z.zNumber} printed.`,
          );
        void useSession.getState().refreshStatus();
      }
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const enter = () => void submit();

  return (
    <div className="till-screen close-till" data-testid="close-till">
      <h2>Close till: blind count</h2>
      {!figures && (
        <p className="muted">
          Count everything in the drawer. You will see the result after you submit the count.
        </p>
      )}
      <div className="close-grid">
        <div>
          <h3>Cash</h3>
          <DenominationCount
            currency={config.currency}
            counts={cash}
            onChange={setCash}
            errors={errors}
            field="cashCounts"
            autoFocus
            onEnter={enter}
            testId="close-cash"
          />
        </div>
        <div className="close-others">
          {TALLIES.map((t) => (
            <Fragment key={t.key}>
              <h3>{t.title}</h3>
              <div className="row">
                {TALLY_FIELDS.map(([part, label, inputMode, field]) => (
                  <Field
                    key={part}
                    label={label}
                    value={tallies[t.key][part]}
                    onChange={(v) => setTally(t.key, { [part]: v })}
                    inputMode={inputMode}
                    testId={`${t.testId}-${part}`}
                    error={errors[`${t.key}.${field}`]}
                    onEnter={enter}
                  />
                ))}
              </div>
            </Fragment>
          ))}
          <h3>Card terminal</h3>
          <Field
            label="Batch total (from the terminal's settlement slip)"
            value={card}
            onChange={setCard}
            inputMode="decimal"
            testId="close-card-batch"
            error={errors.cardBatchCents}
            onEnter={enter}
          />
          {figures && (
            <div className="close-result" data-testid="close-result">
              <h3>Result</h3>
              <table>
                <tbody>
                  <MoneyRow label="Cash expected" cents={figures.cash.expectedCents} />
                  <MoneyRow label="Cash counted" cents={figures.cash.countedCents} />
                  <tr className={figures.overShortCents === 0 ? '' : 'bad'}>
                    <td>Over / short</td>
                    <td className="num" data-testid="close-over-short">
                      {words(figures.overShortCents)}
                    </td>
                  </tr>
                </tbody>
              </table>
              {figures.reasons.map((r) => (
                <p key={r} className="banner warn">
                  {r}
                </p>
              ))}
              {figures.needsSupervisor && (
                <>
                  <p>A supervisor must accept this close. Recount first if you can; a recount is recorded.</p>
                  <Field
                    label="Note (what happened)"
                    value={note}
                    onChange={setNote}
                    maxLength={300}
                    testId="close-note"
                    error={errors.note}
                    onEnter={enter}
                  />
                  {role !== 'supervisor' && (
                    <ApprovalFields
                      label="Supervisor accepts the difference"
                      value={approval}
                      onChange={setApproval}
                      errors={errors}
                      onEnter={enter}
                    />
                  )}
                </>
              )}
            </div>
          )}
        </div>
      </div>
      <FormError error={error} />
      <SubmitButton busy={busy} onClick={enter} testId="close-submit">
        {figures?.needsSupervisor ? 'Accept and close till' : 'Submit count'}
      </SubmitButton>
    </div>
  );
}
