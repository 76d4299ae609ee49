/**
 * ESC/POS decoder: turns the bytes a receipt printer receives back into text lines, cuts, drawer
 * kicks, barcodes and status requests. The virtual printer and the device emulator use it to show
 * (and tests to assert) exactly what a real printer would have printed.
 *
 * Streaming: `feed()` takes chunks as they arrive (a serial port delivers a receipt in pieces) and
 * keeps an incomplete command for the next chunk.
 */
import iconv from 'iconv-lite';

export type EscPosEvent =
  | {
      kind: 'line';
      text: string;
      align: 'left' | 'center' | 'right';
      bold: boolean;
      size: { width: number; height: number };
    }
  | { kind: 'cut'; partial: boolean }
  | { kind: 'kick'; pin: 2 | 5; onMs: number; offMs: number; bytes: number[] }
  | { kind: 'barcode'; symbology: string; data: string }
  | { kind: 'qr'; data: string }
  | { kind: 'status-request'; n: number }
  | { kind: 'init' }
  | { kind: 'beep' };

/** ESC t n → iconv-lite name, for the pages the counter uses (others decode as CP437). */
const CODE_PAGES: Record<number, string> = {
  0: 'CP437',
  2: 'CP850',
  3: 'CP860',
  4: 'CP863',
  5: 'CP865',
  13: 'CP857',
  14: 'CP737',
  // node-thermal-printer switches to whichever page has a character the current one lacks (’ → 15).
  15: 'ISO-8859-7',
  16: 'CP1252',
  17: 'CP866',
  18: 'CP852',
  19: 'CP858',
  33: 'CP775',
  34: 'CP855',
  35: 'CP861',
  36: 'CP862',
  37: 'CP864',
  38: 'CP869',
  39: 'ISO-8859-2',
  40: 'ISO-8859-15',
  44: 'CP1125',
  45: 'CP1250',
  46: 'CP1251',
  47: 'CP1253',
  48: 'CP1254',
  49: 'CP1255',
  50: 'CP1256',
  51: 'CP1257',
  52: 'CP1258',
  53: 'RK1048',
};

const SYMBOLOGY: Record<number, string> = {
  0: 'UPC-A',
  1: 'UPC-E',
  2: 'EAN13',
  3: 'EAN8',
  4: 'CODE39',
  5: 'ITF',
  6: 'CODABAR',
  65: 'UPC-A',
  66: 'UPC-E',
  67: 'EAN13',
  68: 'EAN8',
  69: 'CODE39',
  70: 'ITF',
  71: 'CODABAR',
  72: 'CODE93',
  73: 'CODE128',
};

const NEED_MORE = -1;

export class EscPosDecoder {
  private pending: number[] = [];
  private text: number[] = [];
  /** Text of the current line already decoded: the bytes that came before a code page change (ESC t). */
  private decoded = '';
  private align: 'left' | 'center' | 'right' = 'left';
  private bold = false;
  private size = { width: 1, height: 1 };
  private codePage = 0;
  private qrData = '';

  /** Feeds bytes; returns the events completed by them. */
  feed(chunk: Uint8Array): EscPosEvent[] {
    for (const b of chunk) this.pending.push(b);
    const events: EscPosEvent[] = [];
    let i = 0;
    while (i < this.pending.length) {
      const used = this.step(i, events);
      if (used === NEED_MORE) break;
      i += used;
    }
    this.pending = this.pending.slice(i);
    return events;
  }

  /** Flushes a trailing line that never got its line feed. */
  end(): EscPosEvent[] {
    const events: EscPosEvent[] = [];
    const p = this.pending;
    if (p[0] === 0x1b && p[1] === 0x70 && p.length >= 3 && p.length < 5) {
      const m = p[2] as number;
      events.push({ kind: 'kick', pin: m % 48 === 0 ? 2 : 5, onMs: 0, offMs: 0, bytes: [0x1b, 0x70, m] });
    }
    this.pending = [];
    if (this.hasText()) this.flush(events);
    return events;
  }

  private decodeText(bytes: number[]): string {
    return iconv.decode(Buffer.from(bytes), CODE_PAGES[this.codePage] ?? 'CP437');
  }

  private flush(events: EscPosEvent[]): void {
    events.push({
      kind: 'line',
      text: this.decoded + this.decodeText(this.text),
      align: this.align,
      bold: this.bold,
      size: { ...this.size },
    });
    this.text = [];
    this.decoded = '';
  }

