/**
 * ESC/POS real-time status (DLE EOT n): the counter sends 10 04 n, the printer answers one byte at
 * once, even in the middle of a job. Every answer has the fixed bits 0 and 7 at 0, 1 and 4 at 1
 * (0b0xx1xx10), which is how a status byte is told from noise.
 *
 *   n=1 printer status   bit 2 drawer connector pin 3 high · bit 3 offline · bit 5 waiting for
 *                        online recovery · bit 6 paper feed button pressed
 *   n=2 offline cause    bit 2 cover open · bit 3 paper fed by the button · bit 5 stopped: paper
 *                        end · bit 6 an error occurred
 *   n=3 error cause      bit 2 recoverable error · bit 3 autocutter error · bit 5 unrecoverable
 *                        error · bit 6 auto-recoverable error (e.g. head too hot)
 *   n=4 paper sensor     bits 2+3 roll near its end · bits 5+6 roll end (no paper)
 */
import { z } from 'zod';

export const DLE = 0x10;
export const EOT = 0x04;

export type StatusRequest = 1 | 2 | 3 | 4;

export function statusRequest(n: StatusRequest): number[] {
  return [DLE, EOT, n];
}

/** A byte off the wire that has the fixed bits of a DLE EOT answer. */
export const StatusByteSchema = z
  .number()
  .int()
  .min(0)
  .max(255)
  .refine((b) => (b & 0x93) === 0x12, { message: 'not a DLE EOT status byte' });

const bit = (b: number, n: number): boolean => (b & (1 << n)) !== 0;

export type PrinterStatusBits = {
  drawerPinHigh: boolean;
  offline: boolean;
  waitingForRecovery: boolean;
  feedButtonPressed: boolean;
};
export function decodePrinterStatus(b: number): PrinterStatusBits {
  return {
    drawerPinHigh: bit(b, 2),
    offline: bit(b, 3),
    waitingForRecovery: bit(b, 5),
    feedButtonPressed: bit(b, 6),
  };
}

export type OfflineCauseBits = {
  coverOpen: boolean;
  feedingByButton: boolean;
  paperEndStop: boolean;
  error: boolean;
};
export function decodeOfflineCause(b: number): OfflineCauseBits {
  return { coverOpen: bit(b, 2), feedingByButton: bit(b, 3), paperEndStop: bit(b, 5), error: bit(b, 6) };
}

export type ErrorCauseBits = {
  recoverable: boolean;
  autocutter: boolean;
  unrecoverable: boolean;
  autoRecoverable: boolean;
};
export function decodeErrorCause(b: number): ErrorCauseBits {
  return {
    recoverable: bit(b, 2),
    autocutter: bit(b, 3),
    unrecoverable: bit(b, 5),
    autoRecoverable: bit(b, 6),
  };
}

export type PaperSensorBits = { nearEnd: boolean; paperEnd: boolean };
export function decodePaperSensor(b: number): PaperSensorBits {
  return { nearEnd: (b & 0x0c) !== 0, paperEnd: (b & 0x60) !== 0 };
}

/** The answers to one status round (n=1 always; the others when the printer answered them). */
export type StatusAnswers = {
  s1: number;
  s2?: number | undefined;
  s3?: number | undefined;
  s4?: number | undefined;
};

export type PrinterCondition = {
  state: 'ready' | 'offline' | 'paper_out' | 'cover_open' | 'error';
  /** In words a CSR can act on. */
  detail: string | null;
  paperLow: boolean;
  drawerPinHigh: boolean;
};

/** One verdict from the status bytes, most actionable cause first. */
export function summarizeStatus(a: StatusAnswers): PrinterCondition {
  const s1 = decodePrinterStatus(a.s1);
  const s2 = a.s2 === undefined ? null : decodeOfflineCause(a.s2);
  const s3 = a.s3 === undefined ? null : decodeErrorCause(a.s3);
  const s4 = a.s4 === undefined ? null : decodePaperSensor(a.s4);
  const base = { paperLow: Boolean(s4?.nearEnd), drawerPinHigh: s1.drawerPinHigh };
  if (s2?.coverOpen) return { ...base, state: 'cover_open', detail: 'The printer cover is open: close it.' };
  if (s2?.paperEndStop || s4?.paperEnd)
    return { ...base, state: 'paper_out', detail: 'The printer is out of paper: load a new roll.' };
  if (s3?.unrecoverable)
    return {
      ...base,
      state: 'error',
      detail: 'The printer reports a fault it cannot recover from: switch it off and on, then call IT.',
    };
  if (s3?.autocutter)
    return {
      ...base,
      state: 'error',
      detail: 'The printer’s cutter is jammed: open the cover and clear it.',
    };
  if (s3?.autoRecoverable)
    return {
      ...base,
      state: 'error',
      detail: 'The printer paused itself (print head too hot): wait a moment.',
    };
  if (s2?.error || s3?.recoverable)
    return { ...base, state: 'error', detail: 'The printer reports an error: check paper and cover.' };
  if (s1.offline) return { ...base, state: 'offline', detail: 'The printer is offline.' };
  return {
    ...base,
    state: 'ready',
    detail: base.paperLow ? 'Paper is running low: have a new roll ready.' : null,
  };
}
