import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** E2E runs against the built renderer; `npm test` builds it first, this covers `vitest --project e2e`. */
export default function setup(): void {
  const index = path.resolve('dist/renderer/index.html');
  if (!fs.existsSync(index)) execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  if (!fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    throw new Error('E2E needs Chromium at /usr/bin/chromium (apt-get install chromium) or CHROMIUM_PATH.');
  }
}
