/**
 * A TCP proxy for fault tests, between the counter and the server. Per connection and per chunk it
 * can: refuse (down), drop the connection at random, delay every chunk, stall a response forever (the
 * client times out), and — the case that bites POS systems — CUT A RESPONSE after the server has
 * started sending it, i.e. after the server committed: the client never learns its push was applied.
 */
import net from 'node:net';

export type ProxyFaults = {
  /** Refuse every new connection and cut the open ones. */
  down: boolean;
  /** Probability that a new connection is dropped after a short random time, and that a request chunk is dropped with its connection. */
  dropRate: number;
  /** Extra delay for every chunk, picked uniformly in [min, max] ms. */
  delayMs: [number, number];
  /** Probability that a response chunk from the server is not delivered and both sides are cut. */
  cutResponseRate: number;
  /** Probability that a response is held forever (the client's timeout fires). */
  stallRate: number;
  /** Cut every connection once this many response bytes went through it (0: never): a long stream cut mid-way. */
  cutResponseAfterBytes: number;
};

export type ProxyStats = {
  connections: number;
  refused: number;
  dropped: number;
  cutResponses: number;
  stalled: number;
};

export type TcpProxy = {
  port: number;
  url: string;
  stats: ProxyStats;
  setFaults(f: Partial<ProxyFaults>): void;
  close(): Promise<void>;
};

export const NO_FAULTS: ProxyFaults = {
  down: false,
  dropRate: 0,
  delayMs: [0, 0],
  cutResponseRate: 0,
  stallRate: 0,
  cutResponseAfterBytes: 0,
};

export async function startTcpProxy(
  target: { host: string; port: number },
  initial: Partial<ProxyFaults> = {},
): Promise<TcpProxy> {
  let faults: ProxyFaults = { ...NO_FAULTS, ...initial };
  const stats: ProxyStats = { connections: 0, refused: 0, dropped: 0, cutResponses: 0, stalled: 0 };
  const open = new Set<net.Socket>();
  const delay = (): number => faults.delayMs[0] + Math.random() * (faults.delayMs[1] - faults.delayMs[0]);

  const server = net.createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (faults.down) {
      stats.refused++;
      client.destroy();
      return;
    }
    stats.connections++;
    const upstream = net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    let cut = false;
    let stalled = false;
    let responseBytes = 0;
    const kill = (): void => {
      cut = true;
      client.destroy();
      upstream.destroy();
    };
    if (Math.random() < faults.dropRate) {
      stats.dropped++;
      setTimeout(kill, Math.random() * 40);
    }
    // Chunks keep their order: each waits for the one before it.
    let toServer = Promise.resolve();
    let toClient = Promise.resolve();
    client.on('data', (chunk) => {
      if (cut) return;
      if (Math.random() < faults.dropRate) {
        // Dropped while the request is on its way: the server never sees it.
        stats.dropped++;
        kill();
        return;
      }
      toServer = toServer.then(async () => {
        const d = delay();
        if (d) await new Promise((r) => setTimeout(r, d));
        if (!cut && !upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', (chunk) => {
      if (stalled || cut) return;
      if (Math.random() < faults.stallRate) {
        stats.stalled++;
        stalled = true;
        return;
      }
      responseBytes += chunk.length;
      if (
        Math.random() < faults.cutResponseRate ||
        (faults.cutResponseAfterBytes > 0 && responseBytes > faults.cutResponseAfterBytes)
      ) {
        // The server is answering: it has committed. The client never gets the answer.
        stats.cutResponses++;
        kill();
        return;
      }
      toClient = toClient.then(async () => {
        const d = delay();
        if (d) await new Promise((r) => setTimeout(r, d));
        if (!cut && !client.destroyed) client.write(chunk);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    setFaults(f) {
      faults = { ...faults, ...f };
      if (faults.down) for (const s of open) s.destroy();
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
