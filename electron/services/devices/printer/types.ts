import type { DeviceStatusSchema } from '../../../../shared/api/status.js';
import type { z } from 'zod';

export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

/** A receipt printer the counter can send bytes to. `print` rejects with a reason a CSR can read. */
export interface ReceiptPrinterDevice {
  readonly kind: 'virtual' | 'serial' | 'tcp' | 'file';
  print(bytes: Buffer): Promise<void>;
  status(): DeviceStatus;
  close(): Promise<void>;
}

export class DeviceError extends Error {
  /** Some of the bytes reached the printer before it failed: part of a receipt may be in the customer's hand. */
  readonly partial: boolean;
  constructor(message: string, opts: { partial?: boolean } = {}) {
    super(message);
    this.name = 'DeviceError';
    this.partial = opts.partial ?? false;
  }
}
