/**
 * Counter benchmarks on a 1,000,000-account replica (built once into bench/.cache, reused after):
 * account lookup by number and bill-stub scan, name/phone/address search (FTS5), posting a payment
 * (ledger + outbox + audit in one SQLite transaction, synchronous=FULL), composing receipt bytes,
 * and the host process memory with the replica open.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import pino from 'pino';

import { createCounterHost, DEFAULT_COMPANY, DEFAULT_TERMINAL } from '../electron/host/create-host.js';
import { systemClock } from '../electron/services/clock.js';
import { postPayment } from '../electron/services/ledger/payments.js';
import { composeReceipt } from '../electron/services/receipts/compose.js';
import { demoAccountNumber } from '../resources/demo/generate.js';
import { makeBillStub } from '../shared/validators/scan.js';
import { receiptModel } from '../tests/support/receipt-model.js';
import { postingAgainstFloor } from './floor.js';
import { p95Figure, round, timeEach, type Figure } from './util.js';

const COUNT = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

export async function runLookupBench(): Promise<Figure[]> {
  const cacheDir = path.resolve('bench/.cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  const dataDir = path.join(cacheDir, `replica-${COUNT}`);
  const built = fs.existsSync(path.join(dataDir, 'counter.db'));
  const t0 = Date.now();
  const host = await createCounterHost({
    dataDir,
    terminal: DEFAULT_TERMINAL,
    company: DEFAULT_COMPANY,
    demo: { count: COUNT, months: 1 },
    clock: systemClock(),
    logger: pino({ level: 'silent' }),
  });
  const figures: Figure[] = [];
  if (!built)
    figures.push({
      name: `build ${COUNT.toLocaleString()}-account replica (once, cached)`,
      value: round((Date.now() - t0) / 1000, 1),
      unit: 's',
    });
  const session = host.newSession();
  await host.call('session.signIn', { cashierId: '1001', pin: '1234' }, session);
  await host.call('till.open', { counts: { b20: 10 } }, session);
  const random = rng(42);
  const pickAccounts = (n: number) =>
    Array.from({ length: n }, () => demoAccountNumber(Math.floor(random() * COUNT)));

  // Warm up the page cache the way a counter does during the day.
  await timeEach(pickAccounts(200), (a) => host.call('accounts.search', { query: a }, session));

  const byNumber = await timeEach(pickAccounts(2000), (a) =>
    host.call('accounts.search', { query: a }, session),
  );
  figures.push(p95Figure('lookup by account number (accounts.search), p95', byNumber, 5));
  const stubs = pickAccounts(2000).map((a) => makeBillStub(a, 7345));
  const byStub = await timeEach(stubs, async (code) => {
    const r = await host.call('scan.resolve', { code }, session);
    if (!r.ok) throw new Error(r.error.message);
    const acct = (r.value as { accountNumber: string }).accountNumber;
    const d = await host.call('accounts.get', { accountNumber: acct }, session);
    if (!d.ok) throw new Error(d.error.message);
  });
  figures.push(p95Figure('bill-stub scan → account view (scan.resolve + accounts.get), p95', byStub, 5));

  const names = [
    'alv',
    'maria',
    'smith',
    'garc',
    'nguyen elm',
    'chen 12',
    'oak ave',
    'main st',
    'patel',
    'o’brien',
    'lakeside',
    'jos',
    'zoë',
    'müller',
  ];
  const phones = ['217555', '309', '6182', '815 23', '(630) 41'];
  const queries = Array.from(
    { length: 600 },
    (_v, i) => (i % 3 === 0 ? phones[i % phones.length] : names[i % names.length]) as string,
  );
  const search = await timeEach(queries, (q) =>
    host.call('accounts.search', { query: q, limit: 20 }, session),
  );
  figures.push(p95Figure('name / phone / address search (FTS5, 20 results), p95', search, 30));

  const cashier = { id: '1001', name: 'Dana Whitfield', role: 'csr' as const };
  // Payments alternate with the floor (a bare 8-insert transaction on the same driver and disk).
  figures.push(
    ...(await postingAgainstFloor(1000, cacheDir, pickAccounts(1000), (accountNumber) =>
      postPayment(
        host.ctx,
        {
          requestId: randomUUID(),
          accountNumber,
          amountCents: 2500,
          tenders: [{ type: 'cash', amountCents: 3000 }],
          confirmOvertenderCredit: false,
          // Random accounts: some owe less than the amount, some nothing.
          confirmCreditBalance: true,
          prepayReason: 'next_bill',
        },
        cashier,
      ),
    )),
  );
  const postingP95 = figures.find((f) => f.name.startsWith('post a payment') && f.name.endsWith('p95'))!;
  postingP95.budget = '< 5 ms';
  postingP95.ok = postingP95.value < 5;

  const model = receiptModel({
    company: DEFAULT_COMPANY,
    at: new Date(),
    tenders: [{ label: 'Cash tendered', amountCents: 10000 }],
    balanceAsOf: new Date().toISOString(),
    offline: true,
    footer: DEFAULT_COMPANY.footer,
  });
  const compose = await timeEach(Array.from({ length: 2000 }), () => Promise.resolve(composeReceipt(model)));
  figures.push(p95Figure('receipt bytes composed (node-thermal-printer), p95', compose, 5));

  // Leave the cached replica as it was built: remove the payments this run posted.
  await host.ctx.db.transaction(async (trx) => {
    for (const t of ['allocations', 'journal_lines', 'tenders', 'receipts']) await trx(t).del();
    await trx('transactions').del();
    await trx('outbox').del();
    await trx('audit_log').del();
    await trx('tills').del();
    await trx('counters').del();
  });
  await host.close();

  // Memory: a separate host process (like `npm start`'s), on the same replica, after a busy hour.
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.resolve('bench/host-memory-child.ts'), dataDir, String(COUNT)],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
  const { rssMb } = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { rssMb: number };
  figures.push({
    name: `host process RSS, ${COUNT.toLocaleString()}-account replica, after 3,000 lookups + 200 payments`,
    value: round(rssMb, 0),
    unit: 'MB',
    budget: '< 250 MB',
    ok: rssMb < 250,
  });
  return figures;
}
