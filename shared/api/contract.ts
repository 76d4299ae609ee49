/**
 * The CounterApi contract: every call the renderer can make and every event the host sends, as zod
 * schemas. The Electron main process and the browser host register the same handler map built from
 * this contract; the renderer client is typed by it. Nothing crosses the boundary unvalidated.
 */
import { z } from 'zod';

import {
  AccountDetailSchema,
  AccountNumberSchema,
  AccountSummarySchema,
  CashierSchema,
  PaymentSummarySchema,
  PositiveCentsSchema,
  ReceiptSchema,
  SafeText,
  TenderSchema,
} from './schemas.js';
import { SerialScanEventSchema } from '../devices/scan-line.js';
import { PrepayReasonSchema } from '../domain/overpay.js';
import type { ChannelGroup } from './channel.js';
import { adjustmentChannels } from './channels/adjustments.js';
import { deviceChannels, DevicesInfoSchema } from './channels/devices.js';
import { depositChannels } from './channels/deposits.js';
import { equipmentChannels } from './channels/equipment.js';
import { returnsChannels } from './channels/returns.js';
import { syncChannels } from './channels/sync.js';
import { tillChannels } from './channels/till.js';
import { StatusSchema } from './status.js';

export type { Access, ChannelDef } from './channel.js';

const Empty = z.object({}).strict();

export const TerminalInfoSchema = z.object({
  code: z.string(),
  name: z.string(),
  branch: z.string(),
  companyName: z.string(),
});

export const SessionStateSchema = z.object({
  cashier: CashierSchema.nullable(),
  terminal: TerminalInfoSchema,
  idleLockSeconds: z.number().int().positive(),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export const ScanRouteSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('account'),
    accountNumber: AccountNumberSchema,
    amountDueCents: z.number().int(),
    source: z.literal('billStub'),
  }),
  z.object({ kind: z.literal('receipt'), receiptNumber: z.string() }),
  z.object({ kind: z.literal('gtin'), code: z.string() }),
  z.object({ kind: z.literal('serial'), code: z.string() }),
  z.object({ kind: z.literal('unknown'), code: z.string(), message: z.string() }),
]);
export type ScanRoute = z.infer<typeof ScanRouteSchema>;

export const PostPaymentInputSchema = z
  .object({
    /** Made by the screen once per payment attempt: a retried call returns the first result. */
    requestId: z.uuid(),
    accountNumber: AccountNumberSchema,
    amountCents: PositiveCentsSchema,
    tenders: z.array(TenderSchema).min(1, 'Add a tender: cash, check, card or money order.').max(8),
    confirmOvertenderCredit: z.boolean().default(false),
    /** The amount is above what the account owes: the CSR confirmed the rest is credit, not change. */
    confirmCreditBalance: z.boolean().default(false),
    /** Required when the account owes nothing (zero or credit balance): why the customer pays ahead. */
    prepayReason: PrepayReasonSchema.optional(),
    note: SafeText(200).optional(),
  })
  .strict();
export type PostPaymentInput = z.input<typeof PostPaymentInputSchema>;

export const PostPaymentOutputSchema = z.object({
  payment: PaymentSummarySchema,
  receipt: ReceiptSchema,
  account: AccountDetailSchema,
  drawerOpened: z.boolean(),
});
export type PostPaymentOutput = z.infer<typeof PostPaymentOutputSchema>;

export const TodaySchema = z.object({
  businessDate: z.string(),
  payments: z.array(PaymentSummarySchema),
  totals: z.object({
    count: z.number().int(),
    amountCents: z.number().int(),
    byTender: z.array(z.object({ type: z.string(), count: z.number().int(), amountCents: z.number().int() })),
  }),
});
export type Today = z.infer<typeof TodaySchema>;

export const coreChannels = {
  'session.state': { input: Empty, output: SessionStateSchema, access: 'public' },
  'session.signIn': {
    input: z
      .object({
        cashierId: z
          .string()
          .trim()
          .regex(/^\d{3,8}$/, 'Cashier ID is 3 to 8 digits.'),
        pin: z.string().regex(/^\d{4,8}$/, 'The PIN is 4 to 8 digits.'),
      })
      .strict(),
    output: SessionStateSchema,
    access: 'public',
  },
  'session.signOut': { input: Empty, output: SessionStateSchema, access: 'public' },
  'status.get': { input: Empty, output: StatusSchema, access: 'signedIn' },
  'accounts.search': {
    input: z
      .object({
        query: SafeText(80).pipe(z.string().trim().min(1, 'Type at least one character.')),
        limit: z.number().int().min(1).max(50).default(20),
      })
      .strict(),
    output: z.object({ results: z.array(AccountSummarySchema), exact: z.boolean() }),
    access: 'signedIn',
  },
  'accounts.get': {
    input: z.object({ accountNumber: AccountNumberSchema }).strict(),
    output: AccountDetailSchema,
    access: 'signedIn',
  },
  'scan.resolve': {
    input: z.object({ code: z.string().max(128) }).strict(),
    output: ScanRouteSchema,
    access: 'signedIn',
  },
  'payments.post': {
    input: PostPaymentInputSchema,
    output: PostPaymentOutputSchema,
    access: ['csr', 'supervisor'],
  },
  'payments.today': { input: Empty, output: TodaySchema, access: 'signedIn' },
  'receipts.get': {
    input: z.object({ receiptNumber: z.string().max(32) }).strict(),
    output: ReceiptSchema,
    access: 'signedIn',
  },
  'receipts.reprint': {
    /** Without a number: the last receipt printed on this terminal. */
    input: z.object({ receiptNumber: z.string().max(32).optional() }).strict(),
    output: ReceiptSchema,
    access: ['csr', 'supervisor'],
  },
} as const satisfies ChannelGroup;

/** Every channel: the core (session, accounts, payments, receipts) plus the groups in ./channels/. */
export const contract = {
  ...coreChannels,
  ...deviceChannels,
  ...syncChannels,
  ...tillChannels,
  ...equipmentChannels,
  ...depositChannels,
  ...adjustmentChannels,
  ...returnsChannels,
} as const satisfies ChannelGroup;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const events = {
  'receipt.printed': ReceiptSchema,
  'status.changed': StatusSchema,
  'session.changed': SessionStateSchema,
  /** A code (or a refused line) from the serial scanner; the renderer routes it like a wedge scan. */
  'scanner.scan': SerialScanEventSchema,
  /** Device state changed (connected, unplugged, paper out, drawer opened, last scan …). */
  'devices.changed': DevicesInfoSchema,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
