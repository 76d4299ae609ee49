/**
 * The pieces the device cards share (Devices, F11): the state badge and status line, a labelled field
 * with its error, the serial-port fields (port, baud, framing, flow) and the Test button with its result.
 */
import { useId } from 'react';

import type { DeviceTestResult } from '../../../../shared/api/channels/devices.js';
import { BAUD_RATES, DEFAULT_SERIAL, type SerialOptions } from '../../../../shared/devices/settings.js';
import { useDevices, type DeviceKey } from '../../stores/devices.js';

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

export function StateBadge({ state, testId }: { state: string; testId: string }): React.JSX.Element {
  return (
    <span className={`state-badge ${tone(state)}`} data-testid={testId}>
      {STATE_WORD[state] ?? state}
    </span>
  );
}

export function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 5 ? 'just now' : s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

type FieldProps = { label: string; error?: string | undefined; children: React.ReactNode; wide?: boolean };
export function Labeled({ label, error, children, wide }: FieldProps): React.JSX.Element {
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

export function SerialFields({
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

export function newSerial(firstPort: string | undefined): SerialOptions {
  return { ...DEFAULT_SERIAL, path: firstPort ?? '' };
}

export function TestRow({
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

export function StatusLine({
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
