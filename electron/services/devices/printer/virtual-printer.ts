/**
 * The virtual printer used by `npm start` without device settings: it decodes the ESC/POS bytes it
 * receives, exactly as a real printer would print them, so the CSR sees the receipt on screen.
 */
import { decodeEscPos, type DecodedPrint } from '../../../../shared/escpos/decoder.js';
import type { DeviceStatus, ReceiptPrinterDevice } from './types.js';

export type VirtualJob = { at: Date; bytes: Buffer; decoded: DecodedPrint };

export class VirtualPrinter implements ReceiptPrinterDevice {
  readonly kind = 'virtual' as const;
  readonly jobs: VirtualJob[] = [];
  private readonly keep: number;

  constructor(opts: { keep?: number } = {}) {
    this.keep = opts.keep ?? 50;
  }

  print(bytes: Buffer): Promise<void> {
    this.jobs.push({ at: new Date(), bytes: Buffer.from(bytes), decoded: decodeEscPos(bytes) });
    if (this.jobs.length > this.keep) this.jobs.splice(0, this.jobs.length - this.keep);
    return Promise.resolve();
  }

  get lastJob(): VirtualJob | undefined {
    return this.jobs.at(-1);
  }

  status(): DeviceStatus {
    return { state: 'virtual', label: 'Printer (virtual)', detail: 'Receipts show on screen' };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
