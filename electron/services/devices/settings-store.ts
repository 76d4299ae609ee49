/** Device settings in the counter DB (table device_settings, one row per device). */
import type { Knex } from 'knex';

import {
  DEFAULT_DEVICE_SETTINGS,
  DeviceSettingsSchema,
  DrawerSettingsSchema,
  PrinterSettingsSchema,
  ScannerSettingsSchema,
  type DeviceSettings,
} from '../../../shared/devices/settings.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';

type Row = { device: string; settings: string; updated_at: string; updated_by: string };

export type StoredDeviceSettings = {
  settings: DeviceSettings;
  savedAt: string | null;
  savedBy: string | null;
};

/** The saved settings; a device never saved (or saved by an older version and now invalid) gets its default. */
export async function loadDeviceSettings(
  db: Knex,
  defaults: DeviceSettings = DEFAULT_DEVICE_SETTINGS,
): Promise<StoredDeviceSettings & { invalid: string[] }> {
  const rows = (await db('device_settings').select('*')) as Row[];
  const settings: DeviceSettings = structuredClone(defaults);
  const invalid: string[] = [];
  let savedAt: string | null = null;
  let savedBy: string | null = null;
  const schemas = {
    printer: PrinterSettingsSchema,
    drawer: DrawerSettingsSchema,
    scanner: ScannerSettingsSchema,
  };
  for (const row of rows) {
    const schema = schemas[row.device as keyof typeof schemas];
    if (!schema) continue;
    let json: unknown;
    try {
      json = JSON.parse(row.settings);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      invalid.push(row.device);
      continue;
    }
    (settings as Record<string, unknown>)[row.device] = parsed.data;
    if (!savedAt || row.updated_at > savedAt) {
      savedAt = row.updated_at;
      savedBy = row.updated_by;
    }
  }
  if (savedBy) {
    const who = (await db('cashiers').where('id', savedBy).first('name')) as { name: string } | undefined;
    if (who) savedBy = `${who.name} (${savedBy})`;
  }
  return { settings: DeviceSettingsSchema.parse(settings), savedAt, savedBy, invalid };
}

/** Writes the settings inside the caller's transaction (the audit entry goes in the same one). */
export async function saveDeviceSettings(
  trx: Knex.Transaction,
  settings: DeviceSettings,
  by: string,
  at: Date,
): Promise<void> {
  for (const device of ['printer', 'drawer', 'scanner'] as const) {
    await trx('device_settings')
      .insert({
        device,
        settings: JSON.stringify(settings[device]),
        updated_at: at.toISOString(),
        updated_by: by,
      })
      .onConflict('device')
      .merge();
  }
}

/** Saves the device settings and the audit entry naming who changed what, in one transaction. */
export async function saveDeviceSettingsAudited(
  ctx: Pick<ServiceContext, 'db' | 'terminal'>,
  settings: DeviceSettings,
  by: string,
  before: DeviceSettings,
  at: Date,
): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    await saveDeviceSettings(trx, settings, by, at);
    await appendAudit(
      trx,
      {
        actor: by,
        action: 'devices.settings.save',
        entityType: 'devices',
        entityId: ctx.terminal.code,
        details: { before, after: settings },
      },
      at,
    );
  });
}
