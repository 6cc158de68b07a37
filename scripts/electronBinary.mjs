// Where the Electron binary is, without triggering electron's own download (which `require('electron')` does).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ path?: string, reason?: string, packageDir?: string }} */
export function findElectronBinary() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
  if (relative && existsSync(path.join(distDir, relative))) return { path: path.join(distDir, relative), packageDir };
  return { reason: `no Electron binary in ${distDir} (it is downloaded on first launch, which needs internet access)`, packageDir };
}
