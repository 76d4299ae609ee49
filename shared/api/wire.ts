/** Messages on the browser host's WebSocket. Both ends parse every frame with these schemas. */
import { z } from 'zod';

import { ApiErrorSchema } from './errors.js';

export const ClientMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(64),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const ReplySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }),
]);

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), id: z.number().int(), reply: ReplySchema }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** Largest frame the host accepts (a call is small; anything bigger is refused). */
export const MAX_FRAME_BYTES = 64 * 1024;
