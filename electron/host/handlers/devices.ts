/**
 * Device handlers: settings and tests (IT admin), the no-sale drawer open (supervisor, with a reason)
 * and the reprint queue (any signed-in cashier). Input is validated and roles are checked by the
 * host's dispatcher from the contract; every state change writes an audit entry.
 */
import type { deviceChannels } from '../../../shared/api/channels/devices.js';
import { CounterError } from '../../../shared/api/errors.js';
import { printerDeviceFileProblem, type DeviceSettings } from '../../../shared/devices/settings.js';
import { recordAudit } from '../../services/audit/audit.js';
import { requireApproval } from '../../services/auth/approval.js';
import { listReprintQueue, printReprintQueue } from '../../services/devices/reprint-queue.js';
import { saveDeviceSettingsAudited } from '../../services/devices/settings-store.js';
import { defineModule } from '../capability.js';
import { cashierOf, type HandlerMap, type HostDeps } from './types.js';

/** Two devices on one port would fight over it (the second finds it busy): refuse the settings. */
function checkSharedPorts(s: DeviceSettings): void {
  const used: { device: string; path: string; field: string }[] = [];
  const p = s.printer.connection;
  if (p.kind === 'serial')
    used.push({ device: 'printer', path: p.serial.path, field: 'printer.connection.serial.path' });
  if (p.kind === 'file') used.push({ device: 'printer', path: p.path, field: 'printer.connection.path' });
  const d = s.drawer.connection;
  if (d.kind === 'serial')
    used.push({ device: 'drawer', path: d.serial.path, field: 'drawer.connection.serial.path' });
  const c = s.scanner.connection;
  if (c.kind === 'serial')
    used.push({ device: 'scanner', path: c.serial.path, field: 'scanner.connection.serial.path' });
  for (let i = 0; i < used.length; i++) {
    for (let j = i + 1; j < used.length; j++) {
      const a = used[i] as (typeof used)[number];
      const b = used[j] as (typeof used)[number];
      if (a.path === b.path)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${a.device} and the ${b.device} cannot share the port ${a.path}.`,
          `settings.${b.field}`,
        );
    }
  }
}

export function deviceHandlers(
  deps: HostDeps,
  printerDeviceFiles: readonly string[] = [],
): HandlerMap<keyof typeof deviceChannels> {
  const { ctx, devices, receipts, pushStatus } = deps;
  const audit = (
    actor: string,
    action: string,
    details: Record<string, unknown>,
    approvedBy: string | null = null,
  ): Promise<unknown> => {
    return recordAudit(ctx, {
      actor,
      action,
      entityType: 'devices',
      entityId: ctx.terminal.code,
      approvedBy,
      details,
    });
  };

  return {
    'devices.info': () => Promise.resolve({ settings: devices.settings(), info: devices.info() }),

    'devices.saveSettings': async (input, session) => {
      const cashier = cashierOf(session);
      checkSharedPorts(input.settings);
      const p = input.settings.printer.connection;
      const problem = p.kind === 'file' ? printerDeviceFileProblem(p.path, printerDeviceFiles) : null;
      if (problem) throw new CounterError('INVALID_INPUT', problem, 'printer.connection.path');
      const before = devices.settings();
      const now = ctx.clock.now();
      await saveDeviceSettingsAudited(ctx, input.settings, cashier.id, before, now);
      await devices.apply({
        settings: input.settings,
        savedAt: now.toISOString(),
        savedBy: `${cashier.name} (${cashier.id})`,
      });
      pushStatus();
      return { settings: devices.settings(), info: devices.info() };
    },

    'devices.ports': () => devices.listPorts(),

    'devices.test': async (input, session) => {
      const cashier = cashierOf(session);
      switch (input.device) {
        case 'printer': {
          const result = await devices.testPrinter(`${cashier.name} (${cashier.id})`);
          await audit(cashier.id, 'devices.test.printer', { ok: result.ok, message: result.message });
          pushStatus();
          return result;
        }
        case 'drawer': {
          // A test open is a drawer open without a sale: audited like one.
          const r = await devices.openDrawer();
          await audit(cashier.id, 'devices.test.drawer', { opened: r.opened, message: r.message });
          pushStatus();
          return { ok: r.opened, message: r.message };
        }
        case 'scanner':
          return devices.testScanner();
      }
    },

    'devices.noSaleOpen': async (input, session) => {
      const cashier = cashierOf(session);
      const approver = await requireApproval(
        ctx,
        cashier,
        input.approval,
        'opening the drawer without a sale',
      );
      const r = await devices.openDrawer();
      await audit(
        cashier.id,
        'drawer.no_sale',
        { reason: input.reason, opened: r.opened, message: r.message },
        approver.id,
      );
      pushStatus();
      return r;
    },

    'devices.reprintQueue': async () => ({ items: await listReprintQueue(ctx.db) }),

    'devices.printQueue': async (_input, session) => {
      const result = await printReprintQueue(ctx, receipts, cashierOf(session));
      if (result.printed.length) deps.sync.nudge();
      pushStatus();
      return result;
    },
  };
}

export const devicesModule = defineModule({
  name: 'devices',
  handlers: (deps, config) => deviceHandlers(deps, config.printerDeviceFiles),
});
