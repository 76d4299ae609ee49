/**
 * Child process for the memory figure: opens the counter host on an existing replica, does a busy
 * hour's lookups, searches and payments, then prints its resident set size (MB) as JSON.
 */
import { randomUUID } from 'node:crypto';

import { quietCounterHost } from '../tests/support/child-host.js';
import { demoAccountNumber } from '../resources/demo/generate.js';

const [dataDir, countArg] = process.argv.slice(2);
if (!dataDir || !countArg) throw new Error('usage: host-memory-child <dataDir> <accounts>');
const count = Number(countArg);
const host = await quietCounterHost(dataDir);
const session = host.newSession();
await host.call('session.signIn', { cashierId: '1001', pin: '1234' }, session);
const current = await host.call('till.current', {}, session);
if (current.ok && current.value === null) await host.call('till.open', { counts: { b20: 10 } }, session);
for (let i = 0; i < 3000; i++) {
  const accountNumber = demoAccountNumber((i * 7919) % count);
  await host.call('accounts.search', { query: accountNumber }, session);
  await host.call('accounts.get', { accountNumber }, session);
}
for (const q of ['alv', 'maria', 'smith', 'garc', '217555', 'elm st', 'oak'])
  for (let i = 0; i < 30; i++) await host.call('accounts.search', { query: q }, session);
for (let i = 0; i < 200; i++) {
  const r = await host.call(
    'payments.post',
    {
      requestId: randomUUID(),
      accountNumber: demoAccountNumber((i * 31) % count),
      amountCents: 1000,
      tenders: [{ type: 'cash', amountCents: 2000 }],
    },
    session,
  );
  if (!r.ok) throw new Error(r.error.message);
}
const rssMb = process.memoryUsage().rss / 1024 / 1024;
// Leave the cached replica as it was.
await host.ctx.db.transaction(async (trx) => {
  for (const t of [
    'allocations',
    'journal_lines',
    'tenders',
    'receipts',
    'transactions',
    'outbox',
    'audit_log',
    'counters',
    'tills',
  ])
    await trx(t).del();
});
await host.close();
process.stdout.write(JSON.stringify({ rssMb }) + '\n');
