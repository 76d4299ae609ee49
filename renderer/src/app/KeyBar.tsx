import { useCounter } from '../stores/counter.js';

const KEYS: [string, string, (s: string) => boolean][] = [
  ['F1', 'New customer', () => true],
  ['F2', 'Cash', (s) => s === 'payment'],
  ['F3', 'Check', (s) => s === 'payment'],
  ['F4', 'Card', (s) => s === 'payment'],
  ['F5', 'Money order', (s) => s === 'payment'],
  ['F9', 'Reprint', () => true],
  ['F10', "Today's payments", () => true],
  ['Esc', 'Back', () => true],
  ['Enter', 'Confirm', () => true],
];

export function KeyBar(): React.JSX.Element {
  const screen = useCounter((s) => s.screen);
  return (
    <footer className="keybar">
      {KEYS.map(([key, label, active]) => (
        <span key={key} className={active(screen) ? 'key' : 'key off'}>
          <kbd>{key}</kbd> {label}
        </span>
      ))}
    </footer>
  );
}
