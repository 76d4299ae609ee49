import type { TenderType } from '../../../../shared/api/schemas.js';
import { TENDER_LABEL } from '../../../../shared/domain/tenders.js';
import { Field } from '../../components/Field.js';
import { Money } from '../../components/Money.js';
import { FormError, SubmitButton } from '../../components/SubmitForm.js';
import { PREPAY_REASONS, type PrepayReason } from '../../../../shared/domain/overpay.js';
import { owedOf, useCounter } from '../../stores/counter.js';
import { evaluateDraft, type TenderDraft } from './draft.js';

const BRANDS = ['Visa', 'Mastercard', 'Amex', 'Discover', 'Debit', 'Other'];
const KEY: Record<TenderType, string> = { cash: 'F2', check: 'F3', card: 'F4', money_order: 'F5' };

function TenderRow({ d, i, last }: { d: TenderDraft; i: number; last: boolean }): React.JSX.Element {
  const errors = useCounter((s) => s.fieldErrors);
  const { updateTender, removeTender, post } = useCounter.getState();
  const err = (f: string): string | undefined =>
    errors[`tenders.${i}.${f}`] || (f === 'amountCents' ? errors[`tenders.${i}`] : undefined) || undefined;
  const set = (patch: Partial<TenderDraft>) => updateTender(d.key, patch);
  const enter = () => void post();
  return (
    <div className={`tender ${d.type}`} data-testid={`tender-${i}`}>
      <div className="tender-type">{TENDER_LABEL[d.type]}</div>
      <Field
        label={d.type === 'cash' ? 'Cash handed over' : 'Amount'}
        value={d.amount}
        onChange={(v) => set({ amount: v })}
        autoFocus={last}
        inputMode="decimal"
        testId={`tender-${i}-amount`}
        error={err('amountCents')}
        onEnter={enter}
      />
      {d.type === 'check' && (
        <>
          <Field
            label="Check #"
            value={d.checkNumber}
            onChange={(v) => set({ checkNumber: v })}
            inputMode="numeric"
            maxLength={10}
            testId={`tender-${i}-check-number`}
            error={err('checkNumber')}
            onEnter={enter}
          />
          <Field
            label="Routing (9 digits)"
            value={d.routingNumber}
            onChange={(v) => set({ routingNumber: v })}
            inputMode="numeric"
            maxLength={9}
            testId={`tender-${i}-routing`}
            error={err('routingNumber')}
            onEnter={enter}
          />
          <Field
            label="Bank account"
            value={d.bankAccount}
            onChange={(v) => set({ bankAccount: v })}
            inputMode="numeric"
            maxLength={24}
            testId={`tender-${i}-bank-account`}
            error={err('bankAccount')}
            onEnter={enter}
          />
        </>
      )}
      {d.type === 'card' && (
        <>
          <label className="field">
            <span className="label">Brand</span>
            <select
              value={d.brand}
              onChange={(e) => set({ brand: e.currentTarget.value })}
              data-testid={`tender-${i}-brand`}
            >
              {BRANDS.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
          <Field
            label="Last 4"
            value={d.last4}
            onChange={(v) => set({ last4: v })}
            inputMode="numeric"
            maxLength={24}
            testId={`tender-${i}-last4`}
            error={err('last4')}
            onEnter={enter}
          />
          <Field
            label="Auth code"
            value={d.authCode}
            onChange={(v) => set({ authCode: v })}
            maxLength={24}
            testId={`tender-${i}-auth`}
            error={err('authCode')}
            onEnter={enter}
          />
        </>
      )}
      {d.type === 'money_order' && (
        <Field
          label="Serial #"
          value={d.serial}
          onChange={(v) => set({ serial: v })}
          maxLength={24}
          testId={`tender-${i}-serial`}
          error={err('serial')}
          onEnter={enter}
        />
      )}
      <button
        type="button"
        className="remove"
        title="Remove this tender"
        onClick={() => removeTender(d.key)}
        tabIndex={-1}
      >
        ✕
      </button>
    </div>
  );
}

export function Payment(): React.JSX.Element {
  const s = useCounter();
  const account = s.account;
  if (!account) return <div />;
  const owed = owedOf(s);
  const ev = evaluateDraft(s.amount, s.tenders, account.cashOnly, s.confirmCredit, owed);
  const paysAhead = owed !== null && owed.owedCents <= 0;
  const cashIn = ev.tenders.some((t) => t.type === 'cash');
  const change =
    ev.settlement?.changeCents ??
    (cashIn && ev.amountCents !== null ? Math.max(0, ev.tenderedCents - ev.amountCents) : 0);
  return (
    <div className="payment" data-testid="payment">
      <h2 data-testid="payment-title">{s.purpose.kind === 'custom' ? s.purpose.title : 'Payment'}</h2>
      <div className="due-row">
        <div className="due">
          <span className="label">{s.purpose.kind === 'custom' ? s.purpose.dueLabel : 'Amount due'}</span>
          <Money
            cents={s.purpose.kind === 'custom' ? s.purpose.amountCents : account.amountDueCents}
            className="huge"
          />
        </div>
        <Field
          label="Amount to pay"
          readOnly={s.purpose.kind === 'custom' && s.purpose.lockAmount}
          value={s.amount}
          onChange={s.setAmount}
          autoFocus={s.tenders.length === 0}
          inputMode="decimal"
          size="big"
          testId="amount"
          error={s.fieldErrors.amountCents || s.fieldErrors.amount || undefined}
          onEnter={() => void s.post()}
        />
      </div>
      {ev.overpay?.code === 'CREDIT_NEEDS_CONFIRMATION' && (
        <p className="banner warn" data-testid="credit-warning">
          {ev.overpay.message}
        </p>
      )}
      {paysAhead && (
        <label className={`field ${s.fieldErrors.prepayReason ? 'has-error' : ''}`}>
          <span className="label">The account owes nothing: why is the customer paying ahead?</span>
          <select
            value={s.prepayReason}
            onChange={(e) => s.setPrepayReason(e.currentTarget.value as PrepayReason | '')}
            data-testid="prepay-reason"
          >
            <option value="">Choose a reason…</option>
            {(Object.keys(PREPAY_REASONS) as PrepayReason[]).map((r) => (
              <option key={r} value={r}>
                {PREPAY_REASONS[r]}
              </option>
            ))}
          </select>
          {s.fieldErrors.prepayReason && (
            <span className="error" role="alert" data-testid="prepay-reason-error">
              {s.fieldErrors.prepayReason}
            </span>
          )}
        </label>
      )}
      <div className="tender-keys">
        {(Object.keys(KEY) as TenderType[]).map((t) => (
          <button
            key={t}
            type="button"
            className={account.cashOnly && t === 'check' ? 'tender-key disabled' : 'tender-key'}
            onClick={() => s.addTender(t)}
            data-testid={`add-${t}`}
          >
            <kbd>{KEY[t]}</kbd> {TENDER_LABEL[t]}
          </button>
        ))}
      </div>
      <div className="tenders">
        {s.tenders.length === 0 && (
          <p className="muted">
            Choose how the customer pays: F2 Cash, F3 Check, F4 Card, F5 Money order. Split payments: add more
            than one. Cash: type the cash handed over in the Cash tender; the change is worked out there.
          </p>
        )}
        {s.tenders.map((d, i) => (
          <TenderRow key={d.key} d={d} i={i} last={i === s.tenders.length - 1} />
        ))}
      </div>
      <div className="totals">
        <div>
          <span className="label">Tendered</span> <Money cents={ev.tenderedCents} />
        </div>
        <div className={ev.remainingCents > 0 ? 'bad' : ''} data-testid="remaining">
          <span className="label">Still due</span> <Money cents={ev.remainingCents} />
        </div>
        <div className="change" data-testid="change-due">
          <span className="label">CHANGE DUE</span>
          <Money cents={change} className="giant" />
        </div>
      </div>
      <FormError error={s.formError} />
      <SubmitButton busy={s.posting} onClick={() => void s.post()} testId="take-payment">
        {s.posting ? 'Posting…' : 'Take payment'}
      </SubmitButton>
      {s.askCredit && (
        <div className="dialog" role="dialog" aria-modal="true" data-testid="credit-dialog">
          <h3>Credit on the account, not change</h3>
          <p>{s.askCredit}</p>
          <p>
            <kbd>Enter</kbd> Yes, put it on the account · <kbd>Esc</kbd> No,{' '}
            {s.askKind === 'creditBalance' ? 'fix the amount' : 'change the tenders'}
          </p>
        </div>
      )}
    </div>
  );
}
