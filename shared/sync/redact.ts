/**
 * What of a check may travel and be kept by the server: the routing number (a public bank
 * identifier) and the last 4 digits of the bank account, never the whole account number.
 */

/**
 * `payload` with every check tender's bank account cut to its last 4 digits (the event schemas take 4
 * to 17 digits, so the payload stays valid). Anything else is returned as it was.
 */
export function redactChecksForSync<T>(payload: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out = Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
    if (o.type === 'check' && typeof o.bankAccount === 'string') out.bankAccount = o.bankAccount.slice(-4);
    return out;
  };
  return walk(payload) as T;
}
