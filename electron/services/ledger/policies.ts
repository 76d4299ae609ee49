import type { Knex } from 'knex';
import { z } from 'zod';

import type { AllocationPolicy } from '../../../shared/domain/allocation.js';

const AllocationPolicySchema = z.object({ priority: z.array(z.string()), excluded: z.array(z.string()) });

/** The allocation order is policy data pulled with the replica (key `allocation`). */
export async function loadAllocationPolicy(db: Knex): Promise<AllocationPolicy> {
  const row = (await db('policies').where('key', 'allocation').first()) as { value: string } | undefined;
  if (!row) throw new Error('No allocation policy in the replica: pull from the server or load demo data.');
  return AllocationPolicySchema.parse(JSON.parse(row.value));
}
