/**
 * Cashier sign-in: ID + PIN checked against a scrypt hash, lockout after repeated failures, every
 * attempt audited. A session belongs to one renderer connection (a WebSocket or an Electron window).
 *
 * Every attempt is counted as a failure BEFORE its PIN is checked, in one statement that also reads
 * the count, and given back if the PIN was right. Checking a PIN takes a while (scrypt) and many
 * attempts can be in flight at once; counting after the check would let each of them read the same
 * old count and write it back, so a burst of guesses would never lock anything.
 */
import { CounterError } from '../../../shared/api/errors.js';
import type { Cashier, Role } from '../../../shared/api/schemas.js';
import { appendAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { dummyPinCheck, needsUpgrade, newVerifier, verifyPin } from './pin.js';

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MINUTES = 15;
/** Wrong PINs from this terminal, whatever the IDs, within TERMINAL_WINDOW_MINUTES before it stops. */
export const TERMINAL_MAX_FAILURES = 20;
export const TERMINAL_WINDOW_MINUTES = 15;

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
};

type Purpose = 'signIn' | 'approval';

const AUDIT: Record<Purpose, { failed: string; locked: string }> = {
  signIn: { failed: 'session.signIn.failed', locked: 'session.lockedOut' },
  approval: { failed: 'approval.failed', locked: 'approval.lockedOut' },
};

const TERMINAL_SUBJECT = 'terminal';

type Slot = { failures: number; locked_until: string | null };
type Reservation =
  | { kind: 'terminalLocked'; until: string }
  | { kind: 'locked'; until: string }
  | { kind: 'counted'; failures: number; row: CashierRow | null };

function firstRow(result: unknown): Slot | undefined {
  return (result as Slot[] | undefined)?.[0];
}

/**
 * Counts one failure against `subject` in auth_throttle unless it is locked; `windowStart` is the
 * oldest failure time that still counts ('' = failures count until a lockout ends). Returns the new
 * count, or null when the subject is locked (nothing counted).
 */
async function countThrottled(
  trx: ServiceContext['db'],
  subject: string,
  max: number,
  now: string,
  windowStart: string,
  until: string,
): Promise<Slot | { locked: string }> {
  const fresh = `(auth_throttle.window_start <= :windowStart OR auth_throttle.locked_until IS NOT NULL)`;
  const next = `CASE WHEN ${fresh} THEN 1 ELSE auth_throttle.failures + 1 END`;
  const slot = firstRow(
    await trx.raw(
      `INSERT INTO auth_throttle (subject, failures, window_start, locked_until)
         VALUES (:subject, 1, :now, CASE WHEN 1 >= :max THEN :until END)
       ON CONFLICT(subject) DO UPDATE SET
         failures = ${next},
         window_start = CASE WHEN ${fresh} THEN :now ELSE auth_throttle.window_start END,
         locked_until = CASE WHEN ${next} >= :max THEN :until END
       WHERE auth_throttle.locked_until IS NULL OR auth_throttle.locked_until <= :now
       RETURNING failures, locked_until`,
      { subject, now, max, until, windowStart },
    ),
  );
  if (slot) return slot;
  const held = (await trx('auth_throttle').where('subject', subject).first('locked_until')) as
    { locked_until: string } | undefined;
  return { locked: held?.locked_until ?? until };
}

/**
 * Reserves one failure for this attempt, atomically: the terminal's window first, then the cashier
 * (or the unknown ID). A locked cashier is refused without counting against the terminal.
 */
async function reserve(ctx: ServiceContext, cashierId: string, now: Date): Promise<Reservation> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
  const windowStart = new Date(now.getTime() - TERMINAL_WINDOW_MINUTES * 60_000).toISOString();
  return ctx.db.transaction(async (trx) => {
    const terminal = (await trx('auth_throttle').where('subject', TERMINAL_SUBJECT).first('locked_until')) as
      { locked_until: string | null } | undefined;
    if (terminal?.locked_until && terminal.locked_until > at)
      return { kind: 'terminalLocked', until: terminal.locked_until };

    const next = `CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_attempts + 1 END`;
    const own = firstRow(
      await trx.raw(
        `UPDATE cashiers SET
           failed_attempts = ${next},
           locked_until = CASE WHEN ${next} >= :max THEN :until END
         WHERE id = :id AND active = 1 AND (locked_until IS NULL OR locked_until <= :now)
         RETURNING failed_attempts AS failures, locked_until`,
        { id: cashierId, max: MAX_PIN_FAILURES, until, now: at },
      ),
    );
    let failures: number;
    let row: CashierRow | null = null;
    if (own) {
      failures = own.failures;
      row = (await trx('cashiers').where('id', cashierId).first()) as CashierRow;
    } else {
      const locked = (await trx('cashiers').where({ id: cashierId, active: 1 }).first('locked_until')) as
        { locked_until: string | null } | undefined;
      if (locked?.locked_until) return { kind: 'locked', until: locked.locked_until };
      // Not a cashier here: counted and locked exactly like one.
      const slot = await countThrottled(trx, `id:${cashierId}`, MAX_PIN_FAILURES, at, '', until);
      if ('locked' in slot) return { kind: 'locked', until: slot.locked };
      failures = slot.failures;
    }
    const term = await countThrottled(trx, TERMINAL_SUBJECT, TERMINAL_MAX_FAILURES, at, windowStart, until);
    if ('locked' in term) return { kind: 'terminalLocked', until: term.locked };
    return { kind: 'counted', failures, row };
  });
}

