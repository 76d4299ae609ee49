/**
 * The sync monitor (supervisor) and the server enrollment (IT admin): is the counter online, what is
 * queued here and since when, what the server rejected and why (with the event itself), what was
 * sent. Keys: ← → tabs, ↑ ↓ choose a row, Enter shows the event, R retries a held event (after the
 * server was fixed), M marks it resolved (with a reason), Ctrl+S syncs now, Esc back.
 */
import { useEffect, useRef } from 'react';

import type { HeldResolution, SyncMonitor } from '../../../../shared/api/channels/sync.js';
import { Field } from '../../components/Field.js';
import { useSession } from '../../stores/session.js';
import { usePick } from '../../stores/pick.js';
import { SYNC_TABS, useSync, type SyncTab } from './store.js';

function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return sameDay ? time : `${d.toLocaleDateString()} ${time}`;
}

function ago(iso: string | null, now: number): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.floor(m / 60)} h ${m % 60} min ago`;
}

const TAB_LABEL: Record<SyncTab, string> = {
  rejected: 'Held for review',
  queued: 'Queued here',
  sent: 'Sent',
  enroll: 'Server enrollment',
};

function Card(p: {
  title: string;
  value: string;
  sub: string;
  tone?: 'ok' | 'warn' | 'bad';
  testId: string;
}): React.JSX.Element {
  return (
    <div className={`sync-card ${p.tone ?? ''}`} data-testid={p.testId}>
      <div className="label">{p.title}</div>
      <div className="value">{p.value}</div>
      <div className="sub">{p.sub}</div>
    </div>
  );
}

function Overview({ m, now }: { m: SyncMonitor; now: number }): React.JSX.Element {
  const state =
    m.state === 'online'
      ? { value: 'Online', tone: 'ok' as const }
      : m.state === 'offline'
        ? { value: 'Offline', tone: 'bad' as const }
        : m.state === 'server_error'
          ? { value: 'Server error', tone: 'bad' as const }
          : { value: 'Not enrolled', tone: 'warn' as const };
  return (
    <div className="sync-cards">
      <Card
        title="Server"
        value={state.value}
        tone={state.tone}
        sub={m.enrollment?.serverUrl ?? 'No server yet'}
        testId="sync-card-state"
      />
      <Card
        title="Queued here"
        value={String(m.counts.queued)}
        tone={m.counts.queued ? 'warn' : 'ok'}
        sub={m.oldestQueuedAt ? `oldest ${ago(m.oldestQueuedAt, now)}` : 'nothing waiting'}
        testId="sync-card-queued"
      />
      <Card
        title="Held for review"
        value={String(m.counts.rejected)}
        tone={m.counts.rejected ? 'bad' : 'ok'}
        sub={m.counts.rejected ? 'a supervisor must retry or resolve' : 'none'}
        testId="sync-card-rejected"
      />
      <Card
        title="Last sync"
        value={
          m.lastSyncAt
            ? new Date(m.lastSyncAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
            : 'never'
        }
        sub={m.lastSyncAt ? `${ago(m.lastSyncAt, now)} · ${m.counts.sent} sent` : `${m.counts.sent} sent`}
        testId="sync-card-last"
      />
    </div>
  );
}

function Problem({ m, now }: { m: SyncMonitor; now: number }): React.JSX.Element | null {
  if (m.state === 'not_enrolled')
    return (
      <div className="banner warn" data-testid="sync-detail">
        This counter is not enrolled with a server yet. Payments are kept here safely and are sent once an IT
        admin enrolls it (Server enrollment).
      </div>
    );
  if (m.state === 'online' || !m.detail) return null;
  const retry = m.nextAttemptAt ? Math.max(0, Math.round((Date.parse(m.nextAttemptAt) - now) / 1000)) : null;
  return (
    <div className="banner bad" data-testid="sync-detail">
      {m.detail}
      {retry !== null && ` Next try in ${retry} s.`}{' '}
      {m.state === 'server_error'
        ? 'The server is reachable but failed: payments are kept here and post by themselves once it is fixed. Receipts are not marked offline.'
        : 'Payments are kept here and post by themselves when the connection returns; receipts say so.'}
    </div>
  );
}

function PayloadRow({ payload, cols }: { payload: unknown; cols: number }): React.JSX.Element {
  return (
    <tr className="payload">
      <td colSpan={cols}>
        <div className="label">The event as this counter sent it</div>
        <pre data-testid="sync-payload">{JSON.stringify(payload, null, 2)}</pre>
      </td>
    </tr>
  );
}

function Rows({ m, tab }: { m: SyncMonitor; tab: Exclude<SyncTab, 'enroll'> }): React.JSX.Element {
  const { selected, expanded, toggle } = usePick(useSync, 'selected', 'expanded', 'toggle');
  const resolving = useSync((s) => s.resolving);
  if (tab === 'rejected') {
    if (m.rejected.length === 0)
      return <p className="muted">The server has rejected nothing from this counter.</p>;
    return (
      <table className="list sync-list" data-testid="sync-rejected">
        <thead>
          <tr>
            <th>#</th>
            <th>Taken</th>
            <th>What</th>
            <th>The server’s reason</th>
            <th>Resolution</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {m.rejected.map((r, i) => (
            <FragmentRows key={r.id}>
              <tr
                className={i === selected ? 'selected' : ''}
                data-testid="sync-rejected-row"
                onClick={() => toggle(r.id)}
              >
                <td>{r.seq}</td>
                <td>{when(r.occurredAt)}</td>
                <td>{r.summary}</td>
                <td>
                  <span className="code bad">{r.code}</span> {r.message}
                </td>
                <td data-testid="sync-resolution">
                  {r.resolution ? <ResolutionText resolution={r.resolution} /> : <HeldActions id={r.id} />}
                </td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={(e) => {
                      e.stopPropagation();
                      toggle(r.id);
                    }}
                  >
                    {expanded === r.id ? 'Hide event' : 'View event'}
                  </button>
                </td>
              </tr>
              {resolving?.id === r.id && <ResolveRow cols={6} />}
              {expanded === r.id && <PayloadRow payload={r.payload} cols={6} />}
            </FragmentRows>
          ))}
        </tbody>
      </table>
    );
  }
  if (tab === 'queued') {
    if (m.queued.length === 0)
      return <p className="muted">Nothing is waiting: everything taken here has reached the server.</p>;
    return (
      <table className="list sync-list" data-testid="sync-queued">
        <thead>
          <tr>
            <th>#</th>
            <th>Taken</th>
            <th>What</th>
            <th className="num">Tries</th>
            <th>Last problem</th>
          </tr>
        </thead>
        <tbody>
          {m.queued.map((r, i) => (
            <tr key={r.id} className={i === selected ? 'selected' : ''} data-testid="sync-queued-row">
              <td>{r.seq}</td>
              <td>{when(r.occurredAt)}</td>
              <td>{r.summary}</td>
              <td className="num">{r.attempts}</td>
              <td className="muted">{r.lastError ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (m.sent.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <table className="list sync-list" data-testid="sync-sent">
      <thead>
        <tr>
          <th>#</th>
          <th>Taken</th>
          <th>What</th>
          <th>Reached the server</th>
        </tr>
      </thead>
      <tbody>
        {m.sent.map((r, i) => (
          <tr key={r.id} className={i === selected ? 'selected' : ''}>
            <td>{r.seq}</td>
            <td>{when(r.occurredAt)}</td>
            <td>{r.summary}</td>
            <td>{when(r.ackedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RETRY_STATE: Record<string, string> = {
  queued: 'waiting to be sent',
  acked: 'applied by the server',
  rejected: 'held again',
};

function ResolutionText({ resolution }: { resolution: HeldResolution }): React.JSX.Element {
  if (resolution.kind === 'retried')
    return (
      <span className={resolution.retry?.state === 'rejected' ? 'bad' : 'ok'}>
        Retried by {resolution.by} at {when(resolution.at)}
        {resolution.retry &&
          ` as #${resolution.retry.seq}: ${RETRY_STATE[resolution.retry.state] ?? resolution.retry.state}`}
      </span>
    );
  return (
    <span>
      Resolved by {resolution.by} at {when(resolution.at)}: {resolution.note}
    </span>
  );
}

