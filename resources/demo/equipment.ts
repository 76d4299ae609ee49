/**
 * Demo equipment data (issue 7): the catalog, service bundles, tax rule and fee schedule (replicated
 * policy data, validated with the equipment engine's schemas), serialized stock at branch MAIN and a
 * few units at EAST, stock levels of the accessory without serials, and units already on demo
 * accounts so that returns, exchanges and unreturned equipment can be shown at once:
 *
 * - Maria Álvarez (1000042517): a leased cable modem (8 months) and a router bought 10 days ago
 *   (inside the 30-day return window);
 * - account #1: a leased set-top box for more than a year;
 * - account #2: a router bought 60 days ago (return window over: a supervisor must approve a refund);
 * - account #3: a cordless phone bought 5 days ago;
 * - account #4: a leased modem and set-top box out for 500 days (unreturned-equipment fees).
 *
 * Deterministic for a given `today`; the counter's seed and the server's seed write the same rows.
 */
import {
  priceOrder,
  validateCatalog,
  validateTaxRules,
  FeeScheduleSchema,
  type CatalogItem,
  type FeeSchedule,
  type OrderMode,
  type ServiceBundle,
  type TaxRule,
} from '../../shared/domain/equipment.js';
import {
  EQUIPMENT_POLICY_KEYS,
  type EquipmentAssignmentData,
  type EquipmentStockData,
  type EquipmentStockLevelData,
} from '../../shared/sync/equipment.js';
import { demoAccountNumber } from './generate.js';

const MAC = '[0-9A-F]{12}';

export const DEMO_CATALOG: CatalogItem[] = [
  {
    sku: 'MDM-D31',
    upc: '076451001019',
    name: 'DOCSIS 3.1 Cable Modem',
    category: 'modem',
    salePriceCents: null,
    leasePriceCents: 1_499,
    leaseDepositCents: 5_000,
    serialized: true,
    serialPattern: MAC,
    taxClass: 'equipment',
    warrantyDays: 365,
    returnWindowDays: 30,
    restockingFeePercent: null,
    bundleSkus: ['BND-INTERNET'],
  },
  {
    sku: 'MDM-D31V',
    upc: '076451001026',
    name: 'DOCSIS 3.1 Voice Modem',
    category: 'modem',
    salePriceCents: null,
    leasePriceCents: 1_999,
    leaseDepositCents: 7_500,
    serialized: true,
    serialPattern: MAC,
    taxClass: 'equipment',
    warrantyDays: 365,
    returnWindowDays: 30,
    restockingFeePercent: null,
    bundleSkus: ['BND-TRIPLE'],
  },
  {
    sku: 'RTR-AX3000',
    upc: '076451001033',
    name: 'Wi-Fi 6 Router AX3000',
    category: 'router',
    salePriceCents: 12_999,
    leasePriceCents: 799,
    leaseDepositCents: null,
    serialized: true,
    serialPattern: MAC,
    taxClass: 'equipment',
    warrantyDays: 365,
    returnWindowDays: 30,
    restockingFeePercent: '15',
    bundleSkus: ['BND-INTERNET', 'BND-TRIPLE'],
  },
  {
    sku: 'RTR-AX6000',
    upc: '076451001040',
    name: 'Wi-Fi 6 Router AX6000',
    category: 'router',
    salePriceCents: 24_999,
    leasePriceCents: null,
    leaseDepositCents: null,
    serialized: true,
    serialPattern: MAC,
    taxClass: 'equipment',
    warrantyDays: 365,
    returnWindowDays: 30,
    restockingFeePercent: '15',
  },
  {
    sku: 'STB-4K',
    upc: '076451001057',
    name: '4K Set-Top Box',
    category: 'set_top_box',
    salePriceCents: null,
    leasePriceCents: 999,
    leaseDepositCents: 7_500,
    serialized: true,
    serialPattern: 'STB\\d{9}',
    taxClass: 'equipment',
    warrantyDays: 365,
    returnWindowDays: 30,
    restockingFeePercent: null,
    bundleSkus: ['BND-TRIPLE'],
  },
  {
    sku: 'PHN-DECT',
    upc: '4012345000016',
    name: 'DECT Cordless Phone',
    category: 'phone',
    salePriceCents: 4_999,
    leasePriceCents: null,
    leaseDepositCents: null,
    serialized: true,
    serialPattern: '[A-Z]{2}\\d{8}',
    taxClass: 'equipment',
    warrantyDays: 90,
    returnWindowDays: 14,
    restockingFeePercent: null,
  },
  {
    sku: 'ACC-COAX6',
    upc: '07645105',
    name: 'Coax Cable 6 ft',
    category: 'accessory',
    salePriceCents: 600,
    leasePriceCents: null,
    leaseDepositCents: null,
    serialized: false,
    serialPattern: null,
    taxClass: 'equipment',
    warrantyDays: 30,
    returnWindowDays: 30,
    restockingFeePercent: null,
  },
];

