/**
 * The capabilities' demo policies, one line each: the counter's and the server's demo seeds both write
 * these rows (the same text on both sides), so a capability adds its demo policy here, not to a seed.
 */
import { DEMO_ADJUSTMENT_POLICY } from '../../shared/domain/adjustments.js';
import { DEMO_BACK_BILL_POLICIES } from '../../shared/domain/back-billing.js';
import { demoDepositPolicyRows } from './deposits.js';
import { demoReturnsPolicyRows } from './returns.js';

export function demoPolicyRows(today: string): { key: string; value: string }[] {
  return [
    ...demoDepositPolicyRows(today),
    ...demoReturnsPolicyRows(),
    { key: 'adjustments', value: JSON.stringify(DEMO_ADJUSTMENT_POLICY) },
    { key: 'back_billing', value: JSON.stringify(DEMO_BACK_BILL_POLICIES) },
  ];
}
