import { describe, expect, it } from 'vitest';

import { WedgeDetector, type WedgeVerdict } from '../../renderer/src/app/wedge.js';

type Focus = { el: Element | null; value: string | null };

/** A stand-in for the focused input: the detector only passes it through. */
const input = (name: string): Element => ({ id: name }) as unknown as Element;

/** Types `text` one key every `gapMs` from `start`, then Enter after another `gapMs`; returns the last verdict. */
function type(
  w: WedgeDetector,
  text: string,
  start: number,
  gapMs: number,
  focus: (typedSoFar: string) => Focus,
): { verdicts: WedgeVerdict[]; end: number } {
  const verdicts: WedgeVerdict[] = [];
  let t = start;
  [...text].forEach((ch, i) => {
    verdicts.push(w.key(ch, t, focus(text.slice(0, i))));
    t += gapMs;
  });
  verdicts.push(w.key('Enter', t, focus(text)));
  return { verdicts, end: t };
}

describe('WedgeDetector', () => {
  const field = input('amount');
  const inField =
    (before: string) =>
    (typed: string): Focus => ({ el: field, value: before + typed });

  it('a fast burst + Enter is a scan that restores the field as it was before the burst', () => {
    const w = new WedgeDetector();
    const { verdicts } = type(w, 'A1000042517000073454', 10_000, 3, inField('12.'));
    expect(verdicts.slice(0, -1).every((v) => v.kind === 'pass')).toBe(true);
    expect(verdicts.at(-1)).toEqual({
      kind: 'scan',
      code: 'A1000042517000073454',
      restore: { el: field, value: '12.' },
    });
  });

  it('a scan with nothing focused restores nothing', () => {
    const w = new WedgeDetector();
    const { verdicts } = type(w, 'MAIN02-000123', 500, 5, () => ({ el: null, value: null }));
    expect(verdicts.at(-1)).toEqual({
      kind: 'scan',
      code: 'MAIN02-000123',
      restore: { el: null, value: null },
    });
  });

  it('human-speed typing passes through, Enter included', () => {
    const w = new WedgeDetector();
    const { verdicts } = type(w, '1000042517', 0, 120, inField(''));
    expect(verdicts.every((v) => v.kind === 'pass')).toBe(true);
  });

  it('a person who types fast but presses Enter slowly is not a scanner', () => {
    const w = new WedgeDetector();
    [...'1000042517'].forEach((ch, i) => w.key(ch, i * 10, { el: field, value: null }));
    expect(w.key('Enter', 9 * 10 + 41, { el: field, value: null })).toEqual({ kind: 'pass' });
  });

  it('the default interval (40 ms) is inclusive', () => {
    const w = new WedgeDetector();
    const { verdicts } = type(w, 'SN8842ZK1Q', 0, 40, inField(''));
    expect(verdicts.at(-1)?.kind).toBe('scan');
    const w2 = new WedgeDetector();
    const { verdicts: slow } = type(w2, 'SN8842ZK1Q', 0, 41, inField(''));
    expect(slow.every((v) => v.kind === 'pass')).toBe(true);
  });

  it('a burst shorter than minLength passes (6 by default, configurable)', () => {
    expect(type(new WedgeDetector(), '12345', 0, 2, inField('')).verdicts.at(-1)).toEqual({ kind: 'pass' });
    expect(type(new WedgeDetector(), '123456', 0, 2, inField('')).verdicts.at(-1)?.kind).toBe('scan');
    const strict = new WedgeDetector({ minLength: 8 });
    expect(type(strict, '1234567', 0, 2, inField('')).verdicts.at(-1)).toEqual({ kind: 'pass' });
    const lenient = new WedgeDetector({ minLength: 3, maxIntervalMs: 100 });
    expect(type(lenient, 'ABC', 0, 90, inField('')).verdicts.at(-1)?.kind).toBe('scan');
  });

  it('Enter on its own, or a second Enter right after a scan, passes', () => {
    const w = new WedgeDetector();
    expect(w.key('Enter', 0, { el: field, value: '' })).toEqual({ kind: 'pass' });
    const { end } = type(w, '036000291452', 1_000, 3, inField(''));
    expect(w.key('Enter', end + 3, { el: field, value: '' })).toEqual({ kind: 'pass' });
  });

  it('a slow key in the middle breaks the burst: only the keys after it count', () => {
    const w = new WedgeDetector();
    // "ABC" fast, a 200 ms pause, "DEF" fast: the last burst is 3 characters → not a scan.
    w.key('A', 1_000, { el: field, value: '' });
    w.key('B', 1_003, { el: field, value: 'A' });
    w.key('C', 1_006, { el: field, value: 'AB' });
    w.key('D', 1_206, { el: field, value: 'ABC' });
    w.key('E', 1_209, { el: field, value: 'ABCD' });
    w.key('F', 1_212, { el: field, value: 'ABCDE' });
    expect(w.key('Enter', 1_215, { el: field, value: 'ABCDEF' })).toEqual({ kind: 'pass' });

    // Long enough after the pause: the scan is only what came after it, restoring the field as it was then.
    const w2 = new WedgeDetector();
    const seq = 'XYZ';
    [...seq].forEach((ch, i) => w2.key(ch, 5_000 + i * 3, { el: field, value: seq.slice(0, i) }));
    const code = 'SN8842ZK1Q';
    [...code].forEach((ch, i) => w2.key(ch, 6_000 + i * 3, { el: field, value: seq + code.slice(0, i) }));
    expect(w2.key('Enter', 6_000 + code.length * 3, { el: field, value: seq + code })).toEqual({
      kind: 'scan',
      code,
      restore: { el: field, value: 'XYZ' },
    });
  });

  it('Shift inside the burst does not break it (scanners type capitals with Shift)', () => {
    const w = new WedgeDetector();
    let t = 0;
    const keys = ['Shift', 'S', 'Shift', 'N', '8', '8', '4', '2', 'Shift', 'Z', 'Shift', 'K'];
    let value = '';
    for (const k of keys) {
      expect(w.key(k, t, { el: field, value })).toEqual({ kind: 'pass' });
      if (k.length === 1) value += k;
      t += 4;
    }
    expect(w.key('Enter', t, { el: field, value })).toEqual({
      kind: 'scan',
      code: 'SN8842ZK',
      restore: { el: field, value: '' },
    });
  });

  it('another named key (Tab, Backspace, an arrow) breaks the burst', () => {
    for (const breaker of ['Tab', 'Backspace', 'ArrowLeft', 'F2']) {
      const w = new WedgeDetector();
      let t = 0;
      for (const k of ['1', '2', '3', '4', '5', '6', breaker, '7', '8']) {
        w.key(k, t, { el: field, value: null });
        t += 3;
      }
      expect(w.key('Enter', t, { el: field, value: null }), breaker).toEqual({ kind: 'pass' });
    }
  });

  it('two scans in a row each restore their own snapshot', () => {
    const a = input('a');
    const b = input('b');
    const w = new WedgeDetector();
    const first = type(w, 'MAIN02-000001', 0, 3, (typed) => ({ el: a, value: 'x' + typed }));
    expect(first.verdicts.at(-1)).toEqual({
      kind: 'scan',
      code: 'MAIN02-000001',
      restore: { el: a, value: 'x' },
    });
    const second = type(w, 'MAIN02-000002', first.end + 500, 3, (typed) => ({ el: b, value: 'y' + typed }));
    expect(second.verdicts.at(-1)).toEqual({
      kind: 'scan',
      code: 'MAIN02-000002',
      restore: { el: b, value: 'y' },
    });
  });
});

describe('shortcuts during a burst', () => {
  it('reset() forgets the burst: a shortcut key is never part of a scanned code', () => {
    const w = new WedgeDetector();
    const el = { el: null, value: null };
    let t = 0;
    for (const ch of 'A10000') w.key(ch, (t += 5), el);
    w.reset();
    for (const ch of '425170') w.key(ch, (t += 5), el);
    const v = w.key('Enter', (t += 5), el);
    expect(v).toEqual({ kind: 'scan', code: '425170', restore: el });
  });
});
