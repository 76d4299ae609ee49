/** What every service gets: the database, the clock, the terminal's configuration and a logger. */
import type { Knex } from 'knex';
import type { Logger } from 'pino';

import type { Clock } from './clock.js';
import type { PrinterProfile } from './receipts/compose.js';

export type TerminalConfig = {
  /** Shown on screens and receipts, e.g. MAIN-02. */
  code: string;
  name: string;
  branch: string;
};

export type CompanyConfig = { name: string; address: string; phone: string; footer: string[] };

export type ServiceContext = {
  db: Knex;
  clock: Clock;
  terminal: TerminalConfig;
  company: CompanyConfig;
  printerProfile: PrinterProfile;
  log: Logger;
  /** True while the sync worker reaches the server; receipts say so when it does not. */
  isOnline(): boolean;
  lastSyncAt(): string | null;
};

/** Receipt number prefix: the terminal code without punctuation (MAIN-02 → MAIN02). */
export function receiptPrefix(terminal: TerminalConfig): string {
  return terminal.code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}
