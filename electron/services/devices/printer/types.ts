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
  constructor(message: string) {
    super(message);
    this.name = 'DeviceError';
  }
}
