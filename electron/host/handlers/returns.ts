/**
 * Returned-check handlers: find the payment, record the return (a posting on the kernel; the back-office
 * slip prints after the commit, then the customer's letter is written), the letter again, and the
 * account's cash-only status with the supervisor's lift. Roles come from the contract's access.
 */
import path from 'node:path';

import type { returnsChannels } from '../../../shared/api/channels/returns.js';
import { afterCommit, receiptOf } from '../../kernel/effects.js';
import { getAccountDetail } from '../../services/accounts/accounts.js';
import { cashOnlyStatus, liftCashOnly } from '../../services/returns/cash-only.js';
import { findReturnable } from '../../services/returns/find.js';
import { nsfLetter } from '../../services/returns/letter.js';
import { loadReturnsPolicy } from '../../services/returns/policy.js';
import { returnPosting } from '../../services/returns/record.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function returnsHandlers(
  deps: HostDeps,
  lettersDir: string,
): HandlerMap<keyof typeof returnsChannels> {
  const { ctx, sync, pushStatus } = deps;
  return {
    'returns.policy': () => loadReturnsPolicy(ctx.db),
    'returns.find': async (input) => ({ checks: await findReturnable(ctx.db, input.query) }),
    'returns.record': async (input, session) => {
      const posted = await returnPosting.post(ctx, cashierOf(session), input);
      const effects = await afterCommit(deps, posted);
      const { accountNumber, ...r } = posted.result;
      return {
        transactionId: posted.transactionId,
        receipt: receiptOf(effects),
        ...r,
        cashOnly: await cashOnlyStatus(ctx, accountNumber),
        letterPath: await nsfLetter(ctx, lettersDir, posted.transactionId),
        account: await getAccountDetail(ctx.db, accountNumber, ctx.clock.today()),
      };
    },
    'returns.letter': async (input) => ({
      letterPath: await nsfLetter(ctx, lettersDir, input.transactionId),
    }),
    'returns.cashOnly': (input) => cashOnlyStatus(ctx, input.accountNumber),
    'returns.liftCashOnly': async (input, session) => {
      const status = await liftCashOnly(ctx, cashierOf(session), input);
      sync.nudge();
      pushStatus();
      return status;
    },
  };
}

export const returnsModule = defineModule({
  name: 'returns',
  // The letters are kept next to the Z reports, in the counter's data folder.
  handlers: (deps, config) => returnsHandlers(deps, path.join(path.dirname(config.reportsDir), 'letters')),
  zReport: {
    // The checks returned (face value) while the till was open: no drawer money, the back office's count.
    lines: [{ key: 'returnedChecks', label: 'Returned checks', kinds: ['returned_check'] }],
    kindLabels: { returned_check: 'Returned check' },
  },
});
