/** Security deposits: the account's deposit, refunds and final bill, and the supervisor's fund screen. */
import { notAdmin, defineModule } from '../../app/module.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { DepositAdmin } from './DepositAdmin.js';
import { DepositScreen } from './DepositScreen.js';
import { DepositFinalScreen, DepositRefundScreen } from './Payout.js';

export const depositsModule = defineModule({
  name: 'deposits',
  screens: {
    deposit: { view: DepositScreen, withAccount: true },
    depositRefund: { view: DepositRefundScreen, withAccount: true },
    depositFinal: { view: DepositFinalScreen, withAccount: true },
    depositAdmin: { view: DepositAdmin },
  },
  keys: [
    {
      key: 'F6',
      label: 'Deposit',
      help: 'Deposit of the open account (supervisor: the fund)',
      show: notAdmin,
      current: (s) => s.startsWith('deposit'),
      perform() {
        const c = useCounter.getState();
        // The deposit screen works on the open account; a supervisor without one gets the fund screen.
        if (c.account) useCounter.setState({ screen: 'deposit' });
        else if (useSession.getState().state?.cashier?.role === 'supervisor')
          useCounter.setState({ screen: 'depositAdmin' });
        else c.notify('error', 'Open the customer’s account first (F1), then press F6 for its deposit.');
      },
    },
  ],
});
