/** A bill-payment receipt as the counter composes it (cash and a check, with change), for receipt tests. */
import type { ReceiptModel } from '../../electron/services/receipts/compose.js';

export function receiptModel(overrides: Partial<ReceiptModel> = {}): ReceiptModel {
  return {
    company: {
      name: 'Lakeside Communications',
      address: '200 Main St, Springfield',
      phone: '(217) 555-0100',
    },
    terminal: { code: 'MAIN-02', name: 'Main St counter 2' },
    cashier: { id: '1001', name: 'Dana Whitfield' },
    at: new Date('2026-11-25T15:00:00Z'),
    timeZone: 'America/Chicago',
    receiptNumber: 'MAIN02-000123',
    title: 'BILL PAYMENT',
    account: { number: '1000042517', name: 'Maria Álvarez' },
    items: [{ label: 'Payment on account', amountCents: 7_345 }],
    totalCents: 7_345,
    tenders: [
      { label: 'Cash tendered', amountCents: 5_000 },
      { label: 'Check', amountCents: 5_000, detail: 'Check #1042' },
    ],
    changeCents: 2_655,
    creditCents: 0,
    balanceAfterCents: 0,
    balanceAsOf: '2026-11-25T14:00:00Z',
    offline: false,
    footer: [
      'Equipment returns: 30 days with receipt.',
      'Deposits earn interest; see your terms.',
      'Thank you!',
    ],
    ...overrides,
  };
}
