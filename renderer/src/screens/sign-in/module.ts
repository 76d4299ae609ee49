/** The session's keys: lock the counter, go back, confirm. */
import { everyone, defineModule } from '../../app/module.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';

export const sessionModule = defineModule({
  name: 'session',
  keys: [
    {
      key: 'Ctrl+L',
      label: 'Lock',
      help: 'Lock the counter (sign out; the till stays open)',
      show: everyone,
      // Sign out; the till stays open for when the cashier comes back.
      perform: () => void useSession.getState().signOut(),
    },
    {
      key: 'Esc',
      label: 'Back',
      help: 'Back (removes the last tender first)',
      show: everyone,
      right: true,
      perform: () => useCounter.getState().back(),
    },
    {
      key: 'Enter',
      label: 'Confirm',
      help: 'Confirm (open the chosen account, take the payment)',
      show: everyone,
      right: true,
    },
  ],
});
