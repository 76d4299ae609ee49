/**
 * The counter's screen state: which task is on screen, the open account, the payment draft and the
 * last result. Components read it; all arithmetic lives in shared/ (see payment/draft.ts).
 */
import { create } from 'zustand';

import type { ZReport } from '../../../shared/api/channels/till.js';
import type { PostPaymentOutput, Today } from '../../../shared/api/contract.js';
import type {
  AccountDetail,
  AccountSummary,
  PaymentSummary,
  Receipt,
  Tender,
  TenderType,
} from '../../../shared/api/schemas.js';
import type { PrepayReason } from '../../../shared/domain/overpay.js';
import { centsToInput, parseAmount, subCents } from '../../../shared/money.js';
import { api, ApiError } from '../api/client.js';
import { useTill } from './till.js';
import {
  evaluateDraft,
  newTenderDraft,
  type FieldErrors,
  type TenderDraft,
} from '../screens/payment/draft.js';

export type Screen =
  | 'lookup'
  | 'payment'
  | 'done'
  | 'today'
  | 'receipt'
  | 'tillMenu'
  | 'drop'
  | 'paidOut'
  | 'refund'
  | 'void'
  | 'closeTill'
  | 'tills'
  | 'zreport'
  | 'devices'
  | 'reprintQueue'
  | 'sync'
  | 'deposit'
  | 'depositRefund'
  | 'depositFinal'
  | 'depositAdmin'
  | 'equipment'
  | 'adjustments'
  | 'returns';

/** Screens with steps of their own (e.g. the equipment return flow) take Esc first: true = handled. */
export const screenBack: Partial<Record<Screen, () => boolean>> = {};

type Toast = { kind: 'info' | 'error'; text: string; at: number };

type TenderedInput = {
  requestId: string;
  amountCents: number;
  tenders: Tender[];
  confirmOvertenderCredit: boolean;
};

/** Which confirmation the dialog asks for: a non-cash over-tender, or an amount above what is owed. */
type AskKind = 'overtender' | 'creditBalance';

/**
 * What the payment screen collects money for. A bill payment by default; other screens (deposits,
 * equipment orders) hand it a purpose with their own title, amount and the call that posts it. The
 * tenders, change due, keys and receipt are the same for all of them.
 */
export type PaymentPurpose =
  | { kind: 'bill' }
  | {
      kind: 'custom';
      /** "Deposit", "Equipment order" … */
      title: string;
      dueLabel: string;
      amountCents: number;
      /** The amount is set by the task (an installment, an order total), not typed. */
      lockAmount: boolean;
      submit(input: TenderedInput): Promise<PostPaymentOutput>;
      /** Where Esc goes from the payment screen. */
      back: Screen;
    };

const BILL: PaymentPurpose = { kind: 'bill' };

type CounterStore = {
  screen: Screen;
  query: string;
  results: AccountSummary[];
  searching: boolean;
  searchError: string | null;
  selected: number;
  account: AccountDetail | null;
  amount: string;
  tenders: TenderDraft[];
  requestId: string;
  fieldErrors: FieldErrors;
  formError: string | null;
  confirmCredit: boolean;
  /** The CSR confirmed that the amount above what is owed is credit on the account, not change. */
  confirmCreditBalance: boolean;
  prepayReason: PrepayReason | '';
  askCredit: string | null;
  askKind: AskKind;
  posting: boolean;
  result: PostPaymentOutput | null;
  receipt: Receipt | null;
  today: Today | null;
  todaySelected: number;
  purpose: PaymentPurpose;
  voidTarget: PaymentSummary | null;
  zReport: ZReport | null;
  toast: Toast | null;

  setQuery(q: string): void;
  search(q: string): Promise<void>;
  moveSelection(delta: number): void;
  openAccount(accountNumber: string, amountDueCents?: number): Promise<void>;
  /** Opens the payment screen to collect money for another task (deposit, order) on the open account. */
  collect(purpose: Extract<PaymentPurpose, { kind: 'custom' }>): void;
  /** Reloads the open account without leaving the current screen. */
  openAccountQuiet(accountNumber: string): Promise<void>;
  setAmount(v: string): void;
  setPrepayReason(v: PrepayReason | ''): void;
  addTender(type: TenderType): void;
  updateTender(key: number, patch: Partial<TenderDraft>): void;
  removeTender(key: number): void;
  post(): Promise<void>;
  answerCredit(yes: boolean): void;
  newCustomer(): void;
  back(): void;
  showToday(): Promise<void>;
  showReceipt(receiptNumber: string): Promise<void>;
  reprint(receiptNumber?: string): Promise<void>;
  notify(kind: Toast['kind'], text: string): void;
  reset(): void;
};

