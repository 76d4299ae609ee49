/** One figure of a card's head: its label over the figure (a `dep-head` row holds several). */
export function Stat({ label, children }: { label: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <div>
      <span className="label">{label}</span>
      {children}
    </div>
  );
}
