/** Device channels (printer, drawer, scanner settings and tests). Filled in by the devices work. */
import type { ChannelGroup } from '../channel.js';

export const deviceChannels = {} as const satisfies ChannelGroup;
