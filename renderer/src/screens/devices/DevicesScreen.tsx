/**
 * Devices (IT admin, F11): for the receipt printer, the cash drawer and the barcode scanner, how the
 * counter reaches each one, its live state, and a Test button. Serial ports come from the OS list
 * (or, where that is unavailable, the admin types the path). Settings apply when saved.
 */
import { useEffect, useId } from 'react';

import type { DeviceTestResult, DevicesInfo } from '../../../../shared/api/channels/devices.js';
import {
  BAUD_RATES,
  DEFAULT_SERIAL,
  type DeviceSettings,
  type DrawerSettings,
  type PrinterSettings,
  type ScannerSettings,
  type SerialOptions,
} from '../../../../shared/devices/settings.js';
import { useDevices, type DeviceKey } from '../../stores/devices.js';
import { WedgeFramingFields } from './WedgeFramingFields.js';

const STATE_WORD: Record<string, string> = {
  ready: 'Ready',
  offline: 'Offline',
  paper_out: 'Paper out',
  cover_open: 'Cover open',
  error: 'Error',
  no_status: 'No status',
  virtual: 'Virtual',
  open: 'Open',
  closed: 'Closed',
  unknown: 'Unknown',
};

function tone(state: string): 'ok' | 'warn' | 'bad' | 'info' {
  if (state === 'ready' || state === 'closed') return 'ok';
  if (state === 'virtual' || state === 'unknown') return 'info';
  if (state === 'no_status' || state === 'open') return 'warn';
  return 'bad';
}

function StateBadge({ state, testId }: { state: string; testId: string }): React.JSX.Element {
  return (
    <span className={`state-badge ${tone(state)}`} data-testid={testId}>
      {STATE_WORD[state] ?? state}
    </span>
  );
}

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 5 ? 'just now' : s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

