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
  const fetched = spawnSync(process.execPath, [path.join(electron.packageDir, 'install.js')], { stdio: 'inherit', timeout: 120_000 });
  electron = fetched.status === 0 ? findElectronBinary() : electron;
}
if (!electron.path) {
  console.error(`\nDAGFlow cannot open its desktop window here: ${electron.reason}.`);
  console.error('Run it in your browser instead:  npm run serve   (then open the printed URL)');
  process.exit(3);
}
const child = spawn(electron.path, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