function HeldActions({ id }: { id: string }): React.JSX.Element {
  return (
    <span className="held-actions">
      <button
        type="button"
        className="link"
        data-testid="held-retry"
        onClick={(e) => {
          e.stopPropagation();
          void useSync.getState().retry(id);
        }}
      >
        Retry <kbd>R</kbd>
      </button>{' '}
      <button
        type="button"
        className="link"
        data-testid="held-resolve"
        onClick={(e) => {
          e.stopPropagation();
          useSync.getState().startResolve(id);
        }}
      >
        Mark resolved <kbd>M</kbd>
      </button>
    </span>
  );
}

function ResolveRow({ cols }: { cols: number }): React.JSX.Element | null {
  const r = useSync((s) => s.resolving);
  if (!r) return null;
  return (
    <tr className="resolve">
      <td colSpan={cols}>
        <Field
          label={`How was event #${r.seq} resolved? (Enter saves, Esc cancels)`}
          value={r.reason}
          onChange={(v) => useSync.getState().setReason(v)}
          error={r.error ?? undefined}
          placeholder="Re-entered on the right account; customer refunded …"
          maxLength={300}
          testId="held-reason"
          autoFocus
          onEnter={() => void useSync.getState().submitResolve()}
        />
      </td>
    </tr>
  );
}

