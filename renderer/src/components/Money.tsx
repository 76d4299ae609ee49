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
