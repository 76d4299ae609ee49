/** The sync monitor (supervisors and IT admins). */
import { defineModule } from '../../app/module.js';
import { SyncScreen } from './SyncScreen.js';
import { openSyncScreen } from './store.js';

export const syncModule = defineModule({
  name: 'sync',
  screens: { sync: { view: SyncScreen } },
  keys: [
    {
      key: 'Ctrl+S',
      label: 'Sync',
      help: 'Sync monitor (supervisor, IT admin); on it, Ctrl+S syncs now',
      show: (_s, role) => role !== 'csr',
      current: (s) => s === 'sync',
      // On the sync monitor the screen's own Ctrl+S syncs now.
      when: (s) => s !== 'sync',
      perform: openSyncScreen,
    },
  ],
});
