/**
 * The sync protocol between a counter and the central server (DESIGN.md §4), as zod schemas used by
 * both ends: enrollment, push (the terminal's outbox, in `seq` order) and pull (the server's change log,
 * in `version` order). Money inside payloads is integer cents; versions and seqs are integers.
 */
import { z } from 'zod';

import { AccountNumberSchema, CentsSchema, IsoDate } from '../api/schemas.js';
import {
  EquipmentAssignmentDataSchema,
  EquipmentStockDataSchema,
  EquipmentStockLevelDataSchema,
} from './equipment.js';
import { DepositDataSchema } from './deposits.js';

/** Most events one push may carry; most changes one pull page may return. */
export const MAX_PUSH_EVENTS = 1000;
export const MAX_PULL_LIMIT = 5000;
export const DEFAULT_PULL_LIMIT = 1000;

export const TerminalCodeSchema = z.string().regex(/^[A-Z][A-Z0-9-]{1,11}$/, 'A terminal code like MAIN-02.');
export const BranchSchema = z.string().regex(/^[A-Z0-9]{2,12}$/, 'A branch code like MAIN.');
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
/** A terminal's bearer token: `ct1.` + 43 base64url characters (32 random bytes). */
export const TokenSchema = z.string().regex(/^ct1\.[A-Za-z0-9_-]{43}$/);
export const BearerHeaderSchema = z
  .string()
  .max(200)
  .regex(/^Bearer ct1\.[A-Za-z0-9_-]{43}$/);

/** An enrollment code as an admin reads it out: 12 letters/digits, dashes and spaces ignored. */
export function normalizeEnrollCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

// ---- enroll ----

export const EnrollRequestSchema = z
  .object({
    code: z
      .string()
      .max(40)
      .transform(normalizeEnrollCode)
      .pipe(z.string().regex(/^[0-9A-Z]{12}$/, 'An enrollment code has 12 letters or digits.')),
    terminalCode: TerminalCodeSchema,
    terminalName: z.string().min(1).max(60),
    branch: BranchSchema,
    /** The `seq` of the first event this terminal will push (1 on a new counter). */
    nextSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type EnrollRequest = z.input<typeof EnrollRequestSchema>;

export const EnrollResponseSchema = z.object({
  terminalId: z.string(),
  token: TokenSchema,
  branch: BranchSchema,
  serverId: z.string(),
  enrolledAt: IsoDateTimeSchema,
});
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

// ---- push ----

export const PushEventSchema = z
  .object({
    id: z.string().min(1).max(64),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    type: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z][a-z0-9_.]*$/),
    /** Validated per event type by the server's applier: a bad payload is a rejection, not a 400. */
    payload: z.unknown(),
    occurredAt: IsoDateTimeSchema,
  })
  .strict();
export type PushEvent = z.infer<typeof PushEventSchema>;

/**
 * The head of the terminal's hash-chained audit log: the last entry's number and hash. The server keeps
 * it as an anchor, so a log cut short or rewritten (with its chain recomputed) on the counter no longer
 * matches what the server saw.
 */
export const AuditHeadSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type AuditHead = z.infer<typeof AuditHeadSchema>;

export const PushRequestSchema = z
  .object({
    terminalId: z.string().min(1).max(64),
    events: z.array(PushEventSchema).min(1).max(MAX_PUSH_EVENTS),
    /** Absent from counters that predate anchoring. */
    auditHead: AuditHeadSchema.optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    for (let i = 1; i < req.events.length; i++) {
      if (req.events[i]!.seq !== req.events[i - 1]!.seq + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'seq'],
          message: 'Events must be in seq order with no gaps inside a batch.',
        });
        return;
      }
    }
  });
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const AckSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  /** The change-log version that carries this event's effect on the replica (payments). */
  appliedVersion: z.number().int().optional(),
});
export const RejectionSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  code: z.string(),
  message: z.string(),
});
export type Rejection = z.infer<typeof RejectionSchema>;

