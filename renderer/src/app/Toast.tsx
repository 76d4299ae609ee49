import { useEffect } from 'react';

import { useCounter } from '../stores/counter.js';

export function Toast(): React.JSX.Element | null {
  const toast = useCounter((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = window.setTimeout(
      () => useCounter.setState({ toast: null }),
      toast.kind === 'error' ? 8000 : 4000,
    );
    return () => window.clearTimeout(t);
  }, [toast]);
  if (!toast) return null;
  return (
    <div
      className={`toast ${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      data-testid="toast"
    >
      {toast.text}
    </div>
  );
}
