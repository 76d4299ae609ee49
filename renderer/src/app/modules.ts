/**
 * Every module of the renderer, one line each. The shell reads its screens, keys, gate, scans and
 * sign-in hooks from this list only: App.tsx routes and dispatches keys, KeyBar.tsx shows them, and
 * README.md's key table is checked against them (tests/unit/key-registry.test.ts). A new capability
 * adds its line here and its screen names to `Screen` (stores/counter.ts).
 */
import { useSyncExternalStore } from 'react';

import type { Role } from '../../../shared/api/schemas.js';
import { adjustmentsModule } from '../screens/adjustments/module.js';
import { depositsModule } from '../screens/deposit/module.js';
import { devicesModule } from '../screens/devices/module.js';
import { equipmentModule } from '../screens/equipment/module.js';
import { paymentsModule } from '../screens/payment/module.js';
import { returnsModule } from '../screens/returns/module.js';
import { sessionModule } from '../screens/sign-in/module.js';
import { syncModule } from '../screens/sync/module.js';
import { tillModule } from '../screens/till/module.js';
import type { Screen } from '../stores/counter.js';
import {
  keyMatches,
  type Gate,
  type KeyDecl,
  type RendererModule,
  type ScanKind,
  type ScreenDecl,
  type ScreenView,
  type ScreensOf,
} from './module.js';

export const rendererModules = [
  paymentsModule,
  tillModule,
  depositsModule,
  equipmentModule,
  devicesModule,
  syncModule,
  returnsModule,
  sessionModule,
  adjustmentsModule,
] as const;

/** Fails to compile while a screen has no module declaring it. */
type Undeclared = Exclude<Screen, ScreensOf<(typeof rendererModules)[number]>>;
export const everyScreenDeclared: [Undeclared] extends [never] ? true : Undeclared = true;

type AnyModule = Omit<RendererModule, 'screens'> & { screens?: Partial<Record<Screen, ScreenDecl>> };
const modules: readonly AnyModule[] = rendererModules;

const screens = new Map<Screen, ScreenDecl>();
for (const m of modules)
  for (const [name, decl] of Object.entries(m.screens ?? {}) as [Screen, ScreenDecl][]) {
    if (screens.has(name)) throw new Error(`screen ${name} is declared twice (again by ${m.name})`);
    screens.set(name, decl);
  }

export function screenDecl(screen: Screen): ScreenDecl | undefined {
  return screens.get(screen);
}

const fNumber = (k: KeyDecl): number => (/^F(\d+)$/.exec(k.key) ? Number(k.key.slice(1)) : Infinity);

/**
 * Every global key in key-bar order: function keys by number, then the other keys in module order;
 * the right-hand keys (Esc, Enter) last, in module order.
 */
export const keyDecls: readonly KeyDecl[] = (() => {
  const all = modules.flatMap((m) => m.keys ?? []);
  const seen = new Set<string>();
  for (const k of all) {
    if (seen.has(k.key)) throw new Error(`key ${k.key} is declared twice`);
    seen.add(k.key);
  }
  const left = all.filter((k) => !k.right);
  const place = new Map(left.map((k, i) => [k, i]));
  const order = (a: KeyDecl, b: KeyDecl): number =>
    fNumber(a) - fNumber(b) || (place.get(a) ?? 0) - (place.get(b) ?? 0);
  return [...[...left].sort(order), ...all.filter((k) => k.right)];
})();

/** The declaration that takes this key press on this screen, if the shell takes it. */
export function keyFor(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey'> & { altKey?: boolean },
  screen: Screen,
): (KeyDecl & { perform(): void }) | undefined {
  return keyDecls.find(
    (k): k is KeyDecl & { perform(): void } =>
      Boolean(k.perform) && keyMatches(k, e) && (k.when?.(screen) ?? true),
  );
}

const gates: readonly (Gate & { id: string })[] = modules.flatMap((m) =>
  m.gate ? [{ ...m.gate, id: `gate:${m.name}` }] : [],
);

/** Every view the task area can show, by id: a screen's name, or `gate:<module>` for a gate. */
export const views: readonly { id: string; view: ScreenView }[] = [
  ...[...screens].map(([id, decl]) => ({ id, view: decl.view })),
  ...gates.map((g) => ({ id: g.id, view: g.view })),
];
const subscribeGates = (listener: () => void): (() => void) => {
  const offs = gates.map((g) => g.subscribe(listener));
  return () => offs.forEach((off) => off());
};

/** The id of the gate that stands in for this screen now (the opening count before a payment), or null. */
export function useGate(screen: Screen, role: Role | undefined): string | null {
  return useSyncExternalStore(subscribeGates, () =>
    role ? (gates.find((g) => g.blocks(screen, role))?.id ?? null) : null,
  );
}

export function scanHandler(kind: ScanKind): ((code: string) => Promise<void>) | undefined {
  return modules.find((m) => m.scans?.[kind])?.scans?.[kind];
}

export function signedInChanged(signedIn: boolean): void {
  for (const m of modules) (signedIn ? m.onSignIn : m.onSignOut)?.();
}