export const DEMO_BUNDLES: ServiceBundle[] = [
  { id: 'BND-INTERNET', name: 'Internet 500', monthlyPriceCents: 6_500, includedSkus: ['MDM-D31'] },
  {
    id: 'BND-TRIPLE',
    name: 'Triple Play',
    monthlyPriceCents: 14_999,
    includedSkus: ['MDM-D31V', 'STB-4K'],
  },
];

/** Sales and lease charges taxed at 8.25 %. */
export const DEMO_TAX_RULES: TaxRule[] = [
  {
    id: 'EQ-2020',
    taxClass: 'equipment',
    ratePercent: '8.25',
    leaseTaxed: true,
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
  },
];

export const DEMO_FEES: FeeSchedule = {
  id: 'FEES-2026',
  damagedCents: { modem: 4_000, router: 3_500, set_top_box: 4_500, phone: 2_000, accessory: 0 },
  missingPartsCents: { modem: 1_500, router: 1_500, set_top_box: 2_500, phone: 1_000, accessory: 0 },
  unreturned: {
    bySku: { 'MDM-D31': 15_000, 'MDM-D31V': 17_500 },
    byCategory: { modem: 12_500, router: 10_000, set_top_box: 12_000, phone: 6_000, accessory: 500 },
  },
  restockingPercentByCategory: { router: '10', phone: '10' },
};

