import { create } from 'zustand';

import type { SessionState } from '../../../shared/api/contract.js';
import type { Status } from '../../../shared/api/status.js';
import { api } from '../api/client.js';

type SessionStore = {
  state: SessionState | null;
  status: Status | null;
  connected: boolean;
  load(): Promise<void>;
  setState(state: SessionState): void;
  setStatus(status: Status): void;
  refreshStatus(): Promise<void>;
  signOut(): Promise<void>;
};

export const useSession = create<SessionStore>((set, get) => ({
  state: null,
  status: null,
  connected: true,
  async load() {
    try {
      set({ state: await api.call('session.state', {}) });
    } catch {
      // The host went away meanwhile: the page shows it, and loads again once it reconnects.
    }
  },
  setState(state) {
    set({ state });
  },
  setStatus(status) {
    set({ status });
  },
  async refreshStatus() {
    if (!get().state?.cashier) return;
    try {
      set({ status: await api.call('status.get', {}) });
    } catch {
      // signed out meanwhile: the session listener handles it
    }
  },
  async signOut() {
    set({ state: await api.call('session.signOut', {}), status: null });
  },
}));

api.on('session.changed', (s) => useSession.getState().setState(s));
api.on('status.changed', (s) => useSession.getState().setStatus(s));
api.onConnection((up) => {
  useSession.setState({ connected: up });
  if (up) void useSession.getState().load();
});
