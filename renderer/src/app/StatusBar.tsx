import type { Status } from '../../../shared/api/status.js';
import { openSyncScreen } from '../screens/sync/store.js';
import { useCounter } from '../stores/counter.js';
import { useSession } from '../stores/session.js';
import { useTill } from '../stores/till.js';
import { usePick } from '../stores/pick.js';
import { DeviceChips } from './DeviceChips.js';

function age(iso: string | null): string {
  if (!iso) return '';
  const minutes = Math.floor((Date.now() - Date.parse(iso)) / 60_000);
  return minutes < 1
    ? 'just now'
    : minutes < 60
      ? `${minutes} min`
      : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function syncLabel(sync: Status['sync']): { text: string; tone: string; title: string } {
  const rejected = sync.rejected
    ? ` · ${sync.rejected} ${sync.rejected === 1 ? 'event' : 'events'} held for review`
    : '';
  const last = sync.lastSyncAt
    ? `Last sync ${new Date(sync.lastSyncAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
    : 'Never synced';
  const title = [last, sync.detail, 'Ctrl+S: sync monitor'].filter(Boolean).join(' · ');
  if (sync.state === 'online') {
    const pulling = sync.pull
      ? ` · loading ${Math.floor((100 * sync.pull.done) / Math.max(1, sync.pull.total))}%`
      : '';
    return {
      text: `Online · ${sync.queued} queued${rejected}${pulling}`,
      tone: sync.rejected ? 'bad' : sync.queued ? 'warn' : 'ok',
      title,
    };
  }
  const oldest = sync.queued ? ` · oldest ${age(sync.oldestQueuedAt)}` : '';
  if (sync.state === 'offline')
    return {
      text: `Offline · ${sync.queued} queued${oldest}${rejected}`,
      tone: 'bad',
      title,
    };
  // The server answers but fails: not a connection problem (receipts do not say OFFLINE).
  if (sync.state === 'server_error')
    return {
      text: `Server error · ${sync.queued} queued${oldest}${rejected}`,
      tone: 'bad',
      title,
    };
  return { text: `No server · ${sync.queued} queued${oldest}`, tone: 'warn', title };
}

const ROLE: Record<string, string> = { csr: 'CSR', supervisor: 'Supervisor', admin: 'Admin' };

export function StatusBar(): React.JSX.Element {
  const { state, status, signOut } = usePick(useSession, 'state', 'status', 'signOut');
  const till = useTill((s) => s.current);
  const tillLoaded = useTill((s) => s.loaded);
  if (!state?.cashier) return <header className="statusbar" />;
  const sync = status ? syncLabel(status.sync) : null;
  return (
    <header className="statusbar" role="banner">
      <span className="brand">Countertop</span>
      <span className="who" data-testid="who">
        {state.terminal.code} · {state.cashier.name.split(' ')[0]} (
        {ROLE[state.cashier.role] ?? state.cashier.role})
      </span>
      {state.cashier.role !== 'admin' && tillLoaded && (
        <button
          type="button"
          className={`chip till ${!till ? 'warn' : till.overMaxCash ? 'bad' : 'ok'}`}
          onClick={() => useCounter.setState({ screen: 'tillMenu' })}
          data-testid="till-status"
          title="F8 Till"
        >
          {!till ? 'Till closed' : till.overMaxCash ? 'Till open · drop cash' : 'Till open'}
        </button>
      )}
      <span className="spacer" />
      {status && (
        <>
          <DeviceChips status={status} />
          {sync && (
            <button
              type="button"
              className={`chip sync ${sync.tone}`}
              data-testid="sync-status"
              title={sync.title}
              onClick={openSyncScreen}
            >
              {sync.text}
              {status.sync.pull && <progress max={status.sync.pull.total} value={status.sync.pull.done} />}
            </button>
          )}
        </>
      )}
      {state.cashier.role === 'admin' && (
        <button
          type="button"
          className="link"
          onClick={() => useCounter.setState({ screen: 'devices' })}
          data-testid="open-devices"
        >
          Devices
        </button>
      )}
      <button type="button" className="link" onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}
