import { describe, expect, it } from 'vitest';

import {
  isKnownCode,
  WedgeDetector,
  type Focus,
  type WedgeOptions,
  type WedgeVerdict,
} from '../../renderer/src/app/wedge.js';
import { makeBillStub } from '../../shared/validators/scan.js';

/** A stand-in for an input element: the detector only compares and passes it through. */
const element = (name: string): Element => ({ id: name }) as unknown as Element;

/** Deterministic jitter (mulberry32), so a failure names its seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Field = { el: Element | null; value: string; kind: Focus['field'] };

const focus = (f: Field): Focus => ({
  el: f.el,
  value: f.el ? f.value : null,
  field: f.el ? f.kind : 'none',
});

/**
 * Types `text` into `f` the way the browser does (each key lands in the field unless the detector
 * swallows it), with `gaps[i]` ms before key i, then `end` after `endGap` ms. Returns the last verdict
 * and applies a scan's restore to the field, as App.tsx does.
 */
function typeKeys(
  w: WedgeDetector,
  f: Field,
  keys: string[],
  gap: (i: number) => number,
  opts: { start?: number; end?: string; endGap?: number; ctrlFirst?: boolean } = {},
): { verdicts: WedgeVerdict[]; last: WedgeVerdict; time: number } {
  let t = opts.start ?? 10_000;
  const verdicts: WedgeVerdict[] = [];
  keys.forEach((key, i) => {
    t += gap(i);
    const v = w.key({ key, time: t, ctrl: Boolean(opts.ctrlFirst && i === 0) }, focus(f));
    verdicts.push(v);
    if (v.kind === 'pass' && key.length === 1 && f.el) f.value += key;
  });
  t += opts.endGap ?? gap(keys.length);
  const last = w.key({ key: opts.end ?? 'Enter', time: t }, focus(f));
  verdicts.push(last);
  if (last.kind === 'scan' && last.restore) {
    expect(last.restore.el).toBe(f.el);
    f.value = last.restore.value;
  }
  return { verdicts, last, time: t };
}

const detector = (o: WedgeOptions = {}) => new WedgeDetector({ isCode: isKnownCode, ...o });
const jitter = (seed: number, min: number, max: number) => {
  const r = rng(seed);
  return () => min + r() * (max - min);
};

const STUBS = [
  makeBillStub('1000042517', 7345),
  makeBillStub('1000000019', 12280),
  makeBillStub('1000123456', 0),
  makeBillStub('1000999999', 99_999_999),
];
const SCANS = [...STUBS, 'MAIN02-000123', '036000291452', 'SN8842ZK1Q', '00:1A:2B:3C:4D:5E'];