export const PushResponseSchema = z.object({
  acked: z.array(AckSchema),
  rejected: z.array(RejectionSchema),
  /** The terminal's last applied seq on the server after this push. */
  lastSeq: z.number().int(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

// ---- audit anchor ----

/** A head sent on its own, when the log moved but there was nothing to push (sign-ins, reprints…). */
export const AnchorRequestSchema = z
  .object({ terminalId: z.string().min(1).max(64), auditHead: AuditHeadSchema })
  .strict();
export type AnchorRequest = z.infer<typeof AnchorRequestSchema>;

export const AnchorSchema = AuditHeadSchema.extend({ receivedAt: z.string() });
export type Anchor = z.infer<typeof AnchorSchema>;

/** The server's latest anchor of this terminal's log (null before its first). */
export const AnchorResponseSchema = z.object({ anchor: AnchorSchema.nullable() });
export type AnchorResponse = z.infer<typeof AnchorResponseSchema>;

// ---- pull ----

export const PullQuerySchema = z
  .object({
    cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  })
  .strict();

export const ReplicaEntitySchema = z.enum([
  'account',
  'bill',
  'open_item',
  'account_payment',
  'cashier',
  'policy',
  'equipment_stock',
  'equipment_stock_level',
  'equipment_assignment',
  'deposit',
]);
export type ReplicaEntity = z.infer<typeof ReplicaEntitySchema>;

export const AccountDataSchema = z.object({
  accountNumber: AccountNumberSchema,
  name: z.string(),
  class: z.enum(['residential', 'commercial']),
  status: z.enum(['active', 'suspended', 'collections', 'closed']),
  serviceAddress: z.string(),
  phone: z.string(),
  phoneDigits: z.string(),
  cashOnly: z.boolean(),
  cashOnlyReason: z.string().nullable(),
  balanceCents: CentsSchema,
  depositHeldCents: CentsSchema,
});
export type AccountData = z.infer<typeof AccountDataSchema>;

export const BillDataSchema = z.object({
  id: z.string(),
  accountNumber: AccountNumberSchema,
  billDate: IsoDate,
  dueDate: IsoDate,
  totalCents: CentsSchema,
  lines: z.array(z.object({ category: z.string(), description: z.string(), amountCents: CentsSchema })),
});
export type BillData = z.infer<typeof BillDataSchema>;

export const OpenItemDataSchema = z.object({
  id: z.string(),
  accountNumber: AccountNumberSchema,
  billId: z.string().nullable(),
  category: z.string(),
  dueDate: IsoDate,
  openCents: CentsSchema,
  /** Not grounds for disconnection (collections leaves it out); absent = false. */
  notDisconnectable: z.boolean().optional(),
});
export type OpenItemData = z.infer<typeof OpenItemDataSchema>;

export const AccountPaymentDataSchema = z.object({
  id: z.string(),
  accountNumber: AccountNumberSchema,
  paidOn: IsoDate,
  amountCents: CentsSchema,
  method: z.string(),
  channel: z.string(),
});
export type AccountPaymentData = z.infer<typeof AccountPaymentDataSchema>;

export const CashierDataSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['csr', 'supervisor', 'admin']),
  /**
   * This terminal's PIN verifier (never the PIN, never the server's PIN hash): a value only this
   * terminal can check a PIN against; see shared/node/pin-verifier.ts.
   */
  pinVerifier: z.string(),
  active: z.boolean(),
});
export type CashierData = z.infer<typeof CashierDataSchema>;

export const PolicyDataSchema = z.object({ key: z.string(), value: z.string() });
export type PolicyData = z.infer<typeof PolicyDataSchema>;

export const ReplicaDataSchemas = {
  account: AccountDataSchema,
  bill: BillDataSchema,
  open_item: OpenItemDataSchema,
  account_payment: AccountPaymentDataSchema,
  cashier: CashierDataSchema,
  policy: PolicyDataSchema,
  equipment_stock: EquipmentStockDataSchema,
  equipment_stock_level: EquipmentStockLevelDataSchema,
  equipment_assignment: EquipmentAssignmentDataSchema,
  deposit: DepositDataSchema,
} as const satisfies Record<ReplicaEntity, z.ZodType>;
export type ReplicaData<E extends ReplicaEntity> = z.infer<(typeof ReplicaDataSchemas)[E]>;

export const ChangeSchema = z.object({
  version: z.number().int().positive(),
  entity: ReplicaEntitySchema,
  key: z.string(),
  op: z.enum(['upsert', 'delete']),
  /** The row as it is now (upsert) or null (delete); validated per entity when applied. */
  data: z.unknown(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const PullResponseSchema = z.object({
  changes: z.array(ChangeSchema),
  /** Pass it back as `cursor` to get what follows. */
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
  /** The newest version the server has committed (progress of a first pull). */
  head: z.number().int().min(0),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

// ---- errors ----

export const ServerErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** With SEQ_GAP: the seq the server expects next (resend from there). */
    expectedSeq: z.number().int().optional(),
  }),
});
export type ServerErrorBody = z.infer<typeof ServerErrorBodySchema>;

// ---- till reconciliation (day-end closing) ----

export const TenderTotalSchema = z.object({ type: z.string(), count: z.number().int(), cents: CentsSchema });

export const TillReconciliationSchema = z.object({
  tillId: z.string(),
  terminalId: z.string(),
  terminalCode: z.string(),
  businessDate: z.string(),
  closedAt: z.string(),
  status: z.enum(['balanced', 'differences']),
  /** Per tender: what the till's closing event says, what the server applied, and the difference. */
  lines: z.array(
    z.object({
      type: z.string(),
      terminal: TenderTotalSchema,
      server: TenderTotalSchema,
      differenceCents: CentsSchema,
      countDifference: z.number().int(),
    }),
  ),
});
export type TillReconciliation = z.infer<typeof TillReconciliationSchema>;

// ---- snapshot (a new terminal's first pull, GET /v1/sync/snapshot) ----
// A gzip'd NDJSON stream read in ONE consistent read of the change log: a header line, one line per
// entity that exists at that version, and an end line. Without the end line the stream was cut short.

export const SnapshotQuerySchema = z
  .object({
    /** Resume after this entity/key (the last line a previous, interrupted stream delivered). */
    afterEntity: ReplicaEntitySchema.optional(),
    afterKey: z.string().max(200).optional(),
  })
  .strict()
  .refine((q) => (q.afterEntity === undefined) === (q.afterKey === undefined), {
    message: 'afterEntity and afterKey go together.',
  });
export type SnapshotQuery = z.infer<typeof SnapshotQuerySchema>;

export const SnapshotHeaderSchema = z.object({
  /** The change-log version the snapshot is consistent at: pull continues after it. */
  version: z.number().int().min(0),
  /** How many entity lines follow. */
  total: z.number().int().min(0),
});
export const SnapshotRowSchema = z.object({
  entity: ReplicaEntitySchema,
  key: z.string(),
  version: z.number().int().positive(),
  data: z.unknown(),
});
export type SnapshotRow = z.infer<typeof SnapshotRowSchema>;
export const SnapshotEndSchema = z.object({ end: z.literal(true), count: z.number().int().min(0) });
