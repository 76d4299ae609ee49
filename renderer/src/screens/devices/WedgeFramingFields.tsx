/**
 * How the keyboard-wedge scanner frames a code (Devices, scanner card): an optional prefix and the
 * key after the code. Set the same on the scanner (its programming barcodes). With a prefix the
 * counter never mistakes a CSR's fast typing for a scan.
 */
import type { WedgeFraming } from '../../../../shared/devices/settings.js';

type PrefixChoice = WedgeFraming['prefix']['kind'];

export function WedgeFramingFields({
  value,
  error,
  onChange,
}: {
  value: WedgeFraming;
  error: string | undefined;
  onChange(v: WedgeFraming): void;
}): React.JSX.Element {
  const p = value.prefix;
  return (
    <div className="dev-grid" data-testid="wedge-framing">
      <label className="dev-field">
        <span className="label">Prefix</span>
        <select
          value={p.kind}
          data-testid="wedge-prefix"
          onChange={(e) => {
            const kind = e.currentTarget.value as PrefixChoice;
            onChange({ ...value, prefix: kind === 'char' ? { kind, char: '§' } : { kind } });
          }}
        >
          <option value="none">None (timing)</option>
          <option value="stx">STX (Ctrl+B)</option>
          <option value="char">A character</option>
        </select>
      </label>
      {p.kind === 'char' && (
        <label className={`dev-field ${error ? 'has-error' : ''}`}>
          <span className="label">Character</span>
          <input
            value={p.char}
            maxLength={1}
            data-testid="wedge-prefix-char"
            onChange={(e) => onChange({ ...value, prefix: { kind: 'char', char: e.currentTarget.value } })}
          />
          {error && (
            <span className="error" role="alert">
              {error}
            </span>
          )}
        </label>
      )}
      <label className="dev-field">
        <span className="label">After the code</span>
        <select
          value={value.suffix}
          data-testid="wedge-suffix"
          onChange={(e) => onChange({ ...value, suffix: e.currentTarget.value as WedgeFraming['suffix'] })}
        >
          <option value="enter_or_tab">Enter or Tab</option>
          <option value="enter">Enter</option>
          <option value="tab">Tab</option>
        </select>
      </label>
    </div>
  );
}
