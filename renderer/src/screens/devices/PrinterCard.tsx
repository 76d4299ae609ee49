/**
 * The receipt printer card (Devices, F11): how the counter reaches the printer (virtual, serial, TCP or
 * a device file), its type, columns and code page, and a test page.
 */
import type { DevicesInfo } from '../../../../shared/api/channels/devices.js';
import type { PrinterSettings } from '../../../../shared/devices/settings.js';
import { useDevices } from '../../stores/devices.js';
import { Labeled, newSerial, SerialFields, StateBadge, StatusLine, TestRow } from './DeviceFields.js';

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