describe('scans without a prefix: timing, with the jitter of a busy machine', () => {
  it('every scan at 0-30 ms per key (seeded jitter) is taken, in no field, in the search field and in the amount field', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const gap = jitter(seed, 0, 30);
      for (const code of SCANS) {
        for (const f of [
          { el: null, value: '', kind: 'none' },
          { el: element('search'), value: 'alv', kind: 'text' },
          { el: element('amount'), value: '73.45', kind: 'number' },
        ] as Field[]) {
          const before = f.value;
          const w = detector();
          const { last } = typeKeys(w, f, [...code], gap);
          // Digits-only codes typed into a number field are a CSR's typing, never a scan.
          if (f.kind === 'number' && /^\d+$/.test(code)) {
            expect(last, `${code} seed ${seed}`).toEqual({ kind: 'pass' });
            expect(f.value).toBe(before + code);
            continue;
          }
          expect(last.kind, `${code} into ${f.kind} seed ${seed}`).toBe('scan');
          if (last.kind === 'scan') expect(last.code).toBe(code);
          // Nothing of the code is left in the field.
          expect(f.value).toBe(before);
        }
      }
    }
  });

  it('a scan survives a stalled key (one gap of 100 ms) and Enter arriving 90 ms late', () => {
    for (const code of STUBS) {
      for (let stall = 1; stall < code.length; stall++) {
        for (const kind of ['text', 'none'] as const) {
          const f: Field = { el: kind === 'text' ? element('search') : null, value: '', kind };
          const { last } = typeKeys(detector(), f, [...code], (i) => (i === stall ? 100 : 8), { endGap: 90 });
          expect(last, `${code} stalled at ${stall} in ${kind}`).toMatchObject({ kind: 'scan', code });
          expect(f.value).toBe('');
        }
      }
    }
  });

  it('Tab ends a scan too by default; with suffix "enter" a Tab is just a Tab', () => {
    const code = 'MAIN02-000123';
    const f: Field = { el: element('search'), value: '', kind: 'text' };
    expect(typeKeys(detector(), f, [...code], () => 5, { end: 'Tab' }).last).toMatchObject({ kind: 'scan' });
    const g: Field = { el: element('search'), value: '', kind: 'text' };
    expect(typeKeys(detector({ suffix: 'enter' }), g, [...code], () => 5, { end: 'Tab' }).last).toEqual({
      kind: 'pass',
    });
    expect(g.value).toBe(code);
  });

  it('a person’s keys before the scan stay typed; only the scan is taken out', () => {
    const w = detector();
    const f: Field = { el: element('search'), value: '', kind: 'text' };
    typeKeys(w, f, [...'12'], () => 150, { end: 'Shift', endGap: 150 });
    const { last } = typeKeys(w, f, [...'MAIN02-000123'], () => 6, { start: 20_000 });
    expect(last).toMatchObject({ kind: 'scan', code: 'MAIN02-000123' });
    expect(f.value).toBe('12');
  });

  it('Shift inside a scan does not break it (scanners type capitals with Shift)', () => {
    const f: Field = { el: null, value: '', kind: 'none' };
    const keys = ['Shift', 'S', 'Shift', 'N', '8', '8', '4', '2', 'Shift', 'Z', 'Shift', 'K'];
    expect(typeKeys(detector(), f, keys, () => 4).last).toMatchObject({ kind: 'scan', code: 'SN8842ZK' });
  });

  it('a shortcut (Ctrl, Alt) or another named key in the middle breaks the run', () => {
    for (const breaker of ['Backspace', 'ArrowLeft', 'F2']) {
      const f: Field = { el: null, value: '', kind: 'none' };
      const { last } = typeKeys(detector(), f, ['1', '2', '3', '4', breaker, '5', '6', '7'], () => 3);
      expect(last, breaker).toEqual({ kind: 'pass' });
    }
  });
});

describe('a fast-typing CSR is never swallowed', () => {
  // 12345670 is a valid GTIN-8: exactly the "product barcode" a typed bank account was taken for.
  const BANK = '12345670';

  it('a bank account typed quickly in the check form stays in its field (Enter and Tab)', () => {
    expect(isKnownCode(BANK)).toBe(true);
    for (let seed = 1; seed <= 40; seed++) {
      for (const end of ['Enter', 'Tab']) {
        const f: Field = { el: element('bank-account'), value: '', kind: 'number' };
        const { verdicts } = typeKeys(detector(), f, [...BANK], jitter(seed, 0, 25), { end });
        expect(
          verdicts.every((v) => v.kind === 'pass'),
          `seed ${seed} ${end}`,
        ).toBe(true);
        expect(f.value).toBe(BANK);
      }
    }
  });

  it('routing and check numbers too, and an amount', () => {
    for (const [id, text] of [
      ['routing', '011000015'],
      ['check-number', '1234567'],
      ['amount', '122.80'],
    ]) {
      const f: Field = { el: element(id as string), value: '', kind: 'number' };
      expect(typeKeys(detector(), f, [...(text as string)], () => 12).last).toEqual({ kind: 'pass' });
      expect(f.value).toBe(text);
    }
  });

  it('fast typing in a text field that is not a complete code of a known kind passes', () => {
    for (const text of ['maria alv', 'o’brien', '12 elm st', '1000042517', 'MAIN02-0001']) {
      const f: Field = { el: element('search'), value: '', kind: 'text' };
      expect(typeKeys(detector(), f, [...text], () => 10).last, text).toEqual({ kind: 'pass' });
      expect(f.value).toBe(text);
    }
  });

  it('a code typed at a person’s speed passes, Enter included', () => {
    const f: Field = { el: element('search'), value: '', kind: 'text' };
    expect(typeKeys(detector(), f, [...'MAIN02-000123'], jitter(3, 60, 180)).last).toEqual({ kind: 'pass' });
    expect(f.value).toBe('MAIN02-000123');
  });

  it('a field that did not take every key (maxLength) is left alone', () => {
    const f: Field = { el: element('last4'), value: '', kind: 'text' };
    const w = detector();
    let t = 0;
    let last: WedgeVerdict = { kind: 'pass' };
    for (const ch of 'SN8842ZK1Q') {
      last = w.key({ key: ch, time: (t += 4) }, focus(f));
      if (f.value.length < 4) f.value += ch;
    }
    last = w.key({ key: 'Enter', time: (t += 4) }, focus(f));
    expect(last).toEqual({ kind: 'pass' });
    expect(f.value).toBe('SN88');
  });
});

