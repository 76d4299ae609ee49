import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { counterError } from '../support/errors.js';
import {
  assertSupervisorApproval,
  checkHandover,
  exchangeQuote,
  formatMac,
  maskAccount,
  normalizeSerial,
  priceOrder,
  resolveScanToCatalog,
  returnQuote,
  taxOn,
  taxRuleFor,
  unreturnedEquipment,
  validateCatalog,
  validateSerial,
  validateTaxRules,
  type Assignment,
  type CatalogItem,
  type ExchangeContext,
  type FeeSchedule,
  type HandoverScan,
  type ItemCondition,
  type OrderLine,
  type PricedLine,
  type PricedOrder,
  type StockEntry,
  type TaxRule,
} from '../../shared/domain/equipment.js';
import {
  BRANCH,
  BUNDLES,
  CABLE_MODEM,
  CATALOG,
  COAX_CABLE,
  FEES,
  PHONE,
  ROUTER_AX1800,
  ROUTER_AX3000,
  ROUTER_AX6000,
  SET_TOP_BOX,
  STOCK,
  TAX_LEASES_TAXED,
  TAX_LEASES_UNTAXED,
  VOICE_MODEM,
} from '../fixtures/equipment-catalog.js';
import { gtinCheckDigit } from '../../shared/validators/gtin.js';

// ---------------------------------------------------------------------------------------------------
// helpers

const ACCOUNT = '1000042517';

const line = (sku: string, mode: OrderLine['mode'], quantity = 1): OrderLine => ({ sku, mode, quantity });

/** Router AX3000 bought 2025-03-01: 129.99 + 129.99 × 8.25 % = 10.724175 → 10.72 tax. */
const ROUTER_SOLD: Assignment = {
  sku: 'RTR-AX3000',
  serial: '3C7A8A100001',
  mode: 'buy',
  accountNumber: ACCOUNT,
  handedOverOn: '2025-03-01',
  pricePaidCents: 12_999,
  taxPaidCents: 1_072,
  leaseDepositCents: 0,
};

/** Phone bought 2025-03-01: 49.99 + 49.99 × 8.25 % = 4.124175 → 4.12 tax. 14-day window, 90-day warranty. */
const PHONE_SOLD: Assignment = {
  sku: 'PHN-DECT',
  serial: 'KX12345678',
  mode: 'buy',
  accountNumber: ACCOUNT,
  handedOverOn: '2025-03-01',
  pricePaidCents: 4_999,
  taxPaidCents: 412,
  leaseDepositCents: 0,
};

/** Router AX1800 bought 2025-03-01: 89.99 + 89.99 × 8.25 % = 7.424175 → 7.42 tax. */
const AX1800_SOLD: Assignment = {
  ...ROUTER_SOLD,
  sku: 'RTR-AX1800',
  serial: '3C7A8A200001',
  pricePaidCents: 8_999,
  taxPaidCents: 742,
};

/** One coax cable bought 2025-03-01: 6.00 + 0.50 tax (49.5¢ half-up). */
const COAX_SOLD: Assignment = {
  ...ROUTER_SOLD,
  sku: 'ACC-COAX6',
  serial: null,
  pricePaidCents: 600,
  taxPaidCents: 50,
};

/** Cable modem leased 2024-05-01: 14.99 a month (untaxed), 50.00 deposit. */
const MODEM_LEASED: Assignment = {
  sku: 'MDM-D31',
  serial: 'A4:2B:8C:01:EF:9D',
  mode: 'lease',
  accountNumber: ACCOUNT,
  handedOverOn: '2024-05-01',
  pricePaidCents: 0,
  taxPaidCents: 0,
  leaseDepositCents: 5_000,
  monthlyCents: 1_499,
};

/** Set-top box leased 2024-06-10: 9.99 + 9.99 × 8.25 % = 0.824175 → 0.82 = 10.81 a month (taxed), 75.00 deposit. */
const STB_LEASED: Assignment = {
  sku: 'STB-4K',
  serial: 'STB100200301',
  mode: 'lease',
  accountNumber: ACCOUNT,
  handedOverOn: '2024-06-10',
  pricePaidCents: 0,
  taxPaidCents: 0,
  leaseDepositCents: 7_500,
  monthlyCents: 1_081,
};

/** Voice modem leased 2025-02-01: 19.99 a month, 75.00 deposit. */
const VOICE_LEASED: Assignment = {
  ...MODEM_LEASED,
  sku: 'MDM-D31V',
  serial: 'A42B8C02AA01',
  handedOverOn: '2025-02-01',
  leaseDepositCents: 7_500,
  monthlyCents: 1_999,
};

const IN_SHOP = { accountNumber: ACCOUNT };

const EXCHANGE: ExchangeContext = {
  accountNumber: ACCOUNT,
  catalog: CATALOG,
  fees: FEES,
  taxRules: TAX_LEASES_UNTAXED,
};

const sumLines = (lines: { cents: number }[]): number => lines.reduce((s, l) => s + l.cents, 0);

// ---------------------------------------------------------------------------------------------------
// catalog, bundles and tax rules

describe('validateCatalog', () => {
  it('accepts the example catalog with its bundles', () => {
    expect(validateCatalog(CATALOG, BUNDLES)).toHaveLength(CATALOG.length);
  });

  it.each<[string, Partial<CatalogItem>, string, string]>([
    // 0 8 4 1 2 3 0 0 1 0 2 | 2: odd positions from the right ×3 → check digit is 1, not 2
    ['a UPC with a wrong check digit', { upc: '084123001022' }, 'catalog.0.upc', 'wrong check digit'],
    ['an 11-digit UPC', { upc: '08412300102' }, 'catalog.0.upc', '8, 12 or 13 digits'],
    [
      'neither a sale nor a lease price',
      { salePriceCents: null, leasePriceCents: null },
      'catalog.0.salePriceCents',
      'neither a sale price nor a lease price',
    ],
    [
      'a lease deposit on an item that is not leased',
      { leasePriceCents: null, leaseDepositCents: 2_000 },
      'catalog.0.leaseDepositCents',
      'has a lease deposit but is not leased',
    ],
    [
      'a serial pattern on a non-serialized item',
      { serialized: false },
      'catalog.0.serialPattern',
      'not serialized',
    ],
    [
      'a pattern that is not a regular expression',
      { serialPattern: '[0-9' },
      'catalog.0.serialPattern',
      'not a valid regular expression',
    ],
    ['a fractional price', { salePriceCents: 129.99 }, 'catalog.0.salePriceCents', 'whole cents'],
    ['a negative price', { salePriceCents: -1 }, 'catalog.0.salePriceCents', 'cannot be negative'],
    [
      'a restocking fee with 5 decimals',
      { restockingFeePercent: '15.12345' },
      'catalog.0.restockingFeePercent',
      'at most 4 decimals',
    ],
    [
      'a restocking fee over 100 %',
      { restockingFeePercent: '100.5' },
      'catalog.0.restockingFeePercent',
      'more than 100',
    ],
    [
      'a negative return window',
      { returnWindowDays: -1 },
      'catalog.0.returnWindowDays',
      'cannot be negative',
    ],
    ['an unknown category', { category: 'tablet' as CatalogItem['category'] }, 'catalog.0.category', ''],
  ])('refuses %s', (_name, change, field, message) => {
    const err = counterError(() => validateCatalog([{ ...ROUTER_AX3000, ...change }]));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.field).toBe(field);
    expect(err.message).toContain(message);
  });

  it('refuses a SKU twice', () => {
    const err = counterError(() => validateCatalog([ROUTER_AX3000, { ...ROUTER_AX1800, sku: 'RTR-AX3000' }]));
    expect(err.field).toBe('catalog.1.sku');
    expect(err.message).toBe('Two catalog items share the SKU RTR-AX3000: give each its own.');
  });

  it('refuses one barcode twice, even written once as UPC-A and once as EAN-13', () => {
    const err = counterError(() =>
      validateCatalog([ROUTER_AX3000, { ...ROUTER_AX1800, upc: '0084123001021' }]),
    );
    expect(err.field).toBe('catalog.1.upc');
    expect(err.message).toBe(
      'Wi-Fi 6 Router AX3000 and Wi-Fi 6 Router AX1800 share the barcode 0084123001021.',
    );
  });

  it('refuses a bundle with an unknown SKU and an item naming an unknown bundle', () => {
    const bad = [{ ...BUNDLES[0]!, includedSkus: ['MDM-NOPE'] }];
    expect(counterError(() => validateCatalog(CATALOG, bad)).field).toBe('bundles.0.includedSkus.0');
    const err = counterError(() => validateCatalog(CATALOG, [BUNDLES[0]!]));
    expect(err.message).toBe(
      'DOCSIS 3.1 Voice Modem goes with bundle BND-TRIPLE, which is not in the bundle list.',
    );
  });
});

