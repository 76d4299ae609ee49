/** Text of a PDF file, page by page, through Mozilla's pdf.js (a real PDF reader, not our writer). */
import fs from 'node:fs';
import path from 'node:path';

import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfText(file: string): Promise<string> {
  const data = new Uint8Array(fs.readFileSync(file));
  const doc = await getDocument({
    data,
    useSystemFonts: false,
    isEvalSupported: false,
    standardFontDataUrl: `${path.resolve('node_modules/pdfjs-dist/standard_fonts')}/`,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}
