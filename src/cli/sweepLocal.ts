/**
 * `dagflow sweep --local N`: the sweep's tasks on this machine, N at a time, for users without
 * a cluster. Each task is the same command a Slurm array element runs (`dagflow sweep --task K
 * --out DIR`) in its own process, with its output in logs/local_K.out, so a local sweep and a
 * Slurm sweep write identical run folders, and a local sweep stopped half-way continues where
 * it stopped when started again (finished tasks are skipped).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { SWEEP_FILES } from '../gflownet/sweep/manifest.ts';

export interface LocalResult {
  index: number;
  code: number;
  seconds: number;
}

export async function runTasksLocally(
  program: readonly string[],
  dir: string,
  indices: readonly number[],
  parallel: number,
  report: (line: string) => void,
): Promise<LocalResult[]> {
  const logs = path.join(dir, SWEEP_FILES.logs);
  await mkdir(logs, { recursive: true });
  const queue = [...indices];
  const results: LocalResult[] = [];
  const children = new Set<ReturnType<typeof spawn>>();
  // Ctrl-C stops the tasks too (each records itself as interrupted); a restart resumes them.
  const stop = (): void => {
    for (const c of children) c.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  const runOne = (index: number): Promise<LocalResult> =>
    new Promise((resolve) => {
      const started = performance.now();
      const log = createWriteStream(path.join(logs, `local_${index}.out`), { flags: 'a' });
      const child = spawn(program[0]!, [...program.slice(1), 'sweep', '--task', String(index), '--out', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: process.env,
      });
      children.add(child);
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
      child.on('close', (code, signal) => {
        children.delete(child);
        log.end();
        resolve({ index, code: code ?? (signal ? 128 : 1), seconds: (performance.now() - started) / 1000 });
      });
    });
  const worker = async (): Promise<void> => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const r = await runOne(index);
      results.push(r);
      report(
        `task ${r.index}: ${r.code === 0 ? 'done' : `failed (exit code ${r.code}; see ${path.join(logs, `local_${r.index}.out`)})`} in ${r.seconds.toFixed(1)} s — ${results.length} of ${indices.length}`,
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, indices.length)) }, worker));
  } finally {
    process.removeListener('SIGINT', stop);
  }
  return results.sort((a, b) => a.index - b.index);
}
