/** Till and correction transactions on the wire: their detail in the `ledger.posted` envelope. */
import { z } from 'zod';

import { CentsSchema } from '../api/schemas.js';

/** The transaction kinds of the till capability (float, drop, paid-out, void, refund, close). */
export const TillKindSchema = z.enum(['till_open', 'drop', 'paid_out', 'void', 'refund', 'till_close']);
export type TillKind = z.infer<typeof TillKindSchema>;

/**
 * What a till or correction transaction adds to its ledger transaction: for a void, the allocations of
 * the payment it reverses, negated, as the counter had them (the server gives back what ITS allocation
 * of that payment took). The balanced journal in the envelope is the truth for everything else.
 */
export const TillDetailSchema = z.object({
  capability: z.literal('till'),
  allocations: z.array(z.object({ itemId: z.string().nullable(), category: z.string(), cents: CentsSchema })),
});
export type TillDetail = z.infer<typeof TillDetailSchema>;
