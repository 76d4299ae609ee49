/**
 * Sync channels: enroll this terminal with the central server (IT admin), the sync monitor (supervisor:
 * what is queued, what was sent, what the server rejected and why, with the event itself) and pull now.
 */
import { z } from 'zod';

import type { ChannelGroup } from '../channel.js';
import { SafeText } from '../schemas.js';

export const SyncStateSchema = z.enum(['online', 'offline', 'server_error', 'not_enrolled']);

export const EnrollmentInfoSchema = z.object({
  serverUrl: z.string(),
  terminalId: z.string(),
  branch: z.string(),
  enrolledAt: z.string(),
});
export type EnrollmentInfo = z.infer<typeof EnrollmentInfoSchema>;

export const ServerUrlSchema = z
  .string()
  .trim()
  .max(200)
  .regex(
    /^https?:\/\/[^\s/?#]+(:\d+)?(\/[^\s?#]*)?$/i,
    'Type the server address, like https://sync.example.com or http://10.0.0.5:5280.',
  );

export const EnrollInputSchema = z
  .object({
    serverUrl: ServerUrlSchema,
    code: z
      .string()
      .trim()
      .max(40)
      .regex(
        /^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/,
        'The enrollment code has 12 letters or digits, like 7K2M-Q9XD-4HBP.',
      ),
  })
  .strict();

const OutboxEntrySchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  /** One line a supervisor can read: "Payment $73.45 to 1000042517 (receipt MAIN02-000001)". */
  summary: z.string(),
});

/** What a supervisor did about a held event: sent it again (and how that went) or resolved it otherwise. */
export const HeldResolutionSchema = z.object({
  kind: z.enum(['retried', 'resolved']),
  at: z.string(),
  by: z.string(),
  note: z.string(),
  /** The new event a retry queued: its seq and where it is (queued, acked, rejected again). */
  retry: z.object({ seq: z.number().int(), state: z.string() }).nullable(),
});
export type HeldResolution = z.infer<typeof HeldResolutionSchema>;

const HeldIdSchema = z.string().trim().min(1).max(64);

export const SyncMonitorSchema = z.object({
  state: SyncStateSchema,
  /** Why the counter is offline or stuck, in words (the server's message when it refused). */
  detail: z.string().nullable(),
  enrollment: EnrollmentInfoSchema.nullable(),
  lastSyncAt: z.string().nullable(),
  lastPullAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  failures: z.number().int(),
  pull: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  counts: z.object({ queued: z.number().int(), sent: z.number().int(), rejected: z.number().int() }),
  oldestQueuedAt: z.string().nullable(),
  queued: z.array(OutboxEntrySchema.extend({ attempts: z.number().int(), lastError: z.string().nullable() })),
  /** Held by the server for review: the open ones first, then those a supervisor retried or resolved. */
  rejected: z.array(
    OutboxEntrySchema.extend({
      code: z.string(),
      message: z.string(),
      /** The event as this terminal sent it. */
      payload: z.unknown(),
      resolution: HeldResolutionSchema.nullable(),
    }),
  ),
  sent: z.array(
    OutboxEntrySchema.extend({ ackedAt: z.string().nullable(), appliedVersion: z.number().int().nullable() }),
  ),
});
export type SyncMonitor = z.infer<typeof SyncMonitorSchema>;

export const PullResultSchema = z.object({
  changes: z.number().int(),
  cursor: z.number().int(),
  lastPullAt: z.string().nullable(),
});
export type PullResult = z.infer<typeof PullResultSchema>;

export const syncChannels = {
  'sync.enrollment': {
    input: z.object({}).strict(),
    output: EnrollmentInfoSchema.nullable(),
    access: ['supervisor', 'admin'],
  },
  'sync.enroll': { input: EnrollInputSchema, output: EnrollmentInfoSchema, access: ['admin'] },
  'sync.monitor': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: SyncMonitorSchema,
    access: ['supervisor', 'admin'],
  },
  /** Sends a held event again (after the server was fixed), as a new event; audited. */
  'sync.retryHeld': {
    input: z.object({ id: HeldIdSchema }).strict(),
    output: z.object({ id: z.string(), retryId: z.string(), retrySeq: z.number().int() }),
    access: ['supervisor', 'admin'],
  },
  /** Marks a held event resolved (handled another way), with the reason; audited. */
  'sync.resolveHeld': {
    input: z
      .object({
        id: HeldIdSchema,
        reason: SafeText(300).pipe(z.string().trim().min(3, 'Say how it was resolved (a few words).')),
      })
      .strict(),
    output: z.object({ id: z.string(), resolvedAt: z.string() }),
    access: ['supervisor', 'admin'],
  },
  /** Pull from the server now (and push whatever is queued); waits for the pull to finish. */
  'sync.pullNow': { input: z.object({}).strict(), output: PullResultSchema, access: ['supervisor', 'admin'] },
} as const satisfies ChannelGroup;
