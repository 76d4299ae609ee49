/** Core handlers: session, status, account lookup, scans, payments, receipts. */
import type { coreChannels } from '../../../shared/api/contract.js';
import type { Status } from '../../../shared/api/status.js';
import { classifyScan } from '../../../shared/validators/scan.js';
import { getAccountDetail, getAccountRow, searchAccounts } from '../../services/accounts/accounts.js';
import { signIn, signOut } from '../../services/auth/auth.js';
import { paymentResult, postPayment, todaySummary } from '../../services/ledger/payments.js';
import { afterCommit, receiptOf } from '../../kernel/effects.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

export function coreHandlers(
  deps: HostDeps,
  status: () => Promise<Status>,
): HandlerMap<keyof typeof coreChannels> {
  const { ctx, receipts, sync, sessionState, pushStatus } = deps;
  const { db, clock } = ctx;
  return {
    'session.state': (_input, session) => Promise.resolve(sessionState(session)),
    'session.signIn': async (input, session) => {
      session.cashier = await signIn(ctx, input.cashierId, input.pin);
      return sessionState(session);
    },
    'session.signOut': async (_input, session) => {
      await signOut(ctx, session, 'user');
      return sessionState(session);
    },
    'status.get': () => status(),
    'accounts.search': (input) => searchAccounts(db, input.query, input.limit),
    'accounts.get': (input) => getAccountDetail(db, input.accountNumber, clock.today()),
    'scan.resolve': async (input) => {
      const scan = classifyScan(input.code);
      switch (scan.kind) {
        case 'billStub':
          await getAccountRow(db, scan.stub.accountNumber);
          return {
            kind: 'account',
            accountNumber: scan.stub.accountNumber,
            amountDueCents: scan.stub.amountDueCents,
            source: 'billStub',
          };
        case 'receipt':
          await receipts.get(scan.receiptNumber);
          return { kind: 'receipt', receiptNumber: scan.receiptNumber };
        case 'gtin':
          return { kind: 'gtin', code: scan.code };
        case 'serial':
          return { kind: 'serial', code: scan.code };
        case 'invalid':
          return { kind: 'unknown', code: scan.code, message: scan.message };
      }
    },
    'payments.post': async (input, session) => {
      const posted = await postPayment(ctx, input, cashierOf(session));
      const effects = await afterCommit(deps, posted);
      return { ...(await paymentResult(ctx, posted)), ...effects, receipt: receiptOf(effects) };
    },
    'payments.today': () => todaySummary(ctx),
    'receipts.get': (input) => receipts.get(input.receiptNumber),
    'receipts.reprint': async (input, session) => {
      const receipt = await receipts.reprint(input.receiptNumber, cashierOf(session));
      sync.nudge();
      pushStatus();
      return receipt;
    },
  };
}

export const coreModule = defineModule({
  name: 'core',
  handlers: (deps, config) => coreHandlers(deps, () => config.status()),
});
