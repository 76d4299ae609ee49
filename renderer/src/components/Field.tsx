import { useId } from 'react';

type Props = {
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string | undefined;
  autoFocus?: boolean;
  inputMode?: 'numeric' | 'decimal' | 'text';
  maxLength?: number;
  testId?: string;
  size?: 'big' | 'normal';
  placeholder?: string;
  type?: 'text' | 'password';
  onEnter?: () => void;
  readOnly?: boolean;
};

/** A labelled input with its error right under it, in words the CSR can say to the customer. */
export function Field(p: Props): React.JSX.Element {
  const id = useId();
  return (
    <label className={`field ${p.error ? 'has-error' : ''} ${p.size === 'big' ? 'big' : ''}`} htmlFor={id}>
      <span className="label">{p.label}</span>
      <input
        id={id}
        type={p.type ?? 'text'}
        value={p.value}
        autoFocus={p.autoFocus}
        readOnly={p.readOnly}
        inputMode={p.inputMode}
        maxLength={p.maxLength}
        placeholder={p.placeholder}
        data-testid={p.testId}
        aria-invalid={Boolean(p.error)}
        autoComplete="off"
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => p.onChange(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && p.onEnter && !e.defaultPrevented) {
            e.preventDefault();
            p.onEnter();
          }
        }}
      />
      {p.error ? (
        <span className="error" role="alert" data-testid={p.testId ? `${p.testId}-error` : undefined}>
          {p.error}
        </span>
      ) : null}
    </label>
  );
}
