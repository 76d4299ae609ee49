/** The core of the counter: find an account, take a payment, today's list and receipts. */
import type { TenderType } from '../../../../shared/api/schemas.js';
import { everyone, type KeyDecl, defineModule } from '../../app/module.js';
import { useCounter } from '../../stores/counter.js';
import { Lookup } from '../lookup/Lookup.js';
import { ReceiptScreen } from '../receipt/ReceiptScreen.js';
import { TodayScreen } from '../today/TodayScreen.js';
import { Done } from './Done.js';
import { Payment } from './Payment.js';

const TENDER_HELP = 'Add a tender: cash, check, card, money order';

/** F2–F5 add a tender on the payment screen; elsewhere they do nothing (and never reach the browser). */
const tenderKey = (key: string, label: string, type: TenderType): KeyDecl => ({
  key,
  label,
  help: TENDER_HELP,
  show: (s) => s === 'payment',
  perform() {
    const c = useCounter.getState();
    if (c.screen === 'payment') c.addTender(type);
  },
});

export const paymentsModule = defineModule({
  name: 'payments',
  screens: {
    lookup: { view: Lookup },
    payment: { view: Payment, withAccount: true },
    done: { view: Done, withAccount: true },
    today: { view: TodayScreen },
    receipt: { view: ReceiptScreen },
  },
  keys: [
    {
      key: 'F1',
      label: 'New customer',
      help: 'New customer (find an account)',
      show: everyone,
      perform: () => useCounter.getState().newCustomer(),
    },
    tenderKey('F2', 'Cash', 'cash'),
    tenderKey('F3', 'Check', 'check'),
    tenderKey('F4', 'Card', 'card'),
    tenderKey('F5', 'Money order', 'money_order'),
    {
      key: 'F9',
      label: 'Reprint',
      help: 'Reprint the last receipt (marked DUPLICATE)',
      show: everyone,
      perform() {
        const c = useCounter.getState();
        void c.reprint(
          c.screen === 'receipt' || c.screen === 'done'
            ? c.receipt?.receiptNumber
            : c.screen === 'today'
              ? c.today?.payments[c.todaySelected]?.receiptNumber
              : undefined,
        );
      },
    },
    {
      key: 'F10',
      label: 'Today',
      help: "Today's payments on this terminal",
      show: everyone,
      current: (s) => s === 'today',
      perform: () => void useCounter.getState().showToday(),
    },
  ],
});
