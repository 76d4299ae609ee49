/**
 * Setting a cashier's PIN on the server, the one place PINs are set: the new PIN must meet the PIN
 * policy (at least `minLength` digits), only its scrypt hash is stored, and the cashier's change-log
 * entry moves so every terminal pulls a fresh verifier (the old PIN stops working at each terminal's
 * next pull).
 */
import { newPinProblem } from '../../../shared/validators/pin.js';
import { hashPin } from '../../../shared/node/pin-verifier.js';
import type { ServerDb } from '../db/connection.js';
import { HttpError } from '../http-error.js';
import { cashierData, writeChanges } from './changes.js';

export async function setCashierPin(
  db: ServerDb,
  cashierId: string,
  pin: string,
  opts: { minLength: number; now: Date },
): Promise<void> {
  const problem = newPinProblem(pin, opts.minLength);
  if (problem) throw new HttpError(400, 'INVALID_PIN', problem);
  const pinHash = await hashPin(pin);
  await db.knex.transaction(async (trx) => {
    const row = (await trx('cashiers').where('id', cashierId).first('id', 'name', 'role', 'active')) as
      { id: string; name: string; role: string; active: boolean | number } | undefined;
    if (!row) throw new HttpError(404, 'NOT_FOUND', `No cashier ${cashierId}.`);
    await trx('cashiers').where('id', cashierId).update({ pin_hash: pinHash });
    await writeChanges(
      trx,
      [{ entity: 'cashier', key: cashierId, op: 'upsert', data: cashierData(row) }],
      opts.now.toISOString(),
    );
  });
}
