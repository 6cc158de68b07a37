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
 * The command runs in this process through the command table, exactly as tasks.jsonl says.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { DagflowError, userMessage } from '../gflownet/core/errors.ts';
import { writeFileAtomicSync } from '../gflownet/io/atomicWrite.ts';
import { readManifest, readTaskLines, runDirOf } from '../gflownet/sweep/manifest.ts';
import { isTaskComplete, readTaskState, TASK_FILE, writeTaskState, type TaskState } from '../gflownet/sweep/taskState.ts';
import type { CliIo } from './command.ts';
import { inCliWords } from './fieldFlags.ts';
import { prepareOutputFolder } from './outputFolder.ts';
import { commandLoader } from './registry.ts';

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

export async function runSweepTask(dir: string, index: number, io: CliIo): Promise<TaskOutcome> {
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
  await writeTaskState(runDir, state);
  io.stderr(
    `task ${index} (${line.id}), attempt ${state.attempt}${step !== null ? `, resuming from the checkpoint at step ${step}` : ''}: dagflow ${argv.join(' ')}`,
  );
  const started = performance.now();
  const seconds = (): number => Math.round(performance.now() - started) / 1000;
  // Slurm sends SIGTERM before it kills a preempted or timed-out task: say so in the folder.
  const onTerm = (signal: NodeJS.Signals): void => {
    writeFileAtomicSync(
      path.join(runDir, TASK_FILE),
      JSON.stringify(
        { ...state, state: 'interrupted', finishedAt: new Date().toISOString(), seconds: seconds(), error: `stopped by ${signal}` },
        null,
        2,
      ) + '\n',
    );
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onTerm);
  try {
    const load = commandLoader(argv[0]!);
    if (!load)
      throw new DagflowError('BAD_OPTION', `task ${index} names an unknown command "${argv[0]}"`, { file: path.join(dir, 'tasks.jsonl') });
    const code = await (await load()).run(argv.slice(1), io);
    const finishedAt = new Date().toISOString();
    await writeTaskState(
      runDir,
      code === 0
        ? { ...state, state: 'done', finishedAt, seconds: seconds() }
        : { ...state, state: 'failed', finishedAt, seconds: seconds(), error: `exit code ${code}` },
    );
    return { skipped: false, code };
  } catch (e) {
    await writeTaskState(runDir, {
      ...state,
      state: 'failed',
      finishedAt: new Date().toISOString(),
      seconds: seconds(),
      error: inCliWords(userMessage(e)),
    });
    throw e;
  } finally {
    process.removeListener('SIGTERM', onTerm);
    process.removeListener('SIGINT', onTerm);
  }
}
