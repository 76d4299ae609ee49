/**
 * Scanner line framing: serialport's parsers (Readline for CR/LF, inter-byte timeout for none) plus
 * the line check. Garbage, partial lines, floods and split chunks; a stub with a wrong check digit
 * frames fine and is then classified invalid.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ScanLineReader } from '../../../electron/services/devices/scanner/line-reader.js';
import { frameScanLine, type ScanFrame } from '../../../shared/devices/scan-line.js';
import { classifyScan, makeBillStub } from '../../../shared/validators/scan.js';

function reader(suffix: 'crlf' | 'cr' | 'lf' | 'none' = 'crlf') {
  const frames: ScanFrame[] = [];
  const r = new ScanLineReader({ suffix, interByteTimeoutMs: 50, partialTimeoutMs: 500 }, (f) =>
    frames.push(f),
  );
  return { r, frames };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('frameScanLine', () => {
  it('takes a code and trims its suffix', () => {
    expect(frameScanLine('A1000042517000073454\r\n')).toEqual({ ok: true, code: 'A1000042517000073454' });
    expect(frameScanLine('\nSN4X7Q9Z2K\r')).toEqual({ ok: true, code: 'SN4X7Q9Z2K' });
    expect(frameScanLine(Uint8Array.from([0x30, 0x33, 0x36, 0x0d]))).toEqual({ ok: true, code: '036' });
  });

  it('refuses noise, control characters, empty and overlong lines', () => {
    expect(frameScanLine(Uint8Array.from([0xff, 0xfe, 0x81]))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/unreadable/),
    });
    expect(frameScanLine('A100\x00004')).toMatchObject({ ok: false });
    expect(frameScanLine('A100\x1b004')).toMatchObject({ ok: false });
    expect(frameScanLine('\r\n')).toMatchObject({ ok: false, message: expect.stringMatching(/Empty/) });
    expect(frameScanLine('X'.repeat(65))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/too long/),
    });
    expect(frameScanLine('X'.repeat(64))).toMatchObject({ ok: true });
  });

  it('a bill stub with a wrong check digit frames, then classifies as invalid with the reason', () => {
    const good = makeBillStub('1000042517', 7345);
    const bad = good.slice(0, -1) + String((Number(good.at(-1)) + 3) % 10);
    const f = frameScanLine(`${bad}\r\n`);
    expect(f).toEqual({ ok: true, code: bad });
    const c = classifyScan(bad);
    expect(c.kind).toBe('invalid');
    if (c.kind === 'invalid') expect(c.message).toMatch(/check digit/);
    expect(classifyScan(good).kind).toBe('billStub');
  });
});

describe('ScanLineReader (serialport parsers)', () => {
  it('CR/LF: one code per line, codes split across chunks are joined, two in one chunk are two', () => {
    const { r, frames } = reader('crlf');
    r.push(Buffer.from('A10000425'));
    r.push(Buffer.from('17000073454\r'));
    r.push(Buffer.from('\n036000291452\r\nSN4X7Q9Z2K\r\n'));
    expect(frames).toEqual([
      { ok: true, code: 'A1000042517000073454' },
      { ok: true, code: '036000291452' },
      { ok: true, code: 'SN4X7Q9Z2K' },
    ]);
    r.close();
  });

  it('LF-only scanners work with the CR/LF setting too', () => {
    const { r, frames } = reader('crlf');
    r.push(Buffer.from('036000291452\n'));
    expect(frames).toEqual([{ ok: true, code: '036000291452' }]);
    r.close();
  });

  it('CR: CR ends a code; a following LF is trimmed', () => {
    const { r, frames } = reader('cr');
    r.push(Buffer.from('036000291452\r\nSN4X7Q9Z2K\r'));
    expect(frames).toEqual([
      { ok: true, code: '036000291452' },
      { ok: true, code: 'SN4X7Q9Z2K' },
    ]);
    r.close();
  });

  it('garbage between good codes is refused and does not spoil them', () => {
    const { r, frames } = reader('crlf');
    r.push(
      Buffer.concat([
        Buffer.from('036000291452\r\n'),
        Buffer.from([0xf0, 0x9c, 0x80, 0x0d, 0x0a]),
        Buffer.from('SN4X7Q9Z2K\r\n'),
      ]),
    );
    expect(frames.map((f) => f.ok)).toEqual([true, false, true]);
    r.close();
  });

  it('a partial line is dropped after the timeout with a message, not glued to the next code', () => {
    vi.useFakeTimers();
    const { r, frames } = reader('crlf');
    r.push(Buffer.from('A100004'));
    vi.advanceTimersByTime(499);
    expect(frames).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(frames).toEqual([
      { ok: false, message: expect.stringMatching(/Incomplete scan/) as unknown as string },
    ]);
    r.push(Buffer.from('SN4X7Q9Z2K\r\n'));
    expect(frames[1]).toEqual({ ok: true, code: 'SN4X7Q9Z2K' });
    r.close();
  });

  it('a partial line at unplug is dropped with the reason given', () => {
    const { r, frames } = reader('crlf');
    r.push(Buffer.from('A1000'));
    r.reset('The scanner was disconnected in the middle of a code');
    expect(frames).toEqual([{ ok: false, message: 'The scanner was disconnected in the middle of a code' }]);
    r.reset('again'); // nothing pending: nothing reported
    expect(frames).toHaveLength(1);
    r.close();
  });

  it('a flood without line ends is cut off instead of growing without bound', () => {
    const { r, frames } = reader('crlf');
    r.push(Buffer.alloc(300, 0x58));
    expect(frames).toEqual([
      { ok: false, message: expect.stringMatching(/without an end of line/) as unknown as string },
    ]);
    r.push(Buffer.from('036000291452\r\n'));
    expect(frames[1]).toEqual({ ok: true, code: '036000291452' });
    r.close();
  });

  it('no suffix: a pause ends the code (InterByteTimeoutParser)', () => {
    vi.useFakeTimers();
    const { r, frames } = reader('none');
    r.push(Buffer.from('0360002'));
    vi.advanceTimersByTime(20);
    r.push(Buffer.from('91452'));
    vi.advanceTimersByTime(60);
    r.push(Buffer.from('SN4X7Q9Z2K'));
    vi.advanceTimersByTime(60);
    expect(frames).toEqual([
      { ok: true, code: '036000291452' },
      { ok: true, code: 'SN4X7Q9Z2K' },
    ]);
    r.close();
  });
});
