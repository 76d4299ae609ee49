/**
 * The adjustment and back-billing policies: policy data pulled with the replica (keys `adjustments`
 * and `back_billing`; migration 015 puts the demo ones in place until the first pull).
 */
import type { Knex } from 'knex';
import { z } from 'zod';

import { CounterError } from '../../../shared/api/errors.js';
import { AdjustmentPolicySchema, type AdjustmentPolicy } from '../../../shared/domain/adjustments.js';
import { BackBillPolicySchema, type BackBillPolicy } from '../../../shared/domain/back-billing.js';

export type Policies = { adjustments: AdjustmentPolicy; backBilling: BackBillPolicy[] };

async function read<T>(db: Knex, key: string, schema: z.ZodType<T>): Promise<T> {
  const row = (await db('policies').where('key', key).first('value')) as { value: string } | undefined;
  if (!row)
    throw new CounterError(
      'NOT_FOUND',
      `No ${key.replace('_', ' ')} policy on this counter: pull from the server.`,
    );
  return schema.parse(JSON.parse(row.value));
}

export async function loadPolicies(db: Knex): Promise<Policies> {
  return {
    adjustments: await read(db, 'adjustments', AdjustmentPolicySchema),
    backBilling: await read(db, 'back_billing', z.array(BackBillPolicySchema)),
  };
}
