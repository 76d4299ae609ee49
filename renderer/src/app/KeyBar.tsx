/**
 * The keys a CSR can press now, on one line, as the modules declare them (modules.ts): tenders only on
 * the payment screen, admin and supervisor keys only for them; Esc and Enter always at the right end.
 * Each key's title says what it does (the same words as README.md's key table).
 */
import type { KeyDecl } from './module.js';
import { keyDecls } from './modules.js';
import { useCounter } from '../stores/counter.js';
import { useSession } from '../stores/session.js';

export function KeyBar(): React.JSX.Element {
  const screen = useCounter((s) => s.screen);
  const role = useSession((s) => s.state?.cashier?.role ?? 'csr');
  const item = (k: KeyDecl): React.JSX.Element => (
    <span key={k.key} className={k.current?.(screen) ? 'key current' : 'key'} title={k.help}>
      <kbd>{k.key}</kbd> {k.label}
    </span>
  );
  const shown = keyDecls.filter((k) => k.show(screen, role));
  return (
    <footer className="keybar">
      {shown.filter((k) => !k.right).map(item)}
      <span className="keys-right">{shown.filter((k) => k.right).map(item)}</span>
    </footer>
  );
}
