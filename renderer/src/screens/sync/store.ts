/** The sync screen's state: the monitor as last fetched, the open tab and the enrollment form. */
import { create } from 'zustand';

import type { EnrollmentInfo, SyncMonitor } from '../../../../shared/api/channels/sync.js';
import { api, ApiError } from '../../api/client.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';

export type SyncTab = 'rejected' | 'queued' | 'sent' | 'enroll';
export const SYNC_TABS: SyncTab[] = ['rejected', 'queued', 'sent', 'enroll'];

type SyncStore = {
  monitor: SyncMonitor | null;
  /** When the monitor was fetched (ages and "next try in" are counted from it). */
  fetchedAt: number;
  error: string | null;
  tab: SyncTab;
  selected: number;
  expanded: string | null;
  syncing: boolean;
  serverUrl: string;
  code: string;
  enrolling: boolean;
  fieldErrors: Record<string, string>;
  enrolled: EnrollmentInfo | null;
  refresh(): Promise<void>;
  setTab(tab: SyncTab): void;
  move(delta: number): void;
  toggle(id: string): void;
  syncNow(): Promise<void>;
  setForm(patch: Partial<Pick<SyncStore, 'serverUrl' | 'code'>>): void;
  enroll(): Promise<void>;
};

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const useSync = create<SyncStore>((set, get) => ({
  monitor: null,
  fetchedAt: 0,
  error: null,
  tab: 'rejected',
  selected: 0,
  expanded: null,
  syncing: false,
  serverUrl: '',
  code: '',
  enrolling: false,
  fieldErrors: {},
  enrolled: null,

  async refresh() {
    try {
      const monitor = await api.call('sync.monitor', { limit: 100 });
      const first = get().monitor === null;
      set({
        monitor,
        fetchedAt: Date.now(),
        error: null,
        ...(first
          ? {
              tab:
                monitor.state === 'not_enrolled' ? 'enroll' : monitor.counts.rejected ? 'rejected' : 'queued',
              serverUrl: monitor.enrollment?.serverUrl ?? '',
            }
          : {}),
      });
    } catch (err) {
      set({ error: message(err) });
    }
  },

  setTab(tab) {
    set({ tab, selected: 0, expanded: null });
  },

  move(delta) {
    const { monitor, tab, selected } = get();
    const rows = tab === 'enroll' || !monitor ? [] : monitor[tab];
    if (rows.length === 0) return;
    set({ selected: Math.max(0, Math.min(rows.length - 1, selected + delta)) });
  },

  toggle(id) {
    set({ expanded: get().expanded === id ? null : id });
  },

  async syncNow() {
    if (get().syncing) return;
    set({ syncing: true });
    try {
      const r = await api.call('sync.pullNow', {});
      useCounter
        .getState()
        .notify(
          'info',
          r.changes
            ? `Synced: ${r.changes} changes from the server.`
            : 'Synced: nothing new from the server.',
        );
    } catch (err) {
      useCounter.getState().notify('error', message(err));
    } finally {
      set({ syncing: false });
      await get().refresh();
      void useSession.getState().refreshStatus();
    }
  },

  setForm(patch) {
    set({ ...patch, fieldErrors: {} });
  },

  async enroll() {
    const { serverUrl, code, enrolling } = get();
    if (enrolling) return;
    set({ enrolling: true, fieldErrors: {} });
    try {
      const enrolled = await api.call('sync.enroll', { serverUrl, code });
      set({ enrolling: false, enrolled, code: '' });
      useCounter
        .getState()
        .notify('info', `Enrolled with ${enrolled.serverUrl} for branch ${enrolled.branch}.`);
      await get().refresh();
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      const errors: Record<string, string> = {};
      if (e?.field) errors[e.field] = e.message;
      for (const d of e?.details ?? []) errors[d.field] = d.message;
      if (!Object.keys(errors).length) errors.form = message(err);
      set({ enrolling: false, fieldErrors: errors });
    }
  },
}));

/** Opens the sync monitor (Ctrl+S or the status bar's sync chip): supervisors and IT admins only. */
export function openSyncScreen(): void {
  const role = useSession.getState().state?.cashier?.role;
  if (role === 'supervisor' || role === 'admin') useCounter.setState({ screen: 'sync' });
  else
    useCounter
      .getState()
      .notify(
        'error',
        'The sync monitor is for a supervisor. The status bar shows Online or Offline and what is queued.',
      );
}
