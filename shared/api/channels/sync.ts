/** Sync channels (enrollment, sync monitor, pull on demand). Filled in by the sync work. */
import type { ChannelGroup } from '../channel.js';

export const syncChannels = {} as const satisfies ChannelGroup;
