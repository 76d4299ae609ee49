/**
 * The demo equipment data is valid policy data for the engine, and every demo serial is one a scanner
 * can route: it matches its item's serial pattern and the counter reads it as a serial (not a UPC, a
 * receipt number or a bill stub).
 */
import { describe, expect, it } from 'vitest';

import {
  DEMO_BUNDLES,
  DEMO_CATALOG,
  DEMO_FEES,
  DEMO_TAX_RULES,
  demoEquipment,
  equipmentPolicyRows,
} from '../../resources/demo/equipment.js';
import { demoAccountNumber } from '../../resources/demo/generate.js';
import {
  FeeScheduleSchema,
  priceOrder,
  resolveScanToCatalog,
  validateCatalog,
  validateSerial,
  validateTaxRules,
} from '../../shared/domain/equipment.js';
import { EquipmentAssignmentDataSchema, EquipmentStockDataSchema } from '../../shared/sync/equipment.js';
import { classifyScan } from '../../shared/validators/scan.js';

const OPTS = { today: '2026-11-25', count: 300 };

describe('demo equipment', () => {
  it('is a valid catalog (UPC/EAN check digits, bundles), tax rules and fee schedule', () => {
    expect(validateCatalog(DEMO_CATALOG, DEMO_BUNDLES)).toHaveLength(DEMO_CATALOG.length);
    expect(validateTaxRules(DEMO_TAX_RULES)).toHaveLength(1);
    expect(FeeScheduleSchema.safeParse(DEMO_FEES).success).toBe(true);
    for (const item of DEMO_CATALOG) {
      expect(classifyScan(item.upc).kind).toBe('gtin');
      expect(resolveScanToCatalog(item.upc, DEMO_CATALOG).sku).toBe(item.sku);
    }
    // The examples: a leased modem with a deposit, a router to buy, a leased set-top box,
    // a phone sold only, an accessory without serials.
    const by = new Map(DEMO_CATALOG.map((i) => [i.sku, i]));
    expect(by.get('MDM-D31')).toMatchObject({ salePriceCents: null, leaseDepositCents: 5_000 });
    expect(by.get('RTR-AX3000')?.salePriceCents).toBe(12_999);
    expect(by.get('STB-4K')).toMatchObject({ salePriceCents: null, serialized: true });
    expect(by.get('PHN-DECT')).toMatchObject({ leasePriceCents: null });
    expect(by.get('ACC-COAX6')?.serialized).toBe(false);
  });

  it('policy rows are the JSON of the validated data, under the replicated keys', () => {
    const rows = equipmentPolicyRows();
    expect(rows.map((r) => r.key)).toEqual([
      'equipment.bundles',
      'equipment.catalog',
      'equipment.fees',
      'equipment.taxRules',
    ]);
    expect(JSON.parse(rows[1]?.value ?? '[]')).toEqual(DEMO_CATALOG);
    expect(() =>
      equipmentPolicyRows({
        catalog: [{ ...DEMO_CATALOG[0]!, upc: '076451001010' }],
        bundles: [],
        taxRules: DEMO_TAX_RULES,
        fees: DEMO_FEES,
      }),
    ).toThrow(/check digit/);
  });

  it('every serial fits its item, is unique, and scans as a serial', () => {
    const demo = demoEquipment(OPTS);
    const seen = new Set<string>();
    for (const s of demo.stock) {
      expect(EquipmentStockDataSchema.safeParse(s).success).toBe(true);
      const item = DEMO_CATALOG.find((i) => i.sku === s.sku);
      expect(item, s.sku).toBeDefined();
      if (!item) continue;
      expect(validateSerial(item, s.serial)).toBe(s.serial);
      expect(classifyScan(s.serial).kind, s.serial).toBe('serial');
      expect(seen.has(s.serial), s.serial).toBe(false);
      seen.add(s.serial);
    }
    expect(demo.stock.filter((s) => s.branch === 'MAIN' && s.status === 'in_stock').length).toBeGreaterThan(
      30,
    );
    expect(demo.stock.some((s) => s.branch === 'EAST')).toBe(true);
  });

  it('units on accounts match their stock rows and are priced as the engine prices them', () => {
    const demo = demoEquipment(OPTS);
    expect(demo.assignments.length).toBe(7);
    for (const a of demo.assignments) {
      expect(EquipmentAssignmentDataSchema.safeParse(a).success).toBe(true);
      const stock = demo.stock.find((s) => s.serial === a.serial);
      expect(stock).toMatchObject({ status: 'assigned', accountNumber: a.accountNumber, assignmentId: a.id });
      const unit = priceOrder(
        [{ sku: a.sku, mode: a.mode, quantity: 1 }],
        DEMO_CATALOG,
        DEMO_TAX_RULES,
        a.handedOverOn,
      ).lines[0]?.units[0];
      expect([a.pricePaidCents, a.taxPaidCents, a.leaseDepositCents, a.monthlyCents]).toEqual([
        unit?.priceCents,
        unit?.taxCents,
        unit?.depositCents,
        unit?.monthlyCents,
      ]);
    }
    // Maria: a leased modem and a router bought 10 days ago (inside its 30-day window).
    const maria = demo.assignments.filter((a) => a.accountNumber === demoAccountNumber(0));
    expect(maria.map((a) => [a.sku, a.mode, a.handedOverOn])).toEqual([
      ['MDM-D31', 'lease', '2026-03-30'],
      ['RTR-AX3000', 'buy', '2026-11-15'],
    ]);
  });

  it('is deterministic, and puts units only on accounts that exist', () => {
    expect(demoEquipment(OPTS)).toEqual(demoEquipment(OPTS));
    const small = demoEquipment({ today: OPTS.today, count: 2 });
    expect(new Set(small.assignments.map((a) => a.accountNumber))).toEqual(
      new Set([demoAccountNumber(0), demoAccountNumber(1)]),
    );
    expect(small.stock.filter((s) => s.status === 'assigned')).toHaveLength(small.assignments.length);
  });
});
