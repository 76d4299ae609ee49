/**
 * The global keys are declared once, by their modules (renderer/src/app/modules.ts). README.md's key
 * table must say the same: the same keys in the key bar's order, each with its module's help text
 * (keys in a row with the same help are one line, F2–F5).
 */
import fs from 'node:fs';

import { beforeAll, describe, expect, it, vi } from 'vitest';

import { keyMatches, type KeyDecl } from '../../renderer/src/app/module.js';
import type { keyFor as KeyFor } from '../../renderer/src/app/modules.js';

let keyDecls: readonly KeyDecl[];
let keyFor: typeof KeyFor;

beforeAll(async () => {
  // The renderer's API client picks its transport when imported; a bridge that is never called will do.
  vi.stubGlobal('window', {
    countertop: { invoke: () => new Promise(() => undefined), on: () => () => undefined },
  });
  ({ keyDecls, keyFor } = await import('../../renderer/src/app/modules.js'));
});

/** The README's rows under "At the counter": [key, does]. */
function readmeKeyTable(): [string, string][] {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n## At the counter\n')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .slice(1) // the header row
    .map((l) => {
      const [key = '', does = ''] = l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim());
      return [key, does];
    });
}

/** The declarations as README rows: a run of keys with the same help is one row "first–last". */
function declaredRows(decls: readonly KeyDecl[]): [string, string][] {
  const rows: { keys: string[]; help: string }[] = [];
  for (const k of decls) {
    const last = rows.at(-1);
    if (last && last.help === k.help) last.keys.push(k.key);
    else rows.push({ keys: [k.key], help: k.help });
  }
  return rows.map((r) => [r.keys.length > 1 ? `${r.keys[0]}–${r.keys.at(-1)}` : (r.keys[0] ?? ''), r.help]);
}

describe('key registry', () => {
  it('README.md lists exactly the declared keys, in key-bar order, with their help', () => {
    const readme = readmeKeyTable();
    expect(readme.length).toBeGreaterThan(5);
    expect(readme).toEqual(declaredRows(keyDecls));
  });

  it('keeps the key bar order: F1–F12 by number, Ctrl+S, Ctrl+K, Ctrl+L, then Esc and Enter', () => {
    expect(keyDecls.map((k) => k.key)).toEqual([
      'F1',
      'F2',
      'F3',
      'F4',
      'F5',
      'F6',
      'F7',
      'F8',
      'F9',
      'F10',
      'F11',
      'F12',
      'Ctrl+S',
      'Ctrl+K',
      'Ctrl+L',
      'Alt+A',
      'Esc',
      'Enter',
    ]);
    expect(keyDecls.filter((k) => k.right).map((k) => k.key)).toEqual(['Esc', 'Enter']);
  });

  it('dispatches a press to its declaration; Enter and Ctrl+S on the sync monitor stay with the screen', () => {
    const press = (key: string, ctrlKey = false) => ({ key, ctrlKey });
    expect(keyFor(press('F6'), 'lookup')?.key).toBe('F6');
    expect(keyFor(press('Escape'), 'payment')?.key).toBe('Esc');
    expect(keyFor(press('s', true), 'lookup')?.key).toBe('Ctrl+S');
    expect(keyFor(press('S', true), 'lookup')?.key).toBe('Ctrl+S');
    expect(keyFor(press('s', true), 'sync')).toBeUndefined();
    expect(keyFor(press('s'), 'lookup')).toBeUndefined();
    expect(keyFor(press('Enter'), 'lookup')).toBeUndefined();
    expect(keyFor(press('l', true), 'deposit')?.key).toBe('Ctrl+L');
  });

  it('tells Ctrl and Alt chords apart: a declared Ctrl key never answers Alt, nor with both held', () => {
    expect(keyMatches({ key: 'Alt+A' }, { key: 'a', ctrlKey: false, altKey: true })).toBe(true);
    expect(keyMatches({ key: 'Alt+A' }, { key: 'A', ctrlKey: false, altKey: true })).toBe(true);
    expect(keyMatches({ key: 'Alt+A' }, { key: 'a', ctrlKey: false, altKey: false })).toBe(false);
    expect(keyMatches({ key: 'Alt+A' }, { key: 'a', ctrlKey: true, altKey: true })).toBe(false);
    expect(keyMatches({ key: 'Ctrl+S' }, { key: 's', ctrlKey: false, altKey: true })).toBe(false);
    expect(keyMatches({ key: 'Ctrl+S' }, { key: 's', ctrlKey: true, altKey: true })).toBe(false);
    expect(keyMatches({ key: 'Ctrl+S' }, { key: 's', ctrlKey: true })).toBe(true);
    expect(keyFor({ key: 's', ctrlKey: false, altKey: true }, 'lookup')).toBeUndefined();
  });
});
