/**
 * The Equipment screen's return flow for a scanned serial: the unit looked up, the return quoted and
 * taken, an exchange quoted and taken (through the tender screen when something is due), a line or
 * device test ordered and its result recorded.
 */
import { formatMoney } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { beep } from '../../app/feedback.js';
import { approvalOrUndefined } from '../../components/ApprovalFields.js';
import { useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { fieldErrorsOf, useTill } from '../../stores/till.js';
import {
  account,
  flowErrorsOf,
  initialFlow,
  message,
  refundHeadline,
  type Get,
  type Posted,
  type Set,
  type Store,
} from './state.js';

export type FlowActions = Pick<
  Store,
  | 'setSerialInput'
  | 'lookupSerial'
  | 'setCondition'
  | 'setRefundMethod'
  | 'setApproval'
  | 'requote'
  | 'takeReturn'
  | 'openPanel'
  | 'setExchange'
  | 'quoteExchange'
  | 'takeExchange'
  | 'setTicket'
  | 'openTicket'
  | 'recordResult'
  | 'clearFlow'
>;

export function flowActions(set: Set, get: Get): FlowActions {
  const showPosted = (posted: Posted): void => {
    set({ posted, busy: false, flowError: null, flowErrors: {}, panel: 'none' });
    void useTill.getState().refresh();
    void useSession.getState().refreshStatus();
    const acct = account();
    if (acct) void useCounter.getState().openAccountQuiet(acct.accountNumber);
  };

  return {
    setSerialInput(v) {
      set({ serialInput: v, lookupError: null });
    },

    async lookupSerial(serial) {
      const code = serial.trim();
      if (!code) return;
      set({ ...initialFlow, serialInput: code, tab: 'return' });
      try {
        const found = await api.call('equipment.lookupSerial', { serial: code });
        set({ lookup: found, serialInput: found.serial });
        const unit = found.unit;
        if (unit && !unit.returnedOn) {
          if (account()?.accountNumber !== unit.accountNumber)
            await useCounter.getState().openAccountQuiet(unit.accountNumber);
          await get().requote();
        }
      } catch (err) {
        beep(440);
        set({ lookupError: message(err) });
      }
    },

    setCondition(condition) {
      set({ condition });
      void get().requote();
      if (get().panel === 'exchange') void get().quoteExchange();
    },

    setRefundMethod(refundMethod) {
      set({ refundMethod, flowErrors: {}, flowError: null });
    },

    setApproval(approval) {
      set({ approval });
    },

    async requote() {
      const unit = get().lookup?.unit;
      if (!unit || unit.returnedOn) return;
      try {
        const r = await api.call('equipment.returnQuote', {
          accountNumber: unit.accountNumber,
          assignmentId: unit.id,
          condition: get().condition,
          supervisorOverride: false,
        });
        set({ quote: r.quote, flowError: null, flowErrors: {} });
      } catch (err) {
        set({ quote: null, flowError: message(err), flowErrors: fieldErrorsOf(err) });
      }
    },

    async takeReturn() {
      const s = get();
      const unit = s.lookup?.unit;
      if (!unit || unit.returnedOn || s.busy) return;
      set({ busy: true, flowError: null, flowErrors: {} });
      try {
        const approval = approvalOrUndefined(s.approval);
        const r = await api.call('equipment.return', {
          requestId: crypto.randomUUID(),
          accountNumber: unit.accountNumber,
          assignmentId: unit.id,
          condition: s.condition,
          refundMethod: s.refundMethod,
          ...(approval ? { approval } : {}),
        });
        const net = r.quote.netCents;
        showPosted({
          kind: 'return',
          title: `${unit.name} returned`,
          receipt: r.receipt,
          invoice: r.invoice,
          headline:
            net > 0
              ? refundHeadline(net, s.refundMethod)
              : net < 0
                ? `${formatMoney(-net)} charged to the account`
                : 'Nothing to pay or refund',
          drawerOpened: r.drawerOpened,
        });
        set({ lookup: null, quote: null });
      } catch (err) {
        set({ busy: false, ...flowErrorsOf(err) });
      }
    },

    openPanel(panel) {
      const unit = get().lookup?.unit;
      set({ panel, flowError: null, flowErrors: {} });
      if (panel === 'exchange' && unit) {
        set({ exchange: { newSku: unit.sku, newSerial: '', goodwill: false, quote: null } });
        void get().quoteExchange();
      }
      if (panel === 'ticket') set({ ticket: { testKind: unit ? 'device' : 'line', symptom: '' } });
    },

    setExchange(patch) {
      set({ exchange: { ...get().exchange, ...patch }, flowErrors: {}, flowError: null });
      if ('newSku' in patch || 'goodwill' in patch) void get().quoteExchange();
    },

    async quoteExchange() {
      const unit = get().lookup?.unit;
      const ex = get().exchange;
      if (!unit || !ex.newSku) return;
      try {
        const r = await api.call('equipment.exchangeQuote', {
          accountNumber: unit.accountNumber,
          assignmentId: unit.id,
          condition: get().condition,
          newSku: ex.newSku,
          goodwill: ex.goodwill,
        });
        set({ exchange: { ...get().exchange, quote: r.quote }, flowError: null });
      } catch (err) {
        set({
          exchange: { ...get().exchange, quote: null },
          flowError: message(err),
          flowErrors: fieldErrorsOf(err),
        });
      }
    },

    async takeExchange() {
      const s = get();
      const unit = s.lookup?.unit;
      const q = s.exchange.quote;
      if (!unit || !q || s.busy) return;
      const item = s.catalog.find((c) => c.item.sku === s.exchange.newSku)?.item;
      if (item?.serialized && !s.exchange.newSerial.trim()) {
        set({ flowErrors: { newSerial: `Scan the serial of the replacement ${item.name}.` } });
        return;
      }
      const approval = approvalOrUndefined(s.approval);
      const input = {
        accountNumber: unit.accountNumber,
        assignmentId: unit.id,
        condition: s.condition,
        newSku: s.exchange.newSku,
        ...(s.exchange.newSerial.trim() ? { newSerial: s.exchange.newSerial.trim() } : {}),
        goodwill: s.exchange.goodwill,
        refundMethod: s.refundMethod,
        expectedDueCents: q.dueNowCents - q.refundCents,
        ...(approval ? { approval } : {}),
      };
      const title = `${unit.name} exchanged`;
      if (q.dueNowCents > 0) {
        useCounter.getState().collect({
          kind: 'custom',
          title: 'Equipment exchange',
          dueLabel: 'Due for the exchange',
          amountCents: q.dueNowCents,
          lockAmount: true,
          back: 'equipment',
          submit: async (tendered) => {
            const r = await api.call('equipment.exchange', {
              ...input,
              requestId: tendered.requestId,
              tenders: tendered.tenders,
              confirmOvertenderCredit: tendered.confirmOvertenderCredit,
            });
            set({ ...initialFlow, tab: 'return' });
            return r;
          },
        });
        return;
      }
      set({ busy: true, flowError: null, flowErrors: {} });
      try {
        const r = await api.call('equipment.exchange', {
          ...input,
          requestId: crypto.randomUUID(),
          tenders: [],
        });
        showPosted({
          kind: 'exchange',
          title: `${title}: replacement ${r.units[0]?.serial ?? ''} handed over`,
          receipt: r.receipt,
          invoice: r.invoice,
          headline:
            r.quote.refundCents > 0
              ? refundHeadline(r.quote.refundCents, s.refundMethod)
              : r.quote.feeCents > 0
                ? `${formatMoney(r.quote.feeCents)} charged to the account`
                : 'No charge',
          drawerOpened: r.drawerOpened,
        });
        set({ lookup: null, quote: null });
      } catch (err) {
        set({ busy: false, ...flowErrorsOf(err) });
      }
    },

    setTicket(patch) {
      set({ ticket: { ...get().ticket, ...patch }, flowErrors: {}, flowError: null });
    },

    async openTicket() {
      const s = get();
      const acct = s.lookup?.unit?.accountNumber ?? account()?.accountNumber;
      if (!acct) {
        set({ flowError: 'Open the customer’s account first (F1).' });
        return;
      }
      try {
        const unit = s.lookup?.unit;
        await api.call('equipment.troubleTicket', {
          action: 'open',
          accountNumber: acct,
          testKind: s.ticket.testKind,
          symptom: s.ticket.symptom,
          ...(unit && s.ticket.testKind === 'device' ? { assignmentId: unit.id } : {}),
        });
        useCounter
          .getState()
          .notify('info', 'Test ordered: the technical department gets it with the next sync.');
        set({ panel: 'none' });
        if (s.lookup) await get().lookupSerial(s.lookup.serial);
      } catch (err) {
        set(flowErrorsOf(err));
      }
    },

    async recordResult(ticketId, result) {
      try {
        await api.call('equipment.troubleTicket', { action: 'result', ticketId, result });
        const serial = get().lookup?.serial;
        if (serial) await get().lookupSerial(serial);
        if (result === 'device_fault') {
          useCounter.getState().notify('info', 'Device fault: exchange the unit (Alt+X).');
          get().openPanel('exchange');
        }
      } catch (err) {
        set({ flowError: message(err) });
      }
    },

    clearFlow() {
      set({ ...initialFlow });
    },
  };
}
