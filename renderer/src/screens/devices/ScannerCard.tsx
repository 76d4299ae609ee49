/**
 * The barcode scanner card (Devices, F11): keyboard wedge (with its framing) or serial (with its suffix),
 * the last scan the counter saw, and a scanner check.
 */
import type { DevicesInfo } from '../../../../shared/api/channels/devices.js';
import type { ScannerSettings } from '../../../../shared/devices/settings.js';
import { Select, type Choice } from '../../components/Select.js';
import { useDevices } from '../../stores/devices.js';
import { ago, DeviceCard, Labeled, NumberInput, SerialFields } from './DeviceFields.js';
import { WedgeFramingFields } from './WedgeFramingFields.js';

const KINDS: [ScannerSettings['connection']['kind'], string][] = [
  ['wedge', 'Keyboard wedge (USB keyboard mode)'],
  ['serial', 'Serial port'],
];
const SUFFIXES: Choice[] = [
  ['crlf', 'CR/LF'],
  ['cr', 'CR'],
  ['lf', 'LF'],
  ['none', 'None (pause)'],
];

export function ScannerCard({
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
  const errors = useDevices((s) => s.fieldErrors);
  const c = value.connection;
  return (
    <DeviceCard
      device="scanner"
      title="Barcode scanner"
      info={info}
      kind={c.kind}
      kinds={KINDS}
      test={{ label: 'Check scanner', disabled: dirty, note: 'Save first, then test.' }}
      onKind={(kind, serial) =>
        onChange({
          ...value,
          connection: kind === 'serial' ? { kind, serial } : { kind },
        })
      }
    >
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
              <Select
                value={value.suffix}
                choices={SUFFIXES}
                testId="scanner-suffix"
                onChange={(v) => onChange({ ...value, suffix: v as ScannerSettings['suffix'] })}
              />
            </Labeled>
            {value.suffix === 'none' && (
              <Labeled label="Pause (ms)" error={errors['scanner.interByteTimeoutMs']}>
                <NumberInput
                  value={value.interByteTimeoutMs}
                  onChange={(interByteTimeoutMs) => onChange({ ...value, interByteTimeoutMs })}
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
    </DeviceCard>
  );
}
