/**
 * What happens after a posting commits: the receipt prints, the drawer opens for drawer tenders, the
 * sync worker is nudged and the status bar refreshed. None of it can undo the posting: a failed print
 * waits in the reprint queue, a drawer that does not open is reported. A replayed request prints
 * nothing and opens nothing: the first call already did.
 */
import type { Receipt } from '../../shared/api/schemas.js';
import type { Posted } from './posting.js';

export type EffectDeps = {
  receipts: { printOriginal(number: string): Promise<Receipt>; get(number: string): Promise<Receipt> };
  devices: { kickDrawer(): Promise<boolean> };
  sync: { nudge(): void };
  pushStatus(): void;
};

/** `documents`: the posting's further documents (a return-goods invoice), printed after the receipt. */
export type Effects = { receipt: Receipt | null; documents: Receipt[]; drawerOpened: boolean };

export async function afterCommit(deps: EffectDeps, posted: Posted<unknown>): Promise<Effects> {
  if (posted.replay) {
    const receipt = posted.receiptNumber ? await deps.receipts.get(posted.receiptNumber) : null;
    const documents: Receipt[] = [];
    for (const n of posted.documents) documents.push(await deps.receipts.get(n));
    return { receipt, documents, drawerOpened: false };
  }
  deps.sync.nudge();
  const receipt =
    posted.print && posted.receiptNumber ? await deps.receipts.printOriginal(posted.receiptNumber) : null;
  const documents: Receipt[] = [];
  for (const n of posted.documents) documents.push(await deps.receipts.printOriginal(n));
  const drawerOpened = posted.drawer ? await deps.devices.kickDrawer() : false;
  deps.pushStatus();
  return { receipt, documents, drawerOpened };
}

/** The receipt of a posting that must have one (the capability's plan always gives it). */
export function receiptOf(effects: Effects): Receipt {
  if (!effects.receipt) throw new Error('invariant: this posting prints a receipt');
  return effects.receipt;
}
