import { z } from 'zod';

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
  }),
  scanner: DeviceStatusSchema,
  sync: z.object({
    state: z.enum(['online', 'offline', 'not_enrolled']),
    queued: z.number().int(),
    oldestQueuedAt: z.string().nullable(),
    lastSyncAt: z.string().nullable(),
    rejected: z.number().int(),
  }),
  reprintQueue: z.number().int(),
});
export type Status = z.infer<typeof StatusSchema>;
