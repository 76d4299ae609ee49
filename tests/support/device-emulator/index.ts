/**
 * The device emulator: a receipt printer, a barcode scanner and a cash drawer on the far ends of
 * socat pty pairs (or a TCP printer on a local port). Tests and demos use it as the counter's real
 * hardware: the counter opens the `path` of each device as its serial port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DrawerEmulator } from './drawer.js';
import { SerialEndpoint, TcpEndpoint } from './endpoint.js';
import { PrinterEmulator } from './printer.js';
import { ScannerEmulator } from './scanner.js';

export { DrawerEmulator } from './drawer.js';
export { SerialEndpoint, TcpEndpoint } from './endpoint.js';
export { encodeStatus, ONLINE, PrinterEmulator, type PrinterState } from './printer.js';
export { PtyPair } from './pty.js';
export { ScannerEmulator, type Suffix } from './scanner.js';

export type EmulatedDevice<E> = { emu: E; endpoint: SerialEndpoint; path: string };

export class DeviceBench {
  readonly dir: string;
  private readonly endpoints: SerialEndpoint[] = [];
  private readonly tcp: TcpEndpoint[] = [];

  constructor(dir?: string) {
    this.dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-dev-'));
  }

  private async serial<E extends PrinterEmulator | ScannerEmulator | DrawerEmulator>(
    name: string,
    emu: E,
  ): Promise<EmulatedDevice<E>> {
    const endpoint = new SerialEndpoint(emu, path.join(this.dir, name), path.join(this.dir, `${name}-far`));
    if (emu instanceof ScannerEmulator) emu.endpoint = endpoint;
    await endpoint.plug();
    this.endpoints.push(endpoint);
    return { emu, endpoint, path: endpoint.path };
  }

  printer(name = 'printer'): Promise<EmulatedDevice<PrinterEmulator>> {
    return this.serial(name, new PrinterEmulator());
  }

  scanner(name = 'scanner'): Promise<EmulatedDevice<ScannerEmulator>> {
    return this.serial(name, new ScannerEmulator());
  }

  drawer(
    name = 'drawer',
    openCommand?: number[],
    statusRequest?: number[],
  ): Promise<EmulatedDevice<DrawerEmulator>> {
    return this.serial(name, new DrawerEmulator(openCommand, statusRequest));
  }

  async tcpPrinter(): Promise<{ emu: PrinterEmulator; endpoint: TcpEndpoint; port: number }> {
    const emu = new PrinterEmulator();
    const endpoint = new TcpEndpoint(emu);
    const port = await endpoint.listen();
    this.tcp.push(endpoint);
    return { emu, endpoint, port };
  }

  /** Stops every socat and server this bench started and removes its folder. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.endpoints.map((e) => e.close()), ...this.tcp.map((t) => t.close())]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export type BenchDevices = {
  bench: DeviceBench;
  printer: EmulatedDevice<PrinterEmulator>;
  scanner: EmulatedDevice<ScannerEmulator>;
};

/** A bench with an emulated serial printer (the drawer on its kick port) and an emulated serial scanner. */
export async function printerAndScanner(): Promise<BenchDevices> {
  const bench = new DeviceBench();
  return { bench, printer: await bench.printer(), scanner: await bench.scanner() };
}
