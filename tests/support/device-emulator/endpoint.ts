/**
 * The emulator's end of a link: the far side of a socat pty pair (opened with serialport), or a TCP
 * socket accepted by a local "9100" server. Emulators only see `onBytes` and `send`.
 */
import net from 'node:net';

import { SerialPort } from 'serialport';

import { PtyPair } from './pty.js';

export interface EmulatorCore {
  /** Bytes the counter sent. */
  receive(chunk: Buffer, reply: (bytes: Buffer) => void): void;
}

/** A serial device on the far end of a pty pair, with unplug/replug. */
export class SerialEndpoint {
  readonly pty: PtyPair;
  private port: SerialPort | null = null;

  constructor(
    private readonly core: EmulatorCore,
    near: string,
    far: string,
  ) {
    this.pty = new PtyPair(near, far);
  }

  /** The path the counter opens. */
  get path(): string {
    return this.pty.near;
  }

  async plug(): Promise<void> {
    await this.pty.start();
    const port = new SerialPort({ path: this.pty.far, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('error', () => undefined);
    port.on('data', (chunk: Buffer) =>
      this.core.receive(chunk, (bytes) => {
        if (port.isOpen) port.write(bytes);
      }),
    );
    this.port = port;
  }

  /** Writes bytes from the device to the counter (a scanner's code). */
  async send(bytes: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error('the emulated device is unplugged');
    await new Promise<void>((resolve, reject) =>
      port.write(bytes, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve())))),
    );
  }

  /** Pulls the cable: socat stops, both ends hang up. */
  async unplug(): Promise<void> {
    const port = this.port;
    this.port = null;
    await this.pty.stop();
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  async replug(): Promise<void> {
    await this.plug();
  }

  async close(): Promise<void> {
    await this.unplug();
  }
}

/** A network printer: a local TCP server (the counter connects to 127.0.0.1:port as to port 9100). */
export class TcpEndpoint {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly core: EmulatorCore) {}

  async listen(port = 0): Promise<number> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.on('data', (chunk) => this.core.receive(chunk, (bytes) => socket.write(bytes)));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  get connections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
