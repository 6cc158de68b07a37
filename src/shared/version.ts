import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

let cached: string | undefined;

/** The app version from package.json (found by walking up from this file, bundled or not). */
export function readVersion(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dagflow' && pkg.version) return (cached = pkg.version);
    } catch {
      /* keep walking up */
    }
    dir = path.dirname(dir);
  }
  return (cached = '0.0.0');
}
