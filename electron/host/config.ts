/**
 * The counter's configuration: defaults, overridden by `countertop.json` in the data folder (written by
 * an admin or by the settings screens), validated with zod.
 */
import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { DEFAULT_COMPANY, DEFAULT_TERMINAL, type HostConfig } from './create-host.js';

export const ConfigFileSchema = z
  .object({
    terminal: z
      .object({
        code: z.string().regex(/^[A-Z][A-Z0-9-]{1,11}$/),
        name: z.string().max(60),
        branch: z.string().regex(/^[A-Z0-9]{2,12}$/),
      })
      .partial(),
    company: z
      .object({
        name: z.string().max(60),
        address: z.string().max(80),
        phone: z.string().max(30),
        footer: z.array(z.string().max(48)).max(6),
      })
      .partial(),
    printerProfile: z.object({
      type: z.enum(['epson', 'star']),
      columns: z.union([z.literal(32), z.literal(42), z.literal(48)]),
      characterSet: z.enum(['PC858_EURO', 'PC850_MULTILINGUAL', 'PC437_USA', 'WPC1252']),
    }),
    demo: z.union([
      z.literal(false),
      z.object({
        count: z.number().int().positive().max(2_000_000),
        months: z.number().int().min(1).max(24).optional(),
      }),
    ]),
    idleLockSeconds: z.number().int().min(30).max(3600),
    /** Printer device nodes besides /dev/usb/lpN and /dev/lpN that a device-file printer may use. */
    printerDeviceFiles: z.array(z.string().regex(/^\/dev\/\S+$/, 'A device path starts with /dev/.')).max(16),
    till: z
      .object({
        overShortToleranceCents: z.number().int().min(0),
        maxDrawerCashCents: z.number().int().positive(),
        refundApprovalOverCents: z.number().int().min(0),
      })
      .partial()
      .strict(),
    /** The central server. Enroll from the sync screen (Ctrl+S) or with `enrollCode` (one time). */
    server: z
      .object({
        url: z.string().regex(/^https?:\/\/\S+$/),
        enrollCode: z.string().max(40),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export const CONFIG_FILE_NAME = 'countertop.json';

export function readConfigFile(dataDir: string): ConfigFile {
  const file = path.join(dataDir, CONFIG_FILE_NAME);
  if (!fs.existsSync(file)) return {};
  const parsed = ConfigFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export function loadHostConfig(dataDir: string, overrides: Partial<HostConfig> = {}): HostConfig {
  const file = readConfigFile(dataDir);
  return {
    dataDir,
    terminal: { ...DEFAULT_TERMINAL, ...file.terminal },
    company: { ...DEFAULT_COMPANY, ...file.company },
    ...(file.printerProfile ? { printerProfile: file.printerProfile } : {}),
    demo: file.demo === false ? null : (file.demo ?? { count: 2000 }),
    ...(file.idleLockSeconds ? { idleLockSeconds: file.idleLockSeconds } : {}),
    ...(file.printerDeviceFiles ? { printerDeviceFiles: file.printerDeviceFiles } : {}),
    ...(file.till ? { till: file.till } : {}),
    ...serverConfig(file),
    ...overrides,
  };
}

/** Sync settings: countertop.json's `server`, overridden by COUNTERTOP_SERVER_URL / COUNTERTOP_ENROLL_CODE. */
function serverConfig(file: ConfigFile): Pick<HostConfig, 'server'> {
  const url = process.env.COUNTERTOP_SERVER_URL || file.server?.url;
  const enrollCode = process.env.COUNTERTOP_ENROLL_CODE || file.server?.enrollCode;
  if (!url && !enrollCode) return {};
  return { server: { ...(url ? { url } : {}), ...(enrollCode ? { enrollCode } : {}) } };
}
