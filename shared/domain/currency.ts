/**
 * Currency configuration: the denominations a till is counted in. Data, not constants in screens: the
 * host loads it from its configuration and sends it to the renderer (till.config).
 */
import { z } from 'zod';

export const DenominationSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  label: z.string(),
  cents: z.number().int().positive(),
  kind: z.enum(['bill', 'coin', 'roll']),
});
export type Denomination = z.infer<typeof DenominationSchema>;

export const CurrencyConfigSchema = z.object({
  code: z.string().length(3),
  symbol: z.string(),
  denominations: z.array(DenominationSchema).min(1),
});
export type CurrencyConfig = z.infer<typeof CurrencyConfigSchema>;

/** Counted quantities by denomination id. */
export const CountsSchema = z.record(
  z.string(),
  z
    .number({ error: 'Counts are whole numbers.' })
    .int('Counts are whole numbers (no fractions).')
    .min(0, 'A count cannot be negative.')
    .max(100_000, 'That count is too large.'),
);
export type Counts = z.infer<typeof CountsSchema>;
