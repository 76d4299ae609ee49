/**
 * The barcode scanner card (Devices, F11): keyboard wedge (with its framing) or serial (with its suffix),
 * the last scan the counter saw, and a scanner check.
 */
import type { DevicesInfo } from '../../../../shared/api/channels/devices.js';
import type { ScannerSettings } from '../../../../shared/devices/settings.js';
import { useDevices } from '../../stores/devices.js';
import { ago, Labeled, newSerial, SerialFields, StateBadge, StatusLine, TestRow } from './DeviceFields.js';
import { WedgeFramingFields } from './WedgeFramingFields.js';

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
