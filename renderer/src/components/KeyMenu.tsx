/** A screen's menu of actions, one letter key each: the list shows them, the same keys press them. */
import { typing, useWindowKeys } from './keys.js';

export type MenuItem = {
  key: string;
  label: string;
  enabled: boolean;
  run(): void;
  testId: string;
  /** Why the item is off, shown under it while it is. */
  hint?: string | undefined;
};

export function KeyMenu({
  items,
  className = 'menu',
  inlineHints = false,
  children,
}: {
  items: MenuItem[];
  className?: string;
  /** The hint follows the button on its line instead of under it. */
  inlineHints?: boolean;
  children?: React.ReactNode;
}): React.JSX.Element {
  useWindowKeys((e) => {
    if (e.ctrlKey || e.altKey || e.metaKey || typing(e)) return;
    const item = items.find((i) => i.key === e.key.toUpperCase());
    if (!item || !item.enabled) return;
    e.preventDefault();
    item.run();
  });
  return (
    <ul className={className}>
      {items.map((i) => (
        <li key={i.key} className={i.enabled ? '' : 'off'}>
          <button type="button" disabled={!i.enabled} onClick={i.run} data-testid={i.testId}>
            <kbd>{i.key}</kbd> {i.label}
          </button>
          {!i.enabled &&
            i.hint &&
            (inlineHints ? (
              <span className="muted small"> {i.hint}</span>
            ) : (
              <div className="muted small">{i.hint}</div>
            ))}
        </li>
      ))}
      {children}
    </ul>
  );
}
