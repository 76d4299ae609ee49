/**
 * The renderer's CounterApi client. In Electron it uses the preload bridge (window.countertop); in
 * the browser host it speaks the same calls over the WebSocket, with the per-launch token from the
 * URL fragment. Calls are typed by the shared contract; errors come back as ApiError.
 */
import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
} from '../../../shared/api/contract.js';
import type { ApiErrorShape, Reply } from '../../../shared/api/errors.js';
import { ServerMessageSchema } from '../../../shared/api/wire.js';

type Bridge = {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(listener: (name: string, payload: unknown) => void): () => void;
};

declare global {
  interface Window {
    countertop?: Bridge;
  }
}

export class ApiError extends Error {
  readonly code: ApiErrorShape['code'];
  readonly field: string | undefined;
  readonly details: ApiErrorShape['details'];
  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.code = shape.code;
    this.field = shape.field;
    this.details = shape.details;
  }
}

type Transport = {
  invoke(channel: string, input: unknown): Promise<Reply<unknown>>;
  on(listener: (name: string, payload: unknown) => void): () => void;
  onConnection(listener: (up: boolean) => void): () => void;
};

function bridgeTransport(bridge: Bridge): Transport {
  return {
    invoke: (channel, input) => bridge.invoke(channel, input) as Promise<Reply<unknown>>,
    on: (listener) => bridge.on(listener),
    onConnection: () => () => undefined,
  };
}

function tokenFromLocation(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('countertop.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem('countertop.token') ?? '';
}

/** Waits between reconnect attempts after the host went away: quick at first, then every few seconds. */
const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 4000];

function socketTransport(): Transport {
  const token = tokenFromLocation();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const connListeners = new Set<(up: boolean) => void>();
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  let nextId = 1;
  let ws: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;

  // After the host restarts (same machine, same data folder, so the same token), the window opens a
  // new connection by itself. The new connection is a new, signed-out session: the cashier signs in
  // again, as after any restart.
  const reconnectLater = (): void => {
    if (retry) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)];
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      connect().catch(() => undefined);
    }, delay);
  };

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      let opened = false;
      const socket = new WebSocket(
        `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`,
      );
      socket.onopen = () => {
        opened = true;
        failures = 0;
        ws = socket;
        connListeners.forEach((l) => l(true));
        resolve(socket);
      };
      socket.onerror = () =>
        reject(
          new ApiError({
            code: 'INTERNAL',
            message: 'Cannot reach the counter service. Restart Countertop.',
          }),
        );
      socket.onclose = () => {
        ws = null;
        ready = null;
        for (const [, done] of pending)
          done({
            ok: false,
            error: { code: 'INTERNAL', message: 'The connection to the counter service dropped. Try again.' },
          });
        pending.clear();
        if (opened || failures === 0) connListeners.forEach((l) => l(false));
        reconnectLater();
      };
      socket.onmessage = (ev) => {
        let data: unknown;
        try {
          data = JSON.parse(String(ev.data));
        } catch {
          return;
        }
        const parsed = ServerMessageSchema.safeParse(data);
        if (!parsed.success) return;
        const msg = parsed.data;
        if (msg.type === 'reply') {
          pending.get(msg.id)?.(msg.reply as Reply<unknown>);
          pending.delete(msg.id);
        } else {
          listeners.forEach((l) => l(msg.name, msg.payload));
        }
      };
    });
    return ready;
  };

  return {
    async invoke(channel, input) {
      const socket = ws ?? (await connect());
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'call', id, channel, input }));
      });
    },
    on(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connListeners.add(listener);
      return () => connListeners.delete(listener);
    },
  };
}

const transport: Transport = window.countertop ? bridgeTransport(window.countertop) : socketTransport();

export const api = {
  async call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const reply = await transport.invoke(channel, input);
    if (!reply.ok) throw new ApiError(reply.error);
    return reply.value as ChannelOutput<C>;
  },
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return transport.on((n, payload) => {
      if (n === name) listener(payload as EventPayload<E>);
    });
  },
  onConnection(listener: (up: boolean) => void): () => void {
    return transport.onConnection(listener);
  },
};
