/**
 * The Equipment screen's state (F7): the catalog, the order being built with a serial slot per unit,
 * its figures (priced by the host: no arithmetic here), the return / exchange / test flow for a scanned
 * serial, unreturned equipment, the branch stock and receiving a shipment. Scans from anywhere arrive
 * through `routeEquipmentScan`.
 */
import { create } from 'zustand';

import type {
  CatalogEntry,
  ExchangeQuoteView,
  PricedOrderView,
  ReturnQuoteView,
  StockUnit,
  TicketView,
  UnitView,
  UnreturnedView,
} from '../../../../shared/api/channels/equipment.js';
import type { ChannelOutput } from '../../../../shared/api/contract.js';
import type { Receipt } from '../../../../shared/api/schemas.js';
import { formatCents } from '../../../../shared/money.js';
import { api, ApiError } from '../../api/client.js';
import { beep } from '../../app/feedback.js';
import type { ApprovalDraft } from '../../components/ApprovalFields.js';
import { approvalOrUndefined } from '../../components/ApprovalFields.js';
import { screenBack, useCounter } from '../../stores/counter.js';
import { useSession } from '../../stores/session.js';
import { fieldErrorsOf, useTill } from '../../stores/till.js';

export type Tab = 'order' | 'return' | 'unreturned' | 'stock' | 'receive';
export type Mode = 'buy' | 'lease';
export type Condition = 'good' | 'damaged' | 'missing_parts';
export type RefundMethod = 'cash' | 'check_request' | 'account';

export type DraftLine = { key: number; sku: string; mode: Mode; quantity: string; serials: string[] };
export type Lookup = ChannelOutput<'equipment.lookupSerial'>;
export type StockView = ChannelOutput<'equipment.stock'>;
type Slot = { line: number; unit: number };

export type Posted = {
  kind: 'return' | 'exchange' | 'order';
  title: string;
  receipt: Receipt;
  invoice: Receipt | null;
  /** What the CSR says: "Refund $10.00 in cash", "No charge". */
  headline: string;
  drawerOpened: boolean;
};

type Store = {
  tab: Tab;
  catalog: CatalogEntry[];
  query: string;
  results: CatalogEntry[];
  selected: number;
  loadError: string | null;

  lines: DraftLine[];
  priced: PricedOrderView | null;
  orderError: string | null;
  fieldErrors: Record<string, string>;
  checked: Record<string, string>;
  focus: Slot | null;
  printout: { number: string; lines: string[] } | null;
  busy: boolean;

  serialInput: string;
  lookup: Lookup | null;
  lookupError: string | null;
  condition: Condition;
  refundMethod: RefundMethod;
  approval: ApprovalDraft;
  quote: ReturnQuoteView | null;
  panel: 'none' | 'exchange' | 'ticket';
  exchange: { newSku: string; newSerial: string; goodwill: boolean; quote: ExchangeQuoteView | null };
  ticket: { testKind: 'line' | 'device'; symptom: string };
  flowErrors: Record<string, string>;
  flowError: string | null;
  posted: Posted | null;

  unreturned: UnreturnedView | null;
  stock: StockView | null;
  stockSku: string;
  receive: { sku: string; reference: string; serials: string[]; quantity: string; requestId: string };
  receiveErrors: Record<string, string>;
  receiveError: string | null;
  received: Receipt | null;

  open(tab?: Tab): void;
  setTab(tab: Tab): void;
  loadCatalog(): Promise<void>;
  search(q: string): void;
  move(delta: number): void;
  addSelected(): void;
  addItem(sku: string, mode?: Mode): void;
  addByCode(code: string): Promise<void>;
  setMode(key: number, mode: Mode): void;
  setQuantity(key: number, quantity: string): void;
  remove(key: number): void;
  setSerial(line: number, unit: number, serial: string): void;
  setFocus(slot: Slot | null): void;
  placeSerial(code: string): Promise<boolean>;
  printQuote(): Promise<void>;
  pay(): Promise<void>;
  clearOrder(): void;

  setSerialInput(v: string): void;
  lookupSerial(serial: string): Promise<void>;
  setCondition(c: Condition): void;
  setRefundMethod(m: RefundMethod): void;
  setApproval(a: ApprovalDraft): void;
  requote(): Promise<void>;
  takeReturn(): Promise<void>;
  openPanel(panel: 'none' | 'exchange' | 'ticket'): void;
  setExchange(patch: Partial<Store['exchange']>): void;
  quoteExchange(): Promise<void>;
  takeExchange(): Promise<void>;
  setTicket(patch: Partial<Store['ticket']>): void;
  openTicket(): Promise<void>;
  recordResult(ticketId: string, result: TicketView['result'] & string): Promise<void>;
  clearFlow(): void;

  loadUnreturned(): Promise<void>;
  loadStock(sku?: string): Promise<void>;
  setReceive(patch: Partial<Store['receive']>): void;
  submitReceive(): Promise<void>;
  reset(): void;
};

