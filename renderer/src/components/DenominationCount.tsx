/** A count by denomination (bills, coins, rolls) with its running total; the quantities are the input. */
import type { Counts, CurrencyConfig } from '../../../shared/domain/currency.js';
import { addCents, mulCents } from '../../../shared/money.js';
import { Money } from './Money.js';

export function countsTotal(counts: Record<string, string>, currency: CurrencyConfig): number {
  return addCents(
    ...currency.denominations.map((d) => {
      const q = Number(counts[d.id] ?? '');
      return Number.isSafeInteger(q) && q > 0 ? mulCents(d.cents, q) : 0;
    }),
  );
}

/** Typed quantities → Counts for the host. Blank is 0; anything else is sent as typed for the host to judge. */
export function toCounts(counts: Record<string, string>): Counts {
  const out: Counts = {};
  for (const [id, text] of Object.entries(counts)) {
    if (text.trim() === '') continue;
    out[id] = Number(text.trim());
  }
  return out;
}

type Props = {
  currency: CurrencyConfig;
  counts: Record<string, string>;
  onChange(counts: Record<string, string>): void;
  errors?: Record<string, string>;
  field?: string;
  autoFocus?: boolean;
  onEnter?: () => void;
  testId?: string;
};

export function DenominationCount({
  currency,
  counts,
  onChange,
  errors = {},
  field = 'counts',
  autoFocus,
  onEnter,
  testId = 'count',
}: Props): React.JSX.Element {
  const kinds: ['bill' | 'coin' | 'roll', string][] = [
    ['bill', 'Bills'],
    ['coin', 'Coins'],
    ['roll', 'Rolls'],
  ];
  const total = countsTotal(counts, currency);
  let first = true;
  return (
    <div className="denoms" data-testid={testId}>
      {kinds.map(([kind, title]) => {
        const denoms = currency.denominations.filter((d) => d.kind === kind);
        if (denoms.length === 0) return null;
        return (
          <fieldset key={kind} className="denom-group">
            <legend>{title}</legend>
            {denoms.map((d) => {
              const q = Number(counts[d.id] ?? '');
              const line = Number.isSafeInteger(q) && q > 0 ? mulCents(d.cents, q) : 0;
              const err = errors[`${field}.${d.id}`];
              const focus = autoFocus && first;
              first = false;
              return (
                <label key={d.id} className={`denom ${err ? 'has-error' : ''}`}>
                  <span className="denom-label">{d.label}</span>
                  <input
                    inputMode="numeric"
                    value={counts[d.id] ?? ''}
                    autoFocus={focus}
                    data-testid={`${testId}-${d.id}`}
                    aria-invalid={Boolean(err)}
                    onFocus={(e) => e.currentTarget.select()}
                    onChange={(e) => onChange({ ...counts, [d.id]: e.currentTarget.value })}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' && onEnter) {
                        e.preventDefault();
                        onEnter();
                      }
                    }}
                  />
                  <Money cents={line} className="denom-line" />
                  {err && <span className="error">{err}</span>}
                </label>
              );
            })}
          </fieldset>
        );
      })}
      <div className="denom-total" data-testid={`${testId}-total`}>
        <span className="label">Total</span>
        <Money cents={total} symbol className="huge" />
      </div>
    </div>
  );
}
