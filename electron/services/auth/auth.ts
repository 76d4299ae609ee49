/**
 * Cashier sign-in: ID + PIN checked against a scrypt hash, lockout after repeated failures, every
 * attempt audited. A session belongs to one renderer connection (a WebSocket or an Electron window).
 */
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier, Role } from '../../../shared/api/schemas.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { verifyPin } from './pin.js';

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MINUTES = 15;

export type Session = {
  readonly id: string;
  cashier: Cashier | null;
  lastActivityAt: number;
};

type CashierRow = {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
};

type Purpose = 'signIn' | 'approval';

const AUDIT: Record<Purpose, { failed: string; locked: string }> = {
  signIn: { failed: 'session.signIn.failed', locked: 'session.lockedOut' },
  approval: { failed: 'approval.failed', locked: 'approval.lockedOut' },
};

/**
 * Checks a cashier ID + PIN: unknown or inactive cashiers, lockout after MAX_PIN_FAILURES wrong PINs,
 * every attempt audited. Sign-in and supervisor approvals share the counters, so a supervisor PIN
 * guessed at the counter locks that supervisor out too.
 */
export async function authenticate(
  ctx: ServiceContext,
  cashierId: string,
  pin: string,
  purpose: Purpose,
  actor?: string,
): Promise<Cashier> {
  const now = ctx.clock.now();
  const field = purpose === 'signIn' ? 'pin' : 'approval.pin';
  const who = purpose === 'signIn' ? 'Cashier' : 'Supervisor';
  const row = (await ctx.db('cashiers').where('id', cashierId).first()) as CashierRow | undefined;
  if (!row || row.active !== 1) {
    await ctx.db.transaction((trx) =>
      appendAudit(
        trx,
        {
          actor: actor ?? cashierId,
          action: AUDIT[purpose].failed,
          details: { cashierId, reason: 'unknown cashier' },
        },
        now,
      ),
    );
    throw new CounterError('BAD_CREDENTIALS', `${who} ID or PIN is not right. Try again.`, field);
  }
  if (row.locked_until && row.locked_until > now.toISOString()) {
    const until = new Date(row.locked_until).toLocaleTimeString('en-US', {
      timeZone: ctx.clock.timeZone,
      hour: '2-digit',
      minute: '2-digit',
    });
    throw new CounterError(
      'LOCKED_OUT',
      `Too many wrong PINs: ${row.name} is locked until ${until}.${purpose === 'signIn' ? ' Ask a supervisor.' : ''}`,
      field,
    );
  }
  const good = await verifyPin(pin, row.pin_hash);
  const failures = good ? 0 : row.failed_attempts + 1;
  const locked = failures >= MAX_PIN_FAILURES;
  await ctx.db.transaction(async (trx) => {
    if (good) {
      if (row.failed_attempts > 0 || row.locked_until)
        await trx('cashiers').where('id', row.id).update({ failed_attempts: 0, locked_until: null });
      if (purpose === 'signIn') await appendAudit(trx, { actor: row.id, action: 'session.signIn' }, now);
      return;
    }
    await trx('cashiers')
      .where('id', row.id)
      .update({
        failed_attempts: locked ? 0 : failures,
        locked_until: locked ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null,
      });
    await appendAudit(
      trx,
      {
        actor: actor ?? row.id,
        action: locked ? AUDIT[purpose].locked : AUDIT[purpose].failed,
        details: { cashierId: row.id, failures },
      },
      now,
    );
  });
  if (!good) {
    if (locked)
      throw new CounterError(
        'LOCKED_OUT',
        `Too many wrong PINs: ${row.name} is locked for ${LOCKOUT_MINUTES} minutes.`,
        field,
      );
    const left = MAX_PIN_FAILURES - failures;
    throw new CounterError(
      'BAD_CREDENTIALS',
      `${who} ID or PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left before lockout.`,
      field,
    );
  }
  return { id: row.id, name: row.name, role: row.role };
}

export function signIn(ctx: ServiceContext, cashierId: string, pin: string): Promise<Cashier> {
  return authenticate(ctx, cashierId, pin, 'signIn');
}

export async function signOut(ctx: ServiceContext, session: Session, reason: 'user' | 'idle'): Promise<void> {
  if (!session.cashier) return;
  const actor = session.cashier.id;
  session.cashier = null;
  await ctx.db.transaction((trx) =>
    appendAudit(
      trx,
      { actor, action: reason === 'idle' ? 'session.idleLock' : 'session.signOut' },
      ctx.clock.now(),
    ),
  );
}
