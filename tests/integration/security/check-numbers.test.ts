/**
 * Bank numbers from checks on a real counter (real SQLite file): masked in the tenders table, the
 * routing number sealed for the deposit slip (AES-256-GCM, key file 0600 in the data folder), the full
 * bank account never in the outbox and nowhere in the database files; rows an older version wrote in
 * the clear are sealed and masked at the next start.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, expect, it } from 'vitest';

import { routingForDepositSlip } from '../../../electron/services/ledger/sensitive.js';
import { signInWithTill, startTestHost, tempDir } from '../../support/counter.js';

const ROUTING = '021000021';
const BANK_ACCOUNT = '987654321012';
const dataDir = path.join(tempDir('countertop-checks-'), 'counter');
afterAll(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

type TenderRow = {
  transaction_id: string;
  position: number;
  routing_number: string;
  bank_account: string;
  check_sealed: string | null;
};

function dbBytes(): string {
  return ['counter.db', 'counter.db-wal']
    .map((f) => path.join(dataDir, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

it('stores check numbers masked, seals the routing number, and sends only the last 4 of the account', async () => {
  const h = await startTestHost({ dataDir, demo: { count: 20, months: 1 } });
  try {
    const dana = await signInWithTill(h, '1001', '1234');
    const paid = await h.call(
      'payments.post',
      {
        requestId: randomUUID(),
        accountNumber: '1000042517',
        amountCents: 2500,
        tenders: [
          {
            type: 'check',
            amountCents: 2500,
            checkNumber: '1042',
            routingNumber: ROUTING,
            bankAccount: BANK_ACCOUNT,
          },
        ],
      },
      dana,
    );
    if (!paid.ok) throw new Error(paid.error.message);
    const row = (await h.ctx.db('tenders').where('type', 'check').first()) as TenderRow;
    expect(row).toMatchObject({ routing_number: '****0021', bank_account: '****1012' });
    expect(row.check_sealed).toMatch(/^v1\./);
    expect(row.check_sealed).not.toContain(ROUTING);
    expect(routingForDepositSlip(h.ctx.db, row)).toBe(ROUTING);
    // Sealed for this row only: moved to another position it does not open.
    expect(() => routingForDepositSlip(h.ctx.db, { ...row, position: row.position + 1 })).toThrow();

    const outbox = (await h.ctx
      .db('outbox')
      .where('type', 'ledger.posted')
      .whereRaw("json_extract(payload, '$.kind') = 'payment'")
      .select('payload')) as {
      payload: string;
    }[];
    expect(outbox).toHaveLength(1);
    const tender = (JSON.parse(outbox[0]!.payload) as { tenders: Record<string, unknown>[] }).tenders[0];
    expect(tender).toMatchObject({ type: 'check', bankAccount: '1012', routingNumber: ROUTING });

    const key = path.join(dataDir, 'keys', 'checks.key');
    expect((fs.statSync(key).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(path.dirname(key)).mode & 0o777).toString(8)).toBe('700');
  } finally {
    await h.close();
  }
  expect(dbBytes()).not.toContain(BANK_ACCOUNT);
});

it('seals and masks check rows an older version stored in the clear, and trims queued events', async () => {
  const h1 = await startTestHost({ dataDir, demo: { count: 20, months: 1 } });
  const row = (await h1.ctx.db('tenders').where('type', 'check').first('id', 'transaction_id')) as {
    id: string;
    transaction_id: string;
  };
  // What an older version left: plain numbers, no sealed value, the full account in a queued event.
  await h1.ctx.db('tenders').where('id', row.id).update({
    routing_number: ROUTING,
    bank_account: BANK_ACCOUNT,
    check_sealed: null,
  });
  const ev = (await h1.ctx
    .db('outbox')
    .where('type', 'ledger.posted')
    .whereRaw("json_extract(payload, '$.kind') = 'payment'")
    .first('seq', 'payload')) as {
    seq: number;
    payload: string;
  };
  await h1.ctx
    .db('outbox')
    .where('seq', ev.seq)
    .update({ payload: ev.payload.replace('"bankAccount":"1012"', `"bankAccount":"${BANK_ACCOUNT}"`) });
  expect(
    ((await h1.ctx.db('outbox').where('seq', ev.seq).first('payload')) as { payload: string }).payload,
  ).toContain(BANK_ACCOUNT);
  await h1.close();

  const h2 = await startTestHost({ dataDir, demo: { count: 20, months: 1 } });
  try {
    const fixed = (await h2.ctx.db('tenders').where('id', row.id).first()) as TenderRow;
    expect(fixed).toMatchObject({ routing_number: '****0021', bank_account: '****1012' });
    expect(routingForDepositSlip(h2.ctx.db, fixed)).toBe(ROUTING);
    const payload = ((await h2.ctx.db('outbox').where('seq', ev.seq).first('payload')) as { payload: string })
      .payload;
    expect(payload).not.toContain(BANK_ACCOUNT);
  } finally {
    await h2.close();
  }
  expect(dbBytes()).not.toContain(BANK_ACCOUNT);
});
