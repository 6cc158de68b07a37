#!/usr/bin/env node
// `npm run serve`: builds the renderer when it is missing, then starts browser mode.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { register } from 'tsx/esm/api';

if (!existsSync(new URL('../out/renderer/index.html', import.meta.url))) {
  console.log('Building the app once (npm run build)…');
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
register();
await import('../src/cli/serve.ts');
