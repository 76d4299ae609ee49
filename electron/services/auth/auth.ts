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

export async function signIn(ctx: ServiceContext, cashierId: string, pin: string): Promise<Cashier> {
  const now = ctx.clock.now();
  const row = (await ctx.db('cashiers').where('id', cashierId).first()) as CashierRow | undefined;
  if (!row || row.active !== 1) {
    await ctx.db.transaction((trx) =>
      appendAudit(
        trx,
        { actor: cashierId, action: 'session.signIn.failed', details: { reason: 'unknown cashier' } },
        now,
      ),
    );
    throw new CounterError('BAD_CREDENTIALS', 'Cashier ID or PIN is not right. Try again.', 'pin');
  }
  if (row.locked_until && row.locked_until > now.toISOString()) {
    const until = new Date(row.locked_until).toLocaleTimeString('en-US', {
      timeZone: ctx.clock.timeZone,
      hour: '2-digit',
      minute: '2-digit',
    });
    throw new CounterError(
      'LOCKED_OUT',
      `Too many wrong PINs: this cashier is locked until ${until}. Ask a supervisor.`,
      'cashierId',
    );
  }
  const good = await verifyPin(pin, row.pin_hash);
  await ctx.db.transaction(async (trx) => {
    if (good) {
      await trx('cashiers').where('id', row.id).update({ failed_attempts: 0, locked_until: null });
      await appendAudit(trx, { actor: row.id, action: 'session.signIn' }, now);
      return;
    }
    const failures = row.failed_attempts + 1;
    const locked = failures >= MAX_PIN_FAILURES;
    await trx('cashiers')
      .where('id', row.id)
      .update({
        failed_attempts: locked ? 0 : failures,
        locked_until: locked ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null,
      });
    await appendAudit(
      trx,
      {
        actor: row.id,
        action: locked ? 'session.lockedOut' : 'session.signIn.failed',
        details: { failures },
      },
      now,
    );
  });
  if (!good) {
    const left = MAX_PIN_FAILURES - row.failed_attempts - 1;
    if (left <= 0)
      throw new CounterError(
        'LOCKED_OUT',
        `Too many wrong PINs: this cashier is locked for ${LOCKOUT_MINUTES} minutes. Ask a supervisor.`,
        'pin',
      );
    throw new CounterError(
      'BAD_CREDENTIALS',
      `Cashier ID or PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left before lockout.`,
      'pin',
    );
  }
  return { id: row.id, name: row.name, role: row.role };
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
