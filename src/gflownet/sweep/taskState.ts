/**
 * The state of one sweep task, kept in its run folder as task.json and replaced atomically at
 * every change, so whoever reads the folder — the task itself when restarted, `combine`, the
 * window's progress view, a laptop the folder was copied to — sees the same answer without
 * asking Slurm:
 *
 *   running      started (host, pid, Slurm job and attempt recorded), not finished;
 *   done         the run finished and its summary.json is in place: a restart skips it;
 *   failed       the run threw; the message is kept, a restart tries again;
 *   interrupted  stopped by a signal (Slurm preemption or time limit); a restart resumes it.
 *
 * A task killed without a chance to write (SIGKILL, a lost node) stays "running" until it is
 * started again; the window says how long ago it started.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { RUN_FILES } from '../export/runDirectory.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import type { PlannedTask } from './plan.ts';

export const TASK_FILE = 'task.json';

export type TaskStateName = 'pending' | 'running' | 'done' | 'failed' | 'interrupted';

export interface TaskState {
  state: Exclude<TaskStateName, 'pending'>;
  task: PlannedTask;
  /** 1 for the first start; one more at each restart. */
  attempt: number;
  startedAt: string;
  finishedAt?: string;
  host: string;
  pid: number;
  /** "job_index" under Slurm. */
  slurmJob?: string;
  /** GFlowNet: the training step of the checkpoint this attempt resumed from. */
  resumedFromStep?: number;
  seconds?: number;
  error?: string;
  /** The settings the sweep's tasks share (sweep.json "problem"), so a run folder alone says what it is of. */
  problem?: Record<string, unknown>;
}

export async function readTaskState(runDir: string): Promise<TaskState | null> {
  let text: string;
  try {
    text = await readFile(path.join(runDir, TASK_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as TaskState;
    return typeof value === 'object' && value !== null && typeof value.state === 'string' ? value : null;
  } catch {
    // Written atomically, so only a hand edit gets here: treat the task as not started.
    return null;
  }
}

export async function writeTaskState(runDir: string, state: TaskState): Promise<void> {
  await writeFileAtomic(path.join(runDir, TASK_FILE), JSON.stringify(state, null, 2) + '\n');
}

async function summaryIsComplete(runDir: string): Promise<boolean> {
  try {
    const value: unknown = JSON.parse(await readFile(path.join(runDir, RUN_FILES.summary), 'utf8'));
    return typeof value === 'object' && value !== null && Array.isArray((value as { columns?: unknown }).columns);
  } catch {
    return false;
  }
}

/** Done means both: the task said so, and the run's summary (written last by every sampler) reads. */
export async function isTaskComplete(runDir: string): Promise<boolean> {
  const state = await readTaskState(runDir);
  return state?.state === 'done' && (await summaryIsComplete(runDir));
}
