/**
 * The equipment documents, as receipt content (the posting kernel adds who, where, when and the number;
 * composed into ESC/POS when printed): the order receipt listing every serial, the quote, the return
 * receipt, the return-goods invoice, the exchange receipt and the stock-received slip.
 */
import type { Cashier, Tender } from '../../../shared/api/schemas.js';
import {
  formatMac,
  type CatalogItem,
  type InvoiceLine,
  type ItemCondition,
  type PricedOrder,
} from '../../../shared/domain/equipment.js';
import { formatMoney, type Cents } from '../../../shared/money.js';
import { receiptModelOf, type Plan, type ReceiptContent } from '../../kernel/posting.js';
import type { ServiceContext } from '../context.js';
import { receiptTenders } from '../ledger/post.js';
import type { ReceiptModel } from '../receipts/compose.js';
import { receiptNumberOf } from './common.js';

type PlanDocument = NonNullable<Plan<unknown>['documents']>[number];

export const CONDITION_WORDS: Record<ItemCondition, string> = {
  good: 'good',
  damaged: 'damaged',
  missing_parts: 'missing parts',
};

/** How a serial reads on paper: a MAC as AA:BB:CC:DD:EE:FF, anything else as S/N. */
export function serialLine(serial: string): string {
  return /^[0-9A-F]{12}$/.test(serial) ? `MAC ${formatMac(serial)}` : `S/N ${serial}`;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The order's lines: one item per line, its serials (and lease terms) printed under it; then tax. */
export function orderItems(priced: PricedOrder, serialsByLine: (string | null)[][]): ReceiptModel['items'] {
  const items: ReceiptModel['items'] = [];
  priced.lines.forEach((l, i) => {
    const serials = (serialsByLine[i] ?? []).filter((s): s is string => s !== null).map(serialLine);
    if (l.mode === 'buy') {
      items.push({
        label: `${String(l.quantity)} x ${l.name}`,
        amountCents: l.extendedCents,
        detail: [
          ...(l.quantity > 1 ? [`${String(l.quantity)} at ${formatMoney(l.unitCents)}`] : []),
          ...serials,
        ],
      });
    } else {
      items.push({
        label: `${String(l.quantity)} x ${l.name} (lease)`,
        amountCents: l.depositCents,
        detail: [
          `Equipment deposit ${formatMoney(l.depositCents)}`,
          `${formatMoney(l.monthlyCents)} a month on your bill${l.monthlyTaxCents > 0 ? ' (tax incl.)' : ''}`,
          ...serials,
        ],
      });
    }
  });
  if (priced.taxCents > 0) {
    const rates = [...new Set(priced.lines.filter((l) => l.taxCents > 0).map((l) => l.ratePercent))];
    items.push({ label: `Tax ${rates.map((r) => `${r}%`).join(', ')}`, amountCents: priced.taxCents });
  }
  return items;
}

function returnTerms(priced: PricedOrder, catalog: Map<string, CatalogItem>, today: string): string[] {
  const out: string[] = [];
  for (const l of priced.lines) {
    const item = catalog.get(l.sku);
    if (!item) continue;
    if (l.mode === 'buy')
      out.push(
        `${item.name}: returns to ${addDays(today, item.returnWindowDays)}, warranty to ${addDays(today, item.warrantyDays)}.`,
      );
    else out.push(`${item.name}: leased; return it to stop the charge.`);
  }
  return [...new Set(out)];
}

export function orderReceipt(
  ctx: ServiceContext,
  a: {
    account: { number: string; name: string };
    priced: PricedOrder;
    serialsByLine: (string | null)[][];
    tenders: Tender[];
    changeCents: Cents;
    creditCents: Cents;
    catalog: Map<string, CatalogItem>;
    today: string;
  },
): ReceiptContent {
  return {
    kind: 'equipment_order',
    title: 'EQUIPMENT ORDER',
    account: a.account,
    notes: [
      `Handed over ${a.today}`,
      ...(a.priced.newMonthlyCents > 0
        ? [`New monthly charges: ${formatMoney(a.priced.newMonthlyCents)} from your next bill`]
        : []),
    ],
    items: orderItems(a.priced, a.serialsByLine),
    totalCents: a.priced.dueNowCents,
    tenders: receiptTenders(a.tenders),
    changeCents: a.changeCents,
    creditCents: a.creditCents,
    footer: [...returnTerms(a.priced, a.catalog, a.today), ...ctx.company.footer],
  };
}

export function quotePrintout(
  ctx: ServiceContext,
  a: {
    cashier: Cashier;
    at: Date;
    number: string;
    account: { number: string; name: string } | null;
    priced: PricedOrder;
    catalog: Map<string, CatalogItem>;
    today: string;
  },
): ReceiptModel {
  return {
    ...receiptModelOf(ctx, a.cashier, a.at, a.number, {
      title: 'EQUIPMENT QUOTE',
      ...(a.account ? { account: a.account } : {}),
      notes: [
        'QUOTE - NOT A RECEIPT. Nothing has been paid.',
        `Prices and tax as of ${a.today}; stock not reserved.`,
        ...(a.priced.newMonthlyCents > 0
          ? [`New monthly charges: ${formatMoney(a.priced.newMonthlyCents)}`]
          : []),
      ],
      items: orderItems(
        a.priced,
        a.priced.lines.map(() => []),
      ),
      totalCents: a.priced.dueNowCents,
      footer: [...returnTerms(a.priced, a.catalog, a.today), 'Due at handover: the TOTAL above.'],
    }),
    offline: false,
  };
}

/** An invoice line's label on paper: "(no charge)" is said by its amount. */
function lineLabel(l: InvoiceLine): string {
  return l.kind === 'warranty_replacement' ? l.description.replace(/ \(no charge\)$/, '') : l.description;
}

export type RefundWay = {
  method: 'cash' | 'check_request' | 'account';
  payoutCents: Cents;
  owedCents: Cents;
};

function refundTenders(way: RefundWay): ReceiptModel['tenders'] {
  const out: ReceiptModel['tenders'] = [];
  if (way.payoutCents > 0)
    out.push({
      label:
        way.method === 'cash'
          ? 'Cash refunded'
          : way.method === 'check_request'
            ? 'Refund by check (mailed)'
            : 'Credited to your account',
      amountCents: way.payoutCents,
    });
  if (way.owedCents > 0) out.push({ label: 'Charged to your account', amountCents: way.owedCents });
  return out;
}

type ReturnedUnitDoc = {
  name: string;
  sku: string;
  serial: string | null;
  mode: 'buy' | 'lease';
  handedOverOn: string;
  receiptNumber: string | null;
  condition: ItemCondition;
};

function unitNotes(u: ReturnedUnitDoc): string[] {
  return [
    `${u.name} (${u.sku})`,
    ...(u.serial ? [serialLine(u.serial)] : []),
    `${u.mode === 'lease' ? 'Leased' : 'Bought'} ${u.handedOverOn}${u.receiptNumber ? `, receipt ${u.receiptNumber}` : ''}`,
    `Condition: ${CONDITION_WORDS[u.condition]}`,
  ];
}

export function returnReceipt(
  ctx: ServiceContext,
  a: {
    invoiceNumber: string;
    account: { number: string; name: string };
    unit: ReturnedUnitDoc;
    lines: InvoiceLine[];
    netCents: Cents;
    way: RefundWay;
    reason: string;
    approvedBy: Cashier | null;
  },
): ReceiptContent {
  return {
    kind: 'equipment_return',
    title: 'EQUIPMENT RETURN',
    account: a.account,
    notes: [
      ...unitNotes(a.unit),
      `Return-goods invoice ${a.invoiceNumber}`,
      ...(a.approvedBy ? [`Approved by ${a.approvedBy.name} (${a.approvedBy.id})`] : []),
    ],
    items: a.lines.map((l) => ({ label: lineLabel(l), amountCents: l.cents })),
    totalCents: a.netCents,
    tenders: refundTenders(a.way),
    footer: [a.reason, ...ctx.company.footer],
  };
}

/**
 * The return-goods invoice as a further document of the posting, numbered in its own series; it names
 * the receipt, whose number the kernel knows once it has written it.
 */
export function returnGoodsInvoice(
  ctx: ServiceContext,
  invoiceNumber: string,
  a: {
    cashier: Cashier;
    /** The account row as the posting read it. */
    account: { account_number: string; name: string; service_address: string };
    unit: ReturnedUnitDoc;
    lines: InvoiceLine[];
    netCents: Cents;
    way: RefundWay;
    exchangedFor: string | null;
  },
): PlanDocument {
  return {
    number: invoiceNumber,
    kind: 'return_invoice',
    content: (ids) => returnGoodsContent(ctx, receiptNumberOf(ids), a),
  };
}

function returnGoodsContent(
  ctx: ServiceContext,
  receiptNumber: string,
  a: Parameters<typeof returnGoodsInvoice>[2],
): ReceiptContent {
  return {
    kind: 'return_invoice',
    title: 'RETURN-GOODS INVOICE',
    account: { number: a.account.account_number, name: a.account.name },
    notes: [
      a.account.service_address,
      `Goods received back: 1 x ${a.unit.name}`,
      ...unitNotes(a.unit).slice(1),
      ...(a.exchangedFor ? [`Exchanged for: ${a.exchangedFor}`] : []),
      `Received by ${a.cashier.name} at ${ctx.terminal.code}`,
      `Receipt ${receiptNumber}`,
    ],
    items: a.lines.map((l) => ({ label: lineLabel(l), amountCents: l.cents })),
    totalCents: a.netCents,
    tenders: refundTenders(a.way),
    footer: [
      'Amounts: + to the customer, - owed by the customer.',
      'Customer signature: ______________________',
    ],
  };
}

export function exchangeReceipt(
  ctx: ServiceContext,
  a: {
    invoiceNumber: string;
    account: { number: string; name: string };
    old: ReturnedUnitDoc;
    newName: string;
    newSerial: string | null;
    newMonthlyCents: Cents;
    lines: InvoiceLine[];
    dueCents: Cents;
    refundCents: Cents;
    tenders: Tender[];
    changeCents: Cents;
    creditCents: Cents;
    way: RefundWay;
    reason: string;
    approvedBy: Cashier | null;
  },
): ReceiptContent {
  // Shown as charges: + the customer pays, - the customer gets.
  const items = a.lines.map((l) => {
    const replacement = l.kind === 'warranty_replacement';
    const detail = [
      ...(replacement ? ['No charge'] : []),
      ...((l.kind === 'new_price' || replacement) && a.newSerial ? [serialLine(a.newSerial)] : []),
    ];
    return {
      label: lineLabel(l),
      amountCents: -l.cents,
      ...(detail.length ? { detail } : {}),
    };
  });
  return {
    kind: 'equipment_exchange',
    title: 'EQUIPMENT EXCHANGE',
    account: a.account,
    notes: [
      'Returned:',
      ...unitNotes(a.old).map((n) => `  ${n}`),
      `Replacement: ${a.newName}`,
      ...(a.newMonthlyCents > 0 ? [`Monthly charge now ${formatMoney(a.newMonthlyCents)}`] : []),
      `Return-goods invoice ${a.invoiceNumber}`,
      ...(a.approvedBy ? [`Approved by ${a.approvedBy.name} (${a.approvedBy.id})`] : []),
    ],
    items,
    totalCents: a.dueCents > 0 ? a.dueCents : -a.refundCents,
    tenders: a.dueCents > 0 ? receiptTenders(a.tenders) : refundTenders(a.way),
    changeCents: a.changeCents,
    creditCents: a.creditCents,
    footer: [a.reason, ...ctx.company.footer],
  };
}

export function receivedSlip(
  ctx: ServiceContext,
  a: {
    cashier: Cashier;
    item: CatalogItem;
    serials: string[];
    quantity: number;
    reference: string;
  },
): ReceiptContent {
  return {
    kind: 'stock_received',
    title: 'STOCK RECEIVED',
    notes: [`Shipment ${a.reference}`, `Branch ${ctx.terminal.branch}`],
    items: [
      {
        label: `${String(a.quantity)} x ${a.item.name}`,
        amountCents: 0,
        detail: [`SKU ${a.item.sku}`, ...a.serials.map(serialLine)],
      },
    ],
    totalCents: 0,
    footer: [`Received by ${a.cashier.name} (${a.cashier.id})`],
    offline: false,
  };
}
