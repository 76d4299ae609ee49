/**
 * The pieces the device cards share (Devices, F11): the state badge and status line, a labelled field
 * with its error, the serial-port fields (port, baud, framing, flow), the card's shell with its
 * Connection choice, and the Test button with its result.
 */
import { useId } from 'react';

import type { DeviceTestResult } from '../../../../shared/api/channels/devices.js';
import { BAUD_RATES, DEFAULT_SERIAL, type SerialOptions } from '../../../../shared/devices/settings.js';
import { asChoices, Select, type Choice } from '../../components/Select.js';
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
        <Select
          value={value.baudRate}
          choices={asChoices(BAUD_RATES)}
          testId={`${testId}-baud`}
          onChange={(v) => set('baudRate', Number(v))}
        />
      </Labeled>
      <Labeled label="Framing">
        <Select
          value={framingOf(value)}
          choices={asChoices(Object.keys(FRAMINGS))}
          testId={`${testId}-framing`}
          onChange={(v) => onChange({ ...value, ...FRAMINGS[v] })}
        />
      </Labeled>
      <Labeled label="Flow">
        <Select
          value={value.rtscts ? 'rtscts' : 'none'}
          choices={[
            ['none', 'None'],
            ['rtscts', 'RTS/CTS'],
          ]}
          onChange={(v) => set('rtscts', v === 'rtscts')}
        />
      </Labeled>
    </div>
  );
}

function newSerial(firstPort: string | undefined): SerialOptions {
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

/** A whole number typed in a field: anything but digits is dropped as it is typed. */
export function NumberInput({
  value,
  onChange,
  testId,
}: {
  value: number;
  onChange(v: number): void;
  testId?: string;
}): React.JSX.Element {
  return (
    <input
      inputMode="numeric"
      value={String(value)}
      data-testid={testId}
      onChange={(e) => onChange(Number(e.currentTarget.value.replace(/\D/g, '')))}
    />
  );
}

/** Text the admin types as written in a manual (a host, a path, hex bytes): no spelling check. */
export function CodeInput({
  value,
  onChange,
  testId,
  placeholder,
}: {
  value: string;
  onChange(v: string): void;
  testId?: string;
  placeholder?: string;
}): React.JSX.Element {
  return (
    <input
      value={value}
      placeholder={placeholder}
      spellCheck={false}
      data-testid={testId}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

/**
 * A device's card: its name and state badge, the status line, how the counter reaches it (the
 * Connection choice), the card's own fields, and the Test button.
 */
export function DeviceCard<K extends string>({
  device,
  title,
  info,
  status = info,
  kind,
  kinds,
  onKind,
  test,
  children,
}: {
  device: DeviceKey;
  title: string;
  info: { state: string; detail: string | null; connection: string } | undefined;
  status?: { state: string; detail: string | null; connection: string } | undefined;
  kind: K;
  kinds: readonly (readonly [K, string])[];
  /** The new kind, and serial settings on the first port the OS lists for a kind that needs them. */
  onKind(kind: K, serial: SerialOptions): void;
  /** The Test button: its label, and why it is off (`note`) while it is. */
  test: { label: string; disabled: boolean; note: string | null };
  children: React.ReactNode;
}): React.JSX.Element {
  const firstPort = useDevices((s) => s.ports[0]?.path);
  return (
    <section className="dev-card" data-testid={`device-${device}`}>
      <header>
        <h3>{title}</h3>
        {info && <StateBadge state={info.state} testId={`${device}-state`} />}
      </header>
      {status && <StatusLine status={status} testId={device} />}
      <Labeled label="Connection">
        <Select
          value={kind}
          choices={kinds as readonly Choice[]}
          testId={`${device}-kind`}
          onChange={(k) => k !== kind && onKind(k as K, newSerial(firstPort))}
        />
      </Labeled>
      {children}
      <TestRow device={device} {...test} />
    </section>
  );
}
