import type { syncChannels } from '../../../shared/api/channels/sync.js';
import type { HandlerMap, HostDeps } from './types.js';

export function syncHandlers(_deps: HostDeps): HandlerMap<keyof typeof syncChannels> {
  return {};
}
