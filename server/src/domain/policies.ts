/** Policy data the server applies (the allocation order), stored in `policies` and replicated as is. */
import type { Knex } from 'knex';
import { AllocationPolicySchema, type AllocationPolicy } from '../../../shared/domain/allocation.js';

export async function loadPolicy(db: Knex | Knex.Transaction): Promise<AllocationPolicy> {
  const row = (await db('policies').where('key', 'allocation').first('value')) as
    { value: string } | undefined;
  if (!row) throw new Error('No allocation policy on the server: load the system of record (seed-demo).');
  return AllocationPolicySchema.parse(JSON.parse(row.value));
}
