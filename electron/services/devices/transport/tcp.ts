/** TCP transport for network receipt printers (raw port 9100). */
import net from 'node:net';

import { DeviceError } from '../printer/types.js';
import { errCode, errMessage, type Transport } from './types.js';

export function explainTcpError(host: string, port: number, err: unknown): string {
  const where = `${host}:${port}`;
  switch (errCode(err)) {
    case 'ECONNREFUSED':
      return `The printer at ${where} refused the connection: is it switched on, and is that its address and port?`;
    case 'ETIMEDOUT':
      return `No answer from ${where}: check the network cable and the printer's address`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Unknown printer host "${host}": check the name or use its IP address`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Cannot reach ${where} on this network: check the cable and the address`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `The printer at ${where} dropped the connection`;
    default:
      return `Printer at ${where}: ${errMessage(err)}`;
  }
}

export async function openTcp(host: string, port: number, connectTimeoutMs: number): Promise<Transport> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new DeviceError(explainTcpError(host, port, { code: 'ETIMEDOUT' })));
    }, connectTimeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      s.destroy();
      reject(new DeviceError(explainTcpError(host, port, err)));
    });
  });
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 10_000);
  let closing = false;
  let lost: ((reason: string) => void) | null = null;
  let lastError: unknown = null;
  socket.on('error', (err) => {
    lastError = err;
  });
  socket.on('close', () => {
    if (closing) return;
    closing = true;
    lost?.(
      lastError
        ? explainTcpError(host, port, lastError)
        : `The printer at ${host}:${port} closed the connection`,
    );
  });
  return {
    label: `${host}:${port}`,
    write(bytes) {
      return new Promise<void>((resolve, reject) => {
        if (socket.destroyed || !socket.writable) {
          reject(new DeviceError(`The connection to ${host}:${port} is closed`));
          return;
        }
        socket.write(bytes, (err) =>
          err ? reject(new DeviceError(explainTcpError(host, port, err))) : resolve(),
        );
      });
    },
    onData(listener) {
      socket.on('data', listener);
    },
    onLost(listener) {
      lost = listener;
    },
    close() {
      closing = true;
      return new Promise<void>((resolve) => {
        if (socket.destroyed) {
          resolve();
          return;
        }
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 500).unref();
      });
    },
  };
}
