/**
 * Cuts a serial scanner's byte stream into codes with serialport's own parsers: ReadlineParser for
 * scanners that end each code with CR and/or LF, InterByteTimeoutParser for scanners that send no
 * suffix (a pause ends the code). Each line is then checked by frameScanLine (noise, length).
 *
 * A line that never gets its end (a half-sent code, the cable pulled mid-scan, a scanner set to the
 * wrong suffix) is dropped after `partialTimeoutMs` with a message saying so, instead of being glued
 * to the front of the next scan. A flood without line ends is dropped at `maxLineBytes`.
 */
import { InterByteTimeoutParser, ReadlineParser } from 'serialport';

import { frameScanLine, MAX_SCAN_LENGTH, type ScanFrame } from '../../../../shared/devices/scan-line.js';
import type { ScannerSettings } from '../../../../shared/devices/settings.js';

export type LineReaderOptions = {
  suffix: ScannerSettings['suffix'];
  interByteTimeoutMs: number;
  partialTimeoutMs: number;
  maxLineBytes?: number;
};

export class ScanLineReader {
  private readonly parser: ReadlineParser | InterByteTimeoutParser;
  private readonly maxLine: number;
  private partialTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: LineReaderOptions,
    private readonly onFrame: (frame: ScanFrame) => void,
  ) {
    this.maxLine = opts.maxLineBytes ?? MAX_SCAN_LENGTH * 4;
    if (opts.suffix === 'none') {
      this.parser = new InterByteTimeoutParser({
        interval: opts.interByteTimeoutMs,
        maxBufferSize: this.maxLine,
      });
    } else {
      // LF also ends CR LF (the CR is trimmed); CR alone needs its own delimiter.
      this.parser = new ReadlineParser({ delimiter: opts.suffix === 'cr' ? '\r' : '\n', encoding: 'latin1' });
    }
    this.parser.on('data', (line: string | Buffer) => this.onFrame(frameScanLine(line)));
  }

  push(chunk: Buffer): void {
    this.parser.write(chunk);
    if (this.parser instanceof ReadlineParser) {
      const pending = this.parser.buffer.length;
      if (pending > this.maxLine) {
        this.drop(
          `The scanner sent ${pending} bytes without an end of line: check its suffix setting (CR/LF) and baud rate`,
        );
        return;
      }
      if (this.partialTimer) clearTimeout(this.partialTimer);
      this.partialTimer = null;
      if (pending > 0) {
        this.partialTimer = setTimeout(() => {
          this.partialTimer = null;
          this.drop(
            'Incomplete scan (the code had no end of line): scan again. If every scan does this, set the scanner suffix to match it',
          );
        }, this.opts.partialTimeoutMs);
        this.partialTimer.unref();
      }
    }
  }

  /** Drops a half-received code (the scanner went away mid-code). */
  reset(reason: string): void {
    if (this.parser instanceof ReadlineParser && this.parser.buffer.length > 0) this.drop(reason);
    if (this.parser instanceof InterByteTimeoutParser) this.parser.currentPacket = [];
  }

  close(): void {
    if (this.partialTimer) clearTimeout(this.partialTimer);
    if (this.parser instanceof InterByteTimeoutParser && this.parser.intervalID)
      clearTimeout(this.parser.intervalID);
    this.parser.removeAllListeners('data');
    this.parser.destroy();
  }

  private drop(message: string): void {
    if (this.parser instanceof ReadlineParser) this.parser.buffer = Buffer.alloc(0);
    if (this.partialTimer) clearTimeout(this.partialTimer);
    this.partialTimer = null;
    this.onFrame({ ok: false, message });
  }
}
