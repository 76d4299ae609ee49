/**
 * The server's appliers, by event type. An event type not listed here is REJECTED (UNKNOWN_EVENT_TYPE):
 * recorded for review, the terminal's counter still advances, nothing is applied.
 */
import { depositPosted, depositSettingsSaved } from './deposit.js';
import { equipmentPosted, equipmentTicket } from './equipment.js';
import { ledgerPosted } from './ledger.js';
import { paymentPosted } from './payment.js';
import { receiptReprinted } from './reprint.js';
import { tillClosed } from './till.js';
import type { Applier } from './types.js';

export const appliers: Record<string, Applier<unknown>> = {
  'payment.posted': paymentPosted as Applier<unknown>,
  'receipt.reprinted': receiptReprinted as Applier<unknown>,
  'ledger.posted': ledgerPosted as Applier<unknown>,
  'till.closed': tillClosed as Applier<unknown>,
  'equipment.posted': equipmentPosted as Applier<unknown>,
  'equipment.ticket': equipmentTicket as Applier<unknown>,
  'deposit.posted': depositPosted as Applier<unknown>,
  'deposit.settings_saved': depositSettingsSaved as Applier<unknown>,
};

export type { Applier, ApplyOutcome, EventMeta } from './types.js';
