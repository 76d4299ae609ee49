/** Sync handlers: enrollment (IT admin), the sync monitor, "sync now" and held events (supervisor). */
import type { syncChannels } from '../../../shared/api/channels/sync.js';
import { recordAudit } from '../../services/audit/audit.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function syncHandlers(deps: HostDeps): HandlerMap<keyof typeof syncChannels> {
  const { ctx, sync, pushStatus } = deps;
  return {
    'sync.enrollment': () => Promise.resolve(sync.enrollment()),
    'sync.enroll': async (input, session) => {
      const enrolled = await sync.enroll(input);
      await recordAudit(ctx, {
        actor: cashierOf(session).id,
        action: 'sync.enroll',
        entityType: 'terminal',
        entityId: enrolled.terminalId,
        details: { serverUrl: enrolled.serverUrl, branch: enrolled.branch },
      });
      pushStatus();
      return enrolled;
    },
    'sync.monitor': (input) => sync.monitor(input.limit),
    'sync.retryHeld': async (input, session) => {
      const result = await sync.retryHeld(input.id, cashierOf(session).id);
      pushStatus();
      return result;
    },
    'sync.resolveHeld': async (input, session) => {
      const result = await sync.resolveHeld(input.id, cashierOf(session).id, input.reason);
      pushStatus();
      return result;
    },
    'sync.pullNow': async () => {
      const result = await sync.pullNow();
      pushStatus();
      return result;
    },
  };
}

export const syncModule = defineModule({ name: 'sync', handlers: (deps) => syncHandlers(deps) });
