/** Returned checks: record a check the bank sent back (Ctrl+K), its fee, cash only and the letter. */
import { defineModule, notAdmin } from '../../app/module.js';
import { ReturnsScreen } from './ReturnsScreen.js';
import { useReturns } from './store.js';

export const returnsModule = defineModule({
  name: 'returns',
  screens: { returns: { view: ReturnsScreen, withAccount: true } },
  keys: [
    {
      key: 'Ctrl+K',
      label: 'Returned check',
      help: 'Returned check: record it, its fee and cash only; the letter',
      show: notAdmin,
      current: (s) => s === 'returns',
      perform: () => void useReturns.getState().open(),
    },
  ],
});