describe('tax rules', () => {
  it('picks the rule in force on the day (effective-dated, both ends inclusive)', () => {
    expect(taxRuleFor(TAX_LEASES_UNTAXED, 'equipment', '2024-12-31').id).toBe('EQ-2024');
    expect(taxRuleFor(TAX_LEASES_UNTAXED, 'equipment', '2025-01-01').id).toBe('EQ-2025');
    const err = counterError(() => taxRuleFor(TAX_LEASES_UNTAXED, 'equipment', '2023-12-31'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe(
      'No tax rule for the tax class "equipment" is in force on 2023-12-31: ask a supervisor to set one up.',
    );
  });

  it('refuses overlapping rules of one class', () => {
    const open = { ...TAX_LEASES_UNTAXED[0]!, effectiveTo: null };
    const err = counterError(() => validateTaxRules([open, TAX_LEASES_UNTAXED[1]!]));
    expect(err.field).toBe('taxRules.1.effectiveFrom');
    expect(err.message).toBe(
      'Tax rules EQ-2024 and EQ-2025 for equipment are both in force from 2025-01-01: end EQ-2024 on 2024-12-31.',
    );
  });

  it.each<[string, Partial<TaxRule>, string]>([
    ['a % sign', { ratePercent: '8.25%' }, 'a percent such as "8.25"'],
    ['5 decimals', { ratePercent: '8.12345' }, 'at most 4 decimals'],
    ['a negative rate', { ratePercent: '-1' }, 'a percent such as'],
    ['a rate over 100 %', { ratePercent: '101' }, 'more than 100'],
    ['a number instead of text', { ratePercent: 8.25 as unknown as string }, 'written as text'],
    ['an end before the start', { effectiveTo: '2023-12-31' }, 'ends (2023-12-31) before it starts'],
    ['a date that does not exist', { effectiveFrom: '2024-02-30' }, 'real calendar date'],
  ])('refuses a rule with %s', (_name, change, message) => {
    const err = counterError(() => validateTaxRules([{ ...TAX_LEASES_TAXED[0]!, ...change }]));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain(message);
  });

  it.each([
    // 129.99 × 8.25 % = 10.724175 → 10.72
    [12_999, '8.25', 1_072],
    // 6.00 × 8.25 % = 0.495 → 0.50 (exactly half a cent: up)
    [600, '8.25', 50],
    // 0.07 × 8.25 % = 0.005775 → 0.01; 0.06 × 8.25 % = 0.00495 → 0.00
    [7, '8.25', 1],
    [6, '8.25', 0],
    // 100.00 × 7.1234 % = 7.1234 → 7.12; 1.00 × 0.0001 % = 0.000001 → 0
    [10_000, '7.1234', 712],
    [100, '0.0001', 0],
    // 19.99 × 100 % = 19.99
    [1_999, '100', 1_999],
  ])('taxOn(%i, %s %%) = %i', (cents, ratePercent, expected) => {
    expect(taxOn(cents, { ratePercent })).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------
// pricing

describe('priceOrder', () => {
  type Row = {
    name: string;
    lines: OrderLine[];
    rules: TaxRule[];
    asOf: string;
    /** What the row leaves out is zero. */
    totals: Partial<Omit<PricedOrder, 'lines' | 'taxRules'>>;
    lineChecks?: Partial<PricedLine>[];
  };

  /** A modem and 2 set-top boxes leased, a router, 2 coax cables and a phone bought. */
  const MIXED_ORDER = [
    line('MDM-D31', 'lease'),
    line('RTR-AX3000', 'buy'),
    line('STB-4K', 'lease', 2),
    line('ACC-COAX6', 'buy', 2),
    line('PHN-DECT', 'buy'),
  ];
  const ZERO: Omit<PricedOrder, 'lines' | 'taxRules'> = {
    subtotalCents: 0,
    taxCents: 0,
    depositCents: 0,
    dueNowCents: 0,
    newMonthlyCents: 0,
    newMonthlyTaxCents: 0,
  };

  const rows: Row[] = [
    {
      // 129.99 × 8.25 % = 10.724175 → 10.72; due 129.99 + 10.72 = 140.71
      name: 'router bought at 8.25 %',
      lines: [line('RTR-AX3000', 'buy')],
      rules: TAX_LEASES_UNTAXED,
      asOf: '2025-03-01',
      totals: { subtotalCents: 12_999, taxCents: 1_072, dueNowCents: 14_071 },
      lineChecks: [{ unitCents: 12_999, extendedCents: 12_999, taxCents: 1_072, taxRuleId: 'EQ-2025' }],
    },
    {
      // The 2024 rule (8 %): 129.99 × 8 % = 10.3992 → 10.40; due 140.39
      name: 'router bought in 2024 at 8 % (effective-dated rule)',
      lines: [line('RTR-AX3000', 'buy')],
      rules: TAX_LEASES_UNTAXED,
      asOf: '2024-12-31',
      totals: { subtotalCents: 12_999, taxCents: 1_040, dueNowCents: 14_039 },
      lineChecks: [{ taxRuleId: 'EQ-2024', ratePercent: '8' }],
    },
    {
      // 6.00 × 8.25 % = 0.495 → half-up → 0.50
      name: 'coax cable: half a cent rounds up',
      lines: [line('ACC-COAX6', 'buy')],
      rules: TAX_LEASES_UNTAXED,
      asOf: '2025-03-01',
      totals: { subtotalCents: 600, taxCents: 50, dueNowCents: 650 },
    },
    {
      // Two lines of one cable: each 0.495 → 0.50, tax 1.00 (the sum of the rounded lines) ...
      name: 'two coax lines: tax rounded per line, then summed',
      lines: [line('ACC-COAX6', 'buy'), line('ACC-COAX6', 'buy')],
      rules: TAX_LEASES_UNTAXED,
      asOf: '2025-03-01',
      totals: { subtotalCents: 1_200, taxCents: 100, dueNowCents: 1_300 },
      lineChecks: [{ taxCents: 50 }, { taxCents: 50 }],
    },
    {
      // ... while one line of 2: 12.00 × 8.25 % = 0.99 exactly
      name: 'one coax line of 2',
      lines: [line('ACC-COAX6', 'buy', 2)],
      rules: TAX_LEASES_UNTAXED,
      asOf: '2025-03-01',
      totals: { subtotalCents: 1_200, taxCents: 99, dueNowCents: 1_299 },
      // per unit: 12.00 → 6.00 + 6.00; tax 99¢ → 50¢ + 49¢ (the odd cent on the first unit)
      lineChecks: [
        {
          extendedCents: 1_200,
          units: [
            { priceCents: 600, taxCents: 50, depositCents: 0, monthlyCents: 0 },
            { priceCents: 600, taxCents: 49, depositCents: 0, monthlyCents: 0 },
          ],
        },
      ],
    },
    {
      // 18.00 × 8.25 % = 1.485 → 1.49
      name: 'coax × 3',
      lines: [line('ACC-COAX6', 'buy', 3)],
      rules: TAX_LEASES_UNTAXED,
      asOf: '2025-03-01',
      totals: { subtotalCents: 1_800, taxCents: 149, dueNowCents: 1_949 },
    },
    {
      // Lease: nothing sold now; the 50.00 deposit is due now; 14.99 a month, leases untaxed.
      name: 'modem lease with deposit, leases untaxed',
      lines: [line('MDM-D31', 'lease')],
      rules: TAX_LEASES_UNTAXED,
      asOf: '2025-03-01',
      totals: { depositCents: 5_000, dueNowCents: 5_000, newMonthlyCents: 1_499 },
      lineChecks: [
        { unitCents: 1_499, extendedCents: 0, taxCents: 0, depositCents: 5_000, monthlyCents: 1_499 },
      ],
    },
    {
      // Leases taxed: 14.99 × 8.25 % = 1.236675 → 1.24; 14.99 + 1.24 = 16.23 a month. The deposit is never taxed.
      name: 'modem lease with deposit, leases taxed',
      lines: [line('MDM-D31', 'lease')],
      rules: TAX_LEASES_TAXED,
      asOf: '2025-03-01',
      totals: { depositCents: 5_000, dueNowCents: 5_000, newMonthlyCents: 1_623, newMonthlyTaxCents: 124 },
    },
    {
      // Router leased, no deposit: 7.99 × 8.25 % = 0.659175 → 0.66; 8.65 a month; nothing due now.
      name: 'router lease without deposit, leases taxed',
      lines: [line('RTR-AX3000', 'lease')],
      rules: TAX_LEASES_TAXED,
      asOf: '2025-03-01',
      totals: { newMonthlyCents: 865, newMonthlyTaxCents: 66 },
    },
    {
      // 2 set-top boxes: 19.98 × 8.25 % = 1.64835 → 1.65; 19.98 + 1.65 = 21.63 a month (10.82 + 10.81 per
      // unit); deposit 2 × 75.00 = 150.00.
      name: 'two set-top boxes leased, leases taxed',
      lines: [line('STB-4K', 'lease', 2)],
      rules: TAX_LEASES_TAXED,
      asOf: '2025-03-01',
      totals: { depositCents: 15_000, dueNowCents: 15_000, newMonthlyCents: 2_163, newMonthlyTaxCents: 165 },
      lineChecks: [
        {
          units: [
            { priceCents: 0, taxCents: 0, depositCents: 7_500, monthlyCents: 1_082 },
            { priceCents: 0, taxCents: 0, depositCents: 7_500, monthlyCents: 1_081 },
          ],
        },
      ],
    },
    {
      // Mixed order, leases taxed at 8.25 %:
      //   modem lease      deposit  50.00   monthly 14.99 + 1.24 = 16.23
      //   router buy       129.99 + 10.72 (10.724175)
      //   2 STB lease      deposit 150.00   monthly 19.98 + 1.65 = 21.63
      //   2 coax buy        12.00 +  0.99
      //   phone buy         49.99 +  4.12 (4.124175)
      // subtotal 129.99 + 12.00 + 49.99 = 191.98; tax 10.72 + 0.99 + 4.12 = 15.83; deposits 200.00
      // due now 191.98 + 15.83 + 200.00 = 407.81; new monthly 16.23 + 21.63 = 37.86 (tax 1.24 + 1.65 = 2.89)
      name: 'mixed order, leases taxed',
      lines: MIXED_ORDER,
      rules: TAX_LEASES_TAXED,
      asOf: '2025-03-01',
      totals: {
        subtotalCents: 19_198,
        taxCents: 1_583,
        depositCents: 20_000,
        dueNowCents: 40_781,
        newMonthlyCents: 3_786,
        newMonthlyTaxCents: 289,
      },
      lineChecks: [
        { dueNowCents: 5_000, monthlyCents: 1_623 },
        { dueNowCents: 14_071 },
        { dueNowCents: 15_000, monthlyCents: 2_163 },
        { dueNowCents: 1_299 },
        { taxCents: 412, dueNowCents: 5_411 },
      ],
    },
    {
      // The same order with leases untaxed: due now unchanged (407.81); monthly 14.99 + 19.98 = 34.97.
      name: 'mixed order, leases untaxed',
      lines: MIXED_ORDER,
      rules: TAX_LEASES_UNTAXED,
      asOf: '2025-03-01',
      totals: {
        subtotalCents: 19_198,
        taxCents: 1_583,
        depositCents: 20_000,
        dueNowCents: 40_781,
        newMonthlyCents: 3_497,
      },
    },
  ];

  it.each(rows)('$name', (row) => {
    const order = priceOrder(row.lines, CATALOG, row.rules, row.asOf);
    expect(order).toMatchObject({ ...ZERO, ...row.totals });
    if (row.lineChecks) expect(order.lines).toMatchObject(row.lineChecks);
  });

  it('lists the tax rule used', () => {
    expect(priceOrder([line('MDM-D31', 'lease')], CATALOG, TAX_LEASES_TAXED, '2025-03-01').taxRules).toEqual([
      { taxClass: 'equipment', ruleId: 'EQT-2024', ratePercent: '8.25', leaseTaxed: true },
    ]);
  });

  it('allows several units of a serialized item on one line', () => {
    expect(
      priceOrder([line('MDM-D31', 'lease', 3)], CATALOG, TAX_LEASES_UNTAXED, '2025-03-01'),
    ).toMatchObject({
      depositCents: 15_000,
      newMonthlyCents: 4_497,
    });
  });

  it.each<[string, unknown[], string, string, string]>([
    [
      'an unknown SKU',
      [line('NOPE-1', 'buy')],
      'NOT_FOUND',
      'lines.0.sku',
      'No catalog item has the SKU NOPE-1: scan the box barcode or search the catalog.',
    ],
    [
      'leasing a phone sold only',
      [line('PHN-DECT', 'lease')],
      'INVALID_INPUT',
      'lines.0.mode',
      'The DECT Cordless Phone is sold only: it cannot be leased.',
    ],
    [
      'buying a modem leased only',
      [line('MDM-D31', 'buy')],
      'INVALID_INPUT',
      'lines.0.mode',
      'The DOCSIS 3.1 Cable Modem is leased only: it cannot be bought.',
    ],
    [
      'quantity 0',
      [line('RTR-AX3000', 'buy', 0)],
      'INVALID_INPUT',
      'lines.0.quantity',
      'The quantity must be at least 1.',
    ],
    [
      'a negative quantity',
      [line('RTR-AX3000', 'buy', -1)],
      'INVALID_INPUT',
      'lines.0.quantity',
      'The quantity must be at least 1.',
    ],
    [
      'a fractional quantity of a serialized item',
      [line('MDM-D31', 'lease', 1.5)],
      'INVALID_INPUT',
      'lines.0.quantity',
      'The quantity must be a whole number of units.',
    ],
    [
      'a fractional quantity of an accessory',
      [line('ACC-COAX6', 'buy', 0.5)],
      'INVALID_INPUT',
      'lines.0.quantity',
      'The quantity must be a whole number of units.',
    ],
    [
      '100 units',
      [line('ACC-COAX6', 'buy', 100)],
      'INVALID_INPUT',
      'lines.0.quantity',
      'At most 99 units on one line.',
    ],
    [
      'a quantity typed as text',
      [{ sku: 'ACC-COAX6', mode: 'buy', quantity: '2' }],
      'INVALID_INPUT',
      'lines.0.quantity',
      'The quantity must be a number of units.',
    ],
    [
      'an unknown mode',
      [{ sku: 'ACC-COAX6', mode: 'rent', quantity: 1 }],
      'INVALID_INPUT',
      'lines.0.mode',
      'Choose buy or lease.',
    ],
    ['no lines', [], 'INVALID_INPUT', 'lines', 'Add an item to the order.'],
    [
      'a bad second line',
      [line('ACC-COAX6', 'buy'), line('PHN-DECT', 'lease')],
      'INVALID_INPUT',
      'lines.1.mode',
      'The DECT Cordless Phone is sold only: it cannot be leased.',
    ],
  ])('refuses %s', (_name, lines, code, field, message) => {
    const err = counterError(() =>
      priceOrder(lines as OrderLine[], CATALOG, TAX_LEASES_UNTAXED, '2025-03-01'),
    );
    expect({ code: err.code, field: err.field, message: err.message }).toEqual({ code, field, message });
  });

  it('refuses a day with no tax rule and a date that does not exist', () => {
    const none = counterError(() =>
      priceOrder([line('RTR-AX3000', 'buy')], CATALOG, TAX_LEASES_UNTAXED, '2023-06-01'),
    );
    expect({ code: none.code, field: none.field }).toEqual({ code: 'NOT_FOUND', field: 'lines.0.sku' });
    const bad = counterError(() =>
      priceOrder([line('RTR-AX3000', 'buy')], CATALOG, TAX_LEASES_UNTAXED, '2025-02-29'),
    );
    expect(bad.field).toBe('asOf');
  });
});

// ---------------------------------------------------------------------------------------------------
// serials

describe('normalizeSerial / formatMac', () => {
  it.each([
    ['a4:2b:8c:01:ef:9d', 'A42B8C01EF9D'],
    ['A4:2B:8C:01:EF:9D', 'A42B8C01EF9D'],
    ['a4-2b-8c-01-ef-9d', 'A42B8C01EF9D'],
    ['a42b.8c01.ef9d', 'A42B8C01EF9D'],
    ['A42B8C01EF9D', 'A42B8C01EF9D'],
    ['a42b8c01ef9d\r\n', 'A42B8C01EF9D'],
    [' A4:2B:8C:01:EF:9D ', 'A42B8C01EF9D'],
    // mixed separators: not a MAC, left as scanned (upper case) so it fails a MAC pattern
    ['A4:2B-8C:01:EF:9D', 'A4:2B-8C:01:EF:9D'],
    // too short for a MAC
    ['A4:2B:8C:01:EF', 'A4:2B:8C:01:EF'],
    ['stb100200301', 'STB100200301'],
    ['kx 1234 5678', 'KX12345678'],
    ['SN-2024/0042', 'SN-2024/0042'],
    ['', ''],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeSerial(raw)).toBe(expected);
    expect(normalizeSerial(expected)).toBe(expected);
  });

  it('prints a MAC with colons and anything else unchanged', () => {
    expect(formatMac('a4-2b-8c-01-ef-9d')).toBe('A4:2B:8C:01:EF:9D');
    expect(formatMac('STB100200301')).toBe('STB100200301');
  });

  it('masks all but the last 4 characters of an account number', () => {
    expect(maskAccount('1000042517')).toBe('******2517');
    expect(maskAccount('1234')).toBe('***4');
  });
});

describe('validateSerial', () => {
  const GENERIC: CatalogItem = { ...PHONE, sku: 'PHN-X', upc: '084123001069', serialPattern: null };

  it.each<[string, CatalogItem, string, string]>([
    ['a MAC with colons', CABLE_MODEM, 'a4:2b:8c:01:ef:9d', 'A42B8C01EF9D'],
    ['a MAC with dashes', CABLE_MODEM, 'A4-2B-8C-01-EF-9D', 'A42B8C01EF9D'],
    ['a MAC in dotted form', CABLE_MODEM, 'a42b.8c01.ef9d', 'A42B8C01EF9D'],
    ['a bare MAC', CABLE_MODEM, 'a42b8c01ef9d', 'A42B8C01EF9D'],
    ['a vendor serial in lower case', SET_TOP_BOX, 'stb100200301', 'STB100200301'],
    ['a vendor serial typed with spaces', PHONE, 'kx 1234 5678', 'KX12345678'],
    ['any serial shape when the item has no pattern', GENERIC, 'sn-2024/0042', 'SN-2024/0042'],
  ])('accepts %s', (_name, item, serial, expected) => {
    expect(validateSerial(item, serial)).toBe(expected);
  });

  it.each<[string, CatalogItem, string, string]>([
    [
      'a set-top box serial for a modem',
      CABLE_MODEM,
      'STB100200301',
      'STB100200301 is not a DOCSIS 3.1 Cable Modem serial number: scan the S/N or MAC label of the DOCSIS 3.1 Cable Modem.',
    ],
    [
      'a MAC with mixed separators',
      CABLE_MODEM,
      'A4:2B-8C:01:EF:9D',
      'A4:2B-8C:01:EF:9D is not a DOCSIS 3.1 Cable Modem serial number: scan the S/N or MAC label of the DOCSIS 3.1 Cable Modem.',
    ],
    [
      'a phone serial one digit short',
      PHONE,
      'KX1234567',
      'KX1234567 is not a DECT Cordless Phone serial number: scan the S/N or MAC label of the DECT Cordless Phone.',
    ],
    // the modem's UPC is 12 digits, all hex: it would pass the MAC pattern, so it is caught first
    [
      'the product barcode instead of the serial',
      CABLE_MODEM,
      '084123001014',
      'That is the product barcode of the DOCSIS 3.1 Cable Modem, not its serial: scan the S/N or MAC label.',
    ],
    [
      'an empty scan',
      CABLE_MODEM,
      '  ',
      'Scan the serial number (S/N or MAC) of the DOCSIS 3.1 Cable Modem.',
    ],
    [
      'a serial for an item without one',
      COAX_CABLE,
      'COAX1234',
      'The Coax Cable 6 ft has no serial number: there is nothing to scan.',
    ],
    [
      'a 3-character serial when the item has no pattern',
      GENERIC,
      'A1B',
      'A1B is not a DECT Cordless Phone serial number: scan the S/N or MAC label of the DECT Cordless Phone.',
    ],
  ])('refuses %s', (_name, item, serial, message) => {
    const err = counterError(() => validateSerial(item, serial));
    expect({ code: err.code, field: err.field, message: err.message }).toEqual({
      code: 'INVALID_INPUT',
      field: 'serial',
      message,
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// handover

describe('checkHandover', () => {
  const handover = (lines: OrderLine[], scans: HandoverScan[], stock: StockEntry[] = STOCK) =>
    checkHandover(lines, scans, stock, BRANCH, CATALOG);

  it('assigns a serial to every serialized unit, in scan order, and none to accessories', () => {
    const { units } = handover(
      [
        line('MDM-D31', 'lease'),
        line('RTR-AX3000', 'buy'),
        line('ACC-COAX6', 'buy', 2),
        line('STB-4K', 'lease', 2),
      ],
      [
        { lineIndex: 3, serial: 'STB100200302' },
        { lineIndex: 0, serial: 'a4-2b-8c-01-ef-9d' }, // stock lists it as A4:2B:8C:01:EF:9D
        { lineIndex: 1, serial: '3c7a.8a10.0001' },
        { lineIndex: 3, serial: 'stb100200301\r\n' },
      ],
    );
    expect(units.map((u) => [u.lineIndex, u.unitIndex, u.sku, u.mode, u.serial])).toEqual([
      [0, 0, 'MDM-D31', 'lease', 'A42B8C01EF9D'],
      [1, 0, 'RTR-AX3000', 'buy', '3C7A8A100001'],
      [2, 0, 'ACC-COAX6', 'buy', null],
      [2, 1, 'ACC-COAX6', 'buy', null],
      [3, 0, 'STB-4K', 'lease', 'STB100200302'],
      [3, 1, 'STB-4K', 'lease', 'STB100200301'],
    ]);
  });

  it('accepts an order of accessories only, with no scans', () => {
    expect(handover([line('ACC-COAX6', 'buy', 3)], []).units).toHaveLength(3);
  });

  type ErrRow = [string, OrderLine[], HandoverScan[], string, string, string];
  const modem = [line('MDM-D31', 'lease')];
  const rows: ErrRow[] = [
    [
      'an unknown serial',
      modem,
      [{ lineIndex: 0, serial: 'A42B8C01FFFF' }],
      'NOT_FOUND',
      'scans.0.serial',
      'Serial A42B8C01FFFF is not in our stock records: check the S/N or MAC label and scan again, or ask a supervisor to receive the unit.',
    ],
    [
      'an unknown serial that is not even shaped like one',
      modem,
      [{ lineIndex: 0, serial: 'HELLO' }],
      'INVALID_INPUT',
      'scans.0.serial',
      'HELLO is not a DOCSIS 3.1 Cable Modem serial number: scan the S/N or MAC label of the DOCSIS 3.1 Cable Modem.',
    ],
    [
      'a serial already assigned (account masked)',
      modem,
      [{ lineIndex: 0, serial: 'A42B8C01EFA1' }],
      'CONFLICT',
      'scans.0.serial',
      'Serial A42B8C01EFA1 is already assigned to account ******7731: take another unit.',
    ],
    [
      'a serial of another SKU',
      modem,
      [{ lineIndex: 0, serial: '3C7A8A100002' }],
      'INVALID_INPUT',
      'scans.0.serial',
      'That serial is a Wi-Fi 6 Router AX3000, the line is a DOCSIS 3.1 Cable Modem: scan the DOCSIS 3.1 Cable Modem.',
    ],
    [
      "another branch's stock",
      modem,
      [{ lineIndex: 0, serial: 'A42B8C01EFA2' }],
      'INVALID_INPUT',
      'scans.0.serial',
      'Serial A42B8C01EFA2 is stock of branch EAST, not of MAIN: it cannot be handed over here.',
    ],
    [
      'a defective unit',
      modem,
      [{ lineIndex: 0, serial: 'A42B8C01EFA3' }],
      'INVALID_INPUT',
      'scans.0.serial',
      'Serial A42B8C01EFA3 is marked defective: set it aside and take another unit.',
    ],
    [
      'a returned unit not back in stock',
      modem,
      [{ lineIndex: 0, serial: 'A42B8C01EFA4' }],
      'INVALID_INPUT',
      'scans.0.serial',
      'Serial A42B8C01EFA4 was returned and is not back in stock yet: take another unit.',
    ],
    [
      'the same serial twice on one line (written two ways)',
      [line('MDM-D31', 'lease', 2)],
      [
        { lineIndex: 0, serial: 'A42B8C01EF9D' },
        { lineIndex: 0, serial: 'a4:2b:8c:01:ef:9d' },
      ],
      'INVALID_INPUT',
      'scans.1.serial',
      'Serial A42B8C01EF9D was already scanned in this order (line 1): each unit needs its own serial.',
    ],
    [
      'the same serial on two lines',
      [line('MDM-D31', 'lease'), line('MDM-D31', 'lease')],
      [
        { lineIndex: 0, serial: 'A42B8C01EF9D' },
        { lineIndex: 1, serial: 'A42B8C01EF9D' },
      ],
      'INVALID_INPUT',
      'scans.1.serial',
      'Serial A42B8C01EF9D was already scanned in this order (line 1): each unit needs its own serial.',
    ],
    [
      'a serial for an item that has none',
      [line('ACC-COAX6', 'buy')],
      [{ lineIndex: 0, serial: 'coax1234' }],
      'INVALID_INPUT',
      'scans.0.serial',
      'The Coax Cable 6 ft (line 1) has no serial number: remove the scan COAX1234.',
    ],
    [
      'the product barcode scanned instead of the serial',
      [line('PHN-DECT', 'buy')],
      [{ lineIndex: 0, serial: '4006381333931' }],
      'INVALID_INPUT',
      'scans.0.serial',
      'That is the product barcode of the DECT Cordless Phone, not its serial: scan the S/N or MAC label.',
    ],
    [
      'fewer serials than units',
      [line('STB-4K', 'lease', 2)],
      [{ lineIndex: 0, serial: 'STB100200301' }],
      'INVALID_INPUT',
      'lines.0',
      'Line 1 (2 × 4K Set-Top Box) needs 2 serials: 1 scanned, scan 1 more.',
    ],
    [
      'no serial at all',
      modem,
      [],
      'INVALID_INPUT',
      'lines.0',
      'Line 1 (1 × DOCSIS 3.1 Cable Modem) needs 1 serial: 0 scanned, scan 1 more.',
    ],
    [
      'more serials than units',
      modem,
      [
        { lineIndex: 0, serial: 'A42B8C01EF9D' },
        { lineIndex: 0, serial: 'A42B8C01EFA0' },
      ],
      'INVALID_INPUT',
      'lines.0',
      'Line 1 (1 × DOCSIS 3.1 Cable Modem) has 2 serials for 1 unit: remove 1.',
    ],
    [
      'a scan for a line the order does not have',
      modem,
      [
        { lineIndex: 0, serial: 'A42B8C01EF9D' },
        { lineIndex: 5, serial: 'A42B8C01EFA0' },
      ],
      'INVALID_INPUT',
      'scans.1.lineIndex',
      'The order has no line 6.',
    ],
  ];

  it.each(rows)('refuses %s', (_name, lines, scans, code, field, message) => {
    const err = counterError(() => handover(lines, scans));
    expect({ code: err.code, field: err.field, message: err.message }).toEqual({ code, field, message });
  });

  it('reports every problem in details, the first as the message', () => {
    const err = counterError(() =>
      handover(
        [line('MDM-D31', 'lease', 2), line('ACC-COAX6', 'buy')],
        [
          { lineIndex: 0, serial: 'A42B8C01EFA1' },
          { lineIndex: 0, serial: '3C7A8A100002' },
          { lineIndex: 1, serial: 'X1234567' },
        ],
      ),
    );
    expect(err.code).toBe('CONFLICT');
    expect(err.details?.map((d) => d.field)).toEqual(['scans.0.serial', 'scans.1.serial', 'scans.2.serial']);
  });

  it('says "another account" when the stock does not record which', () => {
    const stock: StockEntry[] = [
      { serial: 'A42B8C01EFB0', sku: 'MDM-D31', branch: 'MAIN', status: 'assigned', accountNumber: null },
    ];
    const err = counterError(() => handover(modem, [{ lineIndex: 0, serial: 'A42B8C01EFB0' }], stock));
    expect(err.message).toBe(
      'Serial A42B8C01EFB0 is already assigned to another account: take another unit.',
    );
  });

  it('matches the line SKU when two vendors use the same serial', () => {
    const stock: StockEntry[] = [
      { serial: 'KX12345678', sku: 'RTR-AX1800', branch: 'EAST', status: 'assigned', accountNumber: '1' },
      { serial: 'KX12345678', sku: 'PHN-DECT', branch: 'MAIN', status: 'in_stock', accountNumber: null },
    ];
    expect(
      handover([line('PHN-DECT', 'buy')], [{ lineIndex: 0, serial: 'kx12345678' }], stock).units[0]?.serial,
    ).toBe('KX12345678');
  });
});

// ---------------------------------------------------------------------------------------------------
// returns

describe('returnQuote', () => {
  type Row = {
    name: string;
    assignment: Assignment;
    condition: ItemCondition;
    returnedOn: string;
    override?: boolean;
    /** What the row leaves out is zero, false or none (ZERO below). */
    expected: Partial<typeof ZERO>;
    lines: [string, number][];
    reason?: string;
  };

  const ZERO = {
    refundCents: 0,
    refundIfApprovedCents: 0,
    restockingFeeCents: 0,
    depositReleaseCents: 0,
    feeCents: 0,
    stopMonthlyCents: 0,
    netCents: 0,
    withinWindow: false,
    needsSupervisor: false,
    returnWindowEndsOn: null as string | null,
  };

  const rows: Row[] = [
    {
      // Day 12 of 30. Restocking 15 % of 129.99 = 19.4985 → 19.50. Refund 129.99 + 10.72 − 19.50 = 121.21.
      name: 'router sale within the window: price + tax − 15 % restocking',
      assignment: ROUTER_SOLD,
      condition: 'good',
      returnedOn: '2025-03-13',
      expected: {
        refundCents: 12_121,
        refundIfApprovedCents: 12_121,
        restockingFeeCents: 1_950,
        netCents: 12_121,
        withinWindow: true,
        returnWindowEndsOn: '2025-03-31',
      },
      lines: [
        ['refund_price', 12_999],
        ['refund_tax', 1_072],
        ['restocking_fee', -1_950],
      ],
      reason:
        'Returned on day 12 of the 30-day return window (last day 2025-03-31): refund of the price and tax less the 15 % restocking fee ($19.50).',
    },
    {
      // 2025-03-01 + 30 days = 2025-03-31: the last day still counts.
      name: 'router sale on the last day of the window',
      assignment: ROUTER_SOLD,
      condition: 'good',
      returnedOn: '2025-03-31',
      expected: {
        refundCents: 12_121,
        refundIfApprovedCents: 12_121,
        restockingFeeCents: 1_950,
        netCents: 12_121,
        withinWindow: true,
        returnWindowEndsOn: '2025-03-31',
      },
      lines: [
        ['refund_price', 12_999],
        ['refund_tax', 1_072],
        ['restocking_fee', -1_950],
      ],
    },
    {
      // Day 31: no refund without a supervisor; the quote says what one could approve.
      name: 'router sale the day after the window, no supervisor',
      assignment: ROUTER_SOLD,
      condition: 'good',
      returnedOn: '2025-04-01',
      expected: { refundIfApprovedCents: 12_121, needsSupervisor: true, returnWindowEndsOn: '2025-03-31' },
      lines: [],
      reason:
        "The 30-day return window ended on 2025-03-31: a refund ($121.21) needs a supervisor's approval.",
    },
    {
      name: 'router sale after the window with a supervisor override',
      assignment: ROUTER_SOLD,
      condition: 'good',
      returnedOn: '2025-05-20',
      override: true,
      expected: {
        refundCents: 12_121,
        refundIfApprovedCents: 12_121,
        restockingFeeCents: 1_950,
        netCents: 12_121,
        needsSupervisor: true,
        returnWindowEndsOn: '2025-03-31',
      },
      lines: [
        ['refund_price', 12_999],
        ['refund_tax', 1_072],
        ['restocking_fee', -1_950],
      ],
      reason:
        'Returned after the 30-day return window (ended 2025-03-31); a supervisor approved the refund of the price and tax less the 15 % restocking fee ($19.50).',
    },
    {
      // Refund 121.21 as above; damaged-router fee 35.00 on its own line; net 121.21 − 35.00 = 86.21.
      name: 'router sale returned damaged',
      assignment: ROUTER_SOLD,
      condition: 'damaged',
      returnedOn: '2025-03-13',
      expected: {
        refundCents: 12_121,
        refundIfApprovedCents: 12_121,
        restockingFeeCents: 1_950,
        feeCents: 3_500,
        netCents: 8_621,
        withinWindow: true,
        returnWindowEndsOn: '2025-03-31',
      },
      lines: [
        ['refund_price', 12_999],
        ['refund_tax', 1_072],
        ['restocking_fee', -1_950],
        ['damaged_fee', -3_500],
      ],
    },
    {
      // No restocking percent on the item: the schedule's 10 % for phones. 49.99 × 10 % = 4.999 → 5.00.
      // Window 14 days: 2025-03-01 + 14 = 2025-03-15. Refund 49.99 + 4.12 − 5.00 = 49.11.
      name: 'phone sale on the last day of its 14-day window: category restocking 10 %',
      assignment: PHONE_SOLD,
      condition: 'good',
      returnedOn: '2025-03-15',
      expected: {
        refundCents: 4_911,
        refundIfApprovedCents: 4_911,
        restockingFeeCents: 500,
        netCents: 4_911,
        withinWindow: true,
        returnWindowEndsOn: '2025-03-15',
      },
      lines: [
        ['refund_price', 4_999],
        ['refund_tax', 412],
        ['restocking_fee', -500],
      ],
    },
    {
      // Missing parts on a phone: 10.00. Net 49.11 − 10.00 = 39.11.
      name: 'phone sale returned with parts missing',
      assignment: PHONE_SOLD,
      condition: 'missing_parts',
      returnedOn: '2025-03-05',
      expected: {
        refundCents: 4_911,
        refundIfApprovedCents: 4_911,
        restockingFeeCents: 500,
        feeCents: 1_000,
        netCents: 3_911,
        withinWindow: true,
        returnWindowEndsOn: '2025-03-15',
      },
      lines: [
        ['refund_price', 4_999],
        ['refund_tax', 412],
        ['restocking_fee', -500],
        ['missing_parts_fee', -1_000],
      ],
    },
    {
      // Router category 10 % (the AX1800 has none of its own): 89.99 × 10 % = 8.999 → 9.00;
      // refund 89.99 + 7.42 − 9.00 = 88.41.
      name: 'cheaper router: category restocking applies',
      assignment: AX1800_SOLD,
      condition: 'good',
      returnedOn: '2025-03-02',
      expected: {
        refundCents: 8_841,
        refundIfApprovedCents: 8_841,
        restockingFeeCents: 900,
        netCents: 8_841,
        withinWindow: true,
        returnWindowEndsOn: '2025-03-31',
      },
      lines: [
        ['refund_price', 8_999],
        ['refund_tax', 742],
        ['restocking_fee', -900],
      ],
    },
    {
      // No restocking fee set for accessories anywhere: full refund 6.00 + 0.50.
      name: 'coax cable: no restocking fee set',
      assignment: COAX_SOLD,
      condition: 'good',
      returnedOn: '2025-03-02',
      expected: {
        refundCents: 650,
        refundIfApprovedCents: 650,
        netCents: 650,
        withinWindow: true,
        returnWindowEndsOn: '2025-03-31',
      },
      lines: [
        ['refund_price', 600],
        ['refund_tax', 50],
      ],
    },
    {
      // Lease: no window; the 14.99 monthly charge stops and the 50.00 deposit is released.
      name: 'leased modem returned in good condition',
      assignment: MODEM_LEASED,
      condition: 'good',
      returnedOn: '2025-06-30',
      expected: { depositReleaseCents: 5_000, stopMonthlyCents: 1_499, netCents: 5_000, withinWindow: true },
      lines: [['deposit_release', 5_000]],
      reason:
        'Leased modem returned: the $14.99 monthly charge stops and the $50.00 equipment deposit is released.',
    },
    {
      // Deposit 75.00 released, damaged set-top box 45.00 charged: net 30.00 to the customer.
      name: 'leased set-top box returned damaged',
      assignment: STB_LEASED,
      condition: 'damaged',
      returnedOn: '2025-01-15',
      expected: {
        depositReleaseCents: 7_500,
        feeCents: 4_500,
        stopMonthlyCents: 1_081,
        netCents: 3_000,
        withinWindow: true,
      },
      lines: [
        ['deposit_release', 7_500],
        ['damaged_fee', -4_500],
      ],
      reason:
        'Leased set-top box returned: the $10.81 monthly charge stops and the $75.00 equipment deposit is released. Returned damaged: $45.00 damaged-equipment fee.',
    },
    {
      // Deposit 50.00 released, missing parts on a modem 15.00: net 35.00.
      name: 'leased modem returned with parts missing',
      assignment: MODEM_LEASED,
      condition: 'missing_parts',
      returnedOn: '2024-05-02',
      expected: {
        depositReleaseCents: 5_000,
        feeCents: 1_500,
        stopMonthlyCents: 1_499,
        netCents: 3_500,
        withinWindow: true,
      },
      lines: [
        ['deposit_release', 5_000],
        ['missing_parts_fee', -1_500],
      ],
    },
  ];

  it.each(rows)('$name', (row) => {
    const quote = returnQuote(row.assignment, row.condition, row.returnedOn, CATALOG, FEES, {
      accountNumber: ACCOUNT,
      supervisorOverride: row.override ?? false,
    });
    expect(quote).toMatchObject({ ...ZERO, ...row.expected });
    expect(quote.lines.map((l) => [l.kind, l.cents])).toEqual(row.lines);
    expect(sumLines(quote.lines)).toBe(quote.netCents);
    if (row.reason) expect(quote.reason).toBe(row.reason);
  });

  it('names the unit and its normalized serial', () => {
    expect(returnQuote(MODEM_LEASED, 'good', '2025-01-01', CATALOG, FEES, IN_SHOP)).toMatchObject({
      sku: 'MDM-D31',
      name: 'DOCSIS 3.1 Cable Modem',
      serial: 'A42B8C01EF9D',
      daysSinceHandover: 245,
    });
  });

  it.each<[string, () => unknown, string, string, string]>([
    [
      'equipment that is not on this account',
      () => returnQuote(ROUTER_SOLD, 'good', '2025-03-13', CATALOG, FEES, { accountNumber: '1000099999' }),
      'INVALID_INPUT',
      'serial',
      'The Wi-Fi 6 Router AX3000 (serial 3C7A8A100001) is not on account ******9999: we can only take back equipment from the account it was handed over to.',
    ],
    [
      'a unit already returned',
      () =>
        returnQuote(
          { ...MODEM_LEASED, returnedOn: '2024-12-01' },
          'good',
          '2025-01-01',
          CATALOG,
          FEES,
          IN_SHOP,
        ),
      'CONFLICT',
      'serial',
      'The DOCSIS 3.1 Cable Modem (serial A42B8C01EF9D) was already returned on 2024-12-01.',
    ],
    [
      'a return dated before the handover',
      () => returnQuote(ROUTER_SOLD, 'good', '2025-02-28', CATALOG, FEES, IN_SHOP),
      'INVALID_INPUT',
      'returnedOn',
      'The return date 2025-02-28 is before the Wi-Fi 6 Router AX3000 (serial 3C7A8A100001) was handed over (2025-03-01).',
    ],
    [
      'a condition that is not on the list',
      () => returnQuote(ROUTER_SOLD, 'broken' as ItemCondition, '2025-03-13', CATALOG, FEES, IN_SHOP),
      'INVALID_INPUT',
      'condition',
      'Record the condition: good, damaged or missing parts.',
    ],
    [
      'a lease with no monthly charge on record',
      () =>
        returnQuote(
          { ...MODEM_LEASED, monthlyCents: undefined },
          'good',
          '2025-01-01',
          CATALOG,
          FEES,
          IN_SHOP,
        ),
      'INVALID_INPUT',
      'assignment.monthlyCents',
      'A leased unit needs the monthly charge billed for it.',
    ],
    [
      'a unit whose SKU left the catalog',
      () => returnQuote({ ...ROUTER_SOLD, sku: 'RTR-OLD' }, 'good', '2025-03-13', CATALOG, FEES, IN_SHOP),
      'NOT_FOUND',
      'assignment.sku',
      "The unit's SKU RTR-OLD is not in the catalog: ask a supervisor.",
    ],
    [
      'a damaged return when the schedule has no fee for the category',
      () =>
        returnQuote(
          ROUTER_SOLD,
          'damaged',
          '2025-03-13',
          CATALOG,
          { ...FEES, damagedCents: { modem: 4_000 } },
          IN_SHOP,
        ),
      'NOT_FOUND',
      'fees',
      'Fee schedule FEES-2025 has no damaged-equipment fee for routers: ask a supervisor to set one up.',
    ],
  ])('refuses %s', (_name, fn, code, field, message) => {
    const err = counterError(fn);
    expect({ code: err.code, field: err.field, message: err.message }).toEqual({ code, field, message });
  });

  it('a late return cannot be posted without a supervisor', () => {
    const late = returnQuote(ROUTER_SOLD, 'good', '2025-04-01', CATALOG, FEES, IN_SHOP);
    const err = counterError(() => assertSupervisorApproval(late, false));
    expect({ code: err.code, field: err.field, message: err.message }).toEqual({
      code: 'NEEDS_SUPERVISOR',
      field: 'supervisor',
      message:
        "The 30-day return window ended on 2025-03-31: a refund ($121.21) needs a supervisor's approval.",
    });
    expect(() => assertSupervisorApproval(late, true)).not.toThrow();
    const onTime = returnQuote(ROUTER_SOLD, 'good', '2025-03-02', CATALOG, FEES, IN_SHOP);
    expect(() => assertSupervisorApproval(onTime, false)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------
// exchanges

describe('exchangeQuote', () => {
  type Row = {
    name: string;
    old: Assignment;
    next: CatalogItem;
    condition: ItemCondition;
    date: string;
    ctx?: Partial<ExchangeContext>;
    expected: Record<string, unknown>;
    lines: [string, number][];
  };

  const rows: Row[] = [
    {
      // Warranty 365 days: to 2026-03-01. Same SKU, not damaged: no charge; the replacement keeps the
      // original figures and date.
      name: 'router under warranty, same SKU: no charge',
      old: ROUTER_SOLD,
      next: ROUTER_AX3000,
      condition: 'good',
      date: '2025-09-01',
      expected: {
        withinWarranty: true,
        covered: true,
        equivalent: true,
        noCharge: true,
        dueNowCents: 0,
        refundCents: 0,
        warrantyEndsOn: '2026-03-01',
        needsSupervisor: false,
        newUnit: {
          sku: 'RTR-AX3000',
          handedOverOn: '2025-03-01',
          pricePaidCents: 12_999,
          taxPaidCents: 1_072,
        },
      },
      lines: [['warranty_replacement', 0]],
    },
    {
      name: 'router on the last day of the warranty',
      old: ROUTER_SOLD,
      next: ROUTER_AX3000,
      condition: 'good',
      date: '2026-03-01',
      expected: { withinWarranty: true, noCharge: true, dueNowCents: 0 },
      lines: [['warranty_replacement', 0]],
    },
    {
      // Same category, 89.99 ≤ 129.99 paid: equivalent, no charge (no money back either).
      name: 'router under warranty for a cheaper router: equivalent, no charge',
      old: ROUTER_SOLD,
      next: ROUTER_AX1800,
      condition: 'good',
      date: '2025-09-01',
      expected: {
        equivalent: true,
        noCharge: true,
        dueNowCents: 0,
        refundCents: 0,
        newUnit: { sku: 'RTR-AX1800', pricePaidCents: 12_999, taxPaidCents: 1_072 },
      },
      lines: [['warranty_replacement', 0]],
    },
    {
      // Dearer router: 249.99 + 249.99 × 8.25 % (20.624175 → 20.62) = 270.61, less the credit
      // 129.99 + 10.72 = 140.71 → 129.90 due.
      name: 'router under warranty for a dearer router: the difference',
      old: ROUTER_SOLD,
      next: ROUTER_AX6000,
      condition: 'good',
      date: '2025-09-01',
      expected: {
        covered: true,
        equivalent: false,
        noCharge: false,
        creditCents: 14_071,
        newPriceCents: 24_999,
        newTaxCents: 2_062,
        dueNowCents: 12_990,
        refundCents: 0,
        newUnit: { handedOverOn: '2025-09-01', pricePaidCents: 24_999, taxPaidCents: 2_062 },
      },
      lines: [
        ['exchange_credit', 14_071],
        ['new_price', -24_999],
        ['new_tax', -2_062],
      ],
    },
    {
      // Warranty ended 2026-03-01: no credit; the replacement at full price 129.99 + 10.72 = 140.71.
      name: 'router the day after the warranty: full price',
      old: ROUTER_SOLD,
      next: ROUTER_AX3000,
      condition: 'good',
      date: '2026-03-02',
      expected: {
        withinWarranty: false,
        covered: false,
        noCharge: false,
        creditCents: 0,
        dueNowCents: 14_071,
        feeCents: 0,
        needsSupervisor: false,
      },
      lines: [
        ['new_price', -12_999],
        ['new_tax', -1_072],
      ],
    },
    {
      // Damage is not a defect: no credit, full price, and no damage fee (the customer keeps the old unit).
      name: 'damaged router under warranty: not covered, full price',
      old: ROUTER_SOLD,
      next: ROUTER_AX3000,
      condition: 'damaged',
      date: '2025-09-01',
      expected: { withinWarranty: true, covered: false, dueNowCents: 14_071, feeCents: 0 },
      lines: [
        ['new_price', -12_999],
        ['new_tax', -1_072],
      ],
    },
    {
      // A supervisor approves the exchange of the damaged unit: like-for-like, the damaged fee 35.00 only.
      name: 'damaged router with a supervisor override: damaged fee only',
      old: ROUTER_SOLD,
      next: ROUTER_AX3000,
      condition: 'damaged',
      date: '2025-09-01',
      ctx: { supervisorOverride: true },
      expected: { covered: true, noCharge: true, feeCents: 3_500, dueNowCents: 3_500, needsSupervisor: true },
      lines: [
        ['warranty_replacement', 0],
        ['damaged_fee', -3_500],
      ],
    },
    {
      name: 'router under warranty with parts missing: missing-parts fee only',
      old: ROUTER_SOLD,
      next: ROUTER_AX3000,
      condition: 'missing_parts',
      date: '2025-09-01',
      expected: { covered: true, noCharge: true, feeCents: 1_500, dueNowCents: 1_500 },
      lines: [
        ['warranty_replacement', 0],
        ['missing_parts_fee', -1_500],
      ],
    },
    {
      // Another category: credit 140.71 against the phone 49.99 + 4.12 = 54.11 → 86.60 refunded.
      name: 'router under warranty for a phone: the difference refunded',
      old: ROUTER_SOLD,
      next: PHONE,
      condition: 'good',
      date: '2025-09-01',
      expected: { equivalent: false, creditCents: 14_071, dueNowCents: 0, refundCents: 8_660 },
      lines: [
        ['exchange_credit', 14_071],
        ['new_price', -4_999],
        ['new_tax', -412],
      ],
    },
    {
      // Phone warranty 90 days: 2025-03-01 + 90 = 2025-05-30.
      name: 'phone on the last day of its 90-day warranty',
      old: PHONE_SOLD,
      next: PHONE,
      condition: 'good',
      date: '2025-05-30',
      expected: { warrantyEndsOn: '2025-05-30', noCharge: true, dueNowCents: 0 },
      lines: [['warranty_replacement', 0]],
    },
    {
      // Out of warranty: 49.99 + 4.12 = 54.11.
      name: 'phone the day after its warranty',
      old: PHONE_SOLD,
      next: PHONE,
      condition: 'good',
      date: '2025-05-31',
      expected: { withinWarranty: false, dueNowCents: 5_411 },
      lines: [
        ['new_price', -4_999],
        ['new_tax', -412],
      ],
    },
    {
      // Leased modem for the same modem: the deposit carries over, 14.99 a month stops and starts again.
      name: 'leased modem, same SKU: no charge',
      old: MODEM_LEASED,
      next: CABLE_MODEM,
      condition: 'good',
      date: '2026-09-01',
      expected: {
        noCharge: true,
        dueNowCents: 0,
        refundCents: 0,
        stopMonthlyCents: 1_499,
        newMonthlyCents: 1_499,
        warrantyEndsOn: null,
        newUnit: { mode: 'lease', leaseDepositCents: 5_000, monthlyCents: 1_499, handedOverOn: '2026-09-01' },
      },
      lines: [['warranty_replacement', 0]],
    },
    {
      // Leases taxed: the new monthly charge is 14.99 + 1.24 = 16.23.
      name: 'leased modem, same SKU, leases taxed',
      old: MODEM_LEASED,
      next: CABLE_MODEM,
      condition: 'good',
      date: '2025-09-01',
      ctx: { taxRules: TAX_LEASES_TAXED },
      expected: { dueNowCents: 0, newMonthlyCents: 1_623, noCharge: false },
      lines: [['warranty_replacement', 0]],
    },
    {
      // Voice modem: deposit 75.00 − 50.00 held = 25.00 due; 14.99 a month stops, 19.99 starts.
      name: 'leased modem for a voice modem: the deposit difference',
      old: MODEM_LEASED,
      next: VOICE_MODEM,
      condition: 'good',
      date: '2025-09-01',
      expected: {
        equivalent: true,
        depositDueCents: 2_500,
        depositReleaseCents: 0,
        dueNowCents: 2_500,
        stopMonthlyCents: 1_499,
        newMonthlyCents: 1_999,
      },
      lines: [['deposit_due', -2_500]],
    },
    {
      // The other way: 50.00 − 75.00 held → 25.00 released.
      name: 'leased voice modem for a cable modem: deposit difference released',
      old: VOICE_LEASED,
      next: CABLE_MODEM,
      condition: 'good',
      date: '2025-09-01',
      expected: { depositReleaseCents: 2_500, refundCents: 2_500, dueNowCents: 0 },
      lines: [['deposit_release', 2_500]],
    },
    {
      // A damaged leased set-top box is still replaced (it is ours), with the 45.00 damaged fee.
      name: 'leased set-top box returned damaged: damaged fee',
      old: STB_LEASED,
      next: SET_TOP_BOX,
      condition: 'damaged',
      date: '2025-09-01',
      expected: { feeCents: 4_500, dueNowCents: 4_500 },
      lines: [['damaged_fee', -4_500]],
    },
  ];

  it.each(rows)('$name', (row) => {
    const quote = exchangeQuote(row.old, row.next, row.condition, row.date, { ...EXCHANGE, ...row.ctx });
    expect(quote).toMatchObject(row.expected);
    expect(quote.lines.map((l) => [l.kind, l.cents])).toEqual(row.lines);
    expect(sumLines(quote.lines)).toBe(quote.refundCents - quote.dueNowCents);
  });

  it('explains the figures in words', () => {
    expect(exchangeQuote(ROUTER_SOLD, ROUTER_AX6000, 'good', '2025-09-01', EXCHANGE).reason).toBe(
      'Exchange within the warranty (to 2026-03-01): the Wi-Fi 6 Router AX3000 is credited $140.71 against the Wi-Fi 6 Router AX6000 ($270.61 with tax); $129.90 is due.',
    );
    expect(exchangeQuote(ROUTER_SOLD, ROUTER_AX3000, 'good', '2026-03-02', EXCHANGE).reason).toBe(
      'No credit for the Wi-Fi 6 Router AX3000: the warranty ended on 2026-03-01. The Wi-Fi 6 Router AX3000 is $140.71 with tax; $140.71 is due.',
    );
  });

  it.each<[string, () => unknown, string, string]>([
    [
      'a bought router for a modem leased only',
      () => exchangeQuote(ROUTER_SOLD, CABLE_MODEM, 'good', '2025-09-01', EXCHANGE),
      'newItem',
      'The DOCSIS 3.1 Cable Modem is leased only: a bought Wi-Fi 6 Router AX3000 can only be exchanged for equipment we sell.',
    ],
    [
      'a leased modem for a phone sold only',
      () => exchangeQuote(MODEM_LEASED, PHONE, 'good', '2025-09-01', EXCHANGE),
      'newItem',
      'The DECT Cordless Phone is sold only: a leased DOCSIS 3.1 Cable Modem can only be exchanged for leased equipment.',
    ],
    [
      'a unit from another account',
      () =>
        exchangeQuote(ROUTER_SOLD, ROUTER_AX3000, 'good', '2025-09-01', {
          ...EXCHANGE,
          accountNumber: '1000011110',
        }),
      'serial',
      'The Wi-Fi 6 Router AX3000 (serial 3C7A8A100001) is not on account ******1110: we can only take back equipment from the account it was handed over to.',
    ],
  ])('refuses %s', (_name, fn, field, message) => {
    const err = counterError(fn);
    expect({ field: err.field, message: err.message }).toEqual({ field, message });
  });
});

// ---------------------------------------------------------------------------------------------------
// unreturned equipment

describe('unreturnedEquipment', () => {
  const assignments: Assignment[] = [
    STB_LEASED, // 2024-06-10, not returned: category fee 120.00, deposit 75.00
    MODEM_LEASED, // 2024-05-01, not returned: SKU fee 150.00, deposit 50.00
    { ...STB_LEASED, serial: 'STB100200302', returnedOn: '2024-09-01' }, // back before asOf
    // leased router back only on 2025-02-01, after asOf: still out on 2025-01-15; category fee 100.00
    {
      ...ROUTER_SOLD,
      mode: 'lease',
      serial: '3C7A8A100002',
      handedOverOn: '2024-07-01',
      pricePaidCents: 0,
      taxPaidCents: 0,
      monthlyCents: 799,
      returnedOn: '2025-02-01',
    },
    ROUTER_SOLD, // sold: the customer's own
    VOICE_LEASED, // handed over 2025-02-01, after asOf
  ];

  it('lists leased units out on the day with their fees, oldest first', () => {
    // modem 2024-05-01 → 2025-01-15: 245 days to 2025-01-01 + 14 = 259
    // STB   2024-06-10 → 2025-01-15: 214 days to 2025-01-10 + 5  = 219
    // router 2024-07-01 → 2025-01-15: 184 days to 2025-01-01 + 14 = 198
    // fees 150.00 + 120.00 + 100.00 = 370.00; deposits 50.00 + 75.00 + 0 = 125.00; net 245.00
    const result = unreturnedEquipment(assignments, FEES, '2025-01-15', CATALOG);
    expect(
      result.units.map((u) => [u.sku, u.serial, u.daysOut, u.feeCents, u.feeBasis, u.depositHeldCents]),
    ).toEqual([
      ['MDM-D31', 'A42B8C01EF9D', 259, 15_000, 'sku', 5_000],
      ['STB-4K', 'STB100200301', 219, 12_000, 'category', 7_500],
      ['RTR-AX3000', '3C7A8A100002', 198, 10_000, 'category', 0],
    ]);
    expect(result).toMatchObject({
      totalFeeCents: 37_000,
      depositsHeldCents: 12_500,
      netAfterDepositsCents: 24_500,
    });
  });

  it('drops a unit returned on the day and adds one handed over on the day', () => {
    // asOf 2025-02-01: the router came back that day; the voice modem left that day (SKU fee 175.00,
    // deposit 75.00). Fees 150.00 + 120.00 + 175.00 = 445.00; deposits 50.00 + 75.00 + 75.00 = 200.00.
    const result = unreturnedEquipment(assignments, FEES, '2025-02-01', CATALOG);
    expect(result.units.map((u) => u.sku)).toEqual(['MDM-D31', 'STB-4K', 'MDM-D31V']);
    expect(result).toMatchObject({
      totalFeeCents: 44_500,
      depositsHeldCents: 20_000,
      netAfterDepositsCents: 24_500,
    });
  });

  it('is empty with zero totals when everything is back', () => {
    expect(unreturnedEquipment([ROUTER_SOLD], FEES, '2025-02-01', CATALOG)).toEqual({
      units: [],
      totalFeeCents: 0,
      depositsHeldCents: 0,
      netAfterDepositsCents: 0,
    });
  });

  it('refuses when the schedule has no fee for the unit', () => {
    const fees: FeeSchedule = { ...FEES, unreturned: { bySku: {}, byCategory: { modem: 12_500 } } };
    const err = counterError(() => unreturnedEquipment([STB_LEASED], fees, '2025-01-15', CATALOG));
    expect(err.message).toBe(
      'Fee schedule FEES-2025 has no unreturned-equipment fee for the 4K Set-Top Box or for set-top boxes: ask a supervisor to set one up.',
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// barcode routing

describe('resolveScanToCatalog', () => {
  it.each([
    ['084123001021', 'RTR-AX3000'], // UPC-A
    ['0084123001021', 'RTR-AX3000'], // the same UPC sent as EAN-13
    ['084123001014\r\n', 'MDM-D31'], // scanner suffix
    ['4006381333931', 'PHN-DECT'], // EAN-13
    ['96385074', 'ACC-COAX6'], // EAN-8
  ])('%j → %s', (code, sku) => {
    expect(resolveScanToCatalog(code, CATALOG).sku).toBe(sku);
  });

  it.each<[string, string, string]>([
    // 0 8 4 1 2 3 0 0 1 0 2 | 2 → the check digit must be 1
    [
      '084123001022',
      'INVALID_INPUT',
      'That product barcode did not scan correctly (check digit). Scan it again or type the SKU.',
    ],
    // 4 0 0 6 3 8 1 3 3 3 9 3 | 2 → must be 1
    [
      '4006381333932',
      'INVALID_INPUT',
      'That product barcode did not scan correctly (check digit). Scan it again or type the SKU.',
    ],
    // 9 6 3 8 5 0 7 | 5 → must be 4
    [
      '96385075',
      'INVALID_INPUT',
      'That product barcode did not scan correctly (check digit). Scan it again or type the SKU.',
    ],
    [
      '12345',
      'INVALID_INPUT',
      'A product barcode (UPC/EAN) has 8, 12 or 13 digits; 12345 has 5. Scan it again.',
    ],
    [
      'STB100200301',
      'INVALID_INPUT',
      '"STB100200301" is not a product barcode (UPC/EAN): scan the barcode printed under the product name.',
    ],
    ['', 'INVALID_INPUT', 'Scan a product barcode.'],
    // a valid UPC-A (check digit 2) that is not in the catalog
    [
      '036000291452',
      'NOT_FOUND',
      'No catalog item has the barcode 036000291452: search the catalog by name or SKU.',
    ],
  ])('refuses %j', (code, errCode, message) => {
    const err = counterError(() => resolveScanToCatalog(code, CATALOG));
    expect({ code: err.code, field: err.field, message: err.message }).toEqual({
      code: errCode,
      field: 'code',
      message,
    });
  });

  it('refuses every single-digit misread of every catalog barcode', () => {
    // GS1 weights 3 and 1 are coprime to 10: changing one digit always breaks the check digit.
    for (const { upc } of CATALOG) {
      for (let i = 0; i < upc.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === upc[i]) continue;
          const misread = upc.slice(0, i) + String(d) + upc.slice(i + 1);
          expect(counterError(() => resolveScanToCatalog(misread, CATALOG)).message, misread).toContain(
            'check digit',
          );
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// properties

/** A rate with up to 4 decimals from 0 to 100 %, as published text. */
const rateText = fc.integer({ min: 0, max: 1_000_000 }).map((n) => {
  const whole = Math.floor(n / 10_000);
  const frac = String(n % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${String(whole)}.${frac}` : String(whole);
});

const ratio = (text: string): { n: bigint; d: bigint } => {
  const [w = '0', f = ''] = text.split('.');
  return { n: BigInt(w + f), d: 10n ** BigInt(f.length) };
};

/** The example catalog with random prices and deposits (same SKUs, modes, categories). */
const randomCatalog = fc
  .array(
    fc.record({
      sale: fc.integer({ min: 0, max: 1_000_000 }),
      lease: fc.integer({ min: 0, max: 100_000 }),
      deposit: fc.integer({ min: 0, max: 100_000 }),
    }),
    { minLength: CATALOG.length, maxLength: CATALOG.length },
  )
  .map((prices) =>
    CATALOG.map((item, i) => {
      const p = prices[i] ?? { sale: 0, lease: 0, deposit: 0 };
      return {
        ...item,
        salePriceCents: item.salePriceCents === null ? null : p.sale,
        leasePriceCents: item.leasePriceCents === null ? null : p.lease,
        leaseDepositCents: item.leaseDepositCents === null ? null : p.deposit,
      };
    }),
  );

const asOfDay = fc
  .integer({ min: 0, max: 1_095 })
  .map((n) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10));

describe('properties', () => {
  it('order totals are the sums of the lines, units add up to their line, all whole cents', () => {
    fc.assert(
      fc.property(
        randomCatalog,
        fc.array(
          fc.record({
            i: fc.integer({ min: 0, max: CATALOG.length - 1 }),
            quantity: fc.integer({ min: 1, max: 99 }),
            lease: fc.boolean(),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        fc.constantFrom(TAX_LEASES_TAXED, TAX_LEASES_UNTAXED),
        asOfDay,
        (catalog, picks, rules, asOf) => {
          const lines = picks.map(({ i, quantity, lease }) => {
            const item = catalog[i]!;
            const mode =
              item.leasePriceCents !== null && (lease || item.salePriceCents === null) ? 'lease' : 'buy';
            return { sku: item.sku, mode, quantity } as OrderLine;
          });
          const order = priceOrder(lines, catalog, rules, asOf);
          const sum = (pick: (l: PricedLine) => number) => order.lines.reduce((s, l) => s + pick(l), 0);
          expect(order.subtotalCents).toBe(sum((l) => l.extendedCents));
          expect(order.taxCents).toBe(sum((l) => l.taxCents));
          expect(order.depositCents).toBe(sum((l) => l.depositCents));
          expect(order.dueNowCents).toBe(sum((l) => l.dueNowCents));
          expect(order.dueNowCents).toBe(order.subtotalCents + order.taxCents + order.depositCents);
          expect(order.newMonthlyCents).toBe(sum((l) => l.monthlyCents));
          expect(order.newMonthlyTaxCents).toBe(sum((l) => l.monthlyTaxCents));
          for (const l of order.lines) {
            expect(l.units).toHaveLength(l.quantity);
            expect(l.units.reduce((s, u) => s + u.priceCents, 0)).toBe(l.extendedCents);
            expect(l.units.reduce((s, u) => s + u.taxCents, 0)).toBe(l.taxCents);
            expect(l.units.reduce((s, u) => s + u.depositCents, 0)).toBe(l.depositCents);
            expect(l.units.reduce((s, u) => s + u.monthlyCents, 0)).toBe(l.monthlyCents);
            // the monthly tax: 8.25 % of the monthly charge, half-up, only where the rule taxes leases
            const before = BigInt(l.monthlyCents - l.monthlyTaxCents);
            const t = BigInt(l.monthlyTaxCents);
            if (l.mode === 'buy' || !rules[0]!.leaseTaxed) expect(l.monthlyTaxCents).toBe(0);
            else
              expect(
                20_000n * t - 10_000n <= 2n * before * 825n && 2n * before * 825n < 20_000n * t + 10_000n,
              ).toBe(true);
            for (const v of [l.extendedCents, l.taxCents, l.depositCents, l.monthlyCents, l.dueNowCents])
              expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tax is never negative, is each line × rate rounded half-up, and ≤ subtotal × max rate + ½¢ a line', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            price: fc.integer({ min: 0, max: 1_000_000 }),
            quantity: fc.integer({ min: 1, max: 99 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        rateText,
        (picks, ratePercent) => {
          const catalog = picks.map((p, i): CatalogItem => {
            const body = `0841239${String(i).padStart(4, '0')}`;
            return {
              ...COAX_CABLE,
              sku: `ACC-${String(i)}`,
              upc: body + String(gtinCheckDigit(body)),
              salePriceCents: p.price,
            };
          });
          const rules: TaxRule[] = [
            { ...TAX_LEASES_TAXED[0]!, ratePercent, effectiveFrom: '2024-01-01', effectiveTo: null },
          ];
          const order = priceOrder(
            picks.map((p, i) => ({ sku: `ACC-${String(i)}`, mode: 'buy', quantity: p.quantity })),
            catalog,
            rules,
            '2025-03-01',
          );
          const { n, d } = ratio(ratePercent);
          expect(order.taxCents).toBeGreaterThanOrEqual(0);
          for (const l of order.lines) {
            // exact = ext × n / (100 d); half-up t: t − ½ ≤ exact < t + ½  ⇔  200 d t − 100 d ≤ 2 ext n < 200 d t + 100 d
            const t = BigInt(l.taxCents);
            const twice = 2n * BigInt(l.extendedCents) * n;
            expect(200n * d * t - 100n * d <= twice && twice < 200n * d * t + 100n * d).toBe(true);
          }
          // Σ tax ≤ subtotal × rate + ½¢ per line (rounding each line up by at most half a cent)
          const lhs = 200n * d * BigInt(order.taxCents);
          const rhs = 2n * BigInt(order.subtotalCents) * n + 100n * d * BigInt(order.lines.length);
          expect(lhs <= rhs).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refund + fees never exceed what was paid + the scheduled fee; the invoice adds up to the net', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: CATALOG.length - 1 }),
        fc.boolean(),
        fc.record({
          price: fc.integer({ min: 0, max: 1_000_000 }),
          tax: fc.integer({ min: 0, max: 100_000 }),
          deposit: fc.integer({ min: 0, max: 100_000 }),
          monthly: fc.integer({ min: 0, max: 100_000 }),
        }),
        fc.constantFrom<ItemCondition>('good', 'damaged', 'missing_parts'),
        fc.integer({ min: 0, max: 800 }),
        fc.boolean(),
        (i, preferLease, paid, condition, daysLater, override) => {
          const item = CATALOG[i]!;
          const lease = item.leasePriceCents !== null && (preferLease || item.salePriceCents === null);
          const assignment: Assignment = {
            sku: item.sku,
            serial: null,
            mode: lease ? 'lease' : 'buy',
            accountNumber: ACCOUNT,
            handedOverOn: '2025-01-01',
            pricePaidCents: lease ? 0 : paid.price,
            taxPaidCents: lease ? 0 : paid.tax,
            leaseDepositCents: lease ? paid.deposit : 0,
            monthlyCents: lease ? paid.monthly : undefined,
          };
          const returnedOn = new Date(Date.UTC(2025, 0, 1 + daysLater)).toISOString().slice(0, 10);
          const q = returnQuote(assignment, condition, returnedOn, CATALOG, FEES, {
            accountNumber: ACCOUNT,
            supervisorOverride: override,
          });
          const scheduled =
            condition === 'damaged'
              ? FEES.damagedCents[item.category]!
              : condition === 'missing_parts'
                ? FEES.missingPartsCents[item.category]!
                : 0;
          const paidTotal = assignment.pricePaidCents + assignment.taxPaidCents;
          expect(q.refundCents).toBeGreaterThanOrEqual(0);
          expect(q.refundCents).toBeLessThanOrEqual(paidTotal);
          expect(q.depositReleaseCents).toBeLessThanOrEqual(assignment.leaseDepositCents);
          expect(q.feeCents).toBeLessThanOrEqual(scheduled);
          expect(q.refundCents + q.depositReleaseCents + q.feeCents).toBeLessThanOrEqual(
            paidTotal + assignment.leaseDepositCents + scheduled,
          );
          expect(q.netCents).toBe(q.refundCents + q.depositReleaseCents - q.feeCents);
          expect(sumLines(q.lines)).toBe(q.netCents);
          expect(q.needsSupervisor).toBe(!lease && !q.withinWindow);
          if (!lease && !q.withinWindow && !override) expect(q.refundCents).toBe(0);
          for (const v of [q.refundCents, q.depositReleaseCents, q.feeCents, q.stopMonthlyCents, q.netCents])
            expect(Number.isSafeInteger(v)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an exchange either charges or refunds, never more than the credit, and its invoice adds up', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ROUTER_SOLD,
          PHONE_SOLD,
          AX1800_SOLD,
          COAX_SOLD,
          MODEM_LEASED,
          STB_LEASED,
          VOICE_LEASED,
        ),
        fc.constantFrom(...CATALOG),
        fc.constantFrom<ItemCondition>('good', 'damaged', 'missing_parts'),
        fc.integer({ min: 0, max: 800 }),
        fc.boolean(),
        fc.constantFrom(TAX_LEASES_TAXED, TAX_LEASES_UNTAXED),
        (old, next, condition, daysLater, override, taxRules) => {
          const offered = old.mode === 'buy' ? next.salePriceCents !== null : next.leasePriceCents !== null;
          const date = new Date(Date.UTC(2025, 2, 1 + daysLater)).toISOString().slice(0, 10);
          const run = () =>
            exchangeQuote(old, next, condition, date, {
              ...EXCHANGE,
              taxRules,
              supervisorOverride: override,
            });
          if (!offered) {
            expect(counterError(run).field).toBe('newItem');
            return;
          }
          const q = run();
          expect(q.dueNowCents === 0 || q.refundCents === 0).toBe(true);
          expect(q.dueNowCents).toBeGreaterThanOrEqual(0);
          expect(q.refundCents).toBeLessThanOrEqual(Math.max(q.creditCents, q.depositReleaseCents));
          expect(sumLines(q.lines)).toBe(q.refundCents - q.dueNowCents);
          if (q.covered && q.equivalent && old.mode === 'buy') expect(q.dueNowCents).toBe(q.feeCents);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('normalizeSerial is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        (s) => {
          const once = normalizeSerial(s);
          expect(normalizeSerial(once)).toBe(once);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('every written form of a MAC normalizes to the same 12 hex digits', () => {
    const hexByte = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0'));
    fc.assert(
      fc.property(
        fc.array(hexByte, { minLength: 6, maxLength: 6 }),
        fc.constantFrom(':', '-', ''),
        fc.boolean(),
        fc.boolean(),
        (bytes, sep, upper, crlf) => {
          const hex = bytes.join('');
          const forms = [bytes.join(sep), `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`].map(
            (f) => (upper ? f.toUpperCase() : f) + (crlf ? '\r\n' : ''),
          );
          for (const f of forms) {
            expect(normalizeSerial(f)).toBe(hex.toUpperCase());
            expect(validateSerial(CABLE_MODEM, f)).toBe(hex.toUpperCase());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
