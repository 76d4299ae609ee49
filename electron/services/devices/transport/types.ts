/**
 * A byte link to one device: a serial port, a TCP socket or a device file. The device manager owns
 * it; printers, drawers and scanners only see this.
 */
export interface Transport {
  /** "/dev/ttyUSB0 · 9600 8N1", "10.0.0.7:9100" … for messages. */
  readonly label: string;
  /** Sends bytes; resolves once they have left (serial: write then drain). Rejects with a DeviceError. */
  write(bytes: Buffer): Promise<void>;
  /** Bytes from the device (status answers, scanned codes). */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the link goes away by itself (unplugged, remote closed); not after close(). */
  onLost(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export type TransportFactory = () => Promise<Transport>;

/** Words for an errno, for messages a CSR or an admin can act on. */
export function errCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : '';
}

export function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
