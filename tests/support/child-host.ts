/**
 * The counter host a test, a child process or a benchmark opens on its own data folder: the default
 * terminal and company, no demo data (the folder already holds a replica, or the first pull fills it)
 * and a silent logger, unless the caller sets them (or the server, the clock).
 */
import pino from 'pino';

import {
  createCounterHost,
  DEFAULT_COMPANY,
  DEFAULT_TERMINAL,
  type CounterHost,
  type HostConfig,
} from '../../electron/host/create-host.js';

export function quietCounterHost(dataDir: string, config: Partial<HostConfig> = {}): Promise<CounterHost> {
  return createCounterHost({
    dataDir,
    terminal: DEFAULT_TERMINAL,
    company: DEFAULT_COMPANY,
    demo: null,
    logger: pino({ level: 'silent' }),
    ...config,
  });
}
