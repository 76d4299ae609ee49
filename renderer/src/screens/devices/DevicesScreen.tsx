/**
 * Devices (IT admin, F11): for the receipt printer, the cash drawer and the barcode scanner, how the
 * counter reaches each one, its live state, and a Test button. Serial ports come from the OS list
 * (or, where that is unavailable, the admin types the path). Settings apply when saved.
 */
import { useEffect } from 'react';

import type { DeviceSettings } from '../../../../shared/devices/settings.js';
import { useDevices } from '../../stores/devices.js';
import { usePick } from '../../stores/pick.js';
import { DrawerCard } from './DrawerCard.js';
import { PrinterCard } from './PrinterCard.js';
import { ScannerCard } from './ScannerCard.js';

export function DevicesScreen(): React.JSX.Element {
  const { draft, saved, info, listError } = usePick(useDevices, 'draft', 'saved', 'info', 'listError');
  const { loadError, saving, saveMessage } = usePick(useDevices, 'loadError', 'saving', 'saveMessage');
  const ports = useDevices((s) => s.ports);
  const { edit, save, revert, loadPorts } = useDevices.getState();
  const dirty = Boolean(draft && saved && JSON.stringify(draft) !== JSON.stringify(saved));

  useEffect(() => {
    void useDevices.getState().load();
  }, []);

  if (loadError) return <p className="banner bad">{loadError}</p>;
  if (!draft) return <p className="muted">Loading devices…</p>;
  const set =
    <K extends keyof DeviceSettings>(k: K) =>
    (v: DeviceSettings[K]): void =>
      edit((d) => ({ ...d, [k]: v }));

  return (
    <div
      className="devices"
      data-testid="devices"
      onKeyDown={(e) => {
        // Enter in any field saves (Enter confirms, as everywhere at the counter).
        const t = e.target as HTMLElement;
        if (e.key === 'Enter' && (t.tagName === 'INPUT' || t.tagName === 'SELECT') && !e.defaultPrevented) {
          e.preventDefault();
          void save();
        }
      }}
    >
      <div className="devices-head">
        <h2>Devices</h2>
        <span className="muted small">
          {info?.savedAt
            ? `Saved ${new Date(info.savedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })} by ${info.savedBy ?? '?'}`
            : 'Not set up yet: receipts show on screen, scans come from the keyboard.'}
        </span>
        <span className="muted small" data-testid="port-count">
          {listError ? null : `${ports.length} serial port${ports.length === 1 ? '' : 's'} found`}
        </span>
        <button type="button" className="link small" onClick={() => void loadPorts()}>
          Refresh ports
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="secondary"
          disabled={!dirty || saving}
          onClick={revert}
          title="Back to the saved settings"
        >
          Undo
        </button>
        <button
          type="button"
          className="primary"
          disabled={!dirty || saving}
          onClick={() => void save()}
          data-testid="devices-save"
        >
          {saving ? 'Saving…' : dirty ? 'Save changes' : 'Saved'} <kbd>Enter</kbd>
        </button>
      </div>
      {saveMessage && (
        <p className={`banner ${saveMessage.ok ? 'ok' : 'bad'}`} role="status" data-testid="devices-message">
          {saveMessage.text}
        </p>
      )}
      {listError && (
        <p className="banner warn" data-testid="ports-error">
          {listError}
        </p>
      )}
      <div className="dev-cards">
        <PrinterCard value={draft.printer} info={info?.printer} dirty={dirty} onChange={set('printer')} />
        <DrawerCard
          value={draft.drawer}
          printerType={draft.printer.type}
          info={info?.drawer}
          dirty={dirty}
          onChange={set('drawer')}
        />
        <ScannerCard
          value={draft.scanner}
          info={info?.scanner}
          lastScan={info?.lastScan}
          dirty={dirty}
          onChange={set('scanner')}
        />
      </div>
    </div>
  );
}