type FieldProps = { label: string; error?: string | undefined; children: React.ReactNode; wide?: boolean };
function Labeled({ label, error, children, wide }: FieldProps): React.JSX.Element {
  return (
    <label className={`dev-field ${wide ? 'wide' : ''} ${error ? 'has-error' : ''}`}>
      <span className="label">{label}</span>
      {children}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

type Framing = Pick<SerialOptions, 'dataBits' | 'parity' | 'stopBits'>;
/** "8N1" and friends: how admins and printer manuals write data bits, parity and stop bits. */
const FRAMINGS: Record<string, Framing> = Object.fromEntries(
  ([8, 7] as const).flatMap((dataBits) =>
    (['none', 'even', 'odd'] as const).flatMap((parity) =>
      ([1, 2] as const).map((stopBits) => [
        `${dataBits}${parity === 'none' ? 'N' : parity === 'even' ? 'E' : 'O'}${stopBits}`,
        { dataBits, parity, stopBits },
      ]),
    ),
  ),
);
const framingOf = (s: SerialOptions): string =>
  `${s.dataBits}${s.parity === 'none' ? 'N' : s.parity === 'even' ? 'E' : 'O'}${s.stopBits}`;

function SerialFields({
  value,
  onChange,
  errorPrefix,
  testId,
}: {
  value: SerialOptions;
  onChange(v: SerialOptions): void;
  errorPrefix: string;
  testId: string;
}): React.JSX.Element {
  const ports = useDevices((s) => s.ports);
  const errors = useDevices((s) => s.fieldErrors);
  const listId = useId();
  const set = <K extends keyof SerialOptions>(k: K, v: SerialOptions[K]): void =>
    onChange({ ...value, [k]: v });
  return (
    <div className="dev-grid">
      <Labeled label="Port" error={errors[`${errorPrefix}.path`]} wide>
        <input
          list={listId}
          value={value.path}
          placeholder="/dev/ttyUSB0"
          spellCheck={false}
          autoComplete="off"
          data-testid={`${testId}-path`}
          onChange={(e) => set('path', e.currentTarget.value)}
        />
        <datalist id={listId}>
          {ports.map((p) => (
            <option key={p.path} value={p.path}>
              {[p.manufacturer, p.serialNumber].filter(Boolean).join(' · ')}
            </option>
          ))}
        </datalist>
      </Labeled>
      <Labeled label="Baud" error={errors[`${errorPrefix}.baudRate`]}>
        <select
          value={value.baudRate}
          data-testid={`${testId}-baud`}
          onChange={(e) => set('baudRate', Number(e.currentTarget.value))}
        >
          {BAUD_RATES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </Labeled>
      <Labeled label="Framing">
        <select
          value={framingOf(value)}
          data-testid={`${testId}-framing`}
          onChange={(e) => onChange({ ...value, ...FRAMINGS[e.currentTarget.value] })}
        >
          {Object.keys(FRAMINGS).map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </Labeled>
      <Labeled label="Flow">
        <select
          value={value.rtscts ? 'rtscts' : 'none'}
          onChange={(e) => set('rtscts', e.currentTarget.value === 'rtscts')}
        >
          <option value="none">None</option>
          <option value="rtscts">RTS/CTS</option>
        </select>
      </Labeled>
    </div>
  );
}

function newSerial(firstPort: string | undefined): SerialOptions {
  return { ...DEFAULT_SERIAL, path: firstPort ?? '' };
}

function TestRow({
  device,
  label,
  disabled,
  note,
}: {
  device: DeviceKey;
  label: string;
  disabled: boolean;
  note: string | null;
}): React.JSX.Element {
  const testing = useDevices((s) => s.testing);
  const result: DeviceTestResult | undefined = useDevices((s) => s.tests[device]);
  return (
    <div className="dev-test">
      <button
        type="button"
        className="secondary"
        disabled={disabled || testing !== null}
        onClick={() => void useDevices.getState().test(device)}
        data-testid={`test-${device}`}
      >
        {testing === device ? 'Testing…' : label}
      </button>
      {disabled && note && <span className="muted small">{note}</span>}
      {result && (
        <p
          className={`dev-result ${result.ok ? 'ok' : 'bad'}`}
          role="status"
          data-testid={`test-${device}-result`}
        >
          {result.message}
        </p>
      )}
    </div>
  );
}

function StatusLine({
  status,
  testId,
}: {
  status: { state: string; detail: string | null; connection: string };
  testId: string;
}): React.JSX.Element {
  return (
    <div className="dev-status">
      <span className="dev-conn" title={status.connection}>
        {status.connection}
      </span>
      {status.detail && !status.detail.includes(status.connection.split(' · ')[0] ?? '') && (
        <p className="dev-detail" data-testid={`${testId}-detail`}>
          {status.detail}
        </p>
      )}
    </div>
  );
}

function PrinterCard({
  value,
  info,
  dirty,
  onChange,
}: {
  value: PrinterSettings;
  info: DevicesInfo['printer'] | undefined;
  dirty: boolean;
  onChange(v: PrinterSettings): void;
}): React.JSX.Element {
  const ports = useDevices((s) => s.ports);
  const errors = useDevices((s) => s.fieldErrors);
  const c = value.connection;
  const setKind = (kind: PrinterSettings['connection']['kind']): void => {
    if (kind === c.kind) return;
    const connection: PrinterSettings['connection'] =
      kind === 'virtual'
        ? { kind }
        : kind === 'serial'
          ? { kind, serial: newSerial(ports[0]?.path) }
          : kind === 'tcp'
            ? { kind, host: '', port: 9100 }
            : { kind, path: ports.find((p) => p.path.startsWith('/dev/usb/lp'))?.path ?? '/dev/usb/lp0' };
    onChange({ ...value, connection });
  };
  return (
    <section className="dev-card" data-testid="device-printer">
      <header>
        <h3>Receipt printer</h3>
        {info && <StateBadge state={info.state} testId="printer-state" />}
      </header>
      {info && <StatusLine status={info} testId="printer" />}
      <Labeled label="Connection">
        <select
          value={c.kind}
          data-testid="printer-kind"
          onChange={(e) => setKind(e.currentTarget.value as PrinterSettings['connection']['kind'])}
        >
          <option value="virtual">Virtual (receipts on screen)</option>
          <option value="serial">Serial port</option>
          <option value="tcp">Network (TCP, port 9100)</option>
          <option value="file">Device file (USB, e.g. /dev/usb/lp0)</option>
        </select>
      </Labeled>
      {c.kind === 'serial' && (
        <SerialFields
          value={c.serial}
          errorPrefix="printer.connection.serial"
          testId="printer"
          onChange={(serial) => onChange({ ...value, connection: { kind: 'serial', serial } })}
        />
      )}
      {c.kind === 'tcp' && (
        <div className="dev-grid">
          <Labeled label="Host or IP address" error={errors['printer.connection.host']} wide>
            <input
              value={c.host}
              placeholder="10.0.0.7"
              spellCheck={false}
              data-testid="printer-host"
              onChange={(e) => onChange({ ...value, connection: { ...c, host: e.currentTarget.value } })}
            />
          </Labeled>
          <Labeled label="Port" error={errors['printer.connection.port']}>
            <input
              inputMode="numeric"
              value={String(c.port)}
              data-testid="printer-port"
              onChange={(e) =>
                onChange({
                  ...value,
                  connection: { ...c, port: Number(e.currentTarget.value.replace(/\D/g, '')) },
                })
              }
            />
          </Labeled>
        </div>
      )}
      {c.kind === 'file' && (
        <Labeled label="Device file" error={errors['printer.connection.path']}>
          <input
            value={c.path}
            spellCheck={false}
            data-testid="printer-file"
            onChange={(e) =>
              onChange({ ...value, connection: { kind: 'file', path: e.currentTarget.value } })
            }
          />
        </Labeled>
      )}
      <div className="dev-grid">
        <Labeled label="Type">
          <select
            value={value.type}
            data-testid="printer-type"
            onChange={(e) => onChange({ ...value, type: e.currentTarget.value as PrinterSettings['type'] })}
          >
            <option value="epson">Epson</option>
            <option value="star">Star</option>
          </select>
        </Labeled>
        <Labeled label="Columns">
          <select
            value={value.columns}
            data-testid="printer-columns"
            onChange={(e) =>
              onChange({ ...value, columns: Number(e.currentTarget.value) as PrinterSettings['columns'] })
            }
          >
            <option value={48}>48</option>
            <option value={42}>42</option>
            <option value={32}>32</option>
          </select>
        </Labeled>
        <Labeled label="Code page">
          <select
            value={value.characterSet}
            onChange={(e) =>
              onChange({ ...value, characterSet: e.currentTarget.value as PrinterSettings['characterSet'] })
            }
          >
            <option value="PC858_EURO">PC858</option>
            <option value="PC850_MULTILINGUAL">PC850</option>
            <option value="WPC1252">WPC1252</option>
            <option value="PC437_USA">PC437</option>
          </select>
        </Labeled>
      </div>
      <TestRow device="printer" label="Print test page" disabled={dirty} note="Save first, then test." />
    </section>
  );
}

function DrawerCard({
  value,
  printerType,
  info,
  dirty,
  onChange,
}: {
  value: DrawerSettings;
  printerType: PrinterSettings['type'];
  info: DevicesInfo['drawer'] | undefined;
  dirty: boolean;
  onChange(v: DrawerSettings): void;
}): React.JSX.Element {
  const ports = useDevices((s) => s.ports);
  const errors = useDevices((s) => s.fieldErrors);
  const c = value.connection;
  const setKind = (kind: DrawerSettings['connection']['kind']): void => {
    if (kind === c.kind) return;
    const connection: DrawerSettings['connection'] =
      kind === 'serial'
        ? { kind, serial: newSerial(ports[0]?.path), openCommand: '07', statusRequest: '10 04 01' }
        : { kind };
    onChange({ ...value, connection });
  };
  return (
    <section className="dev-card" data-testid="device-drawer">
      <header>
        <h3>Cash drawer</h3>
        {info && <StateBadge state={info.state} testId="drawer-state" />}
      </header>
      {info && (
        <StatusLine
          status={{
            ...info,
            detail:
              info.state === 'open' && info.openSince ? `Open since ${ago(info.openSince)}` : info.detail,
          }}
          testId="drawer"
        />
      )}
      <Labeled label="Connection">
        <select
          value={c.kind}
          data-testid="drawer-kind"
          onChange={(e) => setKind(e.currentTarget.value as DrawerSettings['connection']['kind'])}
        >
          <option value="printer">Through the printer (DK port)</option>
          <option value="serial">Direct serial drawer</option>
          <option value="none">No drawer</option>
        </select>
      </Labeled>
      {c.kind === 'printer' && (
        <p className="muted small">
          Kicked with{' '}
          {printerType === 'star' ? 'Star ESC BEL (1B 07 0B 37 07)' : 'the full ESC p 1B 70 00 19 FA'}; the
          sensor is read from the printer&apos;s status (DLE EOT 1).
        </p>
      )}
      {c.kind === 'serial' && (
        <>
          <SerialFields
            value={c.serial}
            errorPrefix="drawer.connection.serial"
            testId="drawer"
            onChange={(serial) => onChange({ ...value, connection: { ...c, serial } })}
          />
          <div className="dev-grid">
            <Labeled label="Open command (hex)" error={errors['drawer.connection.openCommand']}>
              <input
                value={c.openCommand}
                spellCheck={false}
                onChange={(e) =>
                  onChange({ ...value, connection: { ...c, openCommand: e.currentTarget.value } })
                }
              />
            </Labeled>
            <Labeled
              label="Status request (hex, blank: none)"
              error={errors['drawer.connection.statusRequest']}
            >
              <input
                value={c.statusRequest}
                spellCheck={false}
                onChange={(e) =>
                  onChange({ ...value, connection: { ...c, statusRequest: e.currentTarget.value } })
                }
              />
            </Labeled>
          </div>
        </>
      )}
      {c.kind !== 'none' && (
        <div className="dev-grid two">
          <Labeled label="Sensor when open">
            <select
              value={value.openWhenSensor}
              onChange={(e) =>
                onChange({
                  ...value,
                  openWhenSensor: e.currentTarget.value as DrawerSettings['openWhenSensor'],
                })
              }
            >
              <option value="high">High</option>
              <option value="low">Low</option>
            </select>
          </Labeled>
          <Labeled label="Alert after (s)" error={errors['drawer.alertAfterSeconds']}>
            <input
              inputMode="numeric"
              value={String(value.alertAfterSeconds)}
              data-testid="drawer-alert"
              onChange={(e) =>
                onChange({ ...value, alertAfterSeconds: Number(e.currentTarget.value.replace(/\D/g, '')) })
              }
            />
          </Labeled>
        </div>
      )}
      <TestRow
        device="drawer"
        label="Open drawer"
        disabled={dirty || c.kind === 'none'}
        note={c.kind === 'none' ? null : 'Save first, then test.'}
      />
    </section>
  );
}

function ScannerCard({
  value,
  info,
  lastScan,
  dirty,
  onChange,
}: {
  value: ScannerSettings;
  info: DevicesInfo['scanner'] | undefined;
  lastScan: DevicesInfo['lastScan'] | undefined;
  dirty: boolean;
  onChange(v: ScannerSettings): void;
}): React.JSX.Element {
  const ports = useDevices((s) => s.ports);
  const errors = useDevices((s) => s.fieldErrors);
  const c = value.connection;
  return (
    <section className="dev-card" data-testid="device-scanner">
      <header>
        <h3>Barcode scanner</h3>
        {info && <StateBadge state={info.state} testId="scanner-state" />}
      </header>
      {info && <StatusLine status={info} testId="scanner" />}
      <Labeled label="Connection">
        <select
          value={c.kind}
          data-testid="scanner-kind"
          onChange={(e) => {
            const kind = e.currentTarget.value as ScannerSettings['connection']['kind'];
            if (kind === c.kind) return;
            onChange({
              ...value,
              connection: kind === 'serial' ? { kind, serial: newSerial(ports[0]?.path) } : { kind },
            });
          }}
        >
          <option value="wedge">Keyboard wedge (USB keyboard mode)</option>
          <option value="serial">Serial port</option>
        </select>
      </Labeled>
      {c.kind === 'serial' && (
        <>
          <SerialFields
            value={c.serial}
            errorPrefix="scanner.connection.serial"
            testId="scanner"
            onChange={(serial) => onChange({ ...value, connection: { kind: 'serial', serial } })}
          />
          <div className="dev-grid">
            <Labeled label="Suffix">
              <select
                value={value.suffix}
                data-testid="scanner-suffix"
                onChange={(e) =>
                  onChange({ ...value, suffix: e.currentTarget.value as ScannerSettings['suffix'] })
                }
              >
                <option value="crlf">CR/LF</option>
                <option value="cr">CR</option>
                <option value="lf">LF</option>
                <option value="none">None (pause)</option>
              </select>
            </Labeled>
            {value.suffix === 'none' && (
              <Labeled label="Pause (ms)" error={errors['scanner.interByteTimeoutMs']}>
                <input
                  inputMode="numeric"
                  value={String(value.interByteTimeoutMs)}
                  onChange={(e) =>
                    onChange({
                      ...value,
                      interByteTimeoutMs: Number(e.currentTarget.value.replace(/\D/g, '')),
                    })
                  }
                />
              </Labeled>
            )}
          </div>
        </>
      )}
      {c.kind === 'wedge' && (
        <>
          <p className="muted small">
            A keyboard-wedge scanner types the code and Enter; scans work on every screen.
          </p>
          <WedgeFramingFields
            value={value.wedge}
            error={errors['scanner.wedge.prefix.char']}
            onChange={(wedge) => onChange({ ...value, wedge })}
          />
        </>
      )}
      <div className="dev-lastscan" data-testid="last-scan">
        <span className="label">Last scan</span>
        {lastScan ? (
          <>
            <code className={lastScan.code ? '' : 'bad'}>{lastScan.code ?? 'refused'}</code>
            <span className="muted small">
              {lastScan.meaning} · {ago(lastScan.at)}
            </span>
          </>
        ) : (
          <span className="muted small">
            {c.kind === 'serial'
              ? 'Scan a code: it shows here.'
              : 'Scan into any screen to test the wedge scanner.'}
          </span>
        )}
      </div>
      <TestRow device="scanner" label="Check scanner" disabled={dirty} note="Save first, then test." />
    </section>
  );
}

export function DevicesScreen(): React.JSX.Element {
  const draft = useDevices((s) => s.draft);
  const saved = useDevices((s) => s.saved);
  const info = useDevices((s) => s.info);
  const listError = useDevices((s) => s.listError);
  const loadError = useDevices((s) => s.loadError);
  const saving = useDevices((s) => s.saving);
  const saveMessage = useDevices((s) => s.saveMessage);
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
