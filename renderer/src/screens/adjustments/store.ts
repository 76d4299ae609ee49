/**
 * Adjustments screen state: the open account's reasons, bill lines, open items, adjustments and
 * back-bill plans; the adjustment being entered (an outage credit's figure comes from the shared rule
 * and is confirmed by the host); the back-bill plan previewed by the host; the day's report.
 */
import { create } from 'zustand';

import type { ChannelOutput } from '../../../../shared/api/contract.js';
import type { BackBillCharge } from '../../../../shared/domain/back-billing.js';
import { api, ApiError } from '../../api/client.js';
import type { ApprovalDraft } from '../../components/ApprovalFields.js';
import { withApproval } from '../../components/ApprovalFields.js';
import { screenBack, useCounter } from '../../stores/counter.js';

type AccountData = ChannelOutput<'adjustments.account'>;
type Preview = ChannelOutput<'backBilling.preview'>;
type Report = ChannelOutput<'adjustments.report'>;
type Letter = ChannelOutput<'backBilling.letter'>;

export type Mode = 'adjust' | 'backBill' | 'report';

export type Draft = {
  reasonCode: string;
  direction: 'credit' | 'debit';
  amount: string;
  billLineId: string;
  daysOut: string;
  month: string;
  itemId: string;
  memo: string;
  approval: ApprovalDraft;
};

type Store = {
  mode: Mode;
  data: AccountData | null;
  draft: Draft;
  needsApproval: boolean;
  error: string | null;
  errors: Record<string, string>;
  posted: string | null;
  jurisdiction: string;
  charges: BackBillCharge[];
  preview: Preview | null;
  letter: Letter | null;
  report: Report | null;
  open(mode?: Mode): Promise<void>;
  setMode(mode: Mode): Promise<void>;
  edit(patch: Partial<Draft>): void;
  post(): Promise<void>;
  setCharge(i: number, patch: Partial<BackBillCharge>): void;
  previewPlan(): Promise<void>;
  postPlan(): Promise<void>;
};

const EMPTY: Draft = {
  reasonCode: 'outage_credit',
  direction: 'credit',
  amount: '',
  billLineId: '',
  daysOut: '',
  month: '',
  itemId: '',
  memo: '',
  approval: { supervisorId: '', pin: '' },
};

const CHARGE: BackBillCharge = {
  description: '',
  category: 'basic_local',
  fromMonth: '',
  toMonth: '',
  amountPerPeriodCents: 0,
  customerCaused: false,
};

let requestId = crypto.randomUUID();

function fail(err: unknown): Pick<Store, 'error' | 'errors'> {
  if (err instanceof ApiError) {
    const errors: Record<string, string> = {};
    for (const d of err.details ?? []) errors[d.field] = d.message;
    if (err.field) errors[err.field] = err.message;
    return { error: err.message, errors };
  }
  return { error: err instanceof Error ? err.message : String(err), errors: {} };
}

export const useAdjustments = create<Store>((set, get) => ({
  mode: 'adjust',
  data: null,
  draft: EMPTY,
  needsApproval: false,
  error: null,
  errors: {},
  posted: null,
  jurisdiction: '',
  charges: [{ ...CHARGE }],
  preview: null,
  letter: null,
  report: null,

  async open(mode = 'adjust') {
    useCounter.setState({ screen: 'adjustments' });
    set({ mode, error: null, errors: {}, posted: null, letter: null, preview: null });
    await get().setMode(mode);
  },

  async setMode(mode) {
    set({ mode, error: null, errors: {} });
    try {
      if (mode === 'report') {
        set({ report: await api.call('adjustments.report', {}) });
        return;
      }
      const account = useCounter.getState().account;
      if (!account) return;
      const data = await api.call('adjustments.account', { accountNumber: account.accountNumber });
      const line = data.billLines[0];
      set({
        data,
        jurisdiction: get().jurisdiction || (data.backBillPolicies[0]?.jurisdiction ?? ''),
        draft: {
          ...get().draft,
          billLineId: get().draft.billLineId || (line?.id ?? ''),
          month: get().draft.month || data.today.slice(0, 7),
          itemId: get().draft.itemId || (data.openItems[0]?.id ?? ''),
        },
      });
    } catch (err) {
      set(fail(err));
    }
  },

  edit(patch) {
    set({ draft: { ...get().draft, ...patch }, error: null, errors: {} });
  },

  async post() {
    const { draft, data } = get();
    const account = useCounter.getState().account;
    if (!account || !data) return;
    const reason = data.policy.reasons.find((r) => r.code === draft.reasonCode);
    const cents = Math.round(Number(draft.amount) * 100);
    try {
      const r = await api.call('adjustments.post', {
        requestId,
        accountNumber: account.accountNumber,
        direction: draft.direction,
        reasonCode: draft.reasonCode,
        ...(reason?.outage
          ? { outage: { billLineId: draft.billLineId, daysOut: Number(draft.daysOut), month: draft.month } }
          : { amountCents: cents }),
        itemId: draft.itemId || null,
        memo: draft.memo,
        ...withApproval(draft.approval),
      });
      requestId = crypto.randomUUID();
      set({ posted: r.working, draft: { ...EMPTY, month: draft.month }, needsApproval: false });
      useCounter.setState({
        account: await api.call('accounts.get', { accountNumber: account.accountNumber }),
      });
      await get().setMode('adjust');
    } catch (err) {
      set({
        ...fail(err),
        needsApproval:
          err instanceof ApiError && err.code === 'NEEDS_SUPERVISOR' ? true : get().needsApproval,
      });
    }
  },

  setCharge(i, patch) {
    const charges = get().charges.map((c, j) => (j === i ? { ...c, ...patch } : c));
    set({ charges, preview: null, error: null, errors: {} });
  },

  async previewPlan() {
    const account = useCounter.getState().account;
    if (!account) return;
    try {
      const preview = await api.call('backBilling.preview', {
        accountNumber: account.accountNumber,
        jurisdiction: get().jurisdiction,
        charges: get().charges,
      });
      set({ preview, error: preview.ok ? null : preview.message });
    } catch (err) {
      set(fail(err));
    }
  },

  async postPlan() {
    const { preview } = get();
    const account = useCounter.getState().account;
    if (!account || !preview?.ok) return;
    try {
      const r = await api.call('backBilling.post', {
        requestId,
        accountNumber: account.accountNumber,
        jurisdiction: get().jurisdiction,
        charges: get().charges,
        installments: preview.plan.installments.map((i) => i.cents),
      });
      requestId = crypto.randomUUID();
      set({ letter: r.letter, preview: null, charges: [{ ...CHARGE }] });
      useCounter.setState({
        account: await api.call('accounts.get', { accountNumber: account.accountNumber }),
      });
      await get().setMode('backBill');
    } catch (err) {
      set(fail(err));
    }
  },
}));

screenBack.adjustments = () => {
  const account = useCounter.getState().account;
  useCounter.setState({ screen: account ? 'payment' : 'lookup' });
  return true;
};
