/**
 * The status bar's device chips: printer (with the reprint queue), drawer (with the "left open"
 * alert) and scanner, each in words with the reason in its tooltip. The printer chip opens the
 * reprint queue.
 */
import { useEffect, useState } from 'react';

import type { Status } from '../../../shared/api/status.js';
import { useCounter } from '../stores/counter.js';

const WORD: Record<string, string> = {
  offline: 'offline',
  paper_out: 'paper out',
  cover_open: 'cover open',
  error: 'error',
  no_status: 'no status',
};

function minutesSince(iso: string | null, now: number): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min`;
}

export function DeviceChips({ status }: { status: Status }): React.JSX.Element {
  const { printer, drawer, scanner, reprintQueue } = status;
  // Ticks while the drawer is open so "open 2 min" stays true.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (drawer.state !== 'open') return;
    const t = window.setInterval(() => setNow(Date.now()), 5000);
    return () => window.clearInterval(t);
  }, [drawer.state]);

  const printerTone =
    printer.state === 'ready' || printer.state === 'virtual'
      ? reprintQueue > 0
        ? 'warn'
        : 'ok'
      : printer.state === 'no_status'
        ? reprintQueue > 0
          ? 'warn'
          : 'info'
        : 'bad';
  const printerText =
    printer.state === 'ready' || printer.state === 'virtual'
      ? `${printer.label} ✓`
      : `${printer.label} · ${WORD[printer.state] ?? printer.state}`;

  const drawerTone = drawer.leftOpen
    ? 'bad alert'
    : drawer.state === 'open'
      ? 'warn'
      : drawer.state === 'closed'
        ? 'ok'
        : '';
  const drawerText = drawer.leftOpen
    ? `Drawer left open · ${minutesSince(drawer.openSince, now)}`
    : drawer.state === 'open'
      ? `Drawer open`
      : drawer.state === 'closed'
        ? 'Drawer closed'
        : drawer.label;

  const scannerTone = scanner.state === 'ready' ? 'ok' : scanner.state === 'virtual' ? '' : 'bad';
  const scannerText =
    scanner.state === 'ready' || scanner.state === 'virtual'
      ? `${scanner.label}${scanner.state === 'ready' ? ' ✓' : ''}`
      : `${scanner.label} · ${WORD[scanner.state] ?? scanner.state}`;

  return (
    <>
      <button
        type="button"
        className={`chip ${printerTone}`}
        title={`${printer.detail ?? ''}${reprintQueue > 0 ? `${printer.detail ? '\n' : ''}${reprintQueue} receipt(s) waiting: click or F12` : ''}`}
        onClick={() => useCounter.setState({ screen: 'reprintQueue' })}
        data-testid="printer-status"
      >
        {printerText}
        {reprintQueue > 0 && ` · ${reprintQueue} to reprint`}
      </button>
      <span
        className={`chip ${drawerTone}`}
        title={drawer.detail ?? ''}
        role={drawer.leftOpen ? 'alert' : undefined}
        data-testid="drawer-status"
      >
        {drawerText}
      </span>
      <span className={`chip ${scannerTone}`} title={scanner.detail ?? ''} data-testid="scanner-status">
        {scannerText}
      </span>
    </>
  );
}
