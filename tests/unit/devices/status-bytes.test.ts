/** DLE EOT real-time status: what each bit of each answer means, and the verdict the counter shows. */
import { describe, expect, it } from 'vitest';

import {
  decodeErrorCause,
  decodeOfflineCause,
  decodePaperSensor,
  decodePrinterStatus,
  statusRequest,
  StatusByteSchema,
  summarizeStatus,
} from '../../../shared/escpos/status.js';
import { encodeStatus, ONLINE } from '../../support/device-emulator/printer.js';

describe('DLE EOT requests and answers', () => {
  it('asks with 10 04 n', () => {
    expect(statusRequest(1)).toEqual([0x10, 0x04, 0x01]);
    expect(statusRequest(4)).toEqual([0x10, 0x04, 0x04]);
  });

  it('tells a status byte (fixed bits 0xx1xx10) from noise', () => {
    for (const ok of [0x12, 0x16, 0x1e, 0x32, 0x52, 0x7e])
      expect(StatusByteSchema.safeParse(ok).success).toBe(true);
    // XON/XOFF, NUL, 0xFF, a letter: not status answers.
    for (const bad of [0x11, 0x13, 0x00, 0xff, 0x41, 0x92, 0x10, 0x02])
      expect(StatusByteSchema.safeParse(bad).success).toBe(false);
  });
});

describe('bit meanings', () => {
  it('n=1 printer status: bit 2 drawer pin 3, bit 3 offline, bit 5 waiting for recovery, bit 6 feed button', () => {
    expect(decodePrinterStatus(0x12)).toEqual({
      drawerPinHigh: false,
      offline: false,
      waitingForRecovery: false,
      feedButtonPressed: false,
    });
    expect(decodePrinterStatus(0x16).drawerPinHigh).toBe(true);
    expect(decodePrinterStatus(0x1a).offline).toBe(true);
    expect(decodePrinterStatus(0x32).waitingForRecovery).toBe(true);
    expect(decodePrinterStatus(0x52).feedButtonPressed).toBe(true);
  });

  it('n=2 offline cause: bit 2 cover, bit 3 feed button, bit 5 paper end stop, bit 6 error', () => {
    expect(decodeOfflineCause(0x12)).toEqual({
      coverOpen: false,
      feedingByButton: false,
      paperEndStop: false,
      error: false,
    });
    expect(decodeOfflineCause(0x16).coverOpen).toBe(true);
    expect(decodeOfflineCause(0x1a).feedingByButton).toBe(true);
    expect(decodeOfflineCause(0x32).paperEndStop).toBe(true);
    expect(decodeOfflineCause(0x52).error).toBe(true);
  });

  it('n=3 error cause: bit 2 recoverable, bit 3 autocutter, bit 5 unrecoverable, bit 6 auto-recoverable', () => {
    expect(decodeErrorCause(0x12)).toEqual({
      recoverable: false,
      autocutter: false,
      unrecoverable: false,
      autoRecoverable: false,
    });
    expect(decodeErrorCause(0x16).recoverable).toBe(true);
    expect(decodeErrorCause(0x1a).autocutter).toBe(true);
    expect(decodeErrorCause(0x32).unrecoverable).toBe(true);
    expect(decodeErrorCause(0x52).autoRecoverable).toBe(true);
  });

  it('n=4 paper sensor: bits 2-3 near end, bits 5-6 paper end', () => {
    expect(decodePaperSensor(0x12)).toEqual({ nearEnd: false, paperEnd: false });
    expect(decodePaperSensor(0x1e)).toEqual({ nearEnd: true, paperEnd: false });
    expect(decodePaperSensor(0x72)).toEqual({ nearEnd: false, paperEnd: true });
    expect(decodePaperSensor(0x7e)).toEqual({ nearEnd: true, paperEnd: true });
  });
});

describe('the verdict', () => {
  it('ready, with the drawer sensor passed through', () => {
    expect(summarizeStatus({ s1: 0x12, s2: 0x12, s4: 0x12 })).toEqual({
      state: 'ready',
      detail: null,
      paperLow: false,
      drawerPinHigh: false,
    });
    expect(summarizeStatus({ s1: 0x16 }).drawerPinHigh).toBe(true);
  });

  it('paper low is still ready, with a warning', () => {
    const v = summarizeStatus({ s1: 0x12, s2: 0x12, s4: 0x1e });
    expect(v).toMatchObject({ state: 'ready', paperLow: true });
    expect(v.detail).toMatch(/running low/);
  });

  it('the most actionable cause wins: cover, then paper, then cutter, then plain offline', () => {
    expect(summarizeStatus({ s1: 0x1a, s2: 0x36, s4: 0x72 }).state).toBe('cover_open');
    expect(summarizeStatus({ s1: 0x1a, s2: 0x32 }).state).toBe('paper_out');
    expect(summarizeStatus({ s1: 0x12, s2: 0x12, s4: 0x72 }).state).toBe('paper_out');
    const cutter = summarizeStatus({ s1: 0x1a, s2: 0x52, s3: 0x1a });
    expect(cutter.state).toBe('error');
    expect(cutter.detail).toMatch(/cutter/);
    expect(summarizeStatus({ s1: 0x1a, s2: 0x52, s3: 0x32 }).detail).toMatch(/cannot recover/);
    expect(summarizeStatus({ s1: 0x1a, s2: 0x12 }).state).toBe('offline');
  });

  it('agrees with the emulator’s independent encoder for every printer state it can be in', () => {
    const states = [
      { ...ONLINE },
      { ...ONLINE, paperOut: true },
      { ...ONLINE, coverOpen: true },
      { ...ONLINE, online: false },
      { ...ONLINE, cutterJammed: true },
      { ...ONLINE, paperNearEnd: true },
      { ...ONLINE, drawerOpen: true },
    ];
    const expected = ['ready', 'paper_out', 'cover_open', 'offline', 'error', 'ready', 'ready'];
    states.forEach((s, i) => {
      const answers = {
        s1: encodeStatus(1, s),
        s2: encodeStatus(2, s),
        s3: encodeStatus(3, s),
        s4: encodeStatus(4, s),
      };
      for (const b of Object.values(answers)) expect(StatusByteSchema.safeParse(b).success).toBe(true);
      const v = summarizeStatus(answers);
      expect(v.state).toBe(expected[i]);
      expect(v.drawerPinHigh).toBe(s.drawerOpen);
    });
  });
});
