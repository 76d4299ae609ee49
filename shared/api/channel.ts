import type { z } from 'zod';

/** Who may call: anyone (sign-in), any signed-in cashier, or only the listed roles. */
export type Access = 'public' | 'signedIn' | readonly ('csr' | 'supervisor' | 'admin')[];

export type ChannelDef = { input: z.ZodType; output: z.ZodType; access: Access };

export type ChannelGroup = Record<string, ChannelDef>;
