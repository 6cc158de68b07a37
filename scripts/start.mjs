#!/usr/bin/env node
// `npm start`: build, then launch the desktop app. Where no Electron binary exists and none can be
// downloaded (an offline machine), say so and point to browser mode instead of failing obscurely.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { findElectronBinary } from './electronBinary.mjs';

const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let electron = findElectronBinary();
if (!electron.path && electron.packageDir) {
  console.log('Fetching the Electron binary (first launch)…');
  // The installer's own output on failure is a raw stack ("TypeError: fetch failed …"): keep only its message.
  const fetched = spawnSync(process.execPath, [path.join(electron.packageDir, 'install.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: 120_000,
  });
  if (fetched.status === 0) electron = findElectronBinary();
  else {
    const message = `${fetched.stderr ?? ''}`
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('at ') && !line.startsWith('node:'));
    electron = {
      ...electron,
      reason: `${electron.reason}; the download failed (${(message ?? 'no network?').replace(/^\w*Error: /, '')})`,
    };
  }
}
if (!electron.path) {
  console.error(`\nDAGFlow cannot open its desktop window here: ${electron.reason}.`);
  console.error('Run it in your browser instead:  npm run serve   (then open the printed URL)');
  process.exit(3);
}
const child = spawn(electron.path, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
