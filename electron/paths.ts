/** Where the project lives, from source (electron/…) or from the build (dist/electron/…). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'countertop'
    )
      return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the countertop project root');
    dir = up;
  }
}

export function rendererDir(root = projectRoot()): string {
  return path.join(root, 'dist', 'renderer');
}

export function defaultDataDir(root = projectRoot()): string {
  return process.env.COUNTERTOP_DATA_DIR ?? path.join(root, '.countertop');
}
