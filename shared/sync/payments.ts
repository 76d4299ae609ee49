/** Bill payments on the wire: the payment's detail in the `ledger.posted` envelope. */
import { z } from 'zod';

import { CentsSchema } from '../api/schemas.js';

/**
 * What a payment adds to its ledger transaction: how the counter allocated it over the account's open
 * items as its replica showed them. The server allocates again over ITS open items by ITS policy; this
 * is the counter's view, kept with the event for review.
 */
export const PaymentDetailSchema = z.object({
  capability: z.literal('payment'),
  allocations: z.array(z.object({ itemId: z.string(), category: z.string(), cents: CentsSchema })),
  unappliedCents: CentsSchema,
});
export type PaymentDetail = z.infer<typeof PaymentDetailSchema>;
