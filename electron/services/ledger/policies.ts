import type { Knex } from 'knex';
import { AllocationPolicySchema, type AllocationPolicy } from '../../../shared/domain/allocation.js';

const cache = new WeakMap<Knex, AllocationPolicy>();

/**
 * The allocation order is policy data pulled with the replica (key `allocation`). Read once per
 * database and kept: whoever writes the policies table (the replica pull) calls invalidatePolicies.
 */
export async function loadAllocationPolicy(db: Knex): Promise<AllocationPolicy> {
  const cached = cache.get(db);
  if (cached) return cached;
  const row = (await db('policies').where('key', 'allocation').first()) as { value: string } | undefined;
  if (!row) throw new Error('No allocation policy in the replica: pull from the server or load demo data.');
  const policy = AllocationPolicySchema.parse(JSON.parse(row.value));
  cache.set(db, policy);
  return policy;
}

export function invalidatePolicies(db: Knex): void {
  cache.delete(db);
}
