import type { deviceChannels } from '../../../shared/api/channels/devices.js';
import type { HandlerMap, HostDeps } from './types.js';

export function deviceHandlers(_deps: HostDeps): HandlerMap<keyof typeof deviceChannels> {
  return {};
}
