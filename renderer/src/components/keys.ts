/** Screen-wide keys: a listener on the window while the screen is shown, and what counts as typing. */
import { useEffect, type DependencyList } from 'react';

/** True while the key goes to a text field or a select: a letter key there is typing, not a command. */
export function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return Boolean(t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA'));
}

/**
 * Listens to keydown on the window while the component is mounted. Without `deps` the listener is
 * set again after every render, so it always sees the render's current values.
 */
export function useWindowKeys(onKey: (e: KeyboardEvent) => void, deps?: DependencyList): void {
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the listener reads
  }, deps);
}
