/**
 * The capabilities' detail appliers, one line each (the server's side of shared/sync/details.ts): the
 * ledger applier hands each `ledger.posted` envelope's detail to the applier of its capability.
 */
import type { Capability } from '../../../../../shared/sync/details.js';
import { adjustmentDetail } from '../adjustments.js';
import { depositDetail } from '../deposit.js';
import { equipmentDetail } from '../equipment.js';
import { paymentDetail } from '../payment.js';
import { returnedCheckDetail } from '../returns.js';
import { tillDetail } from '../till.js';
import type { DetailApplier } from './types.js';

export const details: { [C in Capability]: DetailApplier<C> } = {
  payment: paymentDetail,
  till: tillDetail,
  deposit: depositDetail,
  equipment: equipmentDetail,
  adjustment: adjustmentDetail,
  returned_check: returnedCheckDetail,
};
