/**
 * Every module of the counter, one line each: the core (session, accounts, payments, receipts),
 * devices and sync, then the capabilities. The host builds its handler map from this list only; a new
 * capability adds its line here (and its channel group to shared/api/contract.ts).
 */
import type { Channel } from '../../shared/api/contract.js';
import type { ZParts } from '../services/till/till.js';
import type { ChannelsOf } from './capability.js';
import { adjustmentsModule } from './handlers/adjustments.js';
import { coreModule } from './handlers/core.js';
import { depositsModule } from './handlers/deposits.js';
import { devicesModule } from './handlers/devices.js';
import { equipmentModule } from './handlers/equipment.js';
import { returnsModule } from './handlers/returns.js';
import { syncModule } from './handlers/sync.js';
import { tillModule } from './handlers/till.js';

export const counterModules = [
  coreModule,
  devicesModule,
  syncModule,
  tillModule,
  equipmentModule,
  depositsModule,
  adjustmentsModule,
  returnsModule,
] as const;

/** The Z report's capability lines and transaction-kind words, gathered from the list. */
export const zParts: ZParts = {
  lines: counterModules.flatMap((m) => ('zReport' in m ? (m.zReport?.lines ?? []) : [])),
  kindLabels: Object.assign(
    {},
    ...counterModules.map((m) => ('zReport' in m ? (m.zReport?.kindLabels ?? {}) : {})),
  ) as Record<string, string>,
};

/** Fails to compile while a channel of the contract has no module handling it. */
type Unhandled = Exclude<Channel, ChannelsOf<(typeof counterModules)[number]>>;
export const everyChannelHandled: [Unhandled] extends [never] ? true : Unhandled = true;
