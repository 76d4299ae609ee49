/**
 * Devices for the screens: the settings form (IT admin), the live device info, the port list, test
 * results, and the reprint queue with the no-sale drawer open. Everything goes through the host; the
 * form keeps a draft until Save.
 */
import { create } from 'zustand';

import type {
  DeviceTestResult,
  DevicesInfo,
  PrintQueueResult,
  QueuedReceipt,
  SerialPortInfo,
} from '../../../shared/api/channels/devices.js';
import type { DeviceSettings } from '../../../shared/devices/settings.js';
import { api, ApiError } from '../api/client.js';

export type DeviceKey = 'printer' | 'drawer' | 'scanner';

type DevicesStore = {
  saved: DeviceSettings | null;
  draft: DeviceSettings | null;
  info: DevicesInfo | null;
  ports: SerialPortInfo[];
  listError: string | null;
  loadError: string | null;
  saving: boolean;
  saveMessage: { ok: boolean; text: string } | null;
  fieldErrors: Record<string, string>;
  testing: DeviceKey | null;
  tests: Partial<Record<DeviceKey, DeviceTestResult>>;
  queue: QueuedReceipt[];
  queueLoaded: boolean;
  printing: boolean;
  queueResult: PrintQueueResult | null;
  queueError: string | null;

  load(): Promise<void>;
  loadPorts(): Promise<void>;
  edit(update: (draft: DeviceSettings) => DeviceSettings): void;
  revert(): void;
  save(): Promise<void>;
  test(device: DeviceKey): Promise<void>;
  loadQueue(): Promise<void>;
  printQueue(): Promise<void>;
  noSale(
    reason: string,
    approval?: { supervisorId: string; pin: string },
  ): Promise<{ ok: boolean; message: string; field?: string }>;
};

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const useDevices = create<DevicesStore>((set, get) => ({
  saved: null,
  draft: null,
  info: null,
  ports: [],
  listError: null,
  loadError: null,
  saving: false,
  saveMessage: null,
  fieldErrors: {},
  testing: null,
  tests: {},
  queue: [],
  queueLoaded: false,
  printing: false,
  queueResult: null,
  queueError: null,

  async load() {
    try {
      const { settings, info } = await api.call('devices.info', {});
      set({
        saved: settings,
        draft: structuredClone(settings),
        info,
        loadError: null,
        saveMessage: null,
        fieldErrors: {},
      });
    } catch (err) {
      set({ loadError: message(err) });
    }
    await get().loadPorts();
  },

  async loadPorts() {
    try {
      const { ports, listError } = await api.call('devices.ports', {});
      set({ ports, listError });
    } catch (err) {
      set({ ports: [], listError: message(err) });
    }
  },

  edit(update) {
    const draft = get().draft;
    if (!draft) return;
    set({ draft: update(structuredClone(draft)), saveMessage: null });
  },

  revert() {
    const saved = get().saved;
    set({ draft: saved ? structuredClone(saved) : null, fieldErrors: {}, saveMessage: null });
  },

  async save() {
    const draft = get().draft;
    if (!draft || get().saving) return;
    set({ saving: true, saveMessage: null, fieldErrors: {} });
    try {
      const { settings, info } = await api.call('devices.saveSettings', { settings: draft });
      set({
        saving: false,
        saved: settings,
        draft: structuredClone(settings),
        info,
        tests: {},
        saveMessage: { ok: true, text: 'Saved. The counter is connecting to the devices now.' },
      });
    } catch (err) {
      const fieldErrors: Record<string, string> = {};
      if (err instanceof ApiError) {
        if (err.field) fieldErrors[err.field.replace(/^settings\./, '')] = err.message;
        for (const d of err.details ?? []) fieldErrors[d.field.replace(/^settings\./, '')] = d.message;
      }
      set({ saving: false, fieldErrors, saveMessage: { ok: false, text: `Not saved: ${message(err)}` } });
    }
  },

  async test(device) {
    if (get().testing) return;
    set({ testing: device });
    try {
      const result = await api.call('devices.test', { device });
      set({ testing: null, tests: { ...get().tests, [device]: result } });
    } catch (err) {
      set({ testing: null, tests: { ...get().tests, [device]: { ok: false, message: message(err) } } });
    }
  },

  async loadQueue() {
    try {
      const { items } = await api.call('devices.reprintQueue', {});
      set({ queue: items, queueLoaded: true, queueError: null });
    } catch (err) {
      set({ queueError: message(err), queueLoaded: true });
    }
  },

  async printQueue() {
    if (get().printing) return;
    set({ printing: true, queueResult: null, queueError: null });
    try {
      const result = await api.call('devices.printQueue', {});
      set({ printing: false, queueResult: result });
    } catch (err) {
      set({ printing: false, queueError: message(err) });
    }
    await get().loadQueue();
  },

  async noSale(reason, approval) {
    try {
      const r = await api.call('devices.noSaleOpen', { reason, ...(approval ? { approval } : {}) });
      return { ok: r.opened, message: r.message };
    } catch (err) {
      return {
        ok: false,
        message: message(err),
        ...(err instanceof ApiError && err.field ? { field: err.field } : {}),
      };
    }
  },
}));

api.on('devices.changed', (info) => {
  if (useDevices.getState().saved) useDevices.setState({ info });
});
api.on('status.changed', (s) => {
  // Keep the queue screen current when receipts are queued or printed elsewhere.
  const { queueLoaded, queue } = useDevices.getState();
  if (queueLoaded && s.reprintQueue !== queue.length) void useDevices.getState().loadQueue();
});
