/**
 * F7 Equipment: order (catalog, buy/lease, quantities, serial scans at handover, quote, payment),
 * return / exchange / test for a scanned serial, unreturned equipment, branch stock, receiving stock.
 * Every action has a key (Alt+letter on this screen); scans work anywhere.
 */
import { useEffect } from 'react';

import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import './equipment.css';
import { OrderTab } from './OrderTab.js';
import { ReceiveTab, StockTab, UnreturnedTab } from './OtherTabs.js';
import { ReturnTab } from './ReturnTab.js';
import { useEquipment, type Tab } from './store.js';

const TABS: { tab: Tab; key: string; label: string; supervisor?: boolean }[] = [
  { tab: 'order', key: 'O', label: 'Order' },
  { tab: 'return', key: 'R', label: 'Return · exchange · test' },
  { tab: 'unreturned', key: 'U', label: 'Unreturned' },
  { tab: 'stock', key: 'S', label: 'Stock' },
  { tab: 'receive', key: 'V', label: 'Receive stock', supervisor: true },
];

export function EquipmentScreen(): React.JSX.Element {
  const tab = useEquipment((s) => s.tab);
  const loadError = useEquipment((s) => s.loadError);
  const supervisor = useSession((s) => s.state?.cashier?.role === 'supervisor');
  const account = useCounter((s) => s.account);

  useEffect(() => {
    if (useEquipment.getState().catalog.length === 0) void useEquipment.getState().loadCatalog();
  }, []);
  useEffect(() => {
    if (useEquipment.getState().tab === 'unreturned') void useEquipment.getState().loadUnreturned();
  }, [account?.accountNumber]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const k = e.key.toUpperCase();
      const eq = useEquipment.getState();
      const t = TABS.find((x) => x.key === k && (!x.supervisor || supervisor));
      if (t) {
        e.preventDefault();
        eq.setTab(t.tab);
        return;
      }
      if (k === 'P' && eq.tab === 'order') {
        e.preventDefault();
        void eq.printQuote();
      } else if (k === 'H' && eq.tab === 'order') {
        e.preventDefault();
        void eq.pay();
      } else if (k === 'X' && eq.tab === 'return' && eq.lookup?.unit && !eq.lookup.unit.returnedOn) {
        e.preventDefault();
        eq.openPanel('exchange');
      } else if (k === 'T' && eq.tab === 'return') {
        e.preventDefault();
        eq.openPanel('ticket');
      } else if (['1', '2', '3'].includes(k) && eq.tab === 'return') {
        e.preventDefault();
        eq.setCondition(k === '1' ? 'good' : k === '2' ? 'damaged' : 'missing_parts');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [supervisor]);

  return (
    <div className="equipment" data-testid="equipment">
      <div className="eq-head">
        <h2>Equipment</h2>
        <nav className="eq-tabs" aria-label="Equipment tasks">
          {TABS.filter((t) => !t.supervisor || supervisor).map((t) => (
            <button
              key={t.tab}
              type="button"
              className={tab === t.tab ? 'eq-tab on' : 'eq-tab'}
              onClick={() => useEquipment.getState().setTab(t.tab)}
              data-testid={`eq-tab-${t.tab}`}
              aria-pressed={tab === t.tab}
            >
              <kbd>Alt+{t.key}</kbd> {t.label}
            </button>
          ))}
        </nav>
      </div>
      {loadError && (
        <div className="banner bad" role="alert">
          {loadError}
        </div>
      )}
      {tab === 'order' && <OrderTab />}
      {tab === 'return' && <ReturnTab />}
      {tab === 'unreturned' && <UnreturnedTab />}
      {tab === 'stock' && <StockTab />}
      {tab === 'receive' && supervisor && <ReceiveTab />}
    </div>
  );
}
