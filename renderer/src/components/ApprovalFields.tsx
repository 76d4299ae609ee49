/** A supervisor's ID and PIN, typed at the counter to approve an exception. */
import { Field } from './Field.js';

export type ApprovalDraft = { supervisorId: string; pin: string };

export function ApprovalFields({
  value,
  onChange,
  errors = {},
  onEnter,
  label = 'Supervisor approval',
}: {
  value: ApprovalDraft;
  onChange(v: ApprovalDraft): void;
  errors?: Record<string, string>;
  onEnter?: () => void;
  label?: string;
}): React.JSX.Element {
  return (
    <fieldset className="approval" data-testid="approval">
      <legend>{label}</legend>
      <Field
        label="Supervisor ID"
        value={value.supervisorId}
        onChange={(v) => onChange({ ...value, supervisorId: v })}
        inputMode="numeric"
        maxLength={8}
        testId="approval-id"
        error={errors['approval.supervisorId'] || errors.approval}
        {...(onEnter ? { onEnter } : {})}
      />
      <Field
        label="PIN"
        type="password"
        value={value.pin}
        onChange={(v) => onChange({ ...value, pin: v })}
        inputMode="numeric"
        maxLength={8}
        testId="approval-pin"
        error={errors['approval.pin']}
        {...(onEnter ? { onEnter } : {})}
      />
    </fieldset>
  );
}

export function approvalOrUndefined(a: ApprovalDraft): { supervisorId: string; pin: string } | undefined {
  return a.supervisorId.trim() || a.pin ? { supervisorId: a.supervisorId.trim(), pin: a.pin } : undefined;
}

/** `{ approval }` when a supervisor's ID or PIN was typed, else `{}`: spread into a call's input. */
export function withApproval(a: ApprovalDraft): { approval?: { supervisorId: string; pin: string } } {
  const approval = approvalOrUndefined(a);
  return approval ? { approval } : {};
}
