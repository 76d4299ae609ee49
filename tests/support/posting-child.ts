/**
 * Child process for the crash test: opens the counter on a data folder and posts payments as fast as
 * it can, printing "begin <requestId>" before each call and "posted <requestId>" after the commit, until
 * the parent kills it with SIGKILL.
 */
import { randomUUID } from 'node:crypto';

import pino from 'pino';

import { createCounterHost, DEFAULT_COMPANY, DEFAULT_TERMINAL } from '../../electron/host/create-host.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: posting-child <dataDir>');

const host = await createCounterHost({
  dataDir,
  terminal: DEFAULT_TERMINAL,
  company: DEFAULT_COMPANY,
  demo: null,
  logger: pino({ level: 'silent' }),
});
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
  const cents = 500 + ((i * 7919) % 20_000);
  const tenders =
    i % 3 === 0
      ? [{ type: 'cash', amountCents: cents + 1000 }]
      : i % 3 === 1
        ? [{ type: 'card', amountCents: cents, brand: 'Visa', last4: '4242', authCode: 'OK1234' }]
        : [
            {
              type: 'check',
              amountCents: cents - 100,
              checkNumber: String(1000 + i),
              routingNumber: '011000015',
              bankAccount: '12345678',
            },
            { type: 'cash', amountCents: 500 },
          ];
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
