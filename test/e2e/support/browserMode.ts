/**
 * Starts the real browser-mode server (`node scripts/serve.mjs --port 0`) for end-to-end tests
 * and reads the tokened URL it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface BrowserModeServer {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function startBrowserMode(extraArgs: string[] = []): Promise<BrowserModeServer> {
  // Each server gets its own recovery folder unless a test shares one on purpose, so no test sees
  // (or leaves behind) another run's unsaved-session autosaves.
  const recovery = extraArgs.includes('--recovery-dir')
    ? []
    : ['--recovery-dir', mkdtempSync(path.join(tmpdir(), 'dagflow-e2e-recovery-'))];
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', ...recovery, ...extraArgs], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start within 60 s:\n${out}`)), 60_000);
    const check = (): void => {
      const m = out.match(/(http:\/\/[^\s]+\?token=[A-Za-z0-9_-]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited with code ${code}:\n${out}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
