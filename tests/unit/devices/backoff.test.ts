/** The reconnect schedule: doubling from the base, capped, jitter within bounds. */
import { describe, expect, it } from 'vitest';

import {
  backoffDelay,
  backoffSchedule,
  DEFAULT_BACKOFF,
} from '../../../electron/services/devices/backoff.js';

describe('reconnect backoff', () => {
  it('doubles from the base and stays at the cap', () => {
    expect(backoffSchedule(8, { baseMs: 500, capMs: 15_000 })).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
    expect(backoffSchedule(4, { baseMs: 100, capMs: 800, factor: 3 })).toEqual([100, 300, 800, 800]);
  });

  it('never overflows for a device that stays away all day', () => {
    expect(backoffDelay(10_000, { baseMs: 500, capMs: 15_000 })).toBe(15_000);
    expect(backoffDelay(-3, { baseMs: 500, capMs: 15_000 })).toBe(500);
  });

  it('jitter spreads retries but never past the cap nor below half the base', () => {
    const opts = { ...DEFAULT_BACKOFF, jitter: 0.2 };
    expect(backoffDelay(0, opts, () => 0)).toBe(400);
    expect(backoffDelay(0, opts, () => 1)).toBe(600);
    expect(backoffDelay(20, opts, () => 1)).toBe(opts.capMs);
    expect(backoffDelay(20, opts, () => 0)).toBe(opts.capMs * 0.8);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(i % 12, opts);
      expect(d).toBeGreaterThanOrEqual(opts.baseMs / 2);
      expect(d).toBeLessThanOrEqual(opts.capMs);
    }
  });
});