describe('with a prefix, the prefix decides: timing does not matter and the field never sees the code', () => {
  it('STX (Ctrl+B) … Enter is a scan even at 200 ms per key; every key is kept out of the field', () => {
    const code = STUBS[1] as string;
    const f: Field = { el: element('amount'), value: '122.80', kind: 'number' };
    const { verdicts, last } = typeKeys(detector({ prefix: { kind: 'stx' } }), f, ['b', ...code], () => 200, {
      ctrlFirst: true,
    });
    expect(verdicts.slice(0, -1).every((v) => v.kind === 'swallow')).toBe(true);
    expect(last).toEqual({ kind: 'scan', code, restore: null });
    expect(f.value).toBe('122.80');
  });

  it('a chosen character (§) works the same; typing without it is never a scan', () => {
    const o: WedgeOptions = { prefix: { kind: 'char', char: '§' } };
    const f: Field = { el: element('search'), value: '', kind: 'text' };
    expect(typeKeys(detector(o), f, ['§', ...'SN8842ZK1Q'], () => 3).last).toEqual({
      kind: 'scan',
      code: 'SN8842ZK1Q',
      restore: null,
    });
    expect(f.value).toBe('');
    expect(typeKeys(detector(o), f, [...'SN8842ZK1Q'], () => 3).last).toEqual({ kind: 'pass' });
    expect(f.value).toBe('SN8842ZK1Q');
  });

  it('a prefix followed by nothing for a second is dropped; the next keys type normally', () => {
    const w = detector({ prefix: { kind: 'char', char: '§' } });
    const f: Field = { el: element('search'), value: '', kind: 'text' };
    expect(w.key({ key: '§', time: 0 }, focus(f))).toEqual({ kind: 'swallow' });
    expect(w.key({ key: 'a', time: 1_500 }, focus(f))).toEqual({ kind: 'pass' });
  });
});

describe('a scan right after a person’s fast keys', () => {
  it('is taken when a pause separates them; the person’s keys stay', () => {
    const w = detector();
    const f: Field = { el: element('search'), value: '', kind: 'text' };
    // "12" at 90 ms (inside the longest gap), then 100 ms later the scan at 5 ms per key.
    typeKeys(w, f, ['1', '2'], () => 90, { end: 'Shift', endGap: 100 });
    const { last } = typeKeys(w, f, [...'SN8842ZK1Q'], (i) => (i === 0 ? 0 : 5), { start: 10_280 });
    expect(last).toMatchObject({ kind: 'scan', code: 'SN8842ZK1Q' });
    expect(f.value).toBe('12');
  });
});

describe('a field that selects its text on focus', () => {
  it('a scan replacing the selected amount is taken, and the amount comes back', () => {
    const w = detector();
    const f: Field = { el: element('amount'), value: '73.45', kind: 'number' };
    const code = STUBS[1] as string;
    let t = 0;
    let v: WedgeVerdict = { kind: 'pass' };
    [...code].forEach((ch, i) => {
      v = w.key({ key: ch, time: (t += 9) }, focus(f));
      // The first key replaces the selection.
      f.value = i === 0 ? ch : f.value + ch;
    });
    v = w.key({ key: 'Enter', time: (t += 9) }, focus(f));
    expect(v).toEqual({ kind: 'scan', code, restore: { el: f.el, value: '73.45' } });
  });
});
