/**
 * Device channels: printer, drawer and scanner settings and tests (IT admin), the no-sale drawer open
 * (supervisor, with a reason) and the reprint queue (any signed-in cashier).
 */
import { z } from 'zod';

import { DeviceSettingsSchema } from '../../devices/settings.js';
import type { ChannelGroup } from '../channel.js';
import { ApprovalSchema } from './till.js';
import { CentsSchema, SafeText } from '../schemas.js';
import { DeviceStatusSchema, StatusSchema } from '../status.js';

const Empty = z.object({}).strict();

export const LastScanSchema = z.object({
  at: z.string(),
  /** The code as read, or null when the line was refused (noise, partial line). */
  code: z.string().nullable(),
  /** What the counter makes of it: "Bill stub: account …", or why it was refused. */
  meaning: z.string(),
});
export type LastScan = z.infer<typeof LastScanSchema>;

/** Everything the Devices screen shows about the devices as they are now. */
export const DevicesInfoSchema = z.object({
  printer: DeviceStatusSchema.extend({ connection: z.string() }),
  drawer: StatusSchema.shape.drawer.extend({ connection: z.string() }),
  scanner: DeviceStatusSchema.extend({ connection: z.string() }),
  lastScan: LastScanSchema.nullable(),
  /** When and by whom the settings were last saved (null: never, the defaults are in use). */
  savedAt: z.string().nullable(),
  savedBy: z.string().nullable(),
});
export type DevicesInfo = z.infer<typeof DevicesInfoSchema>;

export const SerialPortInfoSchema = z.object({
  path: z.string(),
  manufacturer: z.string().nullable(),
  serialNumber: z.string().nullable(),
  vendorId: z.string().nullable(),
  productId: z.string().nullable(),
  /** Where the path came from: the OS port list, or a scan of /dev when that list is unavailable. */
  source: z.enum(['list', 'dev']),
});
export type SerialPortInfo = z.infer<typeof SerialPortInfoSchema>;

export const DeviceTestResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  /** The test page as the printer was sent it, decoded (printer test). */
  lines: z.array(z.string()).optional(),
});
export type DeviceTestResult = z.infer<typeof DeviceTestResultSchema>;

export const QueuedReceiptSchema = z.object({
  receiptNumber: z.string(),
  createdAt: z.string(),
  accountNumber: z.string().nullable(),
  accountName: z.string().nullable(),
  amountCents: CentsSchema,
  /** Why the last print failed, as the printer side reported it. */
  reason: z.string(),
  /** 0: the customer never got it (it prints as the original); more: a reprint failed (DUPLICATE). */
  printCount: z.number().int(),
});
export type QueuedReceipt = z.infer<typeof QueuedReceiptSchema>;

export const PrintQueueResultSchema = z.object({
  printed: z.array(z.object({ receiptNumber: z.string(), duplicate: z.boolean() })),
  /** The receipt that stopped the run (the printer failed again), with the reason. */
  failed: z.object({ receiptNumber: z.string(), reason: z.string() }).nullable(),
  remaining: z.number().int(),
});
export type PrintQueueResult = z.infer<typeof PrintQueueResultSchema>;

export const deviceChannels = {
  'devices.info': {
    input: Empty,
    output: z.object({ settings: DeviceSettingsSchema, info: DevicesInfoSchema }),
    access: ['admin'],
  },
  'devices.saveSettings': {
    input: z.object({ settings: DeviceSettingsSchema }).strict(),
    output: z.object({ settings: DeviceSettingsSchema, info: DevicesInfoSchema }),
    access: ['admin'],
  },
  'devices.ports': {
    input: Empty,
    output: z.object({
      ports: z.array(SerialPortInfoSchema),
      /** Why the OS port list is unavailable (e.g. udevadm missing): the admin types the path. */
      listError: z.string().nullable(),
    }),
    access: ['admin'],
  },
  'devices.test': {
    input: z.object({ device: z.enum(['printer', 'drawer', 'scanner']) }).strict(),
    output: DeviceTestResultSchema,
    access: ['admin'],
  },
  'devices.noSaleOpen': {
    input: z
      .object({
        reason: SafeText(120).pipe(
          z.string().trim().min(3, 'Say why the drawer is opened without a sale (3 characters or more).'),
        ),
        /** A CSR needs a supervisor's ID and PIN typed at the counter; a signed-in supervisor approves their own. */
        approval: ApprovalSchema.optional(),
      })
      .strict(),
    output: z.object({ opened: z.boolean(), message: z.string() }),
    access: ['csr', 'supervisor'],
  },
  'devices.reprintQueue': {
    input: Empty,
    output: z.object({ items: z.array(QueuedReceiptSchema) }),
    access: 'signedIn',
  },
  'devices.printQueue': {
    input: Empty,
    output: PrintQueueResultSchema,
    access: 'signedIn',
  },
} as const satisfies ChannelGroup;
