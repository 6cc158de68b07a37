/**
 * One task of a sweep, as a Slurm array element (or `--local`) runs it:
 * `dagflow sweep --task K --out DIR`. Idempotent and restartable:
 *
 * - a task whose run folder is complete (task.json "done" and a summary that reads) is skipped;
 * - a GFlowNet task whose folder holds a checkpoint resumes from it (`dagflow train --resume`,
 *   same iteration budget: training continues to the planned step count);
 * - an MCMC task starts again from its seed (seeded chains repeat exactly, so the result is
 *   the one an uninterrupted run gives);
 * - SIGTERM (Slurm preemption, the time limit) is recorded as "interrupted" before the process
 *   ends, so the array's progress says what happened; a requeued task then resumes.
 *
 * The command runs as tasks.jsonl says, in a child process (see runChild).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import { writeFileAtomicSync } from '../gflownet/io/atomicWrite.ts';
import { readManifest, readTaskLines, runDirOf } from '../gflownet/sweep/manifest.ts';
import { isTaskComplete, readTaskState, TASK_FILE, type TaskState } from '../gflownet/sweep/taskState.ts';
import type { CliIo } from './command.ts';
import { prepareOutputFolder } from './outputFolder.ts';

/** The step a checkpoint folder was saved at, or null when there is no readable checkpoint. */
export function checkpointStep(dir: string): number | null {
  try {
    const json = JSON.parse(readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as { state?: { step?: unknown } };
    return typeof json.state?.step === 'number' ? json.state.step : null;
  } catch {
    return null;
  }
}

/** The task's arguments with its run folder where the sweep folder is now (it may have been copied). */
function rebased(argv: readonly string[], runDir: string): string[] {
  const out = [...argv];
  const k = out.lastIndexOf('--out');
  if (k >= 0 && k + 1 < out.length) out[k + 1] = runDir;
  else out.push('--out', runDir);
  return out;
}

export interface TaskOutcome {
  skipped: boolean;
  code: number;
}

/** `program`: the Node.js and bin/dagflow.mjs that run the task's command. */
export async function runSweepTask(dir: string, index: number, io: CliIo, program: readonly string[]): Promise<TaskOutcome> {
  const manifest = await readManifest(dir);
  const lines = await readTaskLines(dir);
  const line = lines[index];
  if (!line) throw new DagflowError('BAD_OPTION', `the sweep has tasks 0 to ${lines.length - 1}, not ${index}`, { flag: '--task' });
  const runDir = runDirOf(dir, line);
  if (await isTaskComplete(runDir)) {
    io.stdout(`task ${index} (${line.id}): complete, skipped`);
    return { skipped: true, code: 0 };
  }
  await prepareOutputFolder(runDir);
  const previous = await readTaskState(runDir);
  let argv = rebased(line.argv, runDir);
  const checkpoint = path.join(runDir, 'checkpoint');
  const step = argv[0] === 'train' ? checkpointStep(checkpoint) : null;
  if (step !== null) argv = [...argv, '--resume', checkpoint];
  const slurm = process.env.SLURM_ARRAY_JOB_ID
    ? `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID ?? index}`
    : undefined;
  const state: TaskState = {
    state: 'running',
    task: { index: line.index, id: line.id, seed: line.seed, cell: line.cell, bootstrap: line.bootstrap },
    attempt: (previous?.attempt ?? 0) + 1,
    startedAt: new Date().toISOString(),
    host: hostname(),
    pid: process.pid,
    ...(slurm ? { slurmJob: slurm } : {}),
    ...(step !== null ? { resumedFromStep: step } : {}),
    problem: manifest.problem,
  };
  const started = performance.now();
  const seconds = (): number => Math.round(performance.now() - started) / 1000;
  const finish = (update: Partial<TaskState>): TaskState => ({
    ...state,
    finishedAt: new Date().toISOString(),
    seconds: seconds(),
    ...update,
  });
  const writeNow = (s: TaskState): void => {
    writeFileAtomicSync(path.join(runDir, TASK_FILE), JSON.stringify(s, null, 2) + '\n');
  };
  // Slurm sends SIGTERM before it kills a preempted or timed-out task: say so in the folder, then
  // stop the command. Taken from before the state says "running", so no signal is ever missed;
  // written synchronously, so nothing written later can overtake it.
  let child: ChildProcess | undefined;
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) return;
    received = signal;
    writeNow(finish({ state: 'interrupted', error: `stopped by ${signal}` }));
    if (child) child.kill(signal);
    else process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    writeNow(state);
    io.stderr(
      `task ${index} (${line.id}), attempt ${state.attempt}${step !== null ? `, resuming from the checkpoint at step ${step}` : ''}: dagflow ${argv.join(' ')}`,
    );
    const { code, lastError } = await runChild(program, argv, io, (c) => (child = c));
    if (received) return { skipped: false, code: received === 'SIGINT' ? 130 : 143 };
    writeNow(code === 0 ? finish({ state: 'done' }) : finish({ state: 'failed', error: lastError ?? `exit code ${code}` }));
    return { skipped: false, code: code ?? 1 };
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  }
}

/**
 * The task's command in a child process (the same Node.js and bin/dagflow.mjs): this process
 * stays free to take Slurm's SIGTERM even while a sampler keeps the child's thread busy, passes
 * it on, and records the interruption. The child's output goes to ours line by line; its last
 * error line becomes the task's error.
 */
function runChild(
  program: readonly string[],
  argv: readonly string[],
  io: CliIo,
  onSpawn: (child: ChildProcess) => void,
): Promise<{ code: number | null; lastError: string | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program[0]!, [...program.slice(1), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn(child);
    let lastError: string | undefined;
    const lines = (stream: NodeJS.ReadableStream, write: (line: string) => void): void => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop()!;
        for (const l of parts) write(l);
      });
      stream.on('end', () => rest !== '' && write(rest));
    };
    lines(child.stdout, io.stdout);
    lines(child.stderr, (l) => {
      if (l.trim() !== '') lastError = l.trim();
      io.stderr(l);
    });
    child.on('error', (e) =>
      reject(
        new DagflowError(
          'IO',
          `cannot start the task's command (${e.message})`,
          {},
          'check that Node.js and DAGFlow are installed on this node (docs/cluster.md)',
        ),
      ),
    );
    child.on('close', (code) => resolve({ code, lastError }));
  });
}
