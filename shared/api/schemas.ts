/** zod schemas for the values that cross the CounterApi: every request, reply and event body. */
import { z } from 'zod';

import { containsCardNumber } from '../validators/luhn.js';

/**
 * Any single amount that crosses a process boundary: whole cents within ±$1,000,000,000. The bound
 * keeps every sum a server or report makes of them (tens of thousands at the limit) a safe integer;
 * an amount near 2^53 from a bent terminal would otherwise be stored and break the first total.
 */
export const MAX_WIRE_CENTS = 100_000_000_000;
export const CentsSchema = z
  .number()
  .int('Amounts are whole cents.')
  .min(-MAX_WIRE_CENTS, 'The amount is out of range.')
  .max(MAX_WIRE_CENTS, 'The amount is out of range.');
export const PositiveCentsSchema = CentsSchema.positive('The amount must be more than zero.').max(
  99_999_999,
  'The amount is too large for the counter.',
);

/** Every free-text field refuses anything that looks like a full card number. */
export const SafeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !containsCardNumber(s), {
      message:
        'Never type a full card number. Use the card terminal; record only brand, last 4 and auth code.',
    });

export const AccountNumberSchema = z.string().regex(/^\d{10}$/, 'An account number has 10 digits.');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const IsoDateTime = z.string().datetime({ offset: true });

export const Role = z.enum(['csr', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

export const CashierSchema = z.object({ id: z.string(), name: z.string(), role: Role });
export type Cashier = z.infer<typeof CashierSchema>;

export const AccountClass = z.enum(['residential', 'commercial']);
export const AccountStatus = z.enum(['active', 'suspended', 'collections', 'closed']);

export const AccountSummarySchema = z.object({
  accountNumber: AccountNumberSchema,
  name: z.string(),
  class: AccountClass,
  status: AccountStatus,
  serviceAddress: z.string(),
  phone: z.string(),
});
export type AccountSummary = z.infer<typeof AccountSummarySchema>;

export const AgingSchema = z.object({
  current: CentsSchema,
  d30: CentsSchema,
  d60: CentsSchema,
  d90: CentsSchema,
});

export const BillLineSchema = z.object({
  category: z.string(),
  description: z.string(),
  amountCents: CentsSchema,
});
export const BillSchema = z.object({
  id: z.string(),
  billDate: IsoDate,
  dueDate: IsoDate,
  totalCents: CentsSchema,
  lines: z.array(BillLineSchema),
});
export type Bill = z.infer<typeof BillSchema>;

export const TenderType = z.enum(['cash', 'check', 'card', 'money_order']);
export type TenderType = z.infer<typeof TenderType>;

export const CardBrand = z.enum(['Visa', 'Mastercard', 'Amex', 'Discover', 'Debit', 'Other']);

export const CashTenderSchema = z.object({ type: z.literal('cash'), amountCents: PositiveCentsSchema });
export const CheckTenderSchema = z.object({
  type: z.literal('check'),
  amountCents: PositiveCentsSchema,
  checkNumber: z.string().regex(/^\d{1,10}$/, 'A check number is 1 to 10 digits.'),
  routingNumber: z.string().regex(/^\d{9}$/, 'A routing number has 9 digits.'),
  bankAccount: SafeText(17).pipe(
    z.string().regex(/^\d{4,17}$/, 'The bank account number is 4 to 17 digits.'),
  ),
});
export const CardTenderSchema = z.object({
  type: z.literal('card'),
  amountCents: PositiveCentsSchema,
  brand: CardBrand,
  last4: z.string().regex(/^\d{4}$/, 'Last 4 is exactly four digits.'),
  authCode: SafeText(12).pipe(
    z.string().regex(/^[A-Za-z0-9]{2,12}$/, 'The auth code is 2 to 12 letters or digits.'),
  ),
});
export const MoneyOrderTenderSchema = z.object({
  type: z.literal('money_order'),
  amountCents: PositiveCentsSchema,
  serial: SafeText(24).pipe(
    z.string().regex(/^[A-Za-z0-9-]{4,24}$/, 'The money order serial is 4 to 24 letters or digits.'),
  ),
});
export const TenderSchema = z.discriminatedUnion('type', [
  CashTenderSchema,
  CheckTenderSchema,
  CardTenderSchema,
  MoneyOrderTenderSchema,
]);
export type Tender = z.infer<typeof TenderSchema>;

export const PaymentSummarySchema = z.object({
  transactionId: z.string(),
  receiptNumber: z.string(),
  accountNumber: AccountNumberSchema,
  accountName: z.string(),
  kind: z.string(),
  amountCents: CentsSchema,
  tenders: z.array(z.object({ type: TenderType, amountCents: CentsSchema, reference: z.string() })),
  changeCents: CentsSchema,
  cashierId: z.string(),
  createdAt: IsoDateTime,
  posted: z.boolean(),
  /** Set when a void reversed this payment (the void's transaction id). */
  voidedBy: z.string().nullable(),
  reversesId: z.string().nullable(),
});
export type PaymentSummary = z.infer<typeof PaymentSummarySchema>;

export const AccountDetailSchema = AccountSummarySchema.extend({
  cashOnly: z.boolean(),
  cashOnlyReason: z.string().nullable(),
  balanceCents: CentsSchema,
  amountDueCents: CentsSchema,
  pastDueCents: CentsSchema,
  aging: AgingSchema,
  depositHeldCents: CentsSchema,
  asOf: IsoDateTime,
  /** Payments taken on this terminal that the server has not confirmed yet. */
  pendingCents: CentsSchema,
  lastBill: BillSchema.nullable(),
  recentPayments: z.array(
    z.object({ date: IsoDate, amountCents: CentsSchema, method: z.string(), where: z.string() }),
  ),
});
export type AccountDetail = z.infer<typeof AccountDetailSchema>;

export const ReceiptSchema = z.object({
  receiptNumber: z.string(),
  transactionId: z.string(),
  duplicate: z.boolean(),
  /** The receipt as the printer received it, decoded back into text lines. */
  lines: z.array(z.string()),
  printed: z.boolean(),
  printError: z.string().nullable(),
});
export type Receipt = z.infer<typeof ReceiptSchema>;
