/**
 * The cash drawer card (Devices, F11): kicked through the printer, driven directly over serial, or none;
 * the sensor level, the open-too-long alert, and an Open drawer test.
 */
import type { DevicesInfo } from '../../../../shared/api/channels/devices.js';
import type { DrawerSettings, PrinterSettings, SerialOptions } from '../../../../shared/devices/settings.js';
import { Select } from '../../components/Select.js';
import { useDevices } from '../../stores/devices.js';
import { ago, CodeInput, DeviceCard, Labeled, NumberInput, SerialFields } from './DeviceFields.js';

type Kind = DrawerSettings['connection']['kind'];
const KINDS: [Kind, string][] = [
  ['printer', 'Through the printer (DK port)'],
  ['serial', 'Direct serial drawer'],
  ['none', 'No drawer'],
];

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
  const errors = useDevices((s) => s.fieldErrors);
  const c = value.connection;
  const setKind = (kind: Kind, serial: SerialOptions): void => {
    const connection: DrawerSettings['connection'] =
      kind === 'serial' ? { kind, serial, openCommand: '07', statusRequest: '10 04 01' } : { kind };
    onChange({ ...value, connection });
  };
  return (
    <DeviceCard
      device="drawer"
      title="Cash drawer"
      info={info}
      status={
        info && {
          ...info,
          detail: info.state === 'open' && info.openSince ? `Open since ${ago(info.openSince)}` : info.detail,
        }
      }
      kind={c.kind}
      kinds={KINDS}
      test={{
        label: 'Open drawer',
        disabled: dirty || c.kind === 'none',
        note: c.kind === 'none' ? null : 'Save first, then test.',
      }}
      onKind={setKind}
    >
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
              <CodeInput
                value={c.openCommand}
                onChange={(openCommand) => onChange({ ...value, connection: { ...c, openCommand } })}
              />
            </Labeled>
            <Labeled
              label="Status request (hex, blank: none)"
              error={errors['drawer.connection.statusRequest']}
            >
              <CodeInput
                value={c.statusRequest}
                onChange={(statusRequest) => onChange({ ...value, connection: { ...c, statusRequest } })}
              />
            </Labeled>
          </div>
        </>
      )}
      {c.kind !== 'none' && (
        <div className="dev-grid two">
          <Labeled label="Sensor when open">
            <Select
              value={value.openWhenSensor}
              choices={[
                ['high', 'High'],
                ['low', 'Low'],
              ]}
              onChange={(v) => onChange({ ...value, openWhenSensor: v as DrawerSettings['openWhenSensor'] })}
            />
          </Labeled>
          <Labeled label="Alert after (s)" error={errors['drawer.alertAfterSeconds']}>
            <NumberInput
              value={value.alertAfterSeconds}
              testId="drawer-alert"
              onChange={(alertAfterSeconds) => onChange({ ...value, alertAfterSeconds })}
            />
          </Labeled>
        </div>
      )}
    </DeviceCard>
  );
}
