/**
 * The receipt printer card (Devices, F11): how the counter reaches the printer (virtual, serial, TCP or
 * a device file), its type, columns and code page, and a test page.
 */
import type { DevicesInfo } from '../../../../shared/api/channels/devices.js';
import type { PrinterSettings, SerialOptions } from '../../../../shared/devices/settings.js';
import { Select, type Choice } from '../../components/Select.js';
import { useDevices } from '../../stores/devices.js';
import { CodeInput, DeviceCard, Labeled, NumberInput, SerialFields } from './DeviceFields.js';

type Kind = PrinterSettings['connection']['kind'];
const KINDS: [Kind, string][] = [
  ['virtual', 'Virtual (receipts on screen)'],
  ['serial', 'Serial port'],
  ['tcp', 'Network (TCP, port 9100)'],
  ['file', 'Device file (USB, e.g. /dev/usb/lp0)'],
];

/** The printer's own settings, one select each: the label, the test id, the choices. */
const SETTINGS: {
  key: 'type' | 'columns' | 'characterSet';
  label: string;
  testId?: string;
  choices: Choice[];
}[] = [
  {
    key: 'type',
    label: 'Type',
    testId: 'printer-type',
    choices: [
      ['epson', 'Epson'],
      ['star', 'Star'],
    ],
  },
  {
    key: 'columns',
    label: 'Columns',
    testId: 'printer-columns',
    choices: [
      [48, '48'],
      [42, '42'],
      [32, '32'],
    ],
  },
  {
    key: 'characterSet',
    label: 'Code page',
    choices: [
      ['PC858_EURO', 'PC858'],
      ['PC850_MULTILINGUAL', 'PC850'],
      ['WPC1252', 'WPC1252'],
      ['PC437_USA', 'PC437'],
    ],
  },
];

export function PrinterCard({
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
  const setKind = (kind: Kind, serial: SerialOptions): void => {
    const connection: PrinterSettings['connection'] =
      kind === 'virtual'
        ? { kind }
        : kind === 'serial'
          ? { kind, serial }
          : kind === 'tcp'
            ? { kind, host: '', port: 9100 }
            : { kind, path: ports.find((p) => p.path.startsWith('/dev/usb/lp'))?.path ?? '/dev/usb/lp0' };
    onChange({ ...value, connection });
  };
  return (
    <DeviceCard
      device="printer"
      title="Receipt printer"
      info={info}
      kind={c.kind}
      kinds={KINDS}
      test={{ label: 'Print test page', disabled: dirty, note: 'Save first, then test.' }}
      onKind={setKind}
    >
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
            <CodeInput
              value={c.host}
              placeholder="10.0.0.7"
              testId="printer-host"
              onChange={(host) => onChange({ ...value, connection: { ...c, host } })}
            />
          </Labeled>
          <Labeled label="Port" error={errors['printer.connection.port']}>
            <NumberInput
              value={c.port}
              testId="printer-port"
              onChange={(port) => onChange({ ...value, connection: { ...c, port } })}
            />
          </Labeled>
        </div>
      )}
      {c.kind === 'file' && (
        <Labeled label="Device file" error={errors['printer.connection.path']}>
          <CodeInput
            value={c.path}
            testId="printer-file"
            onChange={(path) => onChange({ ...value, connection: { kind: 'file', path } })}
          />
        </Labeled>
      )}
      <div className="dev-grid">
        {SETTINGS.map((s) => (
          <Labeled key={s.key} label={s.label}>
            <Select
              value={value[s.key]}
              choices={s.choices}
              testId={s.testId}
              // The choices are the schema's own values; the columns come back from the select as text.
              onChange={(v) => onChange({ ...value, [s.key]: s.key === 'columns' ? Number(v) : v })}
            />
          </Labeled>
        ))}
      </div>
    </DeviceCard>
  );
}
