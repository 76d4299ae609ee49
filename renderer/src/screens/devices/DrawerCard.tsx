/**
 * The cash drawer card (Devices, F11): kicked through the printer, driven directly over serial, or none;
 * the sensor level, the open-too-long alert, and an Open drawer test.
 */
import type { DevicesInfo } from '../../../../shared/api/channels/devices.js';
import type { DrawerSettings, PrinterSettings } from '../../../../shared/devices/settings.js';
import { useDevices } from '../../stores/devices.js';
import { ago, Labeled, newSerial, SerialFields, StateBadge, StatusLine, TestRow } from './DeviceFields.js';

export function DrawerCard({
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