let nextKey = 1;
let priceSeq = 0;
let checkSeq = 0;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Fields the return flow shows errors next to; anything else goes in the banner. */
const FLOW_FIELDS = new Set(['approval', 'approval.supervisorId', 'approval.pin', 'newSerial', 'symptom']);

function flowErrorsOf(err: unknown): { flowErrors: Record<string, string>; flowError: string | null } {
  const flowErrors = fieldErrorsOf(err);
  const placed = Object.keys(flowErrors).some((k) => FLOW_FIELDS.has(k));
  return { flowErrors, flowError: placed ? null : message(err) };
}

const initialFlow = {
  serialInput: '',
  lookup: null,
  lookupError: null,
  condition: 'good' as Condition,
  refundMethod: 'cash' as RefundMethod,
  approval: { supervisorId: '', pin: '' },
  quote: null,
  panel: 'none' as const,
  exchange: { newSku: '', newSerial: '', goodwill: false, quote: null },
  ticket: { testKind: 'device' as const, symptom: '' },
  flowErrors: {},
  flowError: null,
  posted: null,
};

const initialOrder = {
  lines: [] as DraftLine[],
  priced: null,
  orderError: null,
  fieldErrors: {},
  checked: {},
  focus: null,
  printout: null,
};

const initial = {
  tab: 'order' as Tab,
  catalog: [] as CatalogEntry[],
  query: '',
  results: [] as CatalogEntry[],
  selected: 0,
  loadError: null,
  busy: false,
  ...initialOrder,
  ...initialFlow,
  unreturned: null,
  stock: null,
  stockSku: '',
  receive: { sku: '', reference: '', serials: [], quantity: '', requestId: crypto.randomUUID() },
  receiveErrors: {},
  receiveError: null,
  received: null,
};

function orderLines(lines: DraftLine[]): { sku: string; mode: Mode; quantity: number }[] {
  return lines.map((l) => ({ sku: l.sku, mode: l.mode, quantity: Number(l.quantity) }));
}

function scansOf(lines: DraftLine[]): { lineIndex: number; serial: string }[] {
  return lines.flatMap((l, i) =>
    l.serials.filter((s) => s.trim() !== '').map((serial) => ({ lineIndex: i, serial: serial.trim() })),
  );
}

/** The slot each scan sits in, so that "scans.<j>.serial" errors show next to their slot. */
function scanSlots(lines: DraftLine[]): Slot[] {
  return lines.flatMap((l, i) =>
    l.serials.flatMap((s, u) => (s.trim() !== '' ? [{ line: i, unit: u }] : [])),
  );
}

function isWhole(q: string): boolean {
  return /^\d{1,2}$/.test(q.trim()) && Number(q) >= 1;
}

