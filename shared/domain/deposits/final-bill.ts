/**
 * Applying the deposit held and its interest to a closing account's final bill.
 */
import { z } from 'zod';

import { addCents, subCents, type Cents } from '../../money.js';
import { AmountCents, parseInput } from './internal.js';

export type FinalBillApplication = {
  /** Deposit plus interest available. */
  availableCents: Cents;
  appliedToBillCents: Cents;
  refundCents: Cents;
  /** What the customer still owes after the deposit is applied (negative = a credit balance remains). */
  remainingBalanceCents: Cents;
};

/**
 * Applies the deposit held and its interest to the final bill: as much as the balance due, the rest
 * refunded. A balance of zero or a credit balance takes nothing (the whole deposit is refunded and the
 * credit stays where it is).
 *
 * @example
 * finalBillApplication(20_000, 1_946, 15_000);
 * // { availableCents: 21_946, appliedToBillCents: 15_000, refundCents: 6_946, remainingBalanceCents: 0 }
 * finalBillApplication(20_000, 1_946, 30_000);
 * // { availableCents: 21_946, appliedToBillCents: 21_946, refundCents: 0, remainingBalanceCents: 8_054 }
 */
export function finalBillApplication(
  depositHeldCents: Cents,
  interestCents: Cents,
  finalBalanceCents: Cents,
): FinalBillApplication {
  const held = parseInput(AmountCents, depositHeldCents, 'depositHeldCents');
  const interest = parseInput(AmountCents, interestCents, 'interestCents');
  const balance = parseInput(
    z.number().int('Amounts are whole cents.').safe('The amount is too large.'),
    finalBalanceCents,
    'finalBalanceCents',
  );
  const availableCents = addCents(held, interest);
  const appliedToBillCents = Math.min(availableCents, Math.max(0, balance));
  return {
    availableCents,
    appliedToBillCents,
    refundCents: subCents(availableCents, appliedToBillCents),
    remainingBalanceCents: subCents(balance, appliedToBillCents),
  };
}
