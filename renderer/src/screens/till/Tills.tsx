/** Supervisor: every till on this terminal today, its figures, and its Z report (view or reprint). */
import { useEffect, useState } from 'react';

import type { ChannelOutput } from '../../../../shared/api/contract.js';
import { formatCents } from '../../../../shared/money.js';
import { api } from '../../api/client.js';
import { Money } from '../../components/Money.js';
import { ReceiptPaper } from '../../components/ReceiptPaper.js';
import { useCounter } from '../../stores/counter.js';

type Tills = ChannelOutput<'till.list'>['tills'];

export function TillsScreen(): React.JSX.Element {
  const [tills, setTills] = useState<Tills | null>(null);
  const [selected, setSelected] = useState(0);
  const [audit, setAudit] = useState<string | null>(null);
  useEffect(() => {
    void api.call('till.list', {}).then(
      (r) => setTills(r.tills),
      (err: unknown) =>
        useCounter.getState().notify('error', err instanceof Error ? err.message : String(err)),
    );
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!tills) return;
      const t = tills[selected];
      if (e.key === 'ArrowDown') setSelected((i) => Math.min(tills.length - 1, i + 1));
      else if (e.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
      else if ((e.key === 'Enter' || e.key.toUpperCase() === 'R') && t?.status === 'closed') {
        void api
          .call('till.zReport', { tillId: t.id, reprint: e.key.toUpperCase() === 'R' })
          .then((z) => useCounter.setState({ zReport: z, screen: 'zreport' }));
      } else if (e.key.toUpperCase() === 'A') {
        void api
          .call('audit.verify', {})
          .then((r) =>
            setAudit(
              (r.ok
                ? `Audit chain intact: ${r.entries} entries.`
                : `Audit chain BROKEN at entry #${r.brokenAt} (${r.id}): ${r.reason}.`) + ` ${r.anchor}`,
            ),
          );
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tills, selected]);
  if (!tills) return <div className="loading">Loading…</div>;
  return (
    <div className="till-screen" data-testid="tills">
      <h2>Tills on this terminal today</h2>
      <table className="list">
        <thead>
          <tr>
            <th>Cashier</th>
            <th>Status</th>
            <th className="num">Float</th>
            <th className="num">Payments</th>
            <th className="num">Voids</th>
            <th className="num">Drops</th>
            <th className="num">Cash expected</th>
            <th className="num">Over/short</th>
            <th>Z</th>
          </tr>
        </thead>
        <tbody>
          {tills.map((t, i) => (
            <tr
              key={t.id}
              className={i === selected ? 'selected' : ''}
              data-testid="till-row"
              onClick={() => setSelected(i)}
            >
              <td>{t.cashierName}</td>
              <td>{t.status === 'open' ? 'Open' : 'Closed'}</td>
              <td className="num">
                <Money cents={t.floatCents} />
              </td>
              <td className="num">
                {t.figures.payments.count} · <Money cents={t.figures.payments.cents} />
              </td>
              <td className="num">{t.figures.voids.count}</td>
              <td className="num">
                <Money cents={t.figures.drops.cents} />
              </td>
              <td className="num">
                <Money cents={t.figures.expectedCashCents} />
              </td>
              <td className={`num ${t.overShortCents ? 'bad' : ''}`}>
                {t.overShortCents === null ? '—' : formatCents(t.overShortCents, { symbol: true })}
              </td>
              <td>{t.zNumber ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tills.length === 0 && <p className="muted">No till was opened on this terminal today.</p>}
      {audit && (
        <p className={`banner ${audit.includes('BROKEN') ? 'bad' : 'warn'}`} data-testid="audit-result">
          {audit}
        </p>
      )}
      <p className="muted small">
        ↑ ↓ choose · Enter view Z report · R reprint Z (DUPLICATE) · A verify the audit chain · Esc back
      </p>
    </div>
  );
}

export function ZReportScreen(): React.JSX.Element {
  const z = useCounter((s) => s.zReport);
  if (!z) return <div />;
  return (
    <div className="receipt-screen" data-testid="zreport">
      <div>
        <h2>Z report {z.zNumber}</h2>
        {!z.printed && z.printError && <p className="banner bad">Not printed: {z.printError}</p>}
        <p className="muted">
          Saved as PDF: <code data-testid="z-pdf">{z.pdfPath}</code>
        </p>
        <p className="muted">
          <kbd>Esc</kbd> Back
        </p>
      </div>
      <ReceiptPaper lines={z.lines} testId="z-lines" />
    </div>
  );
}
