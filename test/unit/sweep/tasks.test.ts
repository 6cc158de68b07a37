import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { command as generate } from '../../../src/cli/commands/generate.ts';
import { command as sweep } from '../../../src/cli/commands/sweep.ts';
import { command as train } from '../../../src/cli/commands/train.ts';
import { runSweepTask } from '../../../src/cli/sweepTask.ts';
import { readTaskLines } from '../../../src/gflownet/sweep/manifest.ts';
import { sweepProgress } from '../../../src/gflownet/sweep/progress.ts';
import { readTaskState, writeTaskState } from '../../../src/gflownet/sweep/taskState.ts';
import { runCommand } from '../support/runCommand.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const quiet = { stdout: () => undefined, stderr: () => undefined };
/** The task's command runs as on a node: this Node.js and bin/dagflow.mjs. */
const PROGRAM = [process.execPath, path.resolve(import.meta.dirname, '../../../bin/dagflow.mjs')];

async function data(nodes: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dagflow-sweep-'));
  const r = await runCommand(
    generate,
    '--nodes',
    String(nodes),
    '--edges-per-node',
    '1',
    '--rows',
    '60',
    '--seed',
    '4',
    '--out',
    path.join(dir, 'gen'),
  );
  expect(r.code).toBe(0);
  return dir;
}

describe('sweep tasks are idempotent and restartable', () => {
  it('skips a complete task, reruns a failed one to the same result, and reruns a folder whose summary was lost', async () => {
    const dir = await data(3);
    const out = path.join(dir, 'sweep');
    const plan = await runCommand(
      sweep,
      '--data',
      path.join(dir, 'gen', 'data.csv'),
      '--method',
      'mc3',
      '--seeds',
      '2',
      '--iterations',
      '400',
      '--chains',
      '2',
      '--no-workers',
      '--out',
      out,
    );
    expect(plan.code, plan.stderr).toBe(0);
    const run0 = path.join(out, 'runs', 't0000');

    expect(await runSweepTask(out, 0, quiet, PROGRAM)).toEqual({ skipped: false, code: 0 });
    const first = await readFile(path.join(run0, 'samples.jsonl'), 'utf8');
    const mtime = (await stat(path.join(run0, 'summary.json'))).mtimeMs;
    expect(await readTaskState(run0)).toMatchObject({ state: 'done', attempt: 1, task: { index: 0, seed: 0 } });

    // Complete: skipped, nothing rewritten.
    expect(await runSweepTask(out, 0, quiet, PROGRAM)).toEqual({ skipped: true, code: 0 });
    expect((await stat(path.join(run0, 'summary.json'))).mtimeMs).toBe(mtime);

    // A failed attempt runs again; seeded chains give the same samples.
    const state = (await readTaskState(run0))!;
    await writeTaskState(run0, { ...state, state: 'failed', error: 'killed' });
    expect(await runSweepTask(out, 0, quiet, PROGRAM)).toEqual({ skipped: false, code: 0 });
    expect(await readTaskState(run0)).toMatchObject({ state: 'done', attempt: 2 });
    expect(await readFile(path.join(run0, 'samples.jsonl'), 'utf8')).toBe(first);

    // "done" without a summary is not complete: the progress says so and the task runs again.
    await rm(path.join(run0, 'summary.json'));
    const progress = await sweepProgress(out);
    expect(progress.tasks.map((t) => t.state)).toEqual(['failed', 'pending']);
    expect(progress.counts).toMatchObject({ failed: 1, pending: 1, done: 0 });
    expect((await runSweepTask(out, 0, quiet, PROGRAM)).skipped).toBe(false);
    expect((await sweepProgress(out)).counts).toMatchObject({ done: 1, pending: 1 });
  });

  it('resumes an interrupted GFlowNet task from its checkpoint and trains to the planned step count', async () => {
    const dir = await data(3);
    const out = path.join(dir, 'sweep');
    const common = ['--prefill', '2', '--batch-size', '8', '--environments', '4', '--hidden', '8', '--samples', '20', '--backend', 'cpu'];
    const plan = await runCommand(
      sweep,
      '--data',
      path.join(dir, 'gen', 'data.csv'),
      '--method',
      'gflownet',
      '--seeds',
      '1',
      '--iterations',
      '16',
      ...common,
      '--out',
      out,
    );
    expect(plan.code, plan.stderr).toBe(0);
    const [line] = await readTaskLines(out);
    const run0 = path.join(out, 'runs', 't0000');
    // The first attempt, stopped at step 8: its checkpoint is all it left.
    const partial = line!.argv.slice(1).map((a) => (a === '16' ? '8' : a));
    expect((await runCommand(train, ...partial)).code).toBe(0);
    await rm(path.join(run0, 'summary.json'));
    await writeTaskState(run0, {
      state: 'interrupted',
      task: { index: 0, id: 't0000', seed: 0, cell: {}, bootstrap: null },
      attempt: 1,
      startedAt: new Date().toISOString(),
      host: 'node1',
      pid: 1,
      error: 'stopped by SIGTERM',
    });

    expect(await runSweepTask(out, 0, quiet, PROGRAM)).toEqual({ skipped: false, code: 0 });
    expect(await readTaskState(run0)).toMatchObject({ state: 'done', attempt: 2, resumedFromStep: 8 });
    const summary = JSON.parse(await readFile(path.join(run0, 'summary.json'), 'utf8'));
    expect(summary.iterations).toBe(16);
  });

  it('records a task stopped by SIGTERM (Slurm preemption) as interrupted', async () => {
    const dir = await data(4);
    const out = path.join(dir, 'sweep');
    const plan = await runCommand(
      sweep,
      '--data',
      path.join(dir, 'gen', 'data.csv'),
      '--method',
      'mc3',
      '--iterations',
      '50000000',
      '--chains',
      '1',
      '--no-workers',
      '--out',
      out,
    );
    expect(plan.code, plan.stderr).toBe(0);
    const run0 = path.join(out, 'runs', 't0000');
    const child = spawn(process.execPath, [path.join(root, 'bin', 'dagflow.mjs'), 'sweep', '--task', '0', '--out', out], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let k = 0; k < 600 && (await readTaskState(run0))?.state !== 'running'; k++) await new Promise((r) => setTimeout(r, 100));
    expect((await readTaskState(run0))?.state).toBe('running');
    // The chain keeps its thread busy (--no-workers, 50 million iterations: minutes); the task
    // still answers SIGTERM at once, because its command runs in a child process.
    const killed = performance.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(performance.now() - killed).toBeLessThan(15_000);
    expect(await readTaskState(run0)).toMatchObject({ state: 'interrupted', error: 'stopped by SIGTERM', attempt: 1 });
    expect((await sweepProgress(out)).counts.interrupted).toBe(1);
  });
});
