/**
 * Free text on its way to a receipt printer or a customer display: a reason, a name, an address, a
 * note. Every ESC/POS command starts with a C0 control byte (ESC 0x1B, GS 0x1D, FS 0x1C, DLE 0x10), so
 * text that still holds one can open the drawer (ESC p), cut (GS V), reset (ESC @) or ask for status
 * (DLE EOT) wherever it is printed. No control character is ever legitimate inside a printed field:
 * C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F) all go; a tab or line break becomes one
 * space so words do not run together.
 */
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085]+/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

export function sanitizePrintText(text: string): string {
  return text.replace(WHITESPACE_CONTROLS, ' ').replace(CONTROLS, '');
}

/** Every string anywhere in `value` (objects, arrays) sanitized; numbers, booleans and Dates kept. */
export function sanitizePrintModel<T>(value: T, map: (s: string) => string = sanitizePrintText): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => sanitizePrintModel(v, map)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, sanitizePrintModel(v as unknown, map)]),
    ) as T;
  return value;
}
