/** The returned-check screen's state: the search, the checks found, the reason picked, the outcome. */
import { create } from 'zustand';

import type { ReturnableCheck, ReturnRecorded } from '../../../../shared/api/channels/returns.js';
import type { ReturnReason } from '../../../../shared/domain/returns/rules.js';
import { api, ApiError } from '../../api/client.js';
import { useCounter } from '../../stores/counter.js';

type ReturnsStore = {
  query: string;
  checks: ReturnableCheck[];
  selected: number;
  reasons: ReturnReason[];
  reason: string;
  itemType: 'check' | 'echeck';
  busy: boolean;
  error: string | null;
  done: ReturnRecorded | null;
  open(query?: string): Promise<void>;
  setQuery(q: string): void;
  find(): Promise<void>;
  move(delta: number): void;
  setReason(code: string): void;
  setItemType(t: 'check' | 'echeck'): void;
  record(): Promise<void>;
};

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const useReturns = create<ReturnsStore>((set, get) => ({
  query: '',
  checks: [],
  selected: 0,
  reasons: [],
  reason: '',
  itemType: 'check',
  busy: false,
  error: null,
  done: null,
  async open(query) {
    const account = useCounter.getState().account;
    set({ query: query ?? account?.accountNumber ?? '', checks: [], selected: 0, error: null, done: null });
    useCounter.setState({ screen: 'returns' });
    try {
      const policy = await api.call('returns.policy', {});
      set({ reasons: policy.reasons, reason: get().reason || (policy.reasons[0]?.code ?? '') });
    } catch (err) {
      set({ error: message(err) });
    }
    if (get().query) await get().find();
  },
  setQuery(q) {
    set({ query: q, error: null, checks: [] });
  },
  async find() {
    set({ busy: true, error: null, done: null });
    try {
      const { checks } = await api.call('returns.find', { query: get().query });
      const first = checks.findIndex((c) => c.blocked === null);
      set({
        checks,
        selected: Math.max(0, first),
        error: checks.length ? null : 'No check payment found for that account, receipt or check number.',
      });
    } catch (err) {
      set({ error: message(err) });
    } finally {
      set({ busy: false });
    }
  },
  move(delta) {
    const n = get().checks.length;
    if (n) set({ selected: (get().selected + delta + n) % n });
  },
  setReason(code) {
    set({ reason: code, error: null });
  },
  setItemType(t) {
    set({ itemType: t });
  },
  async record() {
    const c = get().checks[get().selected];
    if (!c || get().busy) return;
    if (c.blocked) {
      set({ error: c.blocked });
      return;
    }
    set({ busy: true, error: null });
    try {
      const done = await api.call('returns.record', {
        transactionId: c.transactionId,
        tenderPosition: c.tenderPosition,
        reasonCode: get().reason,
        itemType: get().itemType,
      });
      set({ done });
      // The account panel shows the balance, the fee and the cash-only flag at once.
      useCounter.setState({ account: done.account });
    } catch (err) {
      set({ error: err instanceof ApiError || err instanceof Error ? err.message : message(err) });
    } finally {
      set({ busy: false });
    }
  },
}));
