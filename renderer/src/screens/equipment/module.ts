/** Equipment: order, return, exchange, test, stock; product barcodes and serials scanned anywhere. */
import { notAdmin, defineModule } from '../../app/module.js';
import { EquipmentScreen } from './EquipmentScreen.js';
import { routeEquipmentScan, useEquipment } from './store.js';

export const equipmentModule = defineModule({
  name: 'equipment',
  screens: { equipment: { view: EquipmentScreen, withAccount: true } },
  keys: [
    {
      key: 'F7',
      label: 'Equipment',
      help: 'Equipment: order, return, exchange, test, stock',
      show: notAdmin,
      current: (s) => s === 'equipment',
      perform: () => useEquipment.getState().open(),
    },
  ],
  scans: {
    gtin: (code) => routeEquipmentScan('gtin', code),
    serial: (code) => routeEquipmentScan('serial', code),
  },
});
