/**
 * Supervisor overrides: a supervisor's ID and PIN typed at the counter approve an exception (void,
 * drop, paid-out, refund over the limit, a till close outside tolerance). A supervisor signed in
 * approves their own actions. The approver is recorded on the transaction and in the audit entry.
 *
 * Call these BEFORE opening the posting's SQLite transaction: the PIN check reads and writes (failed
 * attempts, audit) on the one database connection, so inside a transaction it would wait for itself.
 */
import type { Approval } from '../../../shared/api/channels/till.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import type { ServiceContext } from '../context.js';
import { authenticate } from './auth.js';

export async function requireApproval(
  ctx: ServiceContext,
  cashier: Cashier,
  approval: Approval | undefined,
  what: string,
): Promise<Cashier> {
  if (cashier.role === 'supervisor') return cashier;
  if (!approval)
    throw new CounterError(
      'NEEDS_SUPERVISOR',
      `A supervisor must approve ${what}: ask for their ID and PIN.`,
      'approval',
    );
  if (approval.supervisorId === cashier.id)
    throw new CounterError('FORBIDDEN', 'You cannot approve your own action.', 'approval.supervisorId');
  const approver = await authenticate(ctx, approval.supervisorId, approval.pin, 'approval', cashier.id);
  if (approver.role !== 'supervisor')
    throw new CounterError('FORBIDDEN', `${approver.name} is not a supervisor.`, 'approval.supervisorId');
  return approver;
}

/**
 * Approval only when the condition holds (e.g. a refund over the limit). When it does not, an approval
 * sent anyway is ignored: a PIN mistyped for nothing must not block the action.
 */
export async function approvalIf(
  ctx: ServiceContext,
  needed: boolean,
  cashier: Cashier,
  approval: Approval | undefined,
  what: string,
): Promise<Cashier | null> {
  return needed ? requireApproval(ctx, cashier, approval, what) : null;
}
