/** The returns policy (reasons, fee schedules, cash-only points) pulled with the replica (key `returns`). */
import type { Knex } from 'knex';

import { CounterError } from '../../../shared/api/errors.js';
import { parseReturnsPolicy, type ReturnsPolicy } from '../../../shared/domain/returns/rules.js';

/** Read on each use: the policy is small and the replica pull may replace it at any time. */
export async function loadReturnsPolicy(db: Knex): Promise<ReturnsPolicy> {
  const row = (await db('policies').where('key', 'returns').first('value')) as { value: string } | undefined;
  if (!row)
    throw new CounterError(
      'NOT_FOUND',
      'No returned-check policy on this counter yet: sync with the server, then try again.',
    );
  return parseReturnsPolicy(JSON.parse(row.value));
}

export function reasonOf(policy: ReturnsPolicy, code: string): ReturnsPolicy['reasons'][number] {
  const reason = policy.reasons.find((r) => r.code === code);
  if (!reason)
    throw new CounterError(
      'INVALID_INPUT',
      `"${code}" is not a return reason: pick one of ${policy.reasons.map((r) => r.label).join(', ')}.`,
      'reasonCode',
    );
  return reason;
}