const initial = {
  screen: 'lookup' as Screen,
  query: '',
  results: [],
  searching: false,
  searchError: null,
  selected: 0,
  account: null,
  amount: '',
  tenders: [],
  requestId: crypto.randomUUID(),
  fieldErrors: {},
  formError: null,
  confirmCredit: false,
  confirmCreditBalance: false,
  prepayReason: '' as PrepayReason | '',
  askCredit: null,
  askKind: 'overtender' as AskKind,
  posting: false,
  result: null,
  receipt: null,
  today: null,
  todaySelected: 0,
  purpose: BILL,
  voidTarget: null,
  zReport: null,
  toast: null,
};

let searchSeq = 0;

export const useCounter = create<CounterStore>((set, get) => ({
  ...initial,

  setQuery(q) {
    set({ query: q });
    void get().search(q);
  },

  async search(q) {
    const seq = ++searchSeq;
    if (q.trim().length === 0) {
      set({ results: [], searching: false, searchError: null, selected: 0 });
      return;
    }
    set({ searching: true });
    try {
      const { results } = await api.call('accounts.search', { query: q, limit: 20 });
      if (seq === searchSeq) set({ results, searching: false, searchError: null, selected: 0 });
    } catch (err) {
      if (seq === searchSeq)
        set({ results: [], searching: false, searchError: err instanceof Error ? err.message : String(err) });
    }
  },

  moveSelection(delta) {
    const { results, selected } = get();
    if (results.length === 0) return;
    set({ selected: Math.max(0, Math.min(results.length - 1, selected + delta)) });
  },

  async openAccount(accountNumber, amountDueCents) {
    try {
      const account = await api.call('accounts.get', { accountNumber });
      const due = amountDueCents ?? account.amountDueCents;
      set({
        account,
        screen: 'payment',
        purpose: BILL,
        amount: due > 0 ? centsToInput(due) : '',
        tenders: [],
        requestId: crypto.randomUUID(),
        fieldErrors: {},
        formError: null,
        confirmCredit: false,
        confirmCreditBalance: false,
        prepayReason: '',
        askCredit: null,
        result: null,
      });
    } catch (err) {
      get().notify('error', err instanceof Error ? err.message : String(err));
    }
  },

  collect(purpose) {
    set({
      purpose,
      screen: 'payment',
      amount: centsToInput(purpose.amountCents),
      tenders: [],
      requestId: crypto.randomUUID(),
      fieldErrors: {},
      formError: null,
      confirmCredit: false,
      confirmCreditBalance: false,
      prepayReason: '',
      askCredit: null,
      result: null,
    });
  },

  async openAccountQuiet(accountNumber) {
    try {
      set({ account: await api.call('accounts.get', { accountNumber }) });
    } catch {
      // the screen keeps what it had
    }
  },

  setAmount(v) {
    set({
      amount: v,
      fieldErrors: { ...get().fieldErrors, amountCents: '' },
      formError: null,
      confirmCredit: false,
      confirmCreditBalance: false,
    });
  },

  setPrepayReason(v) {
    set({ prepayReason: v, fieldErrors: { ...get().fieldErrors, prepayReason: '' }, formError: null });
  },

  addTender(type) {
    const { tenders, amount, account } = get();
    if (tenders.length >= 8) return;
    if (type === 'check' && account?.cashOnly) {
      set({
        // The account's reason says why and until when (a returned check names both).
        formError:
          `This account is cash only: we cannot take a check. Cash, card or money order are fine. ${account.cashOnlyReason ?? ''}`.trim(),
      });
      return;
    }
    // A new tender starts with what is still due.
    const dueText = remainingText(amount, tenders);
    set({ tenders: [...tenders, newTenderDraft(type, dueText)], formError: null, confirmCredit: false });
  },

  updateTender(key, patch) {
    set({
      tenders: get().tenders.map((t) => (t.key === key ? { ...t, ...patch } : t)),
      formError: null,
      confirmCredit: false,
    });
  },

  removeTender(key) {
    set({ tenders: get().tenders.filter((t) => t.key !== key), formError: null, fieldErrors: {} });
  },

  async post() {
    const s = get();
    if (!s.account || s.posting) return;
    const ev = evaluateDraft(s.amount, s.tenders, s.account.cashOnly, s.confirmCredit, owedOf(s));
    const errors = Object.fromEntries(Object.entries(ev.errors).filter(([, v]) => v));
    if (Object.keys(errors).length || ev.amountCents === null) {
      set({ fieldErrors: errors, formError: 'Fix the fields marked in red.' });
      return;
    }
    if (s.tenders.length === 0) {
      set({ formError: 'Choose a tender: F2 Cash, F3 Check, F4 Card, F5 Money order.' });
      return;
    }
    if (ev.overpay?.code === 'PREPAY_NEEDS_REASON') {
      set({ fieldErrors: { prepayReason: ev.overpay.message }, formError: ev.overpay.message });
      return;
    }
    if (ev.overpay?.code === 'CREDIT_NEEDS_CONFIRMATION') {
      set({ askCredit: ev.overpay.message, askKind: 'creditBalance' });
      return;
    }
    if (ev.settleCode === 'OVERTENDER_NEEDS_CONFIRMATION') {
      set({ askCredit: ev.settleError, askKind: 'overtender' });
      return;
    }
    if (ev.settleError) {
      set({ formError: ev.settleError, fieldErrors: {} });
      return;
    }
    set({ posting: true, formError: null, fieldErrors: {} });
    try {
      const tendered = {
        requestId: s.requestId,
        amountCents: ev.amountCents,
        tenders: ev.tenders,
        confirmOvertenderCredit: s.confirmCredit,
      };
      const result =
        s.purpose.kind === 'custom'
          ? await s.purpose.submit(tendered)
          : await api.call('payments.post', {
              ...tendered,
              accountNumber: s.account.accountNumber,
              confirmCreditBalance: s.confirmCreditBalance,
              ...(s.prepayReason ? { prepayReason: s.prepayReason } : {}),
            });
      set({
        posting: false,
        result,
        account: result.account,
        receipt: result.receipt,
        screen: 'done',
        requestId: crypto.randomUUID(),
      });
      void useTill.getState().refresh();
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      if (e?.code === 'OVERTENDER_NEEDS_CONFIRMATION' || e?.code === 'CREDIT_NEEDS_CONFIRMATION') {
        const askKind = e.code === 'OVERTENDER_NEEDS_CONFIRMATION' ? 'overtender' : 'creditBalance';
        set({ posting: false, askCredit: e.message, askKind });
        return;
      }
      const fieldErrors: FieldErrors = {};
      if (e?.field) fieldErrors[e.field] = e.message;
      for (const d of e?.details ?? []) fieldErrors[d.field] = d.message;
      set({ posting: false, formError: err instanceof Error ? err.message : String(err), fieldErrors });
    }
  },

  answerCredit(yes) {
    if (get().askKind === 'creditBalance') set({ askCredit: null, confirmCreditBalance: yes });
    else set({ askCredit: null, confirmCredit: yes });
    if (yes) void get().post();
  },

  newCustomer() {
    set({ ...initial, requestId: crypto.randomUUID(), toast: get().toast });
  },

  back() {
    const { screen, tenders, askCredit, account } = get();
    if (askCredit) {
      set({ askCredit: null });
      return;
    }
    if (screenBack[screen]?.()) return;
    if (screen === 'payment' && tenders.length > 0) {
      set({ tenders: tenders.slice(0, -1), formError: null, fieldErrors: {} });
      return;
    }
    const toWork: Screen = account ? 'payment' : 'lookup';
    const purpose = get().purpose;
    if (screen === 'payment' && purpose.kind === 'custom') {
      const due = account?.amountDueCents ?? 0;
      set({ screen: purpose.back, purpose: BILL, amount: due > 0 ? centsToInput(due) : '' });
      return;
    }
    switch (screen) {
      case 'receipt':
        set({ screen: get().today ? 'today' : toWork });
        return;
      case 'drop':
      case 'paidOut':
      case 'refund':
      case 'closeTill':
      case 'tills':
        set({ screen: 'tillMenu' });
        return;
      case 'void':
        set({ screen: 'today', voidTarget: null });
        return;
      case 'zreport':
        set({ screen: 'tillMenu' });
        return;
      case 'tillMenu':
      case 'today':
        set({ screen: toWork, today: null });
        return;
      case 'sync':
      case 'deposit':
        set({ screen: toWork });
        return;
      case 'depositRefund':
      case 'depositFinal':
        set({ screen: 'deposit' });
        return;
      case 'depositAdmin':
        set({ screen: account ? 'deposit' : 'lookup' });
        return;
      case 'equipment': {
        const due = account?.amountDueCents ?? 0;
        set({ screen: toWork, purpose: BILL, tenders: [], amount: due > 0 ? centsToInput(due) : '' });
        return;
      }
      default:
        get().newCustomer();
    }
  },

  async showToday() {
    try {
      set({ today: await api.call('payments.today', {}), screen: 'today', todaySelected: 0 });
    } catch (err) {
      get().notify('error', err instanceof Error ? err.message : String(err));
    }
  },

  async showReceipt(receiptNumber) {
    try {
      set({ receipt: await api.call('receipts.get', { receiptNumber }), screen: 'receipt' });
    } catch (err) {
      get().notify('error', err instanceof Error ? err.message : String(err));
    }
  },

  async reprint(receiptNumber) {
    try {
      const receipt = await api.call('receipts.reprint', receiptNumber ? { receiptNumber } : {});
      set({ receipt, screen: get().screen === 'done' ? 'done' : 'receipt' });
      get().notify(
        receipt.printed ? 'info' : 'error',
        receipt.printed
          ? `Reprinted ${receipt.receiptNumber} (DUPLICATE).`
          : `Not printed: ${receipt.printError ?? 'printer error'}. It is in the reprint queue.`,
      );
    } catch (err) {
      get().notify('error', err instanceof Error ? err.message : String(err));
    }
  },

  notify(kind, text) {
    set({ toast: { kind, text, at: Date.now() } });
  },

  reset() {
    set({ ...initial, requestId: crypto.randomUUID() });
  },
}));

function remainingText(amount: string, tenders: TenderDraft[]): string {
  const cents = (text: string): number => {
    const parsed = parseAmount(text);
    return parsed.ok ? parsed.cents : 0;
  };
  const left = subCents(cents(amount), ...tenders.map((t) => cents(t.amount)));
  return left > 0 ? centsToInput(left) : '';
}

/** What a bill payment is checked against: the balance owed (other purposes have their own rules). */
export function owedOf(
  s: Pick<CounterStore, 'purpose' | 'account' | 'confirmCreditBalance' | 'prepayReason'>,
) {
  if (s.purpose.kind !== 'bill' || !s.account) return null;
  return {
    owedCents: s.account.balanceCents,
    answers: {
      confirmCreditBalance: s.confirmCreditBalance,
      prepayReason: s.prepayReason || undefined,
    },
  };
}
