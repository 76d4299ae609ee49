/** Devices (IT admin) and the reprint queue. */
import { everyone, defineModule } from '../../app/module.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { DevicesScreen } from './DevicesScreen.js';
import { ReprintQueue } from './ReprintQueue.js';

export const devicesModule = defineModule({
  name: 'devices',
  screens: { devices: { view: DevicesScreen }, reprintQueue: { view: ReprintQueue } },
  keys: [
    {
      key: 'F11',
      label: 'Devices',
      help: 'Devices (IT admin): printer, drawer, scanner',
      show: (_s, role) => role === 'admin',
      current: (s) => s === 'devices',
      perform() {
        if (useSession.getState().state?.cashier?.role === 'admin')
          useCounter.setState({ screen: 'devices' });
        else useCounter.getState().notify('error', 'Devices are set up by an IT admin.');
      },
    },
    {
      key: 'F12',
      label: 'Print queue',
      help: 'Print queue: receipts that did not print, and why',
      show: everyone,
      current: (s) => s === 'reprintQueue',
      perform: () => useCounter.setState({ screen: 'reprintQueue' }),
    },
  ],
});
