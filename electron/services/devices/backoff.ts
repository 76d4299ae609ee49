/**
 * Reconnect schedule: exponential from `baseMs`, doubling per failed attempt, capped at `capMs`, with
 * optional jitter so that several counters on one network do not retry in step. Pure: the caller
 * passes the random source.
 */
export type BackoffOptions = { baseMs: number; capMs: number; factor?: number; jitter?: number };

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000, factor: 2, jitter: 0.2 };

/** Delay before retry number `attempt` (0 = the first retry after a failure). */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const factor = opts.factor ?? 2;
  const raw = opts.baseMs * Math.pow(factor, Math.max(0, attempt));
  const capped = Math.min(opts.capMs, raw);
  const jitter = opts.jitter ?? 0;
  if (jitter <= 0) return Math.round(capped);
  // Spread ±jitter around the capped delay, never above the cap.
  const spread = capped * jitter * (random() * 2 - 1);
  return Math.round(Math.max(opts.baseMs / 2, Math.min(opts.capMs, capped + spread)));
}

/** The first `n` delays without jitter (for screens and tests). */
export function backoffSchedule(n: number, opts: BackoffOptions): number[] {
  return Array.from({ length: n }, (_, i) => backoffDelay(i, { ...opts, jitter: 0 }));
}
