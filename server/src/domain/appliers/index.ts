/**
 * The server's appliers, by event type. An event type not listed here is REJECTED (UNKNOWN_EVENT_TYPE):
 * recorded for review, the terminal's counter still advances, nothing is applied. Every ledger
 * transaction is a `ledger.posted` envelope (its capability's detail applier: details/index.ts); the
 * per-capability types an older counter may still have queued are translated into it (../legacy.ts).
 */
import {
  DepositPostedSchema,
  EquipmentPostedSchema,
  PaymentPostedSchema,
} from '../../../../shared/sync/legacy.js';
import { fromDepositPosted, fromEquipmentPosted, fromPaymentPosted } from '../legacy.js';
import { depositSettingsSaved } from './deposit.js';
import { equipmentTicket } from './equipment.js';
import { ledgerPosted, legacyLedger } from './ledger.js';
import { receiptReprinted } from './reprint.js';
import { cashOnlyLifted } from './returns.js';
import { tillClosed } from './till.js';
import type { Applier } from './types.js';

export const appliers: Record<string, Applier<unknown>> = {
  'ledger.posted': ledgerPosted as Applier<unknown>,
  'receipt.reprinted': receiptReprinted as Applier<unknown>,
  'till.closed': tillClosed as Applier<unknown>,
  'equipment.ticket': equipmentTicket as Applier<unknown>,
  'deposit.settings_saved': depositSettingsSaved as Applier<unknown>,
  'cash_only.lifted': cashOnlyLifted as Applier<unknown>,
  'payment.posted': legacyLedger(PaymentPostedSchema, fromPaymentPosted) as Applier<unknown>,
  'deposit.posted': legacyLedger(DepositPostedSchema, fromDepositPosted) as Applier<unknown>,
  'equipment.posted': legacyLedger(EquipmentPostedSchema, fromEquipmentPosted) as Applier<unknown>,
};

export type { Applier, ApplyOutcome, EventMeta } from './types.js';
