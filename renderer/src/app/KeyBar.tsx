import { useCounter } from '../stores/counter.js';
import { useSession } from '../stores/session.js';

const KEYS: [string, string, (s: string) => boolean][] = [
  ['F1', 'New customer', () => true],
  ['F2', 'Cash', (s) => s === 'payment'],
  ['F3', 'Check', (s) => s === 'payment'],
  ['F4', 'Card', (s) => s === 'payment'],
  ['F5', 'Money order', (s) => s === 'payment'],
  ['F6', 'Deposit', (s) => !s.startsWith('deposit')],
  ['F7', 'Equipment', (s) => s !== 'equipment'],
  ['F8', 'Till', () => true],
  ['F9', 'Reprint', () => true],
  ['F10', "Today's payments", () => true],
  ['F11', 'Devices', (s) => s !== 'devices'],
  ['F12', 'Reprint queue', () => true],
  ['Ctrl+S', 'Sync', (s) => s !== 'sync'],
  ['Esc', 'Back', () => true],
  ['Enter', 'Confirm', () => true],
];

export function KeyBar(): React.JSX.Element {
  const screen = useCounter((s) => s.screen);
  const admin = useSession((s) => s.state?.cashier?.role === 'admin');
  const supervisor = useSession((s) => s.state?.cashier?.role === 'supervisor');
  return (
    <footer className="keybar">
      {KEYS.filter(([key]) => (admin || key !== 'F11') && (admin || supervisor || key !== 'Ctrl+S')).map(
        ([key, label, active]) => (
          <span key={key} className={active(screen) ? 'key' : 'key off'}>
            <kbd>{key}</kbd> {label}
          </span>
        ),
      )}
    </footer>
  );
}
