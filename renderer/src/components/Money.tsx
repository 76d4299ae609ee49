import { formatCents, type Cents } from '../../../shared/money.js';

export function Money({
  cents,
  symbol = false,
  className,
}: {
  cents: Cents;
  symbol?: boolean;
  className?: string;
}): React.JSX.Element {
  return (
    <span className={`money ${cents < 0 ? 'neg' : ''} ${className ?? ''}`}>
      {formatCents(cents, { symbol })}
    </span>
  );
}

/** A row of a figures table: what the amount is, and the amount right-aligned. */
export function MoneyRow({
  label,
  cents,
  className,
  labelClassName,
  moneyClassName,
  testId,
}: {
  label: React.ReactNode;
  cents: Cents;
  className?: string;
  labelClassName?: string;
  moneyClassName?: string;
  testId?: string;
}): React.JSX.Element {
  return (
    <tr className={className}>
      <td className={labelClassName}>{label}</td>
      <td className={labelClassName ? `num ${labelClassName}` : 'num'} data-testid={testId}>
        <Money cents={cents} symbol {...(moneyClassName ? { className: moneyClassName } : {})} />
      </td>
    </tr>
  );
}
