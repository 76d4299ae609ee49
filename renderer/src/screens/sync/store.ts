/** The sync screen's state: the monitor as last fetched, the open tab, held events' retry / resolve and the enrollment form. */
import { create } from 'zustand';

import type { EnrollmentInfo, SyncMonitor } from '../../../../shared/api/channels/sync.js';
import { api, ApiError } from '../../api/client.js';
import { screenBack, useCounter } from '../../stores/counter.js';
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
  /** The "mark resolved" form of a held event: its reason, as typed. */
  resolving: { id: string; seq: number; reason: string; error: string | null; busy: boolean } | null;
  refresh(): Promise<void>;
  /** Sends a held event again (the server was fixed). */
  retry(id: string): Promise<void>;
  startResolve(id: string): void;
  setReason(reason: string): void;
  submitResolve(): Promise<void>;
  cancelResolve(): void;
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
  resolving: null,

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
    set({ tab, selected: 0, expanded: null, resolving: null });
  },

  async retry(id) {
    const row = get().monitor?.rejected.find((r) => r.id === id);
    if (!row || row.resolution) return;
    try {
      const r = await api.call('sync.retryHeld', { id });
      useCounter
        .getState()
        .notify(
          'info',
          `Event #${row.seq} is sent again as #${r.retrySeq}: it posts once the server takes it.`,
        );
    } catch (err) {
      useCounter.getState().notify('error', message(err));
    }
    await get().refresh();
    void useSession.getState().refreshStatus();
  },

  startResolve(id) {
    const row = get().monitor?.rejected.find((r) => r.id === id);
    if (!row || row.resolution) return;
    set({ resolving: { id, seq: row.seq, reason: '', error: null, busy: false } });
  },

  setReason(reason) {
    const r = get().resolving;
    if (r) set({ resolving: { ...r, reason, error: null } });
  },

  async submitResolve() {
    const r = get().resolving;
    if (!r || r.busy) return;
    set({ resolving: { ...r, busy: true, error: null } });
    try {
      await api.call('sync.resolveHeld', { id: r.id, reason: r.reason });
      set({ resolving: null });
      useCounter.getState().notify('info', `Event #${r.seq} is marked resolved.`);
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      const text = e?.details?.find((d) => d.field === 'reason')?.message ?? message(err);
      set({ resolving: { ...r, busy: false, error: text } });
      return;
    }
    await get().refresh();
    void useSession.getState().refreshStatus();
  },

  cancelResolve() {
    set({ resolving: null });
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

// Esc closes the "mark resolved" form before it leaves the screen.
screenBack.sync = (): boolean => {
  if (!useSync.getState().resolving) return false;
  useSync.getState().cancelResolve();
  return true;
};

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