function FragmentRows({ children }: { children: React.ReactNode }): React.JSX.Element {
  return <>{children}</>;
}

function Enrollment({ m }: { m: SyncMonitor }): React.JSX.Element {
  const admin = useSession((s) => s.state?.cashier?.role === 'admin');
  const s = useSync();
  return (
    <div className="sync-enroll" data-testid="sync-enroll">
      {m.enrollment ? (
        <dl className="figures sync-enrolled">
          <dt>Server</dt>
          <dd>{m.enrollment.serverUrl}</dd>
          <dt>Terminal ID</dt>
          <dd className="mono">{m.enrollment.terminalId}</dd>
          <dt>Branch</dt>
          <dd>{m.enrollment.branch}</dd>
          <dt>Enrolled</dt>
          <dd>{when(m.enrollment.enrolledAt)}</dd>
        </dl>
      ) : (
        <p>This counter is not enrolled with a server.</p>
      )}
      {admin ? (
        <form
          className="sync-enroll-form"
          onSubmit={(e) => {
            e.preventDefault();
            void s.enroll();
          }}
        >
          <h3>{m.enrollment ? 'Enroll again (new server or new code)' : 'Enroll this counter'}</h3>
          <p className="muted small">
            On the server, run <code>npm run server -- enroll --branch {m.enrollment?.branch ?? 'MAIN'}</code>{' '}
            and type the one-time code it prints. Codes expire.
          </p>
          <Field
            label="Server address"
            value={s.serverUrl}
            onChange={(v) => s.setForm({ serverUrl: v })}
            error={s.fieldErrors.serverUrl}
            placeholder="https://sync.example.com"
            testId="enroll-url"
            autoFocus
          />
          <Field
            label="Enrollment code"
            value={s.code}
            onChange={(v) => s.setForm({ code: v.toUpperCase() })}
            error={s.fieldErrors.code}
            placeholder="7K2M-Q9XD-4HBP"
            maxLength={16}
            testId="enroll-code"
            onEnter={() => void s.enroll()}
          />
          {s.fieldErrors.form && <p className="error">{s.fieldErrors.form}</p>}
          <button type="submit" className="primary" disabled={s.enrolling} data-testid="enroll-submit">
            {s.enrolling ? 'Enrolling…' : 'Enroll'}
          </button>
        </form>
      ) : (
        <p className="muted">Only an IT admin can enroll this counter or change its server.</p>
      )}
    </div>
  );
}

