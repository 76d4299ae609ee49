/**
 * Account search the way a CSR types it at the counter, against a real SQLite replica with demo data:
 * the last 4 or 7 digits of a phone, a partial name with or without its accents, a partial address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../../electron/services/auth/auth.js';
import { signInWithTill, startTestHost } from '../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
let host: Host;
let session: Session;

const MARIA = '1000042517';

async function search(query: string): Promise<string[]> {
  const r = await host.call('accounts.search', { query, limit: 20 }, session);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { results: { accountNumber: string }[] }).results.map((a) => a.accountNumber);
}

beforeAll(async () => {
  host = await startTestHost({ demo: { count: 200, months: 1 } });
  session = await signInWithTill(host);
  // Names the demo data does not have: an apostrophe, a hyphen and accents in both name and street.
  await host.ctx.db('accounts').insert([
    {
      account_number: '1999000001',
      name: 'Siobhán O’Brien-Núñez',
      class: 'residential',
      status: 'active',
      service_address: '4410 Rue Élise Côté, Apt 12, Springfield',
      phone: '(309) 555-7781',
      phone_digits: '3095557781',
      cash_only: 0,
      balance_cents: 0,
      deposit_held_cents: 0,
      version: 0,
      as_of: '2026-11-25T00:00:00Z',
    },
  ]);
});
afterAll(() => host.close());

describe('phone', () => {
  it.each(['0142', '555-0142', '5550142', '555 0142', '(217) 555-0142', '2175550142', '217555'])(
    '"%s" finds Maria Álvarez (phone (217) 555-0142)',
    async (q) => {
      expect(await search(q)).toContain(MARIA);
    },
  );

  it('the last 4 digits of a phone find only phones ending in them (and account numbers starting with them)', async () => {
    const found = await search('7781');
    expect(found).toContain('1999000001');
    const rows = (await host.ctx
      .db('accounts')
      .whereIn('account_number', found)
      .select('account_number', 'phone_digits')) as { account_number: string; phone_digits: string }[];
    for (const r of rows)
      expect(r.phone_digits.endsWith('7781') || r.account_number.startsWith('7781'), r.account_number).toBe(
        true,
      );
  });
});

describe('name', () => {
  it.each(['alv', 'álv', 'ALVAREZ', 'Álvarez', 'maria alv', 'alvarez maria', 'mar álv'])(
    '"%s" finds Maria Álvarez',
    async (q) => {
      expect(await search(q)).toContain(MARIA);
    },
  );

  it.each([
    'obrien',
    'o’brien',
    "o'brien",
    'brien',
    'nunez',
    'núñez',
    'siobhan',
    'obrien-nunez',
    'brien nun',
  ])('"%s" finds Siobhán O’Brien-Núñez', async (q) => {
    expect(await search(q)).toContain('1999000001');
  });

  it('finds nothing for a name nobody has', async () => {
    expect(await search('zzyzx')).toEqual([]);
  });
});

describe('address', () => {
  it.each(['12 elm', 'elm st', 'Elm St, Apt 3', 'elm springf', '12 Elm'])(
    '"%s" finds Maria Álvarez',
    async (q) => {
      expect(await search(q)).toContain(MARIA);
    },
  );

  it.each(['elise', 'élise cote', 'rue eli', '4410 rue'])(
    '"%s" finds the Rue Élise Côté account',
    async (q) => {
      expect(await search(q)).toContain('1999000001');
    },
  );
});
