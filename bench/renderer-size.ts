/** Renderer JavaScript size after gzip (the budget is < 500 KB). Needs `vite build` first. */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { round, type Figure } from './util.js';

export function runRendererSize(): Figure[] {
  const dir = path.resolve('dist/renderer/assets');
  if (!fs.existsSync(dir))
    return [{ name: 'renderer JS gzip (run `npm run build:renderer` first)', value: NaN, unit: 'KB' }];
  const js = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  const bytes = js.reduce(
    (sum, f) => sum + gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length,
    0,
  );
  const kb = bytes / 1024;
  return [{ name: 'renderer JS, gzip', value: round(kb, 1), unit: 'KB', budget: '< 500 KB', ok: kb < 500 }];
}
