import type { Logger } from 'pino';

import type {
  Channel,
  ChannelOutput,
  ChannelParsedInput,
  EventName,
  EventPayload,
  SessionState,
} from '../../../shared/api/contract.js';
import type { Session } from '../../services/auth/auth.js';
import type { ServiceContext } from '../../services/context.js';
import type { CounterDevices } from '../../services/devices/index.js';
import type { ReceiptService } from '../../services/receipts/receipts.js';
import type { CounterSync } from '../../services/sync/index.js';

export type HandlerFn<C extends Channel> = (
  input: ChannelParsedInput<C>,
  session: Session,
) => Promise<ChannelOutput<C>>;
export type HandlerMap<K extends Channel> = { [C in K]: HandlerFn<C> };

/** What every handler module gets from the host. */
export type HostDeps = {
  ctx: ServiceContext;
  log: Logger;
  devices: CounterDevices;
  sync: CounterSync;
  receipts: ReceiptService;
  emit<E extends EventName>(name: E, payload: EventPayload<E>, target?: string): void;
  /** Recomputes the status bar and sends it to every window. */
  pushStatus(): void;
  sessionState(session: Session): SessionState;
};

/** The cashier of a session that passed the access check (handlers with role access only). */
export function cashierOf(session: Session): NonNullable<Session['cashier']> {
  if (!session.cashier) throw new Error('handler reached without a signed-in cashier');
  return session.cashier;
}
