/** The deterministic payment mix the sync tests, the crash child and the benchmarks post. */
import type { Tender } from '../../shared/api/schemas.js';

/** Payment i: cash with change, card, or check + cash, for 5.00 to 204.99. */
export function mixedPayment(i: number): { cents: number; tenders: Tender[] } {
  const cents = 500 + ((i * 7919) % 20_000);
  const tenders: Tender[] =
    i % 3 === 0
      ? [{ type: 'cash', amountCents: cents + 1000 }]
      : i % 3 === 1
        ? [{ type: 'card', amountCents: cents, brand: 'Visa', last4: '4242', authCode: 'OK1234' }]
        : [
            {
              type: 'check',
              amountCents: cents - 100,
              checkNumber: String(1000 + i),
              routingNumber: '011000015',
              bankAccount: '12345678',
            },
            { type: 'cash', amountCents: 500 },
          ];
  return { cents, tenders };
}
