/** Receipt lines are wrapped to this width so they read the same on 42- and 48-column paper. */
export const RECEIPT_WRAP = 42;

/** A sentence as receipt lines of at most `width` characters, broken between words. */
export function wrapText(text: string, width = RECEIPT_WRAP): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