export function SyncScreen(): React.JSX.Element {
  const { monitor, fetchedAt, error, tab } = usePick(useSync, 'monitor', 'fetchedAt', 'error', 'tab');
  const syncing = useSync((s) => s.syncing);
  const status = useSession((s) => s.status);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Keys work at once, whatever opened the screen (Ctrl+S or a click on the status bar's chip).
    if (!(document.activeElement instanceof HTMLInputElement)) root.current?.focus();
    useSync.setState({ monitor: null, selected: 0, expanded: null, fieldErrors: {}, resolving: null });
    void useSync.getState().refresh();
    const timer = window.setInterval(() => void useSync.getState().refresh(), 2000);
    return () => window.clearInterval(timer);
  }, []);
  // The status bar's events (queue drained, offline …) refresh the monitor at once.
  useEffect(() => {
    if (status) void useSync.getState().refresh();
  }, [status]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented) return;
      const s = useSync.getState();
      const typing = document.activeElement instanceof HTMLInputElement;
      if (e.ctrlKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void s.syncNow();
        return;
      }
      if (typing) return;
      const i = SYNC_TABS.indexOf(s.tab);
      if (e.key === 'ArrowRight') s.setTab(SYNC_TABS[(i + 1) % SYNC_TABS.length]!);
      else if (e.key === 'ArrowLeft') s.setTab(SYNC_TABS[(i + SYNC_TABS.length - 1) % SYNC_TABS.length]!);
      else if (e.key === 'ArrowDown') s.move(1);
      else if (s.tab === 'rejected' && !e.ctrlKey && !e.altKey && (e.key === 'r' || e.key === 'R')) {
        const row = s.monitor?.rejected[s.selected];
        if (row) void s.retry(row.id);
      } else if (s.tab === 'rejected' && !e.ctrlKey && !e.altKey && (e.key === 'm' || e.key === 'M')) {
        const row = s.monitor?.rejected[s.selected];
        if (row) s.startResolve(row.id);
      } else if (e.key === 'ArrowUp') s.move(-1);
      else if (
        e.key === 'Enter' &&
        s.tab === 'rejected' &&
        !(document.activeElement instanceof HTMLButtonElement)
      ) {
        const row = s.monitor?.rejected[s.selected];
        if (row) s.toggle(row.id);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="sync-screen" data-testid="sync-screen" ref={root} tabIndex={-1}>
      <div className="sync-head">
        <h2>Sync with the central server</h2>
        <button
          type="button"
          className="primary"
          onClick={() => void useSync.getState().syncNow()}
          disabled={syncing || monitor?.state === 'not_enrolled'}
          data-testid="sync-now"
        >
          {syncing ? 'Syncing…' : 'Sync now'} <kbd>Ctrl+S</kbd>
        </button>
      </div>
      {error && <div className="banner bad">{error}</div>}
      {!monitor ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <Overview m={monitor} now={fetchedAt} />
          <Problem m={monitor} now={fetchedAt} />
          {monitor.pull && (
            <div className="sync-progress" data-testid="sync-progress">
              <div className="label">
                Loading accounts from the server:{' '}
                {Math.floor((100 * monitor.pull.done) / Math.max(1, monitor.pull.total))}%
              </div>
              <progress max={monitor.pull.total} value={monitor.pull.done} />
            </div>
          )}
          <nav className="sync-tabs" role="tablist">
            {SYNC_TABS.map((t) => {
              const n = t === 'enroll' ? null : monitor.counts[t === 'sent' ? 'sent' : t];
              return (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  aria-selected={tab === t}
                  className={`sync-tab ${tab === t ? 'on' : ''} ${t === 'rejected' && n ? 'bad' : ''}`}
                  onClick={() => useSync.getState().setTab(t)}
                  data-testid={`sync-tab-${t}`}
                >
                  {TAB_LABEL[t]}
                  {n !== null && <span className="count">{n}</span>}
                </button>
              );
            })}
          </nav>
          <div className="sync-body">
            {tab === 'enroll' ? <Enrollment m={monitor} /> : <Rows m={monitor} tab={tab} />}
          </div>
          <p className="muted small">
            ← → tabs · ↑ ↓ choose · Enter show the event · R retry · M mark resolved · Ctrl+S sync now · Esc
            back
            {monitor.lastPullAt && ` · accounts as of ${when(monitor.lastPullAt)}`}
          </p>
        </>
      )}
    </div>
  );
}
