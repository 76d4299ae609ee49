/**
 * The keys a CSR can press now, on one line: tenders only on the payment screen, admin and supervisor
 * keys only for them; Esc and Enter always at the right end.
 */
import type { Role } from '../../../shared/api/schemas.js';
import { useCounter, type Screen } from '../stores/counter.js';
import { useSession } from '../stores/session.js';

type Key = {
  key: string;
  label: string;
  show(screen: Screen, role: Role): boolean;
  current?(screen: Screen): boolean;
};

const notAdmin = (_s: Screen, role: Role): boolean => role !== 'admin';

const KEYS: Key[] = [
  { key: 'F1', label: 'New customer', show: () => true },
  { key: 'F2', label: 'Cash', show: (s) => s === 'payment' },
  { key: 'F3', label: 'Check', show: (s) => s === 'payment' },
  { key: 'F4', label: 'Card', show: (s) => s === 'payment' },
  { key: 'F5', label: 'Money order', show: (s) => s === 'payment' },
  { key: 'F6', label: 'Deposit', show: notAdmin, current: (s) => s.startsWith('deposit') },
  { key: 'F7', label: 'Equipment', show: notAdmin, current: (s) => s === 'equipment' },
  { key: 'F8', label: 'Till', show: notAdmin, current: (s) => s === 'tillMenu' },
  { key: 'F9', label: 'Reprint', show: () => true },
  { key: 'F10', label: 'Today', show: () => true, current: (s) => s === 'today' },
  { key: 'F11', label: 'Devices', show: (_s, role) => role === 'admin', current: (s) => s === 'devices' },
  { key: 'F12', label: 'Print queue', show: () => true, current: (s) => s === 'reprintQueue' },
  { key: 'Ctrl+S', label: 'Sync', show: (_s, role) => role !== 'csr', current: (s) => s === 'sync' },
  { key: 'Ctrl+L', label: 'Lock', show: () => true },
];

export function KeyBar(): React.JSX.Element {
  const screen = useCounter((s) => s.screen);
  const role = useSession((s) => s.state?.cashier?.role ?? 'csr');
  return (
    <footer className="keybar">
      {KEYS.filter((k) => k.show(screen, role)).map((k) => (
        <span key={k.key} className={k.current?.(screen) ? 'key current' : 'key'}>
          <kbd>{k.key}</kbd> {k.label}
        </span>
      ))}
      <span className="keys-right">
        <span className="key">
          <kbd>Esc</kbd> Back
        </span>
        <span className="key">
          <kbd>Enter</kbd> Confirm
        </span>
      </span>
    </footer>
  );
}