export const useEquipment = create<Store>((set, get) => {
  const serialized = (sku: string): boolean =>
    get().catalog.find((c) => c.item.sku === sku)?.item.serialized ?? false;

  /** Keeps one serial slot per unit of each serialized line. */
  const withSlots = (line: DraftLine): DraftLine => {
    if (!serialized(line.sku)) return { ...line, serials: [] };
    const n = isWhole(line.quantity) ? Number(line.quantity) : 0;
    const serials = line.serials.slice(0, n);
    while (serials.length < n) serials.push('');
    return { ...line, serials };
  };

  const reprice = async (): Promise<void> => {
    const { lines } = get();
    const seq = ++priceSeq;
    if (lines.length === 0) {
      set({ priced: null, orderError: null, fieldErrors: {} });
      return;
    }
    const bad = lines.findIndex((l) => !isWhole(l.quantity));
    if (bad >= 0) {
      set({
        priced: null,
        fieldErrors: { [`lines.${String(bad)}.quantity`]: 'A whole number of units, 1 to 99.' },
        orderError: null,
      });
      return;
    }
    try {
      const { priced } = await api.call('equipment.quote', { lines: orderLines(lines), print: false });
      if (seq === priceSeq) set({ priced, orderError: null, fieldErrors: {} });
    } catch (err) {
      if (seq === priceSeq) set({ priced: null, orderError: message(err), fieldErrors: fieldErrorsOf(err) });
    }
  };

  const recheck = async (): Promise<void> => {
    const { lines } = get();
    const seq = ++checkSeq;
    const scans = scansOf(lines);
    if (scans.length === 0 || lines.some((l) => !isWhole(l.quantity))) {
      set({ checked: {} });
      return;
    }
    try {
      const r = await api.call('equipment.checkHandover', { lines: orderLines(lines), scans });
      if (seq !== checkSeq) return;
      const slots = scanSlots(lines);
      const checked: Record<string, string> = {};
      for (const p of r.problems) {
        const m = /^scans\.(\d+)\.serial$/.exec(p.field);
        const slot = m ? slots[Number(m[1])] : undefined;
        if (slot) checked[`${String(slot.line)}.${String(slot.unit)}`] = p.message;
      }
      set({ checked });
    } catch {
      // the screen keeps the last check; posting checks again anyway
    }
  };

  const changed = (lines: DraftLine[]): void => {
    set({ lines, printout: null, orderError: null });
    void reprice();
    void recheck();
  };

  const firstEmpty = (sku?: string): Slot | null => {
    const { lines, focus } = get();
    if (focus && lines[focus.line]?.serials[focus.unit] === '' && (!sku || lines[focus.line]?.sku === sku))
      return focus;
    for (const [i, l] of lines.entries()) {
      if (sku && l.sku !== sku) continue;
      const u = l.serials.indexOf('');
      if (u >= 0) return { line: i, unit: u };
    }
    return null;
  };

  /** A slot (of `sku`'s item when given) whose serial the handover check marked wrong; the focused one first. */
  const markedWrong = (sku?: string): Slot | null => {
    const { lines, checked, focus } = get();
    const fits = (slot: Slot): boolean =>
      Boolean(checked[`${String(slot.line)}.${String(slot.unit)}`]) &&
      (!sku || lines[slot.line]?.sku === sku);
    if (focus && fits(focus)) return focus;
    for (const [i, l] of lines.entries())
      for (const u of l.serials.keys()) if (fits({ line: i, unit: u })) return { line: i, unit: u };
    return null;
  };

  const account = () => useCounter.getState().account;

  const showPosted = (posted: Posted): void => {
    set({ posted, busy: false, flowError: null, flowErrors: {}, panel: 'none' });
    void useTill.getState().refresh();
    void useSession.getState().refreshStatus();
    const acct = account();
    if (acct) void useCounter.getState().openAccountQuiet(acct.accountNumber);
  };

  return {
    ...initial,

    open(tab) {
      useCounter.setState({ screen: 'equipment' });
      if (tab) get().setTab(tab);
      if (get().catalog.length === 0) void get().loadCatalog();
    },

    setTab(tab) {
      set({ tab });
      if (tab === 'unreturned') void get().loadUnreturned();
      if (tab === 'stock') void get().loadStock(get().stockSku || undefined);
      if (tab === 'receive' && get().catalog.length === 0) void get().loadCatalog();
    },

    async loadCatalog() {
      try {
        const r = await api.call('equipment.catalog', {});
        set({ catalog: r.items, loadError: null });
        get().search(get().query);
      } catch (err) {
        set({ loadError: message(err) });
      }
    },

    search(q) {
      const words = q.toLowerCase().split(/\s+/).filter(Boolean);
      const results = get().catalog.filter((c) => {
        const text =
          `${c.item.sku} ${c.item.upc} ${c.item.name} ${c.item.category.replace('_', ' ')}`.toLowerCase();
        return words.every((w) => text.includes(w));
      });
      set({ query: q, results, selected: 0 });
    },

    move(delta) {
      const { results, selected } = get();
      if (results.length) set({ selected: Math.max(0, Math.min(results.length - 1, selected + delta)) });
    },

    addSelected() {
      const hit = get().results[get().selected];
      if (hit) get().addItem(hit.item.sku);
    },

    addItem(sku, mode) {
      const entry = get().catalog.find((c) => c.item.sku === sku);
      if (!entry) return;
      const m: Mode = mode ?? (entry.item.salePriceCents !== null ? 'buy' : 'lease');
      const { lines } = get();
      const same = lines.findIndex((l) => l.sku === sku && l.mode === m && isWhole(l.quantity));
      const next =
        same >= 0
          ? lines.map((l, i) =>
              i === same ? withSlots({ ...l, quantity: String(Number(l.quantity) + 1) }) : l,
            )
          : [...lines, withSlots({ key: nextKey++, sku, mode: m, quantity: '1', serials: [] })];
      set({ tab: 'order', query: '', results: get().catalog, selected: 0 });
      changed(next);
    },

    async addByCode(code) {
      try {
        if (get().catalog.length === 0) await get().loadCatalog();
        const r = await api.call('equipment.catalog', { code });
        const item = r.items[0];
        if (!item) return;
        get().addItem(item.item.sku);
        useCounter.getState().notify('info', `Added ${item.item.name}.`);
      } catch (err) {
        beep(440);
        useCounter.getState().notify('error', message(err));
      }
    },

    setMode(key, mode) {
      changed(get().lines.map((l) => (l.key === key ? { ...l, mode } : l)));
    },

    setQuantity(key, quantity) {
      changed(get().lines.map((l) => (l.key === key ? withSlots({ ...l, quantity }) : l)));
    },

    remove(key) {
      changed(get().lines.filter((l) => l.key !== key));
      set({ focus: null });
    },

    setSerial(line, unit, serial) {
      changed(
        get().lines.map((l, i) =>
          i === line ? { ...l, serials: l.serials.map((s, u) => (u === unit ? serial : s)) } : l,
        ),
      );
    },

    setFocus(focus) {
      set({ focus });
    },

    /**
     * A scanned serial fills the slot it belongs to: its item's first empty slot, or else its item's
     * slot holding a serial marked wrong, which it replaces (scanning the right unit is how a wrong
     * scan is undone). A serial of an item that has no slot here never goes into another item's
     * slot. false = the order has no lines (nothing here waits for a serial).
     */
    async placeSerial(code) {
      if (get().lines.length === 0) return false;
      const upper = code.toUpperCase();
      if (get().lines.some((l) => l.serials.includes(upper) || l.serials.includes(code))) {
        useCounter.getState().notify('info', `Serial ${code} is already in this order.`);
        return true;
      }
      let sku: string | undefined;
      try {
        const found = await api.call('equipment.lookupSerial', { serial: code });
        sku = found.stock?.sku ?? found.unit?.sku;
      } catch {
        sku = undefined;
      }
      const slot = sku ? (firstEmpty(sku) ?? markedWrong(sku)) : (firstEmpty() ?? markedWrong());
      if (!slot) {
        beep(440);
        const name = get().catalog.find((c) => c.item.sku === sku)?.item.name ?? sku;
        set({
          orderError: sku
            ? `Serial ${code} is a ${name ?? 'unit'}: no ${name ?? 'unit'} in this order waits for a serial.`
            : `No unit in this order waits for a serial (${code}).`,
        });
        return true;
      }
      get().setSerial(slot.line, slot.unit, code);
      set({ focus: firstEmpty() });
      return true;
    },

    async printQuote() {
      const { lines } = get();
      if (lines.length === 0) {
        set({ orderError: 'Add an item first: scan its barcode or search the catalog.' });
        return;
      }
      try {
        const acct = account();
        const r = await api.call('equipment.quote', {
          lines: orderLines(lines),
          print: true,
          ...(acct ? { accountNumber: acct.accountNumber } : {}),
        });
        set({ printout: r.printout, priced: r.priced });
        useCounter
          .getState()
          .notify(
            r.printout?.printed ? 'info' : 'error',
            r.printout?.printed
              ? `Quote ${r.printout.number} printed.`
              : `Quote not printed: ${r.printout?.printError ?? 'printer error'}.`,
          );
      } catch (err) {
        set({ orderError: message(err), fieldErrors: fieldErrorsOf(err) });
      }
    },

    async pay() {
      const { lines, priced, checked } = get();
      const acct = account();
      if (!acct) {
        set({ orderError: 'Open the customer’s account first (F1), then hand the equipment over.' });
        return;
      }
      if (lines.some((l) => !isWhole(l.quantity))) {
        set({ orderError: 'Quantities are whole numbers of units, 1 to 99: fix the one marked in red.' });
        return;
      }
      if (lines.length === 0 || !priced) {
        set({ orderError: get().orderError ?? 'Add an item first: scan its barcode or search the catalog.' });
        return;
      }
      const empty = firstEmpty();
      if (empty) {
        set({
          focus: empty,
          orderError: `Scan the serial of each unit: line ${String(empty.line + 1)} still needs one.`,
        });
        return;
      }
      if (Object.keys(checked).length) {
        set({ orderError: 'Fix the serials marked in red first.' });
        return;
      }
      const input = {
        accountNumber: acct.accountNumber,
        lines: orderLines(lines),
        scans: scansOf(lines),
        expectedDueCents: priced.dueNowCents,
      };
      const done = (): void => {
        set({ ...initialOrder });
        void get().loadCatalog();
      };
      if (priced.dueNowCents === 0) {
        set({ busy: true });
        try {
          const r = await api.call('equipment.order', {
            ...input,
            requestId: crypto.randomUUID(),
            tenders: [],
          });
          done();
          useCounter.setState({
            result: r,
            receipt: r.receipt,
            account: r.account,
            screen: 'done',
            purpose: {
              kind: 'custom',
              title: 'Equipment order',
              dueLabel: 'Due now',
              amountCents: 0,
              lockAmount: true,
              submit: () => Promise.resolve(r),
              back: 'equipment',
            },
          });
        } catch (err) {
          set({ orderError: message(err), fieldErrors: fieldErrorsOf(err) });
        } finally {
          set({ busy: false });
        }
        return;
      }
      useCounter.getState().collect({
        kind: 'custom',
        title: 'Equipment order',
        dueLabel: 'Due now (sale, tax, deposits)',
        amountCents: priced.dueNowCents,
        lockAmount: true,
        back: 'equipment',
        submit: async (tendered) => {
          const r = await api.call('equipment.order', {
            ...input,
            requestId: tendered.requestId,
            tenders: tendered.tenders,
            confirmOvertenderCredit: tendered.confirmOvertenderCredit,
          });
          done();
          return r;
        },
      });
    },

    clearOrder() {
      set({ ...initialOrder });
    },

    // ---- return / exchange / test ----

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
              ? `Refund ${money(net)} ${refundWords(s.refundMethod)}`
              : net < 0
                ? `${money(-net)} charged to the account`
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
              ? `Refund ${money(r.quote.refundCents)} ${refundWords(s.refundMethod)}`
              : r.quote.feeCents > 0
                ? `${money(r.quote.feeCents)} charged to the account`
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

    // ---- unreturned, stock, receiving ----

    async loadUnreturned() {
      const acct = account();
      if (!acct) {
        set({ unreturned: null });
        return;
      }
      try {
        set({ unreturned: await api.call('equipment.unreturned', { accountNumber: acct.accountNumber }) });
      } catch (err) {
        useCounter.getState().notify('error', message(err));
      }
    },

    async loadStock(sku) {
      try {
        set({ stock: await api.call('equipment.stock', {}), stockSku: sku ?? '' });
      } catch (err) {
        useCounter.getState().notify('error', message(err));
      }
    },

    setReceive(patch) {
      set({ receive: { ...get().receive, ...patch }, receiveErrors: {}, receiveError: null });
    },

    async submitReceive() {
      const r = get().receive;
      const item = get().catalog.find((c) => c.item.sku === r.sku)?.item;
      if (!item) {
        set({ receiveErrors: { sku: 'Choose the item that came in.' } });
        return;
      }
      try {
        const out = await api.call('equipment.receiveShipment', {
          requestId: r.requestId,
          sku: r.sku,
          reference: r.reference,
          serials: item.serialized ? r.serials : [],
          ...(!item.serialized && r.quantity.trim() ? { quantity: Number(r.quantity) } : {}),
        });
        set({
          received: out.receipt,
          receive: { sku: r.sku, reference: '', serials: [], quantity: '', requestId: crypto.randomUUID() },
        });
        useCounter.getState().notify('info', `${String(out.received)} × ${item.name} received into stock.`);
        void get().loadCatalog();
      } catch (err) {
        const e = err instanceof ApiError ? err : null;
        set({ receiveErrors: fieldErrorsOf(err), receiveError: e?.message ?? message(err) });
      }
    },

    reset() {
      set({ ...initial, receive: { ...initial.receive, requestId: crypto.randomUUID() } });
    },
  };
});

