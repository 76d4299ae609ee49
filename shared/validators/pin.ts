/**
 * PIN policy for PINs being set (not for PINs already issued). New PINs are digits only and at least
 * `minLength` long: 6 by default, configurable (COUNTERTOP_PIN_MIN_LENGTH on the server). Existing
 * 4-digit PINs (the demo's) keep working: sign-in checks a PIN against its hash, never the policy.
 */
export const DEFAULT_PIN_MIN_LENGTH = 6;
/** Nothing shorter is ever accepted, whatever the configuration says. */
export const ABSOLUTE_PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 12;

/** Why `pin` may not be set as a new PIN, or null when it may. */
export function newPinProblem(pin: string, minLength: number = DEFAULT_PIN_MIN_LENGTH): string | null {
  const min = Math.max(ABSOLUTE_PIN_MIN_LENGTH, Math.min(PIN_MAX_LENGTH, Math.trunc(minLength)));
  if (!/^\d+$/.test(pin)) return 'A PIN is digits only.';
  if (pin.length < min) return `A new PIN has at least ${min} digits.`;
  if (pin.length > PIN_MAX_LENGTH) return `A PIN has at most ${PIN_MAX_LENGTH} digits.`;
  if (/^(\d)\1+$/.test(pin)) return 'A PIN cannot be one digit repeated.';
  if ('01234567890123456789'.includes(pin) || '98765432109876543210'.includes(pin))
    return 'A PIN cannot be a run of consecutive digits.';
  return null;
}
