/**
 * What a serial scanner sends, as text the counter can route. The scanner's parser (Readline for a
 * CR/LF suffix, inter-byte timeout for none) cuts the byte stream into lines; this checks each line
 * before it goes anywhere: line noise (a wrong baud rate, a loose cable) and overlong bursts are
 * refused with a message the CSR can act on. What a valid line *is* (bill stub, receipt …) is
 * decided later by classifyScan.
 */
import { z } from 'zod';

export const MAX_SCAN_LENGTH = 64;

export type ScanFrame = { ok: true; code: string } | { ok: false; message: string };

/** Printable ASCII only: every barcode the counter reads (stubs, receipts, GTINs, serials, MACs). */
const PRINTABLE = /^[\x20-\x7e]+$/;

export function frameScanLine(raw: Uint8Array | string): ScanFrame {
  const text = typeof raw === 'string' ? raw : Array.from(raw, (b) => String.fromCharCode(b)).join('');
  // Suffix and stray line ends from a scanner set to CR/LF when the counter expects CR (or LF).
  const code = text.replace(/^[\r\n]+|[\r\n]+$/g, '').trim();
  if (code === '') return { ok: false, message: 'Empty scan: scan again.' };
  if (!PRINTABLE.test(code)) {
    return {
      ok: false,
      message:
        'The scanner sent unreadable characters (noise on the line). Scan again; if it keeps happening, check the scanner cable and its baud rate.',
    };
  }
  if (code.length > MAX_SCAN_LENGTH) {
    return {
      ok: false,
      message: `That scan is too long (${code.length} characters): scan one code at a time.`,
    };
  }
  return { ok: true, code };
}

/** A scan from the serial scanner, as the host sends it to the renderer. */
export const SerialScanEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('code'), code: z.string().min(1).max(MAX_SCAN_LENGTH), at: z.string() }),
  z.object({ kind: z.literal('rejected'), message: z.string(), at: z.string() }),
]);
export type SerialScanEvent = z.infer<typeof SerialScanEventSchema>;
