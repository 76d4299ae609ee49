/**
 * Sync with the central server, as the host sees it: online/offline, the outbox queue for the status
 * bar, and the worker that pushes and pulls. Until a server is configured the terminal is "not
 * enrolled" and everything stays queued in the outbox (nothing is lost).
 */
import type { Status } from '../../../shared/api/status.js';
import type { ServiceContext } from '../context.js';
import { outboxStats } from '../outbox/outbox.js';

export type CounterSync = {
  isOnline(): boolean;
  lastSyncAt(): string | null;
  status(): Promise<Status['sync']>;
  /** Something was queued: push soon. */
  nudge(): void;
  close(): Promise<void>;
};

export function createSync(ctx: Pick<ServiceContext, 'db'>): CounterSync {
  return {
    isOnline: () => false,
    lastSyncAt: () => null,
    async status() {
      const stats = await outboxStats(ctx.db);
      return {
        state: 'not_enrolled',
        queued: stats.queued,
        oldestQueuedAt: stats.oldestQueuedAt,
        lastSyncAt: null,
        rejected: stats.rejected,
      };
    },
    nudge: () => undefined,
    close: () => Promise.resolve(),
  };
}
