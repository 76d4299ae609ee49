/**
 * Scans from a serial scanner arrive as host events; they are routed exactly like keyboard-wedge
 * scans. A refused line (noise, a partial code) gets its message and a beep. On the Devices screen
 * scans are not routed: the screen shows the last scan instead (that is the scanner test).
 */
import { useEffect } from 'react';

import { api } from '../api/client.js';
import { useCounter } from '../stores/counter.js';
import { beep } from './feedback.js';

export function useSerialScans(signedIn: boolean, route: (code: string) => Promise<void>): void {
  useEffect(() => {
    if (!signedIn) return;
    return api.on('scanner.scan', (scan) => {
      const counter = useCounter.getState();
      if (counter.screen === 'devices') return;
      if (scan.kind === 'code') {
        void route(scan.code);
        return;
      }
      beep(440);
      counter.notify('error', scan.message);
    });
  }, [signedIn, route]);
}
