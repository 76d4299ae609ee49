/**
 * PIN checks on the counter. A cashier row holds a per-terminal verifier (`tv1$…`, see
 * shared/node/pin-verifier.ts): the server's PIN hash never reaches the counter. A row pulled before
 * verifiers existed may still hold the plain hash (`scrypt$…`); it is replaced by a verifier at that
 * cashier's next good PIN.
 */
import { randomBytes } from 'node:crypto';

import { checkPin, isVerifier, verifierForPin } from '../../../shared/node/pin-verifier.js';

export { hashPin } from '../../../shared/node/pin-verifier.js';

export function verifyPin(
  pin: string,
  stored: string,
  terminalCode: string,
  cashierId: string,
): Promise<boolean> {
  return checkPin(pin, stored, terminalCode, cashierId);
}

export function needsUpgrade(stored: string): boolean {
  return !isVerifier(stored);
}

export function newVerifier(pin: string, terminalCode: string, cashierId: string): Promise<string> {
  return verifierForPin(pin, terminalCode, cashierId);
}

const dummies = new Map<string, Promise<string>>();

/**
 * The same scrypt work as a real check, against a verifier of a random PIN nobody knows, so an unknown
 * cashier ID takes as long to refuse as a wrong PIN for a real one. Always false.
 */
export async function dummyPinCheck(pin: string, terminalCode: string): Promise<boolean> {
  let dummy = dummies.get(terminalCode);
  if (!dummy) {
    dummy = verifierForPin(randomBytes(16).toString('hex'), terminalCode, '-');
    dummies.set(terminalCode, dummy);
  }
  await checkPin(pin, await dummy, terminalCode, '-');
  return false;
}
