/**
 * What a capability hands the renderer's shell: its screens and its keys, each declared once. The
 * shell (App.tsx routes, KeyBar.tsx shows, README's key table documents) reads them from the list in
 * modules.ts and names no capability itself.
 */
import type { Role } from '../../../shared/api/schemas.js';
import type { Screen } from '../stores/counter.js';

export type ScreenView = () => React.JSX.Element;

export type ScreenDecl = {
  view: ScreenView;
  /** The open account's panel shows beside this screen. */
  withAccount?: boolean;
};

/**
 * A key the counter answers on every screen. The key bar shows `key` and `label` (with `help` as its
 * title); README.md's key table lists `help` (keys in a row with the same help are one line, F2–F5).
 */
export type KeyDecl = {
  /** As printed on the key bar: F6, Ctrl+S, Alt+A, Esc. */
  key: string;
  label: string;
  help: string;
  /** Whether the key bar shows it (the key itself still answers; its action says why not). */
  show(screen: Screen, role: Role): boolean;
  /** The key bar marks it as where the CSR is. */
  current?(screen: Screen): boolean;
  /** Bar side: Esc and Enter sit at the right end. */
  right?: boolean;
  /** Whether the shell takes the key here (false: the screen's own handler gets it). Default: always. */
  when?(screen: Screen): boolean;
  /** What the key does; absent: a screen handles it (Enter confirms what is on screen). */
  perform?(): void;
};

/** A screen that stands in for others until something is done first (the till must be open). */
export type Gate = {
  view: ScreenView;
  blocks(screen: Screen, role: Role): boolean;
  /** Re-evaluate `blocks` when this changes (a store's subscribe). */
  subscribe(listener: () => void): () => void;
};

/** Scan kinds that belong to a capability (equipment barcodes and serials). */
export type ScanKind = 'gtin' | 'serial';

export type RendererModule<S extends Screen = Screen> = {
  name: string;
  screens?: Record<S, ScreenDecl>;
  keys?: KeyDecl[];
  gate?: Gate;
  scans?: Partial<Record<ScanKind, (code: string) => Promise<void>>>;
  /** After a cashier signs in / after the counter signs out (load or forget the module's state). */
  onSignIn?(): void;
  onSignOut?(): void;
};

/** Declares a module; S (its screens) is inferred from its screen map. */
export function defineModule<S extends Screen = never>(module: RendererModule<S>): RendererModule<S> {
  return module;
}

/** The screens a list of modules declares, as a union. */
export type ScreensOf<M> = M extends RendererModule<infer S> ? S : never;

export const everyone = (): boolean => true;
export const notAdmin = (_s: Screen, role: Role): boolean => role !== 'admin';

/** Whether a key event is this declaration's key: "F6", "Esc", "Ctrl+S", "Alt+A" (any case). */
export function keyMatches(
  decl: Pick<KeyDecl, 'key'>,
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey'> & { altKey?: boolean },
): boolean {
  const chord = /^(Ctrl|Alt)\+(.)$/.exec(decl.key);
  if (chord) {
    const held = chord[1] === 'Ctrl' ? e.ctrlKey && !e.altKey : Boolean(e.altKey) && !e.ctrlKey;
    return held && e.key.toLowerCase() === (chord[2] as string).toLowerCase();
  }
  if (decl.key === 'Esc') return e.key === 'Escape';
  return e.key === decl.key;
}
