/**
 * Equipment handlers: catalog, quote (printable), handover check, order, serial look-up, units on an
 * account, return and exchange (with their quotes), trouble tickets, unreturned equipment, branch stock
 * and receiving a shipment. The postings run on the kernel; after the commit, `afterCommit` prints the
 * receipt (and the return-goods invoice) and opens the drawer only when cash, a check or a money order
 * changed hands.
 */
import type { EquipmentPostedOutput } from '../../../shared/api/channels/equipment.js';
import type { equipmentChannels } from '../../../shared/api/channels/equipment.js';
import { CounterError } from '../../../shared/api/errors.js';
import { decodeEscPos } from '../../../shared/escpos/decoder.js';
import { afterCommit, receiptOf } from '../../kernel/effects.js';
import type { Posted } from '../../kernel/posting.js';
import type { UnitsResult } from '../../services/equipment/common.js';
import { exchangePosting, quoteExchange } from '../../services/equipment/exchange.js';
import { orderPosting } from '../../services/equipment/order.js';
import {
  accountEquipment,
  branchStock,
  catalogSearch,
  checkHandoverNow,
  lookupSerial,
  unreturnedOf,
} from '../../services/equipment/queries.js';
import { orderQuote, unitsByIds } from '../../services/equipment/quote.js';
import { receivePosting } from '../../services/equipment/receive.js';
import { quoteReturn, returnPosting } from '../../services/equipment/return.js';
import { troubleTicket } from '../../services/equipment/ticket.js';
import { paymentResult } from '../../services/ledger/payments.js';
import { composeReceipt } from '../../services/receipts/compose.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function equipmentHandlers(deps: HostDeps): HandlerMap<keyof typeof equipmentChannels> {
  const { ctx, devices, sync, pushStatus } = deps;

  /** Prints the receipt (and the return-goods invoice), opens the drawer, builds the reply. */
  async function finish(posted: Posted<UnitsResult>): Promise<EquipmentPostedOutput> {
    const effects = await afterCommit(deps, posted);
    return {
      ...(await paymentResult(ctx, posted)),
      receipt: receiptOf(effects),
      invoice: effects.documents[0] ?? null,
      drawerOpened: effects.drawerOpened,
      units: await unitsByIds(ctx, posted.result.unitIds),
    };
  }

  return {
    'equipment.catalog': async (input) => {
      const { items, policies } = await catalogSearch(ctx, input);
      return { items, bundles: policies.bundles, branch: ctx.terminal.branch, today: ctx.clock.today() };
    },
    'equipment.quote': async (input, session) => {
      const { priced, printout } = await orderQuote(ctx, cashierOf(session), input);
      if (!printout) return { priced, printout: null };
      const bytes = composeReceipt(printout, ctx.printerProfile);
      let printError: string | null = null;
      try {
        await devices.printer().print(bytes);
      } catch (err) {
        printError = err instanceof Error ? err.message : String(err);
      }
      pushStatus();
      return {
        priced,
        printout: {
          number: printout.receiptNumber,
          lines: decodeEscPos(bytes).lines,
          printed: printError === null,
          printError,
        },
      };
    },
    'equipment.checkHandover': (input) => checkHandoverNow(ctx, input.lines, input.scans),
    'equipment.order': async (input, session) =>
      finish(await orderPosting.post(ctx, cashierOf(session), input)),
    'equipment.lookupSerial': (input) => lookupSerial(ctx, input.serial),
    'equipment.account': (input) => accountEquipment(ctx, input.accountNumber),
    'equipment.returnQuote': (input) => quoteReturn(ctx.db, ctx.clock.today(), input),
    'equipment.return': async (input, session) => {
      const posted = await returnPosting.post(ctx, cashierOf(session), input);
      return { ...(await finish(posted)), quote: posted.result.quote };
    },
    'equipment.exchangeQuote': (input) => quoteExchange(ctx.db, ctx.clock.today(), input),
    'equipment.exchange': async (input, session) => {
      const posted = await exchangePosting.post(ctx, cashierOf(session), input);
      return { ...(await finish(posted)), quote: posted.result.quote };
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
      const posted = await receivePosting.post(ctx, cashierOf(session), input);
      const effects = await afterCommit(deps, posted);
      if (posted.result.received < 1) throw new CounterError('INVALID_INPUT', 'Nothing was received.');
      return {
        transactionId: posted.transactionId,
        received: posted.result.received,
        serials: posted.result.serials,
        receipt: receiptOf(effects),
      };
    },
  };
}

export const equipmentModule = defineModule({
  name: 'equipment',
  handlers: (deps) => equipmentHandlers(deps),
  zReport: {
    lines: [
      // Orders: the amount collected; returns: refunded (negative when fees were owed); exchanges:
      // collected (negative when refunded).
      { key: 'equipmentOrders', label: 'Equipment orders', kinds: ['eq_order'] },
      { key: 'equipmentReturns', label: 'Equipment returns', kinds: ['eq_return'] },
      { key: 'equipmentExchanges', label: 'Equipment exchanges', kinds: ['eq_exchange'] },
    ],
    kindLabels: {
      eq_return: 'Equipment return',
      eq_exchange: 'Equipment exchange',
      eq_receive: 'Stock received',
    },
  },
});
