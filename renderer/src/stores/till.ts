/**
 * Till state for the screens: the till policy (currency denominations, limits), the cashier's open till,
 * and the supervisor's view. Posting goes through the host; nothing is computed here but display sums.
 */
import { create } from 'zustand';

import type { ChannelOutput } from '../../../shared/api/contract.js';
import type { TillSummary } from '../../../shared/api/channels/till.js';
import { api } from '../api/client.js';

type TillConfig = ChannelOutput<'till.config'>;

type TillStore = {
  config: TillConfig | null;
  current: TillSummary | null;
  loaded: boolean;
  load(): Promise<void>;
  refresh(): Promise<void>;
  setCurrent(t: TillSummary | null): void;
};

export const useTill = create<TillStore>((set) => ({
  config: null,
  current: null,
  loaded: false,
  async load() {
    const [config, current] = await Promise.all([api.call('till.config', {}), api.call('till.current', {})]);
    set({ config, current, loaded: true });
  },
  async refresh() {
    set({ current: await api.call('till.current', {}) });
  },
  setCurrent(current) {
    set({ current });
  },
}));

/** Field errors of an ApiError, keyed by field (details included). */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const e = err as { field?: string; message?: string; details?: { field: string; message: string }[] };
  const out: Record<string, string> = {};
  if (e.field && e.message) out[e.field] = e.message;
  for (const d of e.details ?? []) out[d.field] = d.message;
  return out;
}
