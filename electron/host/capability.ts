/**
 * What a capability (or a core module: session and payments, devices, sync) hands the host: its name
 * and the handlers of its channel group. The host reads the list in capabilities.ts and names no
 * capability itself; a new capability is one line there.
 */
import type { Channel } from '../../shared/api/contract.js';
import type { Status } from '../../shared/api/status.js';
import type { TillPolicy, ZLineSpec, ZParts } from '../services/till/till.js';
import type { HandlerMap, HostDeps } from './handlers/types.js';

/** The host's configuration as the modules need it (each takes what it uses). */
export type ModuleConfig = {
  tillPolicy: TillPolicy;
  /** Where Z reports are saved as PDFs. */
  reportsDir: string;
  /** Device-file printer paths allowed besides /dev/usb/lpN and /dev/lpN. */
  printerDeviceFiles: readonly string[] | undefined;
  /** The status bar as it stands now. */
  status(): Promise<Status>;
  /** Every module's Z report lines and kind labels, in list order (the till prints them). */
  zParts: ZParts;
};

export type CounterModule<K extends Channel> = {
  name: string;
  handlers(deps: HostDeps, config: ModuleConfig): HandlerMap<K>;
  /** What its transactions add to the till's figures and Z report. */
  zReport?: { lines?: readonly ZLineSpec[]; kindLabels?: Readonly<Record<string, string>> };
};

/** Declares a module; K (its channels) is inferred from the handler map it returns. */
export function defineModule<K extends Channel>(module: CounterModule<K>): CounterModule<K> {
  return module;
}

/** The channels a list of modules handles, as a union. */
export type ChannelsOf<M> = M extends CounterModule<infer K> ? K : never;
