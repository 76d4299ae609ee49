/**
 * Equipment handlers (issue 7): catalog, quote (printable), handover check, order, serial look-up,
 * units on an account, return and exchange (with their quotes), trouble tickets, unreturned
 * equipment, branch stock and receiving a shipment. Postings print after the commit and open the
 * drawer only when cash, a check or a money order changed hands.
 */
import type { EquipmentPostedOutput, UnitView } from '../../../shared/api/channels/equipment.js';
import type { equipmentChannels } from '../../../shared/api/channels/equipment.js';
import { CounterError } from '../../../shared/api/errors.js';
import type { Receipt } from '../../../shared/api/schemas.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';
import { priceOrder } from '../../../shared/domain/equipment.js';
import { getAccountRow } from '../../services/accounts/accounts.js';
import { receiptPrefix } from '../../services/context.js';
import { effectiveUnits, loadEquipmentPolicies } from '../../services/equipment/data.js';
import { quotePrintout } from '../../services/equipment/documents.js';
import {
  postExchange,
  postOrder,
  postReturn,
  quoteExchange,
  quoteReturn,
  receiveShipment,
  troubleTicket,
  type PostedEquipment,
} from '../../services/equipment/post.js';
import {
  accountEquipment,
  branchStock,
  catalogSearch,
  checkHandoverNow,
  lookupSerial,
  unreturnedOf,
} from '../../services/equipment/queries.js';
import { paymentResult } from '../../services/ledger/payments.js';
import { nextCounter } from '../../services/ledger/post.js';
import { composeReceipt } from '../../services/receipts/compose.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function equipmentHandlers(deps: HostDeps): HandlerMap<keyof typeof equipmentChannels> {
  const { ctx, devices, receipts, sync, pushStatus } = deps;

  /** Prints the receipt (and the return-goods invoice), opens the drawer, builds the reply. */
  async function finish(posted: PostedEquipment): Promise<EquipmentPostedOutput> {
    const print = (n: string): Promise<Receipt> =>
      posted.replay ? receipts.get(n) : receipts.printOriginal(n);
    const receipt = await print(posted.receiptNumber);
    const invoice = posted.invoiceNumber ? await print(posted.invoiceNumber) : null;
    const drawerOpened = posted.drawer && !posted.replay ? await devices.kickDrawer() : false;
    if (!posted.replay) {
      sync.nudge();
      pushStatus();
    }
    const base = await paymentResult(ctx, posted);
    const policies = await loadEquipmentPolicies(ctx.db).catch(() => null);
    const units: UnitView[] = [];
    for (const id of posted.unitIds) units.push(...(await effectiveUnits(ctx.db, { id }, policies)).units);
    return { ...base, receipt, invoice, drawerOpened, units };
  }

  return {
    'equipment.catalog': async (input) => {
      const { items, policies } = await catalogSearch(ctx, input);
      return { items, bundles: policies.bundles, branch: ctx.terminal.branch, today: ctx.clock.today() };
    },
    'equipment.quote': async (input, session) => {
      const policies = await loadEquipmentPolicies(ctx.db);
      const today = ctx.clock.today();
      const priced = priceOrder(input.lines, policies.catalog, policies.taxRules, today);
      if (!input.print) return { priced, printout: null };
      const account = input.accountNumber ? await getAccountRow(ctx.db, input.accountNumber) : null;
      const seq = await ctx.db.transaction((trx) => nextCounter(trx, 'quote'));
      const number = `Q-${receiptPrefix(ctx.terminal)}-${String(seq).padStart(6, '0')}`;
      const bytes = composeReceipt(
        quotePrintout(ctx, {
          cashier: cashierOf(session),
          at: ctx.clock.now(),
          number,
          account: account ? { number: account.account_number, name: account.name } : null,
          priced,
          catalog: policies.bySku,
          today,
        }),
        ctx.printerProfile,
      );
      let printError: string | null = null;
      try {
        await devices.printer().print(bytes);
      } catch (err) {
        printError = err instanceof Error ? err.message : String(err);
      }
      pushStatus();
      return {
        priced,
        printout: { number, lines: decodeEscPos(bytes).lines, printed: printError === null, printError },
      };
    },
    'equipment.checkHandover': (input) => checkHandoverNow(ctx, input.lines, input.scans),
    'equipment.order': async (input, session) => finish(await postOrder(ctx, cashierOf(session), input)),
    'equipment.lookupSerial': (input) => lookupSerial(ctx, input.serial),
    'equipment.account': (input) => accountEquipment(ctx, input.accountNumber),
    'equipment.returnQuote': async (input) => {
      const { quote, unit } = await quoteReturn(ctx.db, ctx.clock.today(), input);
      return { quote, unit };
    },
    'equipment.return': async (input, session) => {
      const posted = await postReturn(ctx, cashierOf(session), input);
      return { ...(await finish(posted)), quote: posted.quote };
    },
    'equipment.exchangeQuote': async (input) => {
      const { quote, unit } = await quoteExchange(ctx.db, ctx.clock.today(), input);
      return { quote, unit };
    },
    'equipment.exchange': async (input, session) => {
      const posted = await postExchange(ctx, cashierOf(session), input);
      return { ...(await finish(posted)), quote: posted.quote };
    },
    'equipment.troubleTicket': async (input, session) => {
      const ticket = await troubleTicket(ctx, cashierOf(session), input);
      sync.nudge();
      pushStatus();
      return ticket;
    },
    'equipment.unreturned': (input) => unreturnedOf(ctx, input.accountNumber),
    'equipment.stock': (input) => branchStock(ctx, input.sku),
    'equipment.receiveShipment': async (input, session) => {
      const posted = await receiveShipment(ctx, cashierOf(session), input);
      const receipt = posted.replay
        ? await receipts.get(posted.receiptNumber)
        : await receipts.printOriginal(posted.receiptNumber);
      if (!posted.replay) {
        sync.nudge();
        pushStatus();
      }
      if (posted.received < 1) throw new CounterError('INVALID_INPUT', 'Nothing was received.');
      return {
        transactionId: posted.transactionId,
        received: posted.received,
        serials: posted.serials,
        receipt,
      };
    },
  };
}