const money = (cents: number): string => formatCents(Math.abs(cents), { symbol: true });

function refundWords(m: RefundMethod): string {
  return m === 'cash' ? 'in cash' : m === 'check_request' ? 'by check (mailed)' : 'to the account';
}

/** Esc on the Equipment screen closes the open step first (result, panel, look-up), then leaves. */
screenBack.equipment = (): boolean => {
  const s = useEquipment.getState();
  if (s.posted) {
    useEquipment.setState({ posted: null });
    return true;
  }
  if (s.panel !== 'none') {
    useEquipment.setState({ panel: 'none', flowError: null, flowErrors: {} });
    return true;
  }
  if (s.tab === 'return' && (s.lookup || s.lookupError)) {
    s.clearFlow();
    return true;
  }
  if (s.tab !== 'order') {
    useEquipment.setState({ tab: 'order' });
    return true;
  }
  return false;
};

/**
 * Scans from anywhere: a UPC/EAN adds the item to the order; a serial fills the unit waiting for it at
 * handover, the replacement at an exchange, a unit being received, or else opens its return.
 */
export async function routeEquipmentScan(kind: 'gtin' | 'serial', code: string): Promise<void> {
  const eq = useEquipment.getState();
  const onScreen = useCounter.getState().screen === 'equipment';
  if (!onScreen) eq.open();
  if (kind === 'gtin') {
    await useEquipment.getState().addByCode(code);
    return;
  }
  const s = useEquipment.getState();
  if (onScreen && s.tab === 'receive') {
    const serials = [...s.receive.serials, code.toUpperCase()];
    s.setReceive({ serials });
    return;
  }
  if (onScreen && s.tab === 'return' && s.panel === 'exchange' && !s.exchange.newSerial) {
    s.setExchange({ newSerial: code });
    return;
  }
  // On the order tab a serial belongs to the order being built: it never jumps to the Return tab.
  if (s.tab === 'order' && (await s.placeSerial(code))) return;
  if (onScreen && s.tab === 'order') {
    beep(440);
    useEquipment.setState({ orderError: `Scan the box barcode first; then the unit’s serial (${code}).` });
    return;
  }
  await s.lookupSerial(code);
}

export type { StockUnit, UnitView };

// A new customer (F1, sign-out) or another account opened: the order being built was for the one
// before; a new customer also ends the return flow.
useCounter.subscribe((s, prev) => {
  if (!prev.account || s.account?.accountNumber === prev.account.accountNumber) return;
  useEquipment.setState({ ...initialOrder, unreturned: null, ...(s.account ? {} : initialFlow) });
});
