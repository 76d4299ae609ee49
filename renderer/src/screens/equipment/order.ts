/**
 * The Equipment screen's order: the catalog search, the lines with a serial slot per unit, figures
 * priced by the host (no arithmetic here), the handover check scan by scan, the printed quote and
 * paying (through the tender screen when something is due).
 */
import { api } from '../../api/client.js';
import { beep } from '../../app/feedback.js';
import { useCounter } from '../../stores/counter.js';
import { fieldErrorsOf } from '../../stores/till.js';
import {
  account,
  initialOrder,
  message,
  type DraftLine,
  type Get,
  type Mode,
  type Set,
  type Slot,
  type Store,
} from './state.js';

export type OrderActions = Pick<
  Store,
  | 'loadCatalog'
  | 'search'
  | 'move'
  | 'addSelected'
  | 'addItem'
  | 'addByCode'
  | 'setMode'
  | 'setQuantity'
  | 'remove'
  | 'setSerial'
  | 'setFocus'
  | 'placeSerial'
  | 'printQuote'
  | 'pay'
  | 'clearOrder'
>;

let nextKey = 1;
let priceSeq = 0;
let checkSeq = 0;

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

export function orderActions(set: Set, get: Get): OrderActions {
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

  return {
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
  };
}
