/**
 * Issue 16, item 11: `--data` a special file. A named pipe with no writer used to hang the
 * command, and `--data <(cat f.csv)` (a /dev/fd pipe from the shell) said "the file is empty"
 * because the reader looks at a file twice. Both now end at once with one line. The corpus covers
 * the named pipe in process; this runs the real binary from a real shell, under a time bound.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, PROJECT_ROOT } from './support/corpus.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-special-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ShellRun {
  code: number | null;
  stderr: string;
  ms: number;
  killed: boolean;
}

/** `bash -c script` with the CLI as $DAGFLOW, killed after `limitMs`. */
function shell(script: string, limitMs: number): Promise<ShellRun> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('bash', ['-c', script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DAGFLOW: `${process.execPath} ${CLI_ENTRY}`, DAGFLOW_DEBUG: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: performance.now() - t0, killed });
    });
  });
}

const hasBash = ((): boolean => {
  try {
    execFileSync('bash', ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasBash)('--data a special file, through a real shell (skipped: no bash here)', () => {
  it('--data <(cat file.csv): one line naming the pipe, not "the file is empty"', async () => {
    const run = await shell('$DAGFLOW score --data <(cat samples/asia_n1000.csv)', 30_000);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^dagflow score: \/dev\/fd\/\d+: is a pipe .*, not a regular file — .*\n$/);
    expect(run.stderr).not.toContain('empty');
  }, 40_000);

  it('a named pipe with no writer: one line within the time bound instead of a hang', async () => {
    const fifo = path.join(dir, 'waiting.csv');
    execFileSync('mkfifo', [fifo]);
    const run = await shell(`$DAGFLOW train --data ${fifo} --iterations 1 --out ${path.join(dir, 'run')}`, 30_000);
    expect(run.killed, 'the command hung').toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${fifo}: is a pipe`);
  }, 40_000);
});
