/** What a panel reads from the host when it opens: the reply, or the words of the refusal. */
import { useEffect, useState } from 'react';

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function useLoaded<T>(call: () => Promise<T>): {
  data: T | null;
  error: string | null;
  setError(error: string | null): void;
  reload(): void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = (): void => void call().then(setData, (err: unknown) => setError(errorText(err)));
  // Read once when the panel opens; `reload` reads again after a change.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(reload, []);
  return { data, error, setError, reload };
}
