/**
 * Attacker test on a real counter: a refund reason carrying ESC p (drawer kick), GS V (cut) and DLE
 * EOT, refunded by check request (no cash, so no legitimate kick), must not open the drawer or cut
 * the slip: what reaches the printer has no kick and one cut.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { VirtualPrinter } from '../../../electron/services/devices/printer/virtual-printer.js';
import { signInWithTill, startTestHost, ANY_BALANCE } from '../../support/counter.js';

type Host = Awaited<ReturnType<typeof startTestHost>>;
let host: Host;
const printer = new VirtualPrinter();

beforeAll(async () => {
  host = await startTestHost({ printer, demo: { count: 20, months: 1 } });
});
afterAll(async () => {
  await host.close();
});

it('a refund reason with ESC/POS commands prints as text on the check-request slip', async () => {
  const dana = await signInWithTill(host, '1001', '1234');
  const account = '1000042517';
  const got = await host.call('accounts.get', { accountNumber: account }, dana);
  if (!got.ok) throw new Error(got.error.message);
  const balance = (got.value as { balanceCents: number }).balanceCents;
  const paid = await host.call(
    'payments.post',
    {
      requestId: randomUUID(),
      accountNumber: account,
      amountCents: Math.max(0, balance) + 500,
      tenders: [
        {
          type: 'card',
          amountCents: Math.max(0, balance) + 500,
          brand: 'Visa',
          last4: '4242',
          authCode: 'OK1234',
        },
      ],
      ...ANY_BALANCE,
    },
    dana,
  );
  if (!paid.ok) throw new Error(paid.error.message);
  const before = printer.jobs.length;
  const refund = await host.call(
    'refunds.post',
    {
      requestId: randomUUID(),
      accountNumber: account,
      amountCents: 300,
      method: 'check_request',
      reason: 'moved\x1bp\x00\x19\xfa away\x1dV\x00 \x10\x04\x01\x1b@ok',
    },
    dana,
  );
  if (!refund.ok) throw new Error(refund.error.message);
  expect((refund.value as { drawerOpened: boolean }).drawerOpened).toBe(false);
  const slips = printer.jobs.slice(before);
  expect(slips.length).toBeGreaterThan(0);
  for (const job of slips) {
    expect(job.decoded.kicks).toEqual([]);
    expect(job.decoded.cuts).toBe(1);
    expect(job.decoded.events.filter((e) => e.kind === 'status-request')).toEqual([]);
    expect(job.decoded.events.filter((e) => e.kind === 'init').length).toBeLessThanOrEqual(1);
  }
  expect(slips.map((j) => j.decoded.lines.join('\n')).join('\n')).toMatch(/moved.*away.*ok/);
});
