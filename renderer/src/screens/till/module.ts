/** The till: open (before any payment), drop, paid-out, refund, void, close, the supervisor's tills. */
import { notAdmin, defineModule } from '../../app/module.js';
import { useCounter, type Screen } from '../../stores/counter.js';
import { useTill } from '../../stores/till.js';
import { CloseTill } from './CloseTill.js';
import { OpenTill } from './OpenTill.js';
import { DropScreen, PaidOutScreen, RefundScreen, VoidScreen } from './Slips.js';
import { TillMenu } from './TillMenu.js';
import { TillsScreen, ZReportScreen } from './Tills.js';

/** No payment is taken without an open till: these screens wait behind the opening count. */
const NEEDS_OPEN_TILL: readonly Screen[] = ['lookup', 'payment', 'done'];

export const tillModule = defineModule({
  name: 'till',
  screens: {
    tillMenu: { view: TillMenu },
    drop: { view: DropScreen },
    paidOut: { view: PaidOutScreen },
    refund: { view: RefundScreen, withAccount: true },
    void: { view: VoidScreen },
    closeTill: { view: CloseTill },
    tills: { view: TillsScreen },
    zreport: { view: ZReportScreen },
  },
  keys: [
    {
      key: 'F8',
      label: 'Till',
      help: 'Till: drop, paid-out, refund, no-sale, close, tills',
      show: notAdmin,
      current: (s) => s === 'tillMenu',
      perform: () => useCounter.setState({ screen: 'tillMenu' }),
    },
  ],
  gate: {
    view: OpenTill,
    blocks(screen, role) {
      const t = useTill.getState();
      return role !== 'admin' && t.loaded && !t.current && NEEDS_OPEN_TILL.includes(screen);
    },
    subscribe: (listener) => useTill.subscribe(listener),
  },
  onSignIn() {
    // A host that goes away mid-load shows as "service stopped"; the reconnect signs out and reloads.
    useTill
      .getState()
      .load()
      .catch(() => undefined);
  },
  onSignOut: () => useTill.setState({ current: null, loaded: false }),
});
