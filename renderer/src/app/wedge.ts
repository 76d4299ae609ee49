/**
 * Keyboard-wedge scanner detection. A scanner "types" its code much faster than a person (a few ms
 * per key) and ends with Enter. Keys pass through as usual; when Enter closes a fast burst of at least
 * `minLength` characters, the burst is a scan: the Enter is swallowed, the focused field gets back the
 * text it had before the burst, and the code is routed.
 */
export type WedgeOptions = { maxIntervalMs?: number; minLength?: number };

export type WedgeVerdict =
  { kind: 'pass' } | { kind: 'scan'; code: string; restore: { el: Element | null; value: string | null } };

export class WedgeDetector {
  private chars: string[] = [];
  private last = -Infinity;
  private snapshot: { el: Element | null; value: string | null } = { el: null, value: null };
  private readonly maxInterval: number;
  private readonly minLength: number;

  constructor(opts: WedgeOptions = {}) {
    this.maxInterval = opts.maxIntervalMs ?? 40;
    this.minLength = opts.minLength ?? 6;
  }

  /** Forgets a burst in progress (a shortcut key was pressed). */
  reset(): WedgeVerdict {
    this.chars = [];
    this.last = -Infinity;
    return { kind: 'pass' };
  }

  /** Feed every keydown: its key, its time (ms) and the focused element with its value before the key. */
  key(key: string, time: number, focused: { el: Element | null; value: string | null }): WedgeVerdict {
    const fast = time - this.last <= this.maxInterval;
    this.last = time;
    if (key === 'Enter') {
      const code = this.chars.join('');
      const isScan = fast && code.length >= this.minLength;
      this.chars = [];
      return isScan ? { kind: 'scan', code, restore: this.snapshot } : { kind: 'pass' };
    }
    if (key.length !== 1) {
      if (key !== 'Shift') this.chars = [];
      return { kind: 'pass' };
    }
    if (!fast || this.chars.length === 0) {
      this.chars = [key];
      this.snapshot = focused;
    } else {
      this.chars.push(key);
    }
    return { kind: 'pass' };
  }
}
