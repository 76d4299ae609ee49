import { useEffect, useRef } from 'react';

import { useCounter } from '../../stores/counter.js';
import { usePick } from '../../stores/pick.js';

const STATUS_LABEL: Record<string, string> = {
  active: 'Active',
  suspended: 'Suspended',
  collections: 'Collections',
  closed: 'Closed',
};

export function Lookup(): React.JSX.Element {
  const { query, results, selected } = usePick(useCounter, 'query', 'results', 'selected');
  const { searching, searchError } = usePick(useCounter, 'searching', 'searchError');
  const { setQuery, moveSelection, openAccount } = useCounter.getState();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  return (
    <div className="lookup">
      <h2>Find the account</h2>
      <p className="muted">Scan the bill stub, or type the account number, phone, name or service address.</p>
      <input
        ref={input}
        className="search"
        value={query}
        data-testid="search"
        placeholder="e.g. 1000042517 · 217 555 0142 · Alvarez · 12 Elm"
        autoComplete="off"
        spellCheck={false}
        aria-label="Find account"
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            moveSelection(1);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            moveSelection(-1);
          } else if (e.key === 'Enter' && !e.defaultPrevented) {
            e.preventDefault();
            const hit = results[selected];
            if (hit) void openAccount(hit.accountNumber);
          }
        }}
      />
      {searchError && <p className="error">{searchError}</p>}
      <ul className="results" data-testid="results" aria-busy={searching}>
        {results.map((r, i) => (
          <li
            key={r.accountNumber}
            className={i === selected ? 'selected' : ''}
            onClick={() => void openAccount(r.accountNumber)}
            data-testid="result"
          >
            <span className="acct">{r.accountNumber}</span>
            <span className="name">{r.name}</span>
            <span className="addr">{r.serviceAddress}</span>
            <span className="phone">{r.phone}</span>
            <span className={`badge ${r.status}`}>{STATUS_LABEL[r.status] ?? r.status}</span>
          </li>
        ))}
      </ul>
      {query.trim().length >= 2 && !searching && results.length === 0 && !searchError && (
        <p className="muted">No account matches “{query}”.</p>
      )}
      {results.length > 0 && <p className="muted small">↑ ↓ to choose, Enter to open.</p>}
    </div>
  );
}
