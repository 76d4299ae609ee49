/**
 * An emulated cash drawer with its own serial interface: opens on the open command, answers the
 * status request with one byte (bit 2 = sensor, high when open), or stays silent.
 */
import type { EmulatorCore } from './endpoint.js';

export class DrawerEmulator implements EmulatorCore {
  open = false;
  opens = 0;
  silent = false;
  private buf: number[] = [];

  constructor(
    private readonly openCommand: number[] = [0x07],
    private readonly statusRequest: number[] = [0x10, 0x04, 0x01],
  ) {}

  receive(chunk: Buffer, reply: (bytes: Buffer) => void): void {
    for (const b of chunk) this.buf.push(b);
    for (;;) {
      if (startsWith(this.buf, this.openCommand)) {
        this.buf.splice(0, this.openCommand.length);
        this.open = true;
        this.opens++;
      } else if (this.statusRequest.length && startsWith(this.buf, this.statusRequest)) {
        this.buf.splice(0, this.statusRequest.length);
        if (!this.silent) reply(Buffer.from([0x12 | (this.open ? 0x04 : 0)]));
      } else if (
        this.buf.length &&
        !isPrefix(this.buf, this.openCommand) &&
        !isPrefix(this.buf, this.statusRequest)
      ) {
        this.buf.shift();
      } else {
        break;
      }
    }
  }

  /** Someone pushes the drawer shut. */
  shut(): void {
    this.open = false;
  }
}

function startsWith(buf: number[], seq: number[]): boolean {
  return seq.length > 0 && buf.length >= seq.length && seq.every((b, i) => buf[i] === b);
}

function isPrefix(buf: number[], seq: number[]): boolean {
  return buf.length < seq.length && buf.every((b, i) => seq[i] === b);
}
