/**
 * Allocation of a payment over an account's open charges.
 *
 * Regulators commonly require a payment to pay basic local service first, then other regulated
 * services, then non-regulated ones. The category order is policy data (`AllocationPolicy.priority`),
 * never a constant here, and within a category the oldest due date goes first. Whether past-due
 * charges go before current ones is also the policy's choice (`order`): 'category_first' (the default)
 * pays by category alone, so a current basic-local charge is paid before a past-due non-regulated one;
 * 'past_due_first' pays everything past due (by category, then oldest) before anything current.
 * Categories the policy excludes (deposit installments) are never paid by a bill payment. Whatever is
 * left over is unapplied: it stays on the account as a credit.
 */
import { z } from 'zod';

import { addCents, subCents, type Cents } from '../money.js';

export type OpenItem = {
  id: string;
  category: string;
  /** ISO date YYYY-MM-DD. */
  dueDate: string;
  openCents: Cents;
};

export const ALLOCATION_ORDERS = ['category_first', 'past_due_first'] as const;
export type AllocationOrder = (typeof ALLOCATION_ORDERS)[number];

/** The allocation policy as stored (policy key `allocation`); data saved before `order` reads as category first. */
export const AllocationPolicySchema = z.object({
  /** Categories in the order they are paid. Categories not listed are paid after these, oldest first. */
  priority: z.array(z.string()),
  /** Categories a bill payment never pays (e.g. deposit installments, collected separately). */
  excluded: z.array(z.string()),
  order: z.enum(ALLOCATION_ORDERS).optional(),
});
export type AllocationPolicy = z.infer<typeof AllocationPolicySchema>;

export type Allocation = { itemId: string; category: string; cents: Cents };

export type AllocationResult = { allocations: Allocation[]; unappliedCents: Cents };

/**
 * Pays `amountCents` over `items` in the policy's order. `opts.asOf` (the business date) tells past
 * due (due before it) from current; a 'past_due_first' policy cannot be followed without it.
 */
export function allocatePayment(
  amountCents: Cents,
  items: OpenItem[],
  policy: AllocationPolicy,
  opts: { asOf?: string } = {},
): AllocationResult {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0)
    throw new RangeError('payment must be whole cents >= 0');
  const pastDueFirst = policy.order === 'past_due_first';
  const { asOf } = opts;
  if (pastDueFirst && asOf === undefined)
    throw new RangeError('an allocation policy of past due first needs the business date (asOf)');
  const rank = (category: string): number => {
    const i = policy.priority.indexOf(category);
    return i === -1 ? policy.priority.length : i;
  };
  const current = (item: OpenItem): number =>
    pastDueFirst && asOf !== undefined && item.dueDate >= asOf ? 1 : 0;
  const payable = items
    .filter((item) => item.openCents > 0 && !policy.excluded.includes(item.category))
    .sort(
      (a, b) =>
        current(a) - current(b) ||
        rank(a.category) - rank(b.category) ||
        a.dueDate.localeCompare(b.dueDate) ||
        a.id.localeCompare(b.id),
    );
  let left = amountCents;
  const allocations: Allocation[] = [];
  for (const item of payable) {
    if (left === 0) break;
    const cents = Math.min(left, item.openCents);
    allocations.push({ itemId: item.id, category: item.category, cents });
    left = subCents(left, cents);
  }
  return { allocations, unappliedCents: left };
}

export function allocatedTotal(result: AllocationResult): Cents {
  return addCents(...result.allocations.map((a) => a.cents), result.unappliedCents);
}

export type AgingBuckets = { current: Cents; d30: Cents; d60: Cents; d90: Cents };

/** Ages open items by days past due on `asOf` (ISO date): not yet due / 1-30 → current, 31-60 → 30, … */
export function ageItems(items: OpenItem[], asOf: string): AgingBuckets {
  const buckets: AgingBuckets = { current: 0, d30: 0, d60: 0, d90: 0 };
  const asOfDay = Date.parse(`${asOf}T00:00:00Z`);
  for (const item of items) {
    if (item.openCents <= 0) continue;
    const days = Math.floor((asOfDay - Date.parse(`${item.dueDate}T00:00:00Z`)) / 86_400_000);
    const key: keyof AgingBuckets = days <= 30 ? 'current' : days <= 60 ? 'd30' : days <= 90 ? 'd60' : 'd90';
    buckets[key] = addCents(buckets[key], item.openCents);
  }
  return buckets;
}

/** Past due: everything whose due date is before `asOf`. */
export function pastDue(items: OpenItem[], asOf: string): Cents {
  return addCents(...items.filter((i) => i.openCents > 0 && i.dueDate < asOf).map((i) => i.openCents));
}
