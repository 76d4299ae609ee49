/** Equipment look-ups for the screen: catalog, handover check, serial look-up, units, stock, unreturned. */
import type { Knex } from 'knex';

import type { CatalogEntry, StockUnit } from '../../../shared/api/channels/equipment.js';
import { CounterError } from '../../../shared/api/errors.js';
import {
  checkHandover,
  normalizeSerial,
  resolveScanToCatalog,
  unreturnedEquipment,
  type HandoverScan,
  type OrderLine,
  type UnreturnedEquipment,
} from '../../../shared/domain/equipment.js';
import { getAccountRow } from '../accounts/accounts.js';
import type { ServiceContext } from '../context.js';
import {
  effectiveLevels,
  effectiveStock,
  effectiveUnits,
  loadEquipmentPolicies,
  ticketsOf,
  toAssignment,
  toStockEntries,
  type EquipmentPolicies,
} from './data.js';

async function availability(
  db: Knex,
  branch: string,
  policies: EquipmentPolicies,
): Promise<Map<string, number>> {
  const [units, levels] = await Promise.all([effectiveStock(db, { branch }), effectiveLevels(db, branch)]);
  const out = new Map<string, number>();
  for (const item of policies.catalog) out.set(item.sku, item.serialized ? 0 : (levels.get(item.sku) ?? 0));
  for (const u of units.values()) if (u.status === 'in_stock') out.set(u.sku, (out.get(u.sku) ?? 0) + 1);
  return out;
}

/** The catalog with what this branch can hand over; by a scanned UPC/EAN, or a name/SKU/UPC search. */
export async function catalogSearch(
  ctx: ServiceContext,
  input: { query?: string | undefined; code?: string | undefined },
): Promise<{ items: CatalogEntry[]; policies: EquipmentPolicies }> {
  const policies = await loadEquipmentPolicies(ctx.db);
  let items = policies.catalog;
  if (input.code !== undefined) items = [resolveScanToCatalog(input.code, policies.catalog)];
  else if (input.query?.trim()) {
    const words = input.query.toLowerCase().split(/\s+/).filter(Boolean);
    items = items.filter((i) => {
      const text = `${i.sku} ${i.upc} ${i.name} ${i.category.replace('_', ' ')}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }
  const available = await availability(ctx.db, ctx.terminal.branch, policies);
  return {
    items: items.map((item) => ({
      item,
      available: available.get(item.sku) ?? 0,
      bundles: policies.bundles
        .filter((b) => b.includedSkus.includes(item.sku) || item.bundleSkus?.includes(b.id))
        .map((b) => b.name),
    })),
    policies,
  };
}

/** The handover check without writing: every problem with its field (for the screen, scan by scan). */
export async function checkHandoverNow(
  ctx: ServiceContext,
  lines: OrderLine[],
  scans: HandoverScan[],
): Promise<{ ok: boolean; problems: { field: string; message: string }[]; serials: string[] }> {
  const policies = await loadEquipmentPolicies(ctx.db);
  const stock = await effectiveStock(ctx.db, { serials: scans.map((s) => s.serial) });
  const serials = scans.map((s) => normalizeSerial(s.serial));
  try {
    checkHandover(lines, scans, toStockEntries(stock.values()), ctx.terminal.branch, policies.catalog);
    return { ok: true, problems: [], serials };
  } catch (err) {
    if (!(err instanceof CounterError)) throw err;
    return {
      ok: false,
      problems: err.details?.length ? err.details : [{ field: err.field ?? 'scans', message: err.message }],
      serials,
    };
  }
}

/** A scanned serial: the item, where the unit is, whose it is and since when, its tests. */
export async function lookupSerial(ctx: ServiceContext, raw: string) {
  const serial = normalizeSerial(raw);
  const policies = await loadEquipmentPolicies(ctx.db);
  const stock = (await effectiveStock(ctx.db, { serials: [serial] })).get(serial) ?? null;
  const { units, conflicts } = await effectiveUnits(ctx.db, { serial }, policies);
  if (!stock && units.length === 0 && conflicts.length === 0)
    throw new CounterError(
      'NOT_FOUND',
      `Serial ${serial} is not in our records (stock or customer equipment). Check the S/N or MAC label and scan again.`,
      'serial',
    );
  const unit = units.find((u) => !u.returnedOn) ?? units[0] ?? null;
  const sku = stock?.sku ?? unit?.sku ?? null;
  let accountName: string | null = null;
  if (unit) {
    try {
      accountName = (await getAccountRow(ctx.db, unit.accountNumber)).name;
    } catch {
      accountName = null;
    }
  }
  return {
    serial,
    item: (sku && policies.bySku.get(sku)) || null,
    stock,
    unit,
    accountName,
    history: units,
    tickets: await ticketsOf(ctx.db, { serial }, policies),
    conflicts,
  };
}

export async function accountEquipment(ctx: ServiceContext, accountNumber: string) {
  await getAccountRow(ctx.db, accountNumber);
  const policies = await loadEquipmentPolicies(ctx.db).catch(() => null);
  const { units, conflicts } = await effectiveUnits(ctx.db, { accountNumber }, policies);
  return { units, conflicts, tickets: await ticketsOf(ctx.db, { accountNumber }, policies) };
}

export async function unreturnedOf(
  ctx: ServiceContext,
  accountNumber: string,
): Promise<UnreturnedEquipment & { asOf: string }> {
  await getAccountRow(ctx.db, accountNumber);
  const policies = await loadEquipmentPolicies(ctx.db);
  const today = ctx.clock.today();
  const { units } = await effectiveUnits(ctx.db, { accountNumber }, policies);
  return {
    asOf: today,
    ...unreturnedEquipment(units.map(toAssignment), policies.fees, today, policies.catalog),
  };
}

export async function branchStock(ctx: ServiceContext, sku?: string) {
  const policies = await loadEquipmentPolicies(ctx.db);
  const branch = ctx.terminal.branch;
  const [units, levels] = await Promise.all([
    effectiveStock(ctx.db, sku ? { branch, sku } : { branch }),
    effectiveLevels(ctx.db, branch),
  ]);
  const list: StockUnit[] = [...units.values()].sort(
    (a, b) =>
      a.sku.localeCompare(b.sku) || a.status.localeCompare(b.status) || a.serial.localeCompare(b.serial),
  );
  const bySku = policies.catalog
    .filter((i) => !sku || i.sku === sku)
    .map((i) => {
      const mine = list.filter((u) => u.sku === i.sku);
      const n = (status: string): number => mine.filter((u) => u.status === status).length;
      return {
        sku: i.sku,
        name: i.name,
        serialized: i.serialized,
        inStock: i.serialized ? n('in_stock') : (levels.get(i.sku) ?? 0),
        assigned: n('assigned'),
        returned: n('returned'),
        defective: n('defective'),
        onHand: i.serialized ? null : (levels.get(i.sku) ?? 0),
      };
    });
  const lastPull = (await ctx.db('settings').where('key', 'sync.lastPullAt').first('value')) as
    { value: string } | undefined;
  return { branch, asOf: lastPull?.value ?? null, bySku, units: list };
}
