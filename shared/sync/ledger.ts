/**
 * `ledger.posted`: the one envelope every ledger transaction travels in, whatever posted it (a payment,
 * a till slip, a deposit, an equipment handover …). The envelope carries what every ledger transaction
 * has (who, where, when, the amounts, the tenders and the balanced journal); `detail` carries what the
 * posting capability adds, validated by that capability's schema (shared/sync/details.ts). The server
 * checks and writes the envelope once and hands the detail to the capability's own applier.
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, IsoDate, type Tender } from '../api/schemas.js';
import { LedgerDetailSchema } from './details.js';

export const JournalLineSchema = z.object({
  ledgerAccount: z.string(),
  cents: CentsSchema,
  memo: z.string(),
});

/**
 * A tender row: what was tendered (`amountCents`) and what stayed after change (`netCents`; negative
 * when money went out). The reference fields travel when the counter took them (a check's numbers,
 * a card's brand, last 4 and authorization, a money order's serial); a check's bank account is cut to
 * its last 4 digits before it leaves the counter (redact.ts).
 */
export const LedgerTenderSchema = z.object({
  type: z.string(),
  amountCents: CentsSchema,
  netCents: CentsSchema,
  checkNumber: z.string().max(10).optional(),
  routingNumber: z.string().max(9).optional(),
  bankAccount: z.string().max(17).optional(),
  cardBrand: z.string().max(16).optional(),
  cardLast4: z.string().max(4).optional(),
  authCode: z.string().max(12).optional(),
  moneyOrderSerial: z.string().max(24).optional(),
});
export type LedgerTender = z.infer<typeof LedgerTenderSchema>;

export const LedgerPostedSchema = z.object({
  transactionId: z.string(),
  requestId: z.string(),
  /** The posting that made it (the counter's `definePosting` name). */
  posting: z.string(),
  /** The transaction's kind (payment, drop, void, deposit, eq_order …): what the capability allows. */
  kind: z.string().min(1),
  accountNumber: AccountNumberSchema.nullable(),
  amountCents: CentsSchema,
  appliedCents: CentsSchema,
  changeCents: CentsSchema,
  creditCents: CentsSchema,
  tenders: z.array(LedgerTenderSchema),
  journal: z.array(JournalLineSchema),
  reversesId: z.string().nullable(),
  reason: z.string().nullable(),
  approvedBy: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  cashierId: z.string(),
  terminalCode: z.string(),
  branch: z.string(),
  tillId: z.string().nullable(),
  businessDate: IsoDate,
  createdAt: z.string(),
  detail: LedgerDetailSchema,
});
export type LedgerPosted = z.infer<typeof LedgerPostedSchema>;

/** A tender row as the customer handed it over (the shape the shared tender rules settle). */
export function tenderedOf(t: LedgerTender): Tender {
  switch (t.type) {
    case 'check':
      return {
        type: 'check',
        amountCents: t.amountCents,
        checkNumber: t.checkNumber ?? '',
        routingNumber: t.routingNumber ?? '',
        bankAccount: t.bankAccount ?? '',
      };
    case 'card':
      return {
        type: 'card',
        amountCents: t.amountCents,
        brand: (t.cardBrand ?? '') as Extract<Tender, { type: 'card' }>['brand'],
        last4: t.cardLast4 ?? '',
        authCode: t.authCode ?? '',
      };
    case 'money_order':
      return { type: 'money_order', amountCents: t.amountCents, serial: t.moneyOrderSerial ?? '' };
    default:
      return { type: t.type as 'cash', amountCents: t.amountCents };
  }
}

/** A tender row's reference fields from the tender the customer handed over (none for cash). */
export function tenderReferences(t: Tender): Omit<LedgerTender, 'type' | 'amountCents' | 'netCents'> {
  switch (t.type) {
    case 'cash':
      return {};
    case 'check':
      return { checkNumber: t.checkNumber, routingNumber: t.routingNumber, bankAccount: t.bankAccount };
    case 'card':
      return { cardBrand: t.brand, cardLast4: t.last4, authCode: t.authCode };
    case 'money_order':
      return { moneyOrderSerial: t.serial };
  }
}

/** The one-line reference the server keeps with a tender row. */
export function tenderReference(t: LedgerTender): string | null {
  switch (t.type) {
    case 'check':
      return t.checkNumber ? `check ${t.checkNumber}` : null;
    case 'card':
      return t.cardBrand ? `${t.cardBrand} ${t.cardLast4 ?? ''} ${t.authCode ?? ''}` : null;
    case 'money_order':
      return t.moneyOrderSerial ? `money order ${t.moneyOrderSerial}` : null;
    default:
      return null;
  }
}
