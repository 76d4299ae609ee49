/**
 * Keyboard-wedge scanner detection. A wedge scanner "types" its code and ends it with a suffix key
 * (Enter or Tab). Two ways to tell a scan from a person typing:
 *
 * - A prefix (STX, sent as Ctrl+B, or a character the CSR never types, set on the scanner and in
 *   Devices): everything from the prefix to the suffix is the code. Those keys never reach the
 *   focused field, so nothing has to be undone and timing does not matter.
 * - No prefix: timing, which a busy machine can stretch. A run of keys is a scan when it came on
 *   average faster than a person types (`maxAvgIntervalMs`), with no pause longer than `maxGapMs`,
 *   followed at once by the suffix. In a focused text field that is not enough: the keys have
 *   already been typed into it, so they are taken back only when what they added is a complete code
 *   of a known kind (`isCode`, shared/validators/scan.ts) and the field holds exactly what it held
 *   before plus that code. Digits typed into a number field (an amount, a bank account) are never
 *   taken: a fast CSR types those. Anything else passes through untouched.
 */
import type { WedgeFraming } from '../../../shared/devices/settings.js';
import { classifyScan } from '../../../shared/validators/scan.js';

export type WedgePrefix = WedgeFraming['prefix'];
export type WedgeSuffix = WedgeFraming['suffix'];

export type WedgeOptions = {
  prefix?: WedgePrefix;
  suffix?: WedgeSuffix;
  /** Longest pause between two keys of one scan (a busy event loop delays keys). */
  maxGapMs?: number;
  /** Scans come faster than this on average; people type slower. */
  maxAvgIntervalMs?: number;
  /** Shortest code taken by timing alone. */
  minLength?: number;
  /** Is this a complete code of a kind the counter knows (stub, receipt, GTIN, serial)? */
  isCode?: (code: string) => boolean;
};

/** The focused element as the key arrives (value before the key); `field` says what it accepts. */
export type Focus = { el: Element | null; value: string | null; field: 'none' | 'text' | 'number' };

export type KeyInfo = { key: string; time: number; ctrl?: boolean; alt?: boolean; meta?: boolean };

export type WedgeVerdict =
  | { kind: 'pass' }
  /** A key of a prefixed scan: keep it out of the field. */
  | { kind: 'swallow' }
  /** A scan: route `code`; put `restore.value` back into `restore.el` when given. */
  | { kind: 'scan'; code: string; restore: { el: Element; value: string } | null };

type Typed = { ch: string; time: number; before: Focus };

const PASS: WedgeVerdict = { kind: 'pass' };

export class WedgeDetector {
  private run: Typed[] = [];
  private last = -Infinity;
  private capture: { chars: string[]; last: number } | null = null;
  private readonly o: Required<WedgeOptions>;

  constructor(opts: WedgeOptions = {}) {
    this.o = {
      prefix: opts.prefix ?? { kind: 'none' },
      suffix: opts.suffix ?? 'enter_or_tab',
      maxGapMs: opts.maxGapMs ?? 150,
      maxAvgIntervalMs: opts.maxAvgIntervalMs ?? 50,
      minLength: opts.minLength ?? 6,
      isCode: opts.isCode ?? (() => true),
    };
  }

  /** Forgets a run in progress. */
  reset(): WedgeVerdict {
    this.run = [];
    this.last = -Infinity;
    return PASS;
  }

  private isSuffix(key: string): boolean {
    const s = this.o.suffix;
    return (key === 'Enter' && s !== 'tab') || (key === 'Tab' && s !== 'enter');
  }

  private isPrefix(k: KeyInfo): boolean {
    const p = this.o.prefix;
    if (p.kind === 'stx') return k.key === '\u0002' || (Boolean(k.ctrl) && k.key.toLowerCase() === 'b');
    return p.kind === 'char' && k.key === p.char && !k.ctrl && !k.alt && !k.meta;
  }

  /** Feed every keydown, with the focused element and its value before the key. */
  key(k: KeyInfo, focus: Focus): WedgeVerdict {
    if (this.o.prefix.kind !== 'none') return this.prefixed(k);
    const gap = k.time - this.last;
    this.last = k.time;
    if (k.ctrl || k.alt || k.meta) return this.reset();
    if (this.isSuffix(k.key)) {
      const verdict = gap <= this.o.maxGapMs ? this.judge(focus) : PASS;
      this.run = [];
      return verdict;
    }
    if (k.key === 'Shift') return PASS;
    if (k.key.length !== 1) return this.reset();
    const prev = this.run.at(-1);
    if (!prev || gap > this.o.maxGapMs || prev.before.el !== focus.el) this.run = [];
    this.run.push({ ch: k.key, time: k.time, before: focus });
    return PASS;
  }

