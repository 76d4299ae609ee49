/** One figure of a card's head: its label over the figure (a `dep-head` row holds several). */
export function Stat({ label, children }: { label: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <div>
      <span className="label">{label}</span>
      {children}
    </div>
  );
}

/** A card whose head row is its figures (`Stat`s), then the rest of the card. */
export function StatCard({
  className = 'dep-card',
  testId,
  head,
  children,
}: {
  className?: string;
  testId: string;
  head: React.ReactNode;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <div className={className} data-testid={testId}>
      <div className="dep-head">{head}</div>
      {children}
    </div>
  );
}
