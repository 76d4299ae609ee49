import { z } from 'zod';

import { DEFAULT_WEDGE_FRAMING, WedgeFramingSchema } from '../devices/settings.js';

export const DeviceState = z.enum([
  'ready',
  'offline',
  'paper_out',
  'cover_open',
  'error',
  'no_status',
  'virtual',
]);

export const DeviceStatusSchema = z.object({
  state: DeviceState,
  label: z.string(),
  detail: z.string().nullable(),
});

export const StatusSchema = z.object({
  printer: DeviceStatusSchema,
  drawer: z.object({
    state: z.enum(['closed', 'open', 'unknown']),
    label: z.string(),
    openSince: z.string().nullable(),
    /** Open longer than the configured alert time ("drawer left open"). */
    leftOpen: z.boolean().default(false),
    detail: z.string().nullable().default(null),
  }),
  /** With the keyboard-wedge framing the screen needs to tell scans from typing. */
  scanner: DeviceStatusSchema.extend({ wedge: WedgeFramingSchema.default(DEFAULT_WEDGE_FRAMING) }),
  sync: z.object({
    /**
     * offline: the server cannot be reached; server_error: it answers but fails or refuses (not a
     * connection problem, receipts do not say OFFLINE); not_enrolled: no server yet.
     */
    state: z.enum(['online', 'offline', 'server_error', 'not_enrolled']),
    queued: z.number().int(),
    oldestQueuedAt: z.string().nullable(),
    lastSyncAt: z.string().nullable(),
    /** Events the server rejected that are held for review here (not yet retried or resolved). */
    rejected: z.number().int(),
    /** Why it is offline or stuck (e.g. the server refused the token), in words. */
    detail: z.string().nullable().default(null),
    /** A first (or large) pull in progress: versions done of total. */
    pull: z.object({ done: z.number().int(), total: z.number().int() }).nullable().default(null),
  }),
  reprintQueue: z.number().int(),
});
export type Status = z.infer<typeof StatusSchema>;
