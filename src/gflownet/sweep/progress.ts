/**
 * The progress of a sweep read from its folder alone: every task's state from its run folder's
 * task.json (taskState.ts), counted. No scheduler is asked, so it reads the same on the
 * cluster's login node, on a laptop with a copy of the folder, or while the array still runs on
 * a shared file system.
 */
import { isTaskComplete, readTaskState, type TaskStateName } from './taskState.ts';
import { readManifest, readTaskLines, runDirOf, type SweepManifest, type SweepTaskLine } from './manifest.ts';

export interface TaskProgress {
  index: number;
  id: string;
  seed: number;
  cell: Record<string, string>;
  bootstrap: number | null;
  state: TaskStateName;
  attempt: number;
  host?: string;
  startedAt?: string;
  finishedAt?: string;
  seconds?: number;
  resumedFromStep?: number;
  error?: string;
}

export interface SweepProgress {
  dir: string;
  manifest: SweepManifest;
  tasks: TaskProgress[];
  counts: Record<TaskStateName, number>;
}

export async function taskProgress(dir: string, line: SweepTaskLine): Promise<TaskProgress> {
  const runDir = runDirOf(dir, line);
  const base = { index: line.index, id: line.id, seed: line.seed, cell: line.cell, bootstrap: line.bootstrap };
  const s = await readTaskState(runDir);
  if (s === null) return { ...base, state: 'pending', attempt: 0 };
  // "done" only with a summary that reads; a folder damaged after the fact runs again.
  const state = s.state === 'done' && !(await isTaskComplete(runDir)) ? 'failed' : s.state;
  return {
    ...base,
    state,
    attempt: s.attempt,
    host: s.host,
    startedAt: s.startedAt,
    ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
    ...(s.seconds !== undefined ? { seconds: s.seconds } : {}),
    ...(s.resumedFromStep !== undefined ? { resumedFromStep: s.resumedFromStep } : {}),
    ...(s.error ? { error: s.error } : state !== s.state ? { error: 'marked done, but its summary.json is missing or unreadable' } : {}),
  };
}

export async function sweepProgress(dir: string): Promise<SweepProgress> {
  const manifest = await readManifest(dir);
  const lines = await readTaskLines(dir);
  const tasks = await Promise.all(lines.map((l) => taskProgress(dir, l)));
  const counts: Record<TaskStateName, number> = { pending: 0, running: 0, done: 0, failed: 0, interrupted: 0 };
  for (const t of tasks) counts[t.state]++;
  return { dir, manifest, tasks, counts };
}
