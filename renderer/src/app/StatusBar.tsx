import type { Status } from '../../../shared/api/status.js';
import { useSession } from '../stores/session.js';

function age(iso: string | null): string {
  if (!iso) return '';
  const minutes = Math.floor((Date.now() - Date.parse(iso)) / 60_000);
  return minutes < 1
    ? 'just now'
    : minutes < 60
      ? `${minutes} min`
      : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function syncLabel(sync: Status['sync']): { text: string; tone: string } {
  if (sync.state === 'online')
    return { text: `Online · ${sync.queued} queued`, tone: sync.queued ? 'warn' : 'ok' };
  const oldest = sync.queued ? ` · oldest ${age(sync.oldestQueuedAt)}` : '';
  if (sync.state === 'offline') return { text: `Offline · ${sync.queued} queued${oldest}`, tone: 'bad' };
  return { text: `No server · ${sync.queued} queued${oldest}`, tone: 'warn' };
}

const ROLE: Record<string, string> = { csr: 'CSR', supervisor: 'Supervisor', admin: 'Admin' };

export function StatusBar(): React.JSX.Element {
  const state = useSession((s) => s.state);
  const status = useSession((s) => s.status);
  const signOut = useSession((s) => s.signOut);
  if (!state?.cashier) return <header className="statusbar" />;
  const printerOk = status && (status.printer.state === 'ready' || status.printer.state === 'virtual');
  const sync = status ? syncLabel(status.sync) : null;
  return (
    <header className="statusbar" role="banner">
      <span className="brand">Countertop</span>
      <span className="who" data-testid="who">
        {state.terminal.code} · {state.cashier.name.split(' ')[0]} (
        {ROLE[state.cashier.role] ?? state.cashier.role})
      </span>
      <span className="spacer" />
      {status && (
        <>
          <span
            className={`chip ${printerOk ? 'ok' : 'bad'}`}
            title={status.printer.detail ?? ''}
            data-testid="printer-status"
          >
            {status.printer.label} {printerOk ? '✓' : `· ${status.printer.state.replace('_', ' ')}`}
            {status.reprintQueue > 0 && ` · ${status.reprintQueue} to reprint`}
          </span>
          <span className="chip" data-testid="drawer-status">
            {status.drawer.label}
          </span>
          <span className="chip" data-testid="scanner-status">
            {status.scanner.label}
          </span>
          {sync && (
            <span className={`chip sync ${sync.tone}`} data-testid="sync-status">
              {sync.text}
            </span>
          )}
        </>
      )}
      <button type="button" className="link" onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}