  private hasText(): boolean {
    return this.text.length > 0 || this.decoded !== '';
  }

  /** Decodes one command or byte at `i`; returns how many bytes it used, or NEED_MORE. */
  private step(i: number, events: EscPosEvent[]): number {
    const p = this.pending;
    const b = p[i] as number;
    const at = (k: number): number | undefined => p[i + k];
    const need = (n: number): boolean => i + n > p.length;

    if (b === 0x0a) {
      this.flush(events);
      return 1;
    }
    if (b === 0x0d || b === 0x00) return 1;
    if (b === 0x09) {
      this.text.push(0x20);
      return 1;
    }
    if (b === 0x0c) {
      if (this.hasText()) this.flush(events);
      return 1;
    }
    if (b === 0x10) {
      // DLE EOT n (real-time status), DLE DC4 fn m t (real-time pulse)
      if (need(3)) return NEED_MORE;
      if (at(1) === 0x04) {
        events.push({ kind: 'status-request', n: at(2) as number });
        return 3;
      }
      if (at(1) === 0x14) {
        if (need(5)) return NEED_MORE;
        return 5;
      }
      return 1;
    }
    if (b === 0x1b) {
      if (need(2)) return NEED_MORE;
      const c = at(1) as number;
      switch (c) {
        case 0x40: // ESC @
          if (this.hasText()) this.flush(events);
          this.align = 'left';
          this.bold = false;
          this.size = { width: 1, height: 1 };
          events.push({ kind: 'init' });
          return 2;
        case 0x32: // ESC 2
        case 0x3c:
          return 2;
        case 0x42: // ESC B n t (beep, some models) - treat ESC B as beep with 2 params
          if (need(4)) return NEED_MORE;
          events.push({ kind: 'beep' });
          return 4;
        case 0x61: // ESC a n
          if (need(3)) return NEED_MORE;
          this.align = (['left', 'center', 'right'] as const)[(at(2) as number) % 48] ?? 'left';
          return 3;
        case 0x45: // ESC E n
          if (need(3)) return NEED_MORE;
          this.bold = ((at(2) as number) & 1) === 1;
          return 3;
        case 0x21: {
          // ESC ! n
          if (need(3)) return NEED_MORE;
          const n = at(2) as number;
          this.bold = (n & 0x08) !== 0;
          this.size = { width: n & 0x20 ? 2 : 1, height: n & 0x10 ? 2 : 1 };
          return 3;
        }
        case 0x74: // ESC t n
          if (need(3)) return NEED_MORE;
          // The bytes already on this line were sent in the old code page.
          this.decoded += this.decodeText(this.text);
          this.text = [];
          this.codePage = at(2) as number;
          return 3;
        case 0x64: {
          // ESC d n: print and feed n lines
          if (need(3)) return NEED_MORE;
          const n = at(2) as number;
          const hadText = this.hasText();
          if (hadText) this.flush(events);
          for (let k = hadText ? 1 : 0; k < n; k++) this.flush(events);
          return 3;
        }
        case 0x70: {
          // ESC p m t1 t2: drawer kick. node-thermal-printer's own kick sends only ESC p m (3 bytes);
          // record what came so that tests can tell the two apart.
          if (need(4)) return NEED_MORE;
          const m = at(2) as number;
          const t1 = at(3) as number;
          if (this.isCommandStart(t1)) {
            events.push({
              kind: 'kick',
              pin: m % 48 === 0 ? 2 : 5,
              onMs: 0,
              offMs: 0,
              bytes: [0x1b, 0x70, m],
            });
            return 3;
          }
          if (need(5)) return NEED_MORE;
          const t2 = at(4) as number;
          events.push({
            kind: 'kick',
            pin: m % 48 === 0 ? 2 : 5,
            onMs: t1 * 2,
            offMs: t2 * 2,
            bytes: [0x1b, 0x70, m, t1, t2],
          });
          return 5;
        }
        case 0x2d: // ESC - n underline
        case 0x4d: // ESC M n font
        case 0x52: // ESC R n international set
        case 0x33: // ESC 3 n line spacing
        case 0x7b: // ESC { n upside down
        case 0x3d: // ESC = n select
        case 0x20: // ESC SP n
        case 0x47: // ESC G n
        case 0x4a: // ESC J n feed
        case 0x56: // ESC V n rotate
          if (need(3)) return NEED_MORE;
          return 3;
        case 0x44: {
          // ESC D n1..nk NUL
          const end = p.indexOf(0x00, i + 2);
          if (end === -1) return NEED_MORE;
          return end - i + 1;
        }
        default:
          return 2;
      }
    }
    if (b === 0x1d) {
      if (need(2)) return NEED_MORE;
      const c = at(1) as number;
      switch (c) {
        case 0x56: {
          // GS V m [n]
          if (need(3)) return NEED_MORE;
          const m = at(2) as number;
          if (this.hasText()) this.flush(events);
          if (m >= 65) {
            if (need(4)) return NEED_MORE;
            events.push({ kind: 'cut', partial: m === 66 });
            return 4;
          }
          events.push({ kind: 'cut', partial: m === 1 || m === 49 });
          return 3;
        }
        case 0x21: {
          // GS ! n: character size
          if (need(3)) return NEED_MORE;
          const n = at(2) as number;
          this.size = { width: ((n >> 4) & 0x07) + 1, height: (n & 0x07) + 1 };
          return 3;
        }
        case 0x42: // GS B n invert
        case 0x48: // GS H n HRI position
        case 0x66: // GS f n HRI font
        case 0x68: // GS h n height
        case 0x77: // GS w n width
        case 0x72: // GS r n status
        case 0x61: // GS a n ASB
          if (need(3)) return NEED_MORE;
          return 3;
        case 0x6b: {
          // GS k m ...
          if (need(3)) return NEED_MORE;
          const m = at(2) as number;
          if (this.hasText()) this.flush(events);
          if (m <= 6) {
            const end = p.indexOf(0x00, i + 3);
            if (end === -1) return NEED_MORE;
            events.push({
              kind: 'barcode',
              symbology: SYMBOLOGY[m] ?? `m${m}`,
              data: String.fromCharCode(...p.slice(i + 3, end)),
            });
            return end - i + 1;
          }
          if (need(4)) return NEED_MORE;
          const n = at(3) as number;
          if (need(4 + n)) return NEED_MORE;
          let data = String.fromCharCode(...p.slice(i + 4, i + 4 + n));
          if (m === 73) data = data.replace(/^\{[ABC]/, '').replace(/\{[ABC]/g, '');
          events.push({ kind: 'barcode', symbology: SYMBOLOGY[m] ?? `m${m}`, data });
          return 4 + n;
        }
        case 0x28: {
          // GS ( fn pL pH ... (QR code and others)
          if (need(5)) return NEED_MORE;
          const len = (at(3) as number) + (at(4) as number) * 256;
          if (need(5 + len)) return NEED_MORE;
          if (at(2) === 0x6b) {
            const cn = at(5);
            const fn = at(6);
            if (cn === 0x31 && fn === 0x50) this.qrData = String.fromCharCode(...p.slice(i + 8, i + 5 + len));
            if (cn === 0x31 && fn === 0x51) {
              if (this.hasText()) this.flush(events);
              events.push({ kind: 'qr', data: this.qrData });
            }
          }
          return 5 + len;
        }
        default:
          return 2;
      }
    }
    if (b === 0x07) {
      events.push({ kind: 'beep' });
      return 1;
    }
    if (b < 0x20) return 1;
    this.text.push(b);
    return 1;
  }

  private isCommandStart(byte: number): boolean {
    return byte === 0x1b || byte === 0x1d || byte === 0x10;
  }
}

export type DecodedPrint = {
  lines: string[];
  events: EscPosEvent[];
  cuts: number;
  kicks: Extract<EscPosEvent, { kind: 'kick' }>[];
  barcodes: { symbology: string; data: string }[];
};

/** Decodes one complete print job. */
export function decodeEscPos(bytes: Uint8Array): DecodedPrint {
  const decoder = new EscPosDecoder();
  const events = [...decoder.feed(bytes), ...decoder.end()];
  return {
    events,
    lines: events.flatMap((e) =>
      e.kind === 'line'
        ? [e.text]
        : e.kind === 'barcode'
          ? [`[${e.symbology} ${e.data}]`]
          : e.kind === 'cut'
            ? ['--- cut ---']
            : [],
    ),
    cuts: events.filter((e) => e.kind === 'cut').length,
    kicks: events.filter((e): e is Extract<EscPosEvent, { kind: 'kick' }> => e.kind === 'kick'),
    barcodes: events.flatMap((e) => (e.kind === 'barcode' ? [{ symbology: e.symbology, data: e.data }] : [])),
  };
}
