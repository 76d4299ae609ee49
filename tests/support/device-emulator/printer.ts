/**
 * An emulated ESC/POS receipt printer. It decodes what it receives back into text lines, cuts,
 * barcodes and drawer kicks (shared/escpos/decoder.ts, streaming: a receipt arrives in pieces), and
 * answers DLE EOT n with status bytes built from its state, or stays silent like a printer without
 * status support. Its own encoder (below) is independent of the counter's decoder, so a test
 * compares two implementations of the bit layout.
 */
import { EscPosDecoder, type EscPosEvent } from '../../../shared/escpos/decoder.js';
import type { EmulatorCore } from './endpoint.js';

export type PrinterState = {
  online: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** The drawer on the printer's DK port (sensor high when open). */
  drawerOpen: boolean;
  cutterJammed: boolean;
  /** Never answers DLE EOT (many cheap printers, or status switched off). */
  silent: boolean;
  /** A kick opens the emulated drawer. */
  kickOpensDrawer: boolean;
};

export const ONLINE: PrinterState = {
  online: true,
  paperOut: false,
  paperNearEnd: false,
  coverOpen: false,
  drawerOpen: false,
  cutterJammed: false,
  silent: false,
  kickOpensDrawer: true,
};

/** The byte a real printer answers to DLE EOT n in `s` (fixed bits 0x12 always set). */
export function encodeStatus(n: number, s: PrinterState): number {
  const offline = !s.online || s.coverOpen || s.paperOut || s.cutterJammed;
  switch (n) {
    case 1:
      return 0x12 | (s.drawerOpen ? 0x04 : 0) | (offline ? 0x08 : 0);
    case 2:
      return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.cutterJammed ? 0x40 : 0);
    case 3:
      return 0x12 | (s.cutterJammed ? 0x08 : 0);
    case 4:
      return 0x12 | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    default:
      return 0x12;
  }
}

export class PrinterEmulator implements EmulatorCore {
  state: PrinterState = { ...ONLINE };
  events: EscPosEvent[] = [];
  bytes = 0;
  statusRequests = 0;
  private decoder = new EscPosDecoder();
  private waiters: (() => void)[] = [];

  receive(chunk: Buffer, reply: (bytes: Buffer) => void): void {
    this.bytes += chunk.length;
    for (const e of this.decoder.feed(chunk)) {
      if (e.kind === 'status-request') {
        this.statusRequests++;
        if (!this.state.silent) reply(Buffer.from([encodeStatus(e.n, this.state)]));
        continue;
      }
      if (e.kind === 'kick' && this.state.kickOpensDrawer) this.state.drawerOpen = true;
      this.events.push(e);
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Forget what was printed (and any half-received command: a fresh printer after power-up). */
  reset(): void {
    this.events = [];
    this.bytes = 0;
    this.statusRequests = 0;
    this.decoder = new EscPosDecoder();
  }

  lines(): string[] {
    return this.events.flatMap((e) =>
      e.kind === 'line'
        ? [e.text]
        : e.kind === 'barcode'
          ? [`[${e.symbology} ${e.data}]`]
          : e.kind === 'cut'
            ? ['--- cut ---']
            : [],
    );
  }

  text(): string {
    return this.lines().join('\n');
  }

  get kicks(): Extract<EscPosEvent, { kind: 'kick' }>[] {
    return this.events.filter((e): e is Extract<EscPosEvent, { kind: 'kick' }> => e.kind === 'kick');
  }

  get cuts(): number {
    return this.events.filter((e) => e.kind === 'cut').length;
  }

  get barcodes(): { symbology: string; data: string }[] {
    return this.events.flatMap((e) =>
      e.kind === 'barcode' ? [{ symbology: e.symbology, data: e.data }] : [],
    );
  }

  /** Resolves when `predicate` holds (checked after every chunk), or rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'printer condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; printer got:\n${this.text()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}
