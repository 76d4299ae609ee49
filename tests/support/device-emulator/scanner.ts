/** An emulated serial barcode scanner: "scans" by writing the code and its suffix to the counter. */
import type { EmulatorCore, SerialEndpoint } from './endpoint.js';

export type Suffix = 'crlf' | 'cr' | 'lf' | 'none';
const SUFFIX: Record<Suffix, string> = { crlf: '\r\n', cr: '\r', lf: '\n', none: '' };

export class ScannerEmulator implements EmulatorCore {
  endpoint: SerialEndpoint | null = null;
  /** Bytes the counter sent to the scanner (it should send none). */
  received = 0;

  receive(chunk: Buffer): void {
    this.received += chunk.length;
  }

  async scan(code: string, suffix: Suffix = 'crlf'): Promise<void> {
    await this.raw(Buffer.from(code + SUFFIX[suffix], 'latin1'));
  }

  async raw(bytes: Buffer | string): Promise<void> {
    if (!this.endpoint) throw new Error('scanner emulator has no endpoint');
    await this.endpoint.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }
}
