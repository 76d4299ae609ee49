/**
 * Adjustment and back-billing handlers: the account's adjustment view, posting an adjustment (printed
 * receipt after the commit), the day's adjustments report, and back-billing preview, posting and its
 * letter (a PDF in the data folder, written after the commit). Its module adds the Z report's lines
 * for adjustments and back-billing plans.
 */
import path from 'node:path';

import type { adjustmentChannels } from '../../../shared/api/channels/adjustments.js';
import { afterCommit } from '../../kernel/effects.js';
import { adjustmentPosting } from '../../services/adjustments/adjust.js';
import { backBillPosting, previewBackBill } from '../../services/adjustments/back-bill.js';
import {
  accountAdjustments,
  adjustmentsReport,
  backBillLetter,
  backBillViews,
} from '../../services/adjustments/queries.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function adjustmentHandlers(
  deps: HostDeps,
  dataDir: string,
): HandlerMap<keyof typeof adjustmentChannels> {
  const { ctx } = deps;

  return {
    'adjustments.account': (input) => accountAdjustments(ctx, input.accountNumber),
    'adjustments.post': async (input, session) => {
      const posted = await adjustmentPosting.post(ctx, cashierOf(session), input);
      const effects = await afterCommit(deps, posted);
      const view = (await accountAdjustments(ctx, input.accountNumber)).adjustments.find(
        (a) => a.transactionId === posted.transactionId,
      );
      if (!view) throw new Error('invariant: the adjustment just posted is not on the account');
      return { adjustment: view, receipt: effects.receipt, working: posted.result.working };
    },
    'adjustments.report': (input) => adjustmentsReport(ctx, input.businessDate),
    'backBilling.preview': (input) => previewBackBill(ctx, input),
    'backBilling.post': async (input, session) => {
      const posted = await backBillPosting.post(ctx, cashierOf(session), input);
      await afterCommit(deps, posted);
      const [view] = await backBillViews(ctx.db, input.accountNumber, posted.transactionId);
      if (!view) throw new Error('invariant: the plan just posted is not on the account');
      const l = await backBillLetter(ctx, dataDir, posted.transactionId);
      return { backBill: { ...view, letterFile: l.file }, letter: l };
    },
    'backBilling.letter': (input) => backBillLetter(ctx, dataDir, input.transactionId),
  };
}

export const adjustmentsModule = defineModule({
  name: 'adjustments',
  // Letters go next to the reports folder, in the counter's data folder.
  handlers: (deps, config) => adjustmentHandlers(deps, path.dirname(config.reportsDir)),
  zReport: {
    lines: [
      // Net effect on receivables: credits negative.
      { key: 'adjustments', label: 'Adjustments', kinds: ['adjustment'] },
      { key: 'backBills', label: 'Back-billing plans', kinds: ['back_bill'] },
    ],
    kindLabels: { adjustment: 'Adjustment', back_bill: 'Back billing' },
  },
});