  private prefixed(k: KeyInfo): WedgeVerdict {
    const c = this.capture;
    // A prefix with nothing after it for a second was not a scanner (or the scan was cut off).
    if (c && k.time - c.last > 1000) this.capture = null;
    if (this.isPrefix(k)) {
      this.capture = { chars: [], last: k.time };
      return { kind: 'swallow' };
    }
    if (!this.capture) return PASS;
    this.capture.last = k.time;
    if (this.isSuffix(k.key)) {
      const code = this.capture.chars.join('');
      this.capture = null;
      return code ? { kind: 'scan', code, restore: null } : { kind: 'swallow' };
    }
    if (k.key.length === 1) this.capture.chars.push(k.key);
    return { kind: 'swallow' };
  }

  /** The suffix came right after the run: is (the end of) the run a scan? */
  private judge(focus: Focus): WedgeVerdict {
    const run = this.run;
    const gaps = run.map((t, i) => (i === 0 ? Infinity : t.time - (run[i - 1] as Typed).time));
    const typical = median(gaps.slice(1));
    // Split the run at clear pauses. A pause between two fast stretches is the machine stalling
    // inside one scan; a pause after slow keys is a person's keys, then the scan.
    const bounds = gaps
      .map((g, i) => (i === 0 || g > Math.max(45, 3 * typical) ? i : -1))
      .filter((i) => i >= 0);
    const fast = (from: number, to: number): boolean =>
      to - from >= 2 &&
      ((run[to - 1] as Typed).time - (run[from] as Typed).time) / (to - from - 1) <= this.o.maxAvgIntervalMs;
    let k = bounds.length - 1;
    while (k > 0 && fast(bounds[k - 1] as number, bounds[k] as number)) k--;
    // That scan first, then its shorter tails, then longer runs (a lone fast key before a stall).
    const starts = [bounds[k] as number, ...bounds.slice(k + 1).reverse(), ...bounds.slice(0, k).reverse()];
    for (const i of starts) {
      const part = run.slice(i);
      if (part.length < this.o.minLength) continue;
      const first = part[0] as Typed;
      const avg = part.length > 1 ? ((part.at(-1) as Typed).time - first.time) / (part.length - 1) : 0;
      if (avg > this.o.maxAvgIntervalMs) continue;
      const code = part.map((t) => t.ch).join('');
      const { el, value, field } = first.before;
      const known = this.o.isCode(code);
      // Nothing was typed anywhere: timing is enough (the whole run, when no part of it is a known
      // code, is routed and gets its "unknown barcode" message).
      if (field === 'none' || !el) {
        if (known || i === 0) return { kind: 'scan', code, restore: null };
        continue;
      }
      if (!known) continue;
      if (field === 'number' && /^\d+$/.test(code)) continue;
      const before = value ?? '';
      // The keys landed as typed: appended, or replacing the selected text (fields select all on
      // focus). Anything else (a field that refused keys, a cursor in the middle) is left alone.
      const now = focus.value ?? '';
      if (focus.el !== el || !now.endsWith(code) || now.length > before.length + code.length) continue;
      return { kind: 'scan', code, restore: { el, value: before } };
    }
    return PASS;
  }
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** What a focused element accepts, for the detector. */
export function focusOf(active: Element | null): Focus {
  if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) {
    const mode = active.inputMode;
    const field = mode === 'numeric' || mode === 'decimal' || active.type === 'number' ? 'number' : 'text';
    return { el: active, value: active.value, field };
  }
  return { el: active, value: null, field: 'none' };
}

/** A complete code of a kind the counter knows: a bill stub, receipt number, valid GTIN or serial. */
export function isKnownCode(code: string): boolean {
  // A stub with a wrong check digit is still a scan: it gets its "scan it again" message.
  return classifyScan(code).kind !== 'invalid' || /^A\d{19}$/.test(code);
}

/** The detector's options for the framing set in Devices (the defaults until the status arrives). */
export function wedgeOptions(framing: WedgeFraming | undefined): WedgeOptions {
  return { ...(framing ? { prefix: framing.prefix, suffix: framing.suffix } : {}), isCode: isKnownCode };
}
