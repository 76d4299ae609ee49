/**
 * Deposit screen state: the open account's deposits (interest to today, eligibility) and the last
 * required-deposit calculation. Every figure comes from the host; nothing is computed here.
 */
import { create } from 'zustand';

import type { Calculation, DepositAccount } from '../../../../shared/api/channels/deposits.js';
import { api, ApiError } from '../../api/client.js';
import { useCounter } from '../../stores/counter.js';

type DepositStore = {
  data: DepositAccount | null;
  calc: Calculation | null;
  bundle: string;
  /** The policy asks for a bundle (new service, too little history): these are its bundles. */
  bundles: string[];
  loading: boolean;
  error: string | null;
  load(accountNumber: string): Promise<void>;
  calculate(): Promise<Calculation | null>;
  setBundle(bundle: string): void;
  collect(part: 'full' | 'installment'): Promise<void>;
  reset(): void;
};

export const useDeposit = create<DepositStore>((set, get) => ({
  data: null,
  calc: null,
  bundle: '',
  bundles: [],
  loading: false,
  error: null,

  async load(accountNumber) {
    set({ loading: true, error: null });
    try {
      const data = await api.call('deposits.forAccount', { accountNumber });
      set({ data, loading: false, calc: get().data?.accountNumber === accountNumber ? get().calc : null });
    } catch (err) {
      set({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  },

  async calculate() {
    const account = useCounter.getState().account;
    if (!account) return null;
    const { bundle } = get();
    try {
      const calc = await api.call('deposits.calculate', {
        accountNumber: account.accountNumber,
        ...(bundle ? { bundle } : {}),
      });
      set({ calc, error: null, bundles: [] });
      return calc;
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      if (e?.field === 'bundle') {
        const policies = await api.call('deposits.policies', {});
        const inForce = policies.inForce.find((p) => p.accountClass === account.class);
        set({ bundles: inForce?.bundles ?? [], error: e.message, calc: null });
      } else set({ error: err instanceof Error ? err.message : String(err), calc: null });
      return null;
    }
  },

  setBundle(bundle) {
    set({ bundle });
    void get().calculate();
  },

  async collect(part) {
    const account = useCounter.getState().account;
    if (!account) return;
    const calc = get().calc ?? (await get().calculate());
    if (!calc) return;
    const amountCents = part === 'full' ? calc.collectFullCents : calc.collectInstallmentCents;
    if (!amountCents) {
      set({
        error:
          part === 'installment'
            ? 'No installment to collect: this deposit is collected in full (or only one part is left).'
            : 'Nothing to collect: the deposit is paid in full.',
      });
      return;
    }
    const { bundle } = get();
    const accountNumber = account.accountNumber;
    const next = calc.open?.outstanding[0] ?? calc.installments[0];
    useCounter.getState().collect({
      kind: 'custom',
      title: part === 'full' ? 'Security deposit' : 'Deposit installment',
      dueLabel:
        part === 'full'
          ? 'Deposit due'
          : `Installment due ${next?.dueWith === 'now' || !next ? 'now (down payment)' : `with ${next.dueWith}`}`,
      amountCents,
      lockAmount: true,
      back: 'deposit',
      submit: async (t) => {
        const result = await api.call('deposits.collect', {
          requestId: t.requestId,
          accountNumber,
          part,
          amountCents,
          tenders: t.tenders,
          confirmOvertenderCredit: t.confirmOvertenderCredit,
          ...(bundle ? { bundle } : {}),
        });
        set({ calc: null });
        void get().load(accountNumber);
        return result;
      },
    });
  },

  reset() {
    set({ data: null, calc: null, bundle: '', bundles: [], error: null, loading: false });
  },
}));
