/**
 * Till control: open with a counted float, drops, paid-outs, voids, refunds, the blind close and its Z
 * report, the supervisor's view of every till on the terminal, and the audit chain check.
 */
import { z } from 'zod';

import { CountsSchema, CurrencyConfigSchema } from '../../domain/currency.js';
import type { ChannelGroup } from '../channel.js';
import {
  AccountNumberSchema,
  CentsSchema,
  PositiveCentsSchema,
  ReceiptSchema,
  SafeText,
} from '../schemas.js';

/** A supervisor's ID and PIN typed at the counter to approve an exception. */
export const ApprovalSchema = z
  .object({
    supervisorId: z
      .string()
      .trim()
      .regex(/^\d{3,8}$/, 'Supervisor ID is 3 to 8 digits.'),
    pin: z.string().regex(/^\d{4,8}$/, 'The PIN is 4 to 8 digits.'),
  })
  .strict();
export type Approval = z.infer<typeof ApprovalSchema>;

const Reason = SafeText(200).pipe(z.string().trim().min(3, 'Give a reason (a few words).'));

export const TallySchema = z.object({
  count: z.number().int().min(0),
  cents: CentsSchema.min(0, 'A total cannot be negative.'),
});

export const TillSummarySchema = z.object({
  id: z.string(),
  cashierId: z.string(),
  cashierName: z.string(),
  status: z.enum(['open', 'closed']),
  businessDate: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  floatCents: CentsSchema,
  /** The drawer holds more cash than the configured maximum: drop some. */
  overMaxCash: z.boolean(),
  zNumber: z.string().nullable(),
});
export type TillSummary = z.infer<typeof TillSummarySchema>;

export const TillFiguresSchema = z.object({
  floatCents: CentsSchema,
  payments: TallySchema,
  byTender: z.array(z.object({ type: z.string(), count: z.number().int(), cents: CentsSchema })),
  voids: TallySchema,
  refunds: TallySchema,
  drops: TallySchema,
  paidOuts: TallySchema,
  /**
   * What other capabilities moved in this till, one line each as they declare it (deposits collected,
   * equipment returns …): `key` names the line, `cents` may be negative (a return that owed fees).
   */
  lines: z.array(
    z.object({ key: z.string(), label: z.string(), count: z.number().int(), cents: CentsSchema }),
  ),
  expectedCashCents: CentsSchema,
  expectedChecks: TallySchema,
  expectedMoneyOrders: TallySchema,
  expectedCardCents: CentsSchema,
});

/** A till in the supervisor's list of the terminal's tills, with its figures. */
export const TillListEntrySchema = TillSummarySchema.extend({
  figures: TillFiguresSchema,
  overShortCents: CentsSchema.nullable(),
  approvedBy: z.string().nullable(),
});
export type TillListEntry = z.infer<typeof TillListEntrySchema>;
export type TillFigures = z.infer<typeof TillFiguresSchema>;

export const CloseFiguresSchema = z.object({
  cash: z.object({ expectedCents: CentsSchema, countedCents: CentsSchema, differenceCents: CentsSchema }),
  checks: z.object({
    expected: TallySchema,
    counted: TallySchema,
    differenceCents: CentsSchema,
    countDifference: z.number().int(),
  }),
  moneyOrders: z.object({
    expected: TallySchema,
    counted: TallySchema,
    differenceCents: CentsSchema,
    countDifference: z.number().int(),
  }),
  card: z.object({ expectedCents: CentsSchema, batchCents: CentsSchema, differenceCents: CentsSchema }),
  overShortCents: CentsSchema,
  needsSupervisor: z.boolean(),
  reasons: z.array(z.string()),
});

export const ZReportSchema = z.object({
  zNumber: z.string(),
  tillId: z.string(),
  lines: z.array(z.string()),
  pdfPath: z.string(),
  printed: z.boolean(),
  printError: z.string().nullable(),
});
export type ZReport = z.infer<typeof ZReportSchema>;

const CloseInputSchema = z
  .object({
    cashCounts: CountsSchema,
    checks: TallySchema,
    moneyOrders: TallySchema,
    cardBatchCents: CentsSchema.min(0, 'The card batch total cannot be negative.'),
    note: SafeText(300).optional(),
    approval: ApprovalSchema.optional(),
  })
  .strict();

export const tillChannels = {
  'till.config': {
    input: z.object({}).strict(),
    output: z.object({
      currency: CurrencyConfigSchema,
      overShortToleranceCents: CentsSchema,
      maxDrawerCashCents: CentsSchema,
      refundApprovalOverCents: CentsSchema,
    }),
    access: 'signedIn',
  },
  'till.current': { input: z.object({}).strict(), output: TillSummarySchema.nullable(), access: 'signedIn' },
  'till.open': {
    input: z.object({ counts: CountsSchema }).strict(),
    output: TillSummarySchema,
    access: ['csr', 'supervisor'],
  },
  'till.drop': {
    input: z
      .object({ requestId: z.uuid(), counts: CountsSchema, approval: ApprovalSchema.optional() })
      .strict(),
    output: z.object({ transactionId: z.string(), amountCents: CentsSchema, receipt: ReceiptSchema }),
    access: ['csr', 'supervisor'],
  },
  'till.paidOut': {
    input: z
      .object({
        requestId: z.uuid(),
        amountCents: PositiveCentsSchema,
        reason: Reason,
        approval: ApprovalSchema.optional(),
      })
      .strict(),
    output: z.object({ transactionId: z.string(), amountCents: CentsSchema, receipt: ReceiptSchema }),
    access: ['csr', 'supervisor'],
  },
  'till.close': {
    input: CloseInputSchema,
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('needs_supervisor'), figures: CloseFiguresSchema }),
      z.object({ status: z.literal('closed'), figures: CloseFiguresSchema, z: ZReportSchema }),
    ]),
    access: ['csr', 'supervisor'],
  },
  'till.list': {
    input: z.object({ businessDate: z.string().optional() }).strict(),
    output: z.object({ tills: z.array(TillListEntrySchema) }),
    access: ['supervisor', 'admin'],
  },
  'till.zReport': {
    input: z.object({ tillId: z.string(), reprint: z.boolean().default(false) }).strict(),
    output: ZReportSchema,
    access: 'signedIn',
  },
  'payments.void': {
    input: z
      .object({ transactionId: z.string(), reason: Reason, approval: ApprovalSchema.optional() })
      .strict(),
    output: z.object({ voidTransactionId: z.string(), receipt: ReceiptSchema, drawerOpened: z.boolean() }),
    access: ['csr', 'supervisor'],
  },
  'refunds.post': {
    input: z
      .object({
        requestId: z.uuid(),
        accountNumber: AccountNumberSchema,
        amountCents: PositiveCentsSchema,
        method: z.enum(['cash', 'check_request']),
        reason: Reason,
        approval: ApprovalSchema.optional(),
      })
      .strict(),
    output: z.object({ transactionId: z.string(), receipt: ReceiptSchema, drawerOpened: z.boolean() }),
    access: ['csr', 'supervisor'],
  },
  'audit.verify': {
    input: z.object({}).strict(),
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      brokenAt: z.number().int().optional(),
      id: z.string().optional(),
      reason: z.string().optional(),
      /** The log against the server's anchor of it, in words; anchorOk null when not compared. */
      anchor: z.string(),
      anchorOk: z.boolean().nullable(),
    }),
    access: ['supervisor', 'admin'],
  },
} as const satisfies ChannelGroup;
