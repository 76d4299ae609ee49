/**
 * An order quote for the customer: priced by the shared rules; printed, it gets a number from its own
 * series (Q-<terminal>-000001), so a quote on paper can be told from a receipt and found again.
 */
import type { UnitView } from '../../../shared/api/channels/equipment.js';
import type { Cashier } from '../../../shared/api/schemas.js';
import { priceOrder, type OrderLine, type PricedOrder } from '../../../shared/domain/equipment.js';
import { getAccountRow } from '../accounts/accounts.js';
import { receiptPrefix, type ServiceContext } from '../context.js';
import { nextCounter } from '../ledger/post.js';
import type { ReceiptModel } from '../receipts/compose.js';
import { effectiveUnits, loadEquipmentPolicies } from './data.js';
import { quotePrintout } from './documents.js';

export async function orderQuote(
  ctx: ServiceContext,
  cashier: Cashier,
  input: { lines: OrderLine[]; accountNumber?: string | undefined; print: boolean },
): Promise<{ priced: PricedOrder; printout: ReceiptModel | null }> {
  const policies = await loadEquipmentPolicies(ctx.db);
  const today = ctx.clock.today();
  const priced = priceOrder(input.lines, policies.catalog, policies.taxRules, today);
  if (!input.print) return { priced, printout: null };
  const account = input.accountNumber ? await getAccountRow(ctx.db, input.accountNumber) : null;
  const seq = await ctx.db.transaction((trx) => nextCounter(trx, 'quote'));
  const printout = quotePrintout(ctx, {
    cashier,
    at: ctx.clock.now(),
    number: `Q-${receiptPrefix(ctx.terminal)}-${String(seq).padStart(6, '0')}`,
    account: account ? { number: account.account_number, name: account.name } : null,
    priced,
    catalog: policies.bySku,
    today,
  });
  return { priced, printout };
}

/** The units a posting handed over, as the screen shows them (assignment ids in posting order). */
export async function unitsByIds(ctx: ServiceContext, ids: string[]): Promise<UnitView[]> {
  const policies = await loadEquipmentPolicies(ctx.db).catch(() => null);
  const units: UnitView[] = [];
  for (const id of ids) units.push(...(await effectiveUnits(ctx.db, { id }, policies)).units);
  return units;
}
