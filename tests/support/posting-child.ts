/**
 * Child process for the crash test: opens the counter on a data folder and posts payments as fast as
 * it can, printing "begin <requestId>" before each call and "posted <requestId>" after the commit, until
 * the parent kills it with SIGKILL.
 */
import { randomUUID } from 'node:crypto';

import { quietCounterHost } from './child-host.js';
import { mixedPayment } from './payment-mix.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: posting-child <dataDir>');

const host = await quietCounterHost(dataDir);
const session = host.newSession();
const signIn = await host.call('session.signIn', { cashierId: '1001', pin: '1234' }, session);
if (!signIn.ok) throw new Error(signIn.error.message);
const till = await host.call('till.current', {}, session);
if (till.ok && till.value === null) await host.call('till.open', { counts: { b20: 10 } }, session);
const accounts = (await host.ctx.db('accounts').where('cash_only', 0).select('account_number').limit(50)) as {
  account_number: string;
}[];
process.stdout.write('ready\n');

for (let i = 0; ; i++) {
  const requestId = randomUUID();
  const account = accounts[i % accounts.length]!.account_number;
  const { cents, tenders } = mixedPayment(i);
  process.stdout.write(`begin ${requestId}\n`);
  const reply = await host.call(
    'payments.post',
    // Payments whatever the account owes: confirmed as credit, with a reason for paying ahead.
    {
      requestId,
      accountNumber: account,
      amountCents: cents,
      tenders,
      confirmCreditBalance: true,
      prepayReason: 'next_bill',
    },
    session,
  );
  if (!reply.ok) throw new Error(reply.error.message);
  process.stdout.write(`posted ${requestId}\n`);
}
