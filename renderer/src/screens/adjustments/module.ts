/** Bill adjustments and back billing on the open account (supervisor: back billing and the day's report). */
import { notAdmin, defineModule } from '../../app/module.js';
import { useCounter } from '../../stores/counter.js';
import { AdjustmentsScreen } from './AdjustmentsScreen.js';
import { useAdjustments } from './store.js';

export const adjustmentsModule = defineModule({
  name: 'adjustments',
  screens: { adjustments: { view: AdjustmentsScreen, withAccount: true } },
  keys: [
    {
      key: 'Alt+A',
      label: 'Adjust',
      help: 'Adjustments: credit, debit, outage credit, back billing',
      show: notAdmin,
      current: (s) => s === 'adjustments',
      // The equipment screen keeps its own Alt letters.
      when: (s) => s !== 'equipment',
      perform() {
        const c = useCounter.getState();
        if (c.account) void useAdjustments.getState().open();
        else c.notify('error', 'Open the customer’s account first (F1), then press Alt+A to adjust it.');
      },
    },
  ],
});
