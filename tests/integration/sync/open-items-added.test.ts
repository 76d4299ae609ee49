/**
 * Open items a posting adds (any capability: a debit on the account, charges in installments), and the
 * "not grounds for disconnection" flag they may carry. On the counter: an item written by
 * addPendingOpenItems in a posting's transaction is payable at once, and counted once when the
 * replica brings the server's copy (the pending row then stands down). On the server (SQLite and
 * PostgreSQL): Batch.addItem writes the item with its flag and its change-log row carries the flag,
 * which is what a pull and the first-pull snapshot hand to counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CounterHost } from '../../../electron/host/create-host.js';
import {
  addPendingOpenItems,
  effectiveOpenItems,
  openItemFlags,
} from '../../../electron/services/accounts/accounts.js';
import { applyChanges } from '../../../electron/services/sync/replica.js';
import { Batch, type TerminalRow } from '../../../server/src/domain/batch.js';
import { startTestHost, TEST_NOW } from '../../support/counter.js';
import { pgServer, sqliteServer, type TestServer } from '../../support/server-setup.js';

describe('open items a posting adds, on the counter', () => {
  let host: CounterHost & { dataDir: string };
  let account: string;

  beforeAll(async () => {
    host = await startTestHost({ demo: { count: 5 } });
    const row = (await host.ctx.db('accounts').orderBy('account_number').first('account_number')) as {
      account_number: string;
    };
    account = row.account_number;
  });
  afterAll(async () => {
    await host?.close();
  });

  it('is payable at once, flagged, and counted once when the replica brings it', async () => {
    const db = host.ctx.db;
    const before = await effectiveOpenItems(db, account);
    await db.transaction(async (trx) => {
      await trx('transactions').insert({
        id: 'T-ADD-1',
        request_id: 'R-ADD-1',
        kind: 'test_item',
        account_number: account,
        amount_cents: 4_500,
        applied_cents: 0,
        cashier_id: '1001',
        terminal_code: 'MAIN-02',
        business_date: TEST_NOW.slice(0, 10),
        created_at: TEST_NOW,
      });
      await addPendingOpenItems(trx, 'T-ADD-1', account, [
        {
          id: 'added-1',
          category: 'installment',
          dueDate: '2026-12-20',
          openCents: 4_500,
          notDisconnectable: true,
        },
        { id: 'added-2', category: 'adjustment', dueDate: '2026-12-20', openCents: 1_200 },
      ]);
    });
    const pending = await effectiveOpenItems(db, account);
    expect(pending.length).toBe(before.length + 2);
    expect(pending.find((i) => i.id === 'added-1')?.openCents).toBe(4_500);
    let flags = await openItemFlags(db, account);
    expect([...flags.notDisconnectable]).toEqual(['added-1']);
    expect(flags.inReplica.has('added-1')).toBe(false);

    // The server applied the posting and the pull brings its copy: the replica row counts, once.
    const version = 1_000_000;
    await db('transactions').where('id', 'T-ADD-1').update({ server_version: version });
    await db.transaction(async (trx) => {
      await applyChanges(
        trx,
        [
          {
            version,
            entity: 'open_item',
            key: 'added-1',
            op: 'upsert',
            data: {
              id: 'added-1',
              accountNumber: account,
              billId: null,
              category: 'installment',
              dueDate: '2026-12-20',
              openCents: 4_000,
              notDisconnectable: true,
            },
          },
        ],
        TEST_NOW,
      );
      // …and the account's row at the version that holds the posting's effect.
      await trx('accounts').where('account_number', account).update({ version });
    });
    const after = await effectiveOpenItems(db, account);
    expect(after.filter((i) => i.id === 'added-1')).toEqual([
      { id: 'added-1', category: 'installment', dueDate: '2026-12-20', openCents: 4_000 },
    ]);
    // The other item's posting is in the replica (account version) but the server dropped the item: gone.
    expect(after.some((i) => i.id === 'added-2')).toBe(false);
    flags = await openItemFlags(db, account);
    expect([...flags.notDisconnectable]).toEqual(['added-1']);
    expect(flags.inReplica.has('added-1')).toBe(true);
  });
});

describe.each([
  ['SQLite', sqliteServer],
  ['PostgreSQL', pgServer],
] as const)('open items a posting adds, on the server (%s)', (_name, start) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start(5);
    await server.enroll();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('writes the item with its flag and puts the flag in the change log', async () => {
    const knex = server.db.knex;
    const terminal = (await knex('terminals').first()) as TerminalRow;
    const { account_number: account } = (await knex('accounts')
      .orderBy('account_number')
      .first('account_number')) as {
      account_number: string;
    };
    await knex.transaction(async (trx) => {
      const batch = new Batch(trx, server.db.dialect, terminal, TEST_NOW);
      await batch.loadAccounts([account]);
      const state = batch.account(account);
      if (!state) throw new Error('account not loaded');
      const item = {
        id: 'added-srv-1',
        account_number: account,
        bill_id: null,
        category: 'installment',
        due_date: '2026-12-20',
        open_cents: 4_500,
        not_disconnectable: true,
      };
      batch.addItem(state, item);
      expect(() => batch.addItem(state, { ...item })).toThrow(/exists/);
      await batch.finish();
    });
    const row = (await knex('open_items').where('id', 'added-srv-1').first()) as Record<string, unknown>;
    expect(Boolean(row.not_disconnectable)).toBe(true);
    expect(Number(row.open_cents)).toBe(4_500);
    const change = (await knex('change_log')
      .where({ entity: 'open_item', entity_key: 'added-srv-1' })
      .first()) as {
      data: string;
    };
    expect(JSON.parse(change.data)).toMatchObject({ openCents: 4_500, notDisconnectable: true });
    // An item without the flag carries none (older counters read the same shape as before).
    const plain = (await knex('change_log')
      .where({ entity: 'open_item' })
      .whereNot('entity_key', 'added-srv-1')
      .first()) as {
      data: string;
    };
    expect(JSON.parse(plain.data)).not.toHaveProperty('notDisconnectable');
  });
});
