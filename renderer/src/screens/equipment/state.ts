/**
 * The Equipment screen's state shape, its starting values and the helpers its actions share. The
 * actions live by flow: order.ts (building and paying an order), flow.ts (return, exchange, test) and
 * store.ts (tabs, stock, receiving, scans from anywhere).
 */
import type { StoreApi } from 'zustand';

import type {
  CatalogEntry,
  ExchangeQuoteView,
  PricedOrderView,
  ReturnQuoteView,
  TicketView,
  UnreturnedView,
} from '../../../../shared/api/channels/equipment.js';
import type { ChannelOutput } from '../../../../shared/api/contract.js';
import type { Receipt } from '../../../../shared/api/schemas.js';
import { formatMoney } from '../../../../shared/money.js';
import type { ApprovalDraft } from '../../components/ApprovalFields.js';
import { useCounter } from '../../stores/counter.js';
import { fieldErrorsOf } from '../../stores/till.js';

export type Tab = 'order' | 'return' | 'unreturned' | 'stock' | 'receive';
export type Mode = 'buy' | 'lease';
export type Condition = 'good' | 'damaged' | 'missing_parts';
export type RefundMethod = 'cash' | 'check_request' | 'account';

export type DraftLine = { key: number; sku: string; mode: Mode; quantity: string; serials: string[] };
export type Lookup = ChannelOutput<'equipment.lookupSerial'>;
export type StockView = ChannelOutput<'equipment.stock'>;
export type Slot = { line: number; unit: number };

export type Posted = {
  kind: 'return' | 'exchange' | 'order';
  title: string;
  receipt: Receipt;
  invoice: Receipt | null;
  /** What the CSR says: "Refund $10.00 in cash", "No charge". */
  headline: string;
  drawerOpened: boolean;
};

export type Store = {
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

export type Set = StoreApi<Store>['setState'];
export type Get = StoreApi<Store>['getState'];

export const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Fields the return flow shows errors next to; anything else goes in the banner. */
const FLOW_FIELDS = new Set(['approval', 'approval.supervisorId', 'approval.pin', 'newSerial', 'symptom']);

export function flowErrorsOf(err: unknown): { flowErrors: Record<string, string>; flowError: string | null } {
  const flowErrors = fieldErrorsOf(err);
  const placed = Object.keys(flowErrors).some((k) => FLOW_FIELDS.has(k));
  return { flowErrors, flowError: placed ? null : message(err) };
}

export const initialFlow = {
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

export const initialOrder = {
  lines: [] as DraftLine[],
  priced: null,
  orderError: null,
  fieldErrors: {},
  checked: {},
  focus: null,
  printout: null,
};

export const initial = {
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

export const account = () => useCounter.getState().account;

/** What the CSR says about a refund: "Refund $10.00 in cash". */
export function refundHeadline(cents: number, m: RefundMethod): string {
  const how = m === 'cash' ? 'in cash' : m === 'check_request' ? 'by check (mailed)' : 'to the account';
  return `Refund ${formatMoney(Math.abs(cents))} ${how}`;
}
