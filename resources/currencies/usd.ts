import type { CurrencyConfig } from '../../shared/domain/currency.js';

/** US dollar till: bills, coins and standard coin rolls. */
export const USD: CurrencyConfig = {
  code: 'USD',
  symbol: '$',
  denominations: [
    { id: 'b100', label: '$100', cents: 10000, kind: 'bill' },
    { id: 'b50', label: '$50', cents: 5000, kind: 'bill' },
    { id: 'b20', label: '$20', cents: 2000, kind: 'bill' },
    { id: 'b10', label: '$10', cents: 1000, kind: 'bill' },
    { id: 'b5', label: '$5', cents: 500, kind: 'bill' },
    { id: 'b2', label: '$2', cents: 200, kind: 'bill' },
    { id: 'b1', label: '$1', cents: 100, kind: 'bill' },
    { id: 'c100', label: '$1 coin', cents: 100, kind: 'coin' },
    { id: 'c50', label: '50¢', cents: 50, kind: 'coin' },
    { id: 'c25', label: '25¢', cents: 25, kind: 'coin' },
    { id: 'c10', label: '10¢', cents: 10, kind: 'coin' },
    { id: 'c5', label: '5¢', cents: 5, kind: 'coin' },
    { id: 'c1', label: '1¢', cents: 1, kind: 'coin' },
    { id: 'r25', label: 'Roll 25¢ ($10)', cents: 1000, kind: 'roll' },
    { id: 'r10', label: 'Roll 10¢ ($5)', cents: 500, kind: 'roll' },
    { id: 'r5', label: 'Roll 5¢ ($2)', cents: 200, kind: 'roll' },
    { id: 'r1', label: 'Roll 1¢ (50¢)', cents: 50, kind: 'roll' },
  ],
};
