/**
 * The Equipment screen's state (F7): the catalog, the order being built with a serial slot per unit,
 * its figures (priced by the host: no arithmetic here), the return / exchange / test flow for a scanned
 * serial, unreturned equipment, the branch stock and receiving a shipment. Scans from anywhere arrive
 * through `routeEquipmentScan`. The state's shape is in state.ts; the order and the return flow's
 * actions in order.ts and flow.ts.
 */
import { create } from 'zustand';

import type { StockUnit, UnitView } from '../../../../shared/api/channels/equipment.js';
import { api, ApiError } from '../../api/client.js';
import { beep } from '../../app/feedback.js';
import { screenBack, useCounter } from '../../stores/counter.js';
import { fieldErrorsOf } from '../../stores/till.js';
import { flowActions } from './flow.js';
import { orderActions } from './order.js';
import { account, initial, initialFlow, initialOrder, message, type Store } from './state.js';

export type { Condition, DraftLine, Lookup, Mode, Posted, RefundMethod, StockView, Tab } from './state.js';

export const useEquipment = create<Store>((set, get) => ({
  ...initial,
  ...orderActions(set, get),
  ...flowActions(set, get),

  open(tab) {
    useCounter.setState({ screen: 'equipment' });
    if (tab) get().setTab(tab);
    if (get().catalog.length === 0) void get().loadCatalog();
  },

  setTab(tab) {
    set({ tab });
    if (tab === 'unreturned') void get().loadUnreturned();
    if (tab === 'stock') void get().loadStock(get().stockSku || undefined);
    if (tab === 'receive' && get().catalog.length === 0) void get().loadCatalog();
  },

  // ---- unreturned, stock, receiving ----

  async loadUnreturned() {
    const acct = account();
    if (!acct) {
      set({ unreturned: null });
      return;
    }
    try {
      set({ unreturned: await api.call('equipment.unreturned', { accountNumber: acct.accountNumber }) });
    } catch (err) {
      useCounter.getState().notify('error', message(err));
    }
  },

  async loadStock(sku) {
    try {
      set({ stock: await api.call('equipment.stock', {}), stockSku: sku ?? '' });
    } catch (err) {
      useCounter.getState().notify('error', message(err));
    }
  },

  setReceive(patch) {
    set({ receive: { ...get().receive, ...patch }, receiveErrors: {}, receiveError: null });
  },

  async submitReceive() {
    const r = get().receive;
    const item = get().catalog.find((c) => c.item.sku === r.sku)?.item;
    if (!item) {
      set({ receiveErrors: { sku: 'Choose the item that came in.' } });
      return;
    }
    try {
      const out = await api.call('equipment.receiveShipment', {
        requestId: r.requestId,
        sku: r.sku,
        reference: r.reference,
        serials: item.serialized ? r.serials : [],
        ...(!item.serialized && r.quantity.trim() ? { quantity: Number(r.quantity) } : {}),
      });
      set({
        received: out.receipt,
        receive: { sku: r.sku, reference: '', serials: [], quantity: '', requestId: crypto.randomUUID() },
      });
      useCounter.getState().notify('info', `${String(out.received)} × ${item.name} received into stock.`);
      void get().loadCatalog();
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      set({ receiveErrors: fieldErrorsOf(err), receiveError: e?.message ?? message(err) });
    }
  },

  reset() {
    set({ ...initial, receive: { ...initial.receive, requestId: crypto.randomUUID() } });
  },
}));

/** Esc on the Equipment screen closes the open step first (result, panel, look-up), then leaves. */
screenBack.equipment = (): boolean => {
  const s = useEquipment.getState();
  if (s.posted) {
    useEquipment.setState({ posted: null });
    return true;
  }
  if (s.panel !== 'none') {
    useEquipment.setState({ panel: 'none', flowError: null, flowErrors: {} });
    return true;
  }
  if (s.tab === 'return' && (s.lookup || s.lookupError)) {
    s.clearFlow();
    return true;
  }
  if (s.tab !== 'order') {
    useEquipment.setState({ tab: 'order' });
    return true;
  }
  return false;
};

/**
 * Scans from anywhere: a UPC/EAN adds the item to the order; a serial fills the unit waiting for it at
 * handover, the replacement at an exchange, a unit being received, or else opens its return.
 */
export async function routeEquipmentScan(kind: 'gtin' | 'serial', code: string): Promise<void> {
  const eq = useEquipment.getState();
  const onScreen = useCounter.getState().screen === 'equipment';
  if (!onScreen) eq.open();
  if (kind === 'gtin') {
    await useEquipment.getState().addByCode(code);
    return;
  }
  const s = useEquipment.getState();
  if (onScreen && s.tab === 'receive') {
    const serials = [...s.receive.serials, code.toUpperCase()];
    s.setReceive({ serials });
    return;
  }
  if (onScreen && s.tab === 'return' && s.panel === 'exchange' && !s.exchange.newSerial) {
    s.setExchange({ newSerial: code });
    return;
  }
  // On the order tab a serial belongs to the order being built: it never jumps to the Return tab.
  if (s.tab === 'order' && (await s.placeSerial(code))) return;
  if (onScreen && s.tab === 'order') {
    beep(440);
    useEquipment.setState({ orderError: `Scan the box barcode first; then the unit’s serial (${code}).` });
    return;
  }
  await s.lookupSerial(code);
}

export type { StockUnit, UnitView };

// A new customer (F1, sign-out) or another account opened: the order being built was for the one
// before; a new customer also ends the return flow.
useCounter.subscribe((s, prev) => {
  if (!prev.account || s.account?.accountNumber === prev.account.accountNumber) return;
  useEquipment.setState({ ...initialOrder, unreturned: null, ...(s.account ? {} : initialFlow) });
});