function clockTime(ctx: ServiceContext, iso: string): string {
  return new Date(iso).toLocaleTimeString('en-US', {
    timeZone: ctx.clock.timeZone,
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * Checks a cashier ID + PIN: lockout after MAX_PIN_FAILURES wrong PINs, a terminal-wide limit on
 * wrong PINs, every attempt audited. Sign-in and supervisor approvals share the counters, so a
 * supervisor PIN guessed at the counter locks that supervisor out too. An unknown or inactive ID gets
 * the same answers, the same lockout and the same scrypt work as a real one.
 */
export async function authenticate(
  ctx: ServiceContext,
  cashierId: string,
  pin: string,
  purpose: Purpose,
  actor?: string,
): Promise<Cashier> {
  // One attempt per ID at a time: each attempt counts itself as a failure before its PIN is checked,
  // so right PINs checked side by side (approvals fired together) would count as a burst of failures
  // and lock the supervisor out. Serialized, every attempt sees the outcome of the one before.
  return serialized(ctx.db, cashierId, () => attempt(ctx, cashierId, pin, purpose, actor));
}

const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

async function serialized<T>(db: object, key: string, run: () => Promise<T>): Promise<T> {
  let chains = inFlight.get(db);
  if (!chains) inFlight.set(db, (chains = new Map()));
  const before = chains.get(key) ?? Promise.resolve();
  const mine = before.then(run, run);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  chains.set(key, settled);
  void settled.then(() => {
    if (chains.get(key) === settled) chains.delete(key);
  });
  return mine;
}

async function attempt(
  ctx: ServiceContext,
  cashierId: string,
  pin: string,
  purpose: Purpose,
  actor?: string,
): Promise<Cashier> {
  const now = ctx.clock.now();
  const field = purpose === 'signIn' ? 'pin' : 'approval.pin';
  const who = purpose === 'signIn' ? 'Cashier' : 'Supervisor';
  const audit = (action: string, details: Record<string, unknown>) =>
    ctx.db.transaction((trx) =>
      appendAudit(trx, { actor: actor ?? cashierId, action, details: { cashierId, ...details } }, now),
    );

  const slot = await reserve(ctx, cashierId, now);
  if (slot.kind === 'terminalLocked') {
    await audit(AUDIT[purpose].failed, { reason: 'terminal throttled' });
    throw new CounterError(
      'LOCKED_OUT',
      `Too many wrong PINs on this terminal: try again after ${clockTime(ctx, slot.until)}.`,
      field,
    );
  }
  if (slot.kind === 'locked')
    throw new CounterError(
      'LOCKED_OUT',
      `Too many wrong PINs: ID ${cashierId} is locked until ${clockTime(ctx, slot.until)}.${purpose === 'signIn' ? ' Ask a supervisor.' : ''}`,
      field,
    );

  const row = slot.row;
  const code = ctx.terminal.code;
  const good = row ? await verifyPin(pin, row.pin_hash, code, row.id) : await dummyPinCheck(pin, code);
  if (good && row) {
    // A plain hash pulled before verifiers existed: replace it now that the PIN is known to be right.
    const upgraded = needsUpgrade(row.pin_hash) ? await newVerifier(pin, code, row.id) : null;
    await ctx.db.transaction(async (trx) => {
      await trx('cashiers').where('id', row.id).update({ failed_attempts: 0, locked_until: null });
      if (upgraded)
        await trx('cashiers').where({ id: row.id, pin_hash: row.pin_hash }).update({ pin_hash: upgraded });
      // This attempt was not a failure after all: give the terminal its slot back.
      await trx('auth_throttle')
        .where('subject', TERMINAL_SUBJECT)
        .where('failures', '>', 0)
        .decrement('failures', 1);
      if (purpose === 'signIn') await appendAudit(trx, { actor: row.id, action: 'session.signIn' }, now);
    });
    return { id: row.id, name: row.name, role: row.role };
  }
  const locked = slot.failures >= MAX_PIN_FAILURES;
  await audit(locked ? AUDIT[purpose].locked : AUDIT[purpose].failed, {
    failures: slot.failures,
    ...(row ? {} : { reason: 'unknown cashier' }),
  });
  if (locked)
    throw new CounterError(
      'LOCKED_OUT',
      `Too many wrong PINs: ID ${cashierId} is locked for ${LOCKOUT_MINUTES} minutes.`,
      field,
    );
  const left = MAX_PIN_FAILURES - slot.failures;
  throw new CounterError(
    'BAD_CREDENTIALS',
    `${who} ID or PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left before lockout.`,
    field,
  );
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
