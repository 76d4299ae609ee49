import { KeyMenu, type MenuItem } from '../../components/KeyMenu.js';
import { useCounter, type Screen } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { useTill } from '../../stores/till.js';

type Item = { key: string; label: string; screen: Screen; enabled: boolean; hint?: string };

function go(screen: Screen): void {
  if (screen === 'today') void useCounter.getState().showToday();
  else useCounter.setState({ screen });
}

/** F8: everything about the till, one key each. */
export function TillMenu(): React.JSX.Element {
  const role = useSession((s) => s.state?.cashier?.role);
  const current = useTill((s) => s.current);
  const account = useCounter((s) => s.account);
  const credit = account && account.balanceCents < 0 ? -account.balanceCents : 0;
  const items: Item[] = [
    { key: 'D', label: 'Cash drop to the safe', screen: 'drop', enabled: Boolean(current) },
    { key: 'P', label: 'Paid-out (with a reason)', screen: 'paidOut', enabled: Boolean(current) },
    {
      key: 'R',
      label: credit ? `Refund ${account?.name}'s credit` : 'Refund an account credit',
      screen: 'refund',
      enabled: Boolean(current && credit),
      hint: credit ? undefined : 'Open an account with a credit balance first (F1).',
    },
    {
      key: 'V',
      label: 'Void a payment (from today’s list, F10)',
      screen: 'today',
      enabled: Boolean(current),
    },
    {
      key: 'N',
      label: 'Open the drawer without a sale (reason, supervisor)',
      screen: 'reprintQueue',
      enabled: role === 'csr' || role === 'supervisor',
    },
    { key: 'C', label: 'Close till (blind count)', screen: 'closeTill', enabled: Boolean(current) },
    {
      key: 'S',
      label: 'All tills on this terminal · Z reports',
      screen: 'tills',
      enabled: role === 'supervisor' || role === 'admin',
    },
  ];
  const menu: MenuItem[] = items.map((i) => ({ ...i, run: () => go(i.screen), testId: `till-${i.screen}` }));
  return (
    <div className="till-screen" data-testid="till-menu">
      <h2>Till</h2>
      <p className="muted">
        {current
          ? `Your till has been open since ${new Date(current.openedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`
          : 'Your till is not open.'}
      </p>
      {current?.overMaxCash && (
        <div className="banner warn" data-testid="over-max">
          The drawer holds more cash than allowed: make a cash drop (D).
        </div>
      )}
      <KeyMenu items={menu} inlineHints />
      <p className="muted small">Ctrl+L locks the counter (your till stays open). Esc goes back.</p>
    </div>
  );
}
