/** Several fields of a store in one subscription: the component renders again only when one of them changes. */
import type { StoreApi, UseBoundStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';

export function usePick<S extends object, K extends keyof S>(
  store: UseBoundStore<StoreApi<S>>,
  ...keys: K[]
): Pick<S, K> {
  return store(
    useShallow((s: S) => {
      const out = {} as Pick<S, K>;
      for (const k of keys) out[k] = s[k];
      return out;
    }),
  );
}
