import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

function dagflow(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'dagflow.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the dagflow command', () => {
  it('lists its commands with --help', () => {
    const r = dagflow('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: dagflow <command>/);
    expect(r.stdout).toMatch(/\binfo\b/);
  });

  it('prints version and backend with the reason as JSON', () => {
    const r = dagflow('info', '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(info)).toEqual(['version', 'backend', 'backendReason']);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.backend);
    expect(info.backendReason.startsWith(`${info.backend}: `)).toBe(true);
  });

  it('gives every subcommand a --help', () => {
    const names = [...dagflow('--help').stdout.matchAll(/^ {2}([a-z-]+)\s/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      const r = dagflow(name, '--help');
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toContain(`dagflow ${name}`);
    }
  });

  it('answers bad input with one line and a non-zero exit, never a stack trace', () => {
    for (const args of [['nonsense'], ['info', '--backend', 'quantum'], ['info', '--frobnicate'], ['selftest', '--seconds', '-1']]) {
      const r = dagflow(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });
});
