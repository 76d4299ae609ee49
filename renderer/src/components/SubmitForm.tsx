/**
 * The parts every posting form ends with: the request id it keeps across retries, the busy flag, the
 * errors by field and the one banner, the supervisor's approval where the screen asks for it, and the
 * main button that Enter presses.
 */
import { useState } from 'react';

import { fieldErrorsOf } from '../stores/till.js';
import { ApprovalFields, type ApprovalDraft } from './ApprovalFields.js';
import { Field } from './Field.js';

export type SubmitForm<T> = {
  errors: Record<string, string>;
  error: string | null;
  busy: boolean;
  requestId: string;
  /** Runs `call` once at a time; its result goes to the form's `after`, a refusal to the fields. */
  run(call: () => Promise<T>, done: string): Promise<void>;
  setErrors(errors: Record<string, string>): void;
  setError(error: string | null): void;
  /** The supervisor's ID and PIN as typed, for the screens that ask for them. */
  approval: ApprovalDraft;
  setApproval(approval: ApprovalDraft): void;
};

export function useSubmitForm<T>(after: (result: T, done: string) => void): SubmitForm<T> {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [requestId] = useState(() => crypto.randomUUID());
  const [approval, setApproval] = useState<ApprovalDraft>({ supervisorId: '', pin: '' });
  const run = async (call: () => Promise<T>, done: string): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      after(await call(), done);
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { errors, error, busy, requestId, run, setErrors, setError, approval, setApproval };
}

export function FormError({
  error,
  testId = 'form-error',
}: {
  error: string | null | undefined;
  testId?: string;
}): React.JSX.Element | null {
  return error ? (
    <div className="banner bad" role="alert" data-testid={testId}>
      {error}
    </div>
  ) : null;
}

/** The screen's main button; `data-enter` marks it for a screen whose Enter presses it from anywhere. */
export function SubmitButton({
  busy,
  onClick,
  testId,
  enter = false,
  children,
}: {
  busy?: boolean;
  onClick(): void;
  testId: string;
  enter?: boolean;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <button
      type="button"
      className="primary big"
      disabled={busy}
      onClick={onClick}
      data-enter={enter || undefined}
      data-testid={testId}
    >
      {children} <kbd>Enter</kbd>
    </button>
  );
}

/** Approval (when `needsApproval`), the error banner and the main button of a posting form. */
export function SubmitBlock<T>({
  form,
  needsApproval = false,
  approvalLabel,
  onSubmit,
  testId,
  enter,
  children,
}: {
  form: SubmitForm<T>;
  needsApproval?: boolean;
  approvalLabel?: string;
  onSubmit(): void;
  testId: string;
  enter?: boolean;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <>
      {needsApproval && (
        <ApprovalFields
          {...(approvalLabel === undefined ? {} : { label: approvalLabel })}
          value={form.approval}
          onChange={form.setApproval}
          errors={form.errors}
          onEnter={onSubmit}
        />
      )}
      <FormError error={form.error} />
      <SubmitButton busy={form.busy} onClick={onSubmit} testId={testId} {...(enter ? { enter } : {})}>
        {children}
      </SubmitButton>
    </>
  );
}

type FormFieldProps<T> = {
  form: SubmitForm<T>;
  value: string;
  onChange(v: string): void;
  onEnter(): void;
  testId: string;
  label?: string;
  autoFocus?: boolean;
};

/** The amount a slip pays out: big, decimal, its error from the `amountCents` field. */
export function AmountField<T>({ form, label = 'Amount', autoFocus = true, ...p }: FormFieldProps<T>) {
  return (
    <Field
      {...p}
      label={label}
      autoFocus={autoFocus}
      inputMode="decimal"
      size="big"
      error={form.errors.amountCents}
    />
  );
}

/** Why the money moves (it prints on the slip): at most 200 characters, its error from `reason`. */
export function ReasonField<T>({ form, label = 'Reason', autoFocus = false, ...p }: FormFieldProps<T>) {
  return <Field {...p} label={label} autoFocus={autoFocus} maxLength={200} error={form.errors.reason} />;
}
