/**
 * The capabilities that post ledger transactions, one line each: the `detail` of a `ledger.posted`
 * envelope is one of these, told apart by `capability`. A capability adds its detail schema in its own
 * file under shared/sync and one line here (and its detail applier on the server).
 */
import { z } from 'zod';

import { AdjustmentDetailSchema } from './adjustments.js';
import { DepositDetailSchema } from './deposits.js';
import { EquipmentDetailSchema } from './equipment.js';
import { PaymentDetailSchema } from './payments.js';
import { ReturnedCheckDetailSchema } from './returns.js';
import { TillDetailSchema } from './till.js';

export const LedgerDetailSchema = z.discriminatedUnion('capability', [
  PaymentDetailSchema,
  TillDetailSchema,
  DepositDetailSchema,
  EquipmentDetailSchema,
  AdjustmentDetailSchema,
  ReturnedCheckDetailSchema,
]);
export type LedgerDetail = z.infer<typeof LedgerDetailSchema>;
export type Capability = LedgerDetail['capability'];
/** The detail of one capability. */
export type DetailOf<C extends Capability> = Extract<LedgerDetail, { capability: C }>;