/** The equipment policies as `policies` rows, checked with the engine's schemas first. */
export function equipmentPolicyRows(
  data: { catalog: CatalogItem[]; bundles: ServiceBundle[]; taxRules: TaxRule[]; fees: FeeSchedule } = {
    catalog: DEMO_CATALOG,
    bundles: DEMO_BUNDLES,
    taxRules: DEMO_TAX_RULES,
    fees: DEMO_FEES,
  },
): { key: string; value: string }[] {
  validateCatalog(data.catalog, data.bundles);
  validateTaxRules(data.taxRules);
  FeeScheduleSchema.parse(data.fees);
  return [
    { key: EQUIPMENT_POLICY_KEYS.bundles, value: JSON.stringify(data.bundles) },
    { key: EQUIPMENT_POLICY_KEYS.catalog, value: JSON.stringify(data.catalog) },
    { key: EQUIPMENT_POLICY_KEYS.fees, value: JSON.stringify(data.fees) },
    { key: EQUIPMENT_POLICY_KEYS.taxRules, value: JSON.stringify(data.taxRules) },
  ];
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const range = (prefix: string, from: number, n: number, width: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(from + i).padStart(width, '0')}`);

/** Serials in stock (not on an account), by branch and SKU; a few are returned or defective. */
const STOCK_PLAN: { branch: string; sku: string; serials: string[]; status: EquipmentStockData['status'] }[] =
  [
    { branch: 'MAIN', sku: 'MDM-D31', serials: range('A42B8C01EF', 90, 10, 2), status: 'in_stock' },
    { branch: 'MAIN', sku: 'MDM-D31', serials: ['A42B8C01EFB0'], status: 'defective' },
    { branch: 'MAIN', sku: 'MDM-D31', serials: ['A42B8C01EFB1'], status: 'returned' },
    { branch: 'EAST', sku: 'MDM-D31', serials: range('A42B8C01EFC', 0, 3, 1), status: 'in_stock' },
    { branch: 'MAIN', sku: 'MDM-D31V', serials: range('A42B8C02AA0', 1, 4, 1), status: 'in_stock' },
    { branch: 'MAIN', sku: 'RTR-AX3000', serials: range('3C7A8A1000', 1, 8, 2), status: 'in_stock' },
    { branch: 'EAST', sku: 'RTR-AX3000', serials: range('3C7A8A1000', 40, 2, 2), status: 'in_stock' },
    { branch: 'MAIN', sku: 'RTR-AX6000', serials: range('3C7A8A2000', 1, 3, 2), status: 'in_stock' },
    { branch: 'MAIN', sku: 'STB-4K', serials: range('STB1002003', 1, 8, 2), status: 'in_stock' },
    { branch: 'EAST', sku: 'STB-4K', serials: ['STB100200340'], status: 'in_stock' },
    { branch: 'MAIN', sku: 'PHN-DECT', serials: range('KX123456', 1, 5, 2), status: 'in_stock' },
  ];

/** Units already on demo accounts: account index, what, how, how many days ago. */
const ASSIGNED_PLAN: { account: number; sku: string; serial: string; mode: OrderMode; daysAgo: number }[] = [
  { account: 0, sku: 'MDM-D31', serial: 'A42B8C01EE01', mode: 'lease', daysAgo: 240 },
  { account: 0, sku: 'RTR-AX3000', serial: '3C7A8A100090', mode: 'buy', daysAgo: 10 },
  { account: 1, sku: 'STB-4K', serial: 'STB100200290', mode: 'lease', daysAgo: 400 },
  { account: 2, sku: 'RTR-AX3000', serial: '3C7A8A100091', mode: 'buy', daysAgo: 60 },
  { account: 3, sku: 'PHN-DECT', serial: 'KX12345590', mode: 'buy', daysAgo: 5 },
  { account: 4, sku: 'MDM-D31', serial: 'A42B8C01EE02', mode: 'lease', daysAgo: 500 },
  { account: 4, sku: 'STB-4K', serial: 'STB100200291', mode: 'lease', daysAgo: 500 },
];

export type DemoEquipment = {
  policies: { key: string; value: string }[];
  stock: EquipmentStockData[];
  levels: EquipmentStockLevelData[];
  assignments: EquipmentAssignmentData[];
};

/** The demo equipment for a demo of `count` accounts as of `today` (units only on accounts that exist). */
export function demoEquipment(opts: { today: string; count: number }): DemoEquipment {
  const receivedAt = `${addDays(opts.today, -90)}T14:00:00.000Z`;
  const stock: EquipmentStockData[] = STOCK_PLAN.flatMap((p) =>
    p.serials.map((serial) => ({
      serial,
      sku: p.sku,
      branch: p.branch,
      status: p.status,
      accountNumber: null,
      assignmentId: null,
      receivedAt,
      updatedAt: receivedAt,
    })),
  );
  const assignments: EquipmentAssignmentData[] = [];
  ASSIGNED_PLAN.forEach((p, i) => {
    if (p.account >= opts.count) return;
    const handedOverOn = addDays(opts.today, -p.daysAgo);
    const priced = priceOrder(
      [{ sku: p.sku, mode: p.mode, quantity: 1 }],
      DEMO_CATALOG,
      DEMO_TAX_RULES,
      handedOverOn,
    );
    const unit = priced.lines[0]?.units[0];
    if (!unit) throw new Error('invariant: demo unit not priced');
    const id = `DEMO-EQ-${String(i + 1).padStart(4, '0')}`;
    const accountNumber = demoAccountNumber(p.account);
    assignments.push({
      id,
      accountNumber,
      sku: p.sku,
      serial: p.serial,
      mode: p.mode,
      handedOverOn,
      pricePaidCents: unit.priceCents,
      taxPaidCents: unit.taxCents,
      leaseDepositCents: unit.depositCents,
      monthlyCents: unit.monthlyCents,
      returnedOn: null,
      returnCondition: null,
      orderId: null,
      lineIndex: null,
      receiptNumber: null,
      terminalCode: null,
      branch: 'MAIN',
    });
    const at = `${handedOverOn}T15:00:00.000Z`;
    stock.push({
      serial: p.serial,
      sku: p.sku,
      branch: 'MAIN',
      status: 'assigned',
      accountNumber,
      assignmentId: id,
      receivedAt: receivedAt < at ? receivedAt : `${addDays(handedOverOn, -30)}T14:00:00.000Z`,
      updatedAt: at,
    });
  });
  return {
    policies: equipmentPolicyRows(),
    stock,
    levels: [
      { branch: 'MAIN', sku: 'ACC-COAX6', onHand: 40 },
      { branch: 'EAST', sku: 'ACC-COAX6', onHand: 12 },
    ],
    assignments,
  };
}
