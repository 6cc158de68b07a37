/**
 * A sweep folder on disk:
 *
 *   sweep.json      what was planned: method, seeds, grid, bootstrap, the data and its SHA-256,
 *                   the problem every task shares (its settings, as the front end recorded them);
 *   tasks.jsonl     one line per task: index, seed, grid cell, data replicate, run folder and
 *                   the exact command (program arguments) that runs it;
 *   sweep.sbatch    the Slurm array script;
 *   runs/<task>/    each task's run folder (samples.jsonl, edge_marginals.csv, summary.json,
 *                   task.json, checkpoint/ for the GFlowNet);
 *   data/           bootstrap replicates;  logs/  Slurm's per-task output.
 *
 * Run folders are named relative to the sweep folder, so the folder can be copied from the
 * cluster to a desktop and read there.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import type { GridAxis, PlannedTask } from './plan.ts';

export const SWEEP_FORMAT = 'dagflow-sweep';
export const SWEEP_VERSION = 1;
export const SWEEP_FILES = {
  manifest: 'sweep.json',
  tasks: 'tasks.jsonl',
  sbatch: 'sweep.sbatch',
  runs: 'runs',
  data: 'data',
  logs: 'logs',
} as const;

export interface SweepManifest {
  format: typeof SWEEP_FORMAT;
  version: number;
  createdAt: string;
  /** The sampler: gflownet, mc3, order or partition. */
  method: string;
  seeds: { first: number; count: number };
  grid: GridAxis[];
  bootstrap: { replicates: number; seed: number };
  data: { path: string; sha256: string; rows?: number };
  /**
   * The settings every task shares (everything but the seed, the grid and the data replicate),
   * as the front end names them; `combine` refuses runs whose problems differ.
   */
  problem: Record<string, unknown>;
  tasks: number;
  slurm: { cpusPerTask: number; mem: string; time: string; gpu: boolean; partition?: string; account?: string };
}

export interface SweepTaskLine extends PlannedTask {
  /** The run folder, relative to the sweep folder ("runs/t0000"). */
  runDir: string;
  /** The data file this task reads (a bootstrap replicate or the original). */
  dataFile: string;
  /** The arguments of the command that runs the task, after the program name. */
  argv: string[];
  /** The same as one line a user can paste. */
  command: string;
}

export async function writeManifest(dir: string, manifest: SweepManifest, tasks: readonly SweepTaskLine[]): Promise<void> {
  await writeFileAtomic(path.join(dir, SWEEP_FILES.tasks), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
  // sweep.json last: a folder with it is a complete plan.
  await writeFileAtomic(path.join(dir, SWEEP_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
}

function notASweep(dir: string, why: string): DagflowError {
  return new DagflowError('IO', `not a sweep folder: ${why}`, { file: dir }, 'give the folder the sweep was planned into');
}

export async function readManifest(dir: string): Promise<SweepManifest> {
  const file = path.join(dir, SWEEP_FILES.manifest);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw notASweep(dir, `it has no ${SWEEP_FILES.manifest}`);
  }
  let value: SweepManifest;
  try {
    value = JSON.parse(text) as SweepManifest;
  } catch {
    throw new DagflowError('BAD_OPTION', `${SWEEP_FILES.manifest} is not valid JSON`, { file });
  }
  if (value?.format !== SWEEP_FORMAT) throw notASweep(dir, `${SWEEP_FILES.manifest} is not a DAGFlow sweep manifest`);
  if (value.version > SWEEP_VERSION)
    throw new DagflowError('BAD_OPTION', `the sweep was written by a newer DAGFlow (format ${value.version})`, { file }, 'update DAGFlow');
  return value;
}

export async function readTaskLines(dir: string): Promise<SweepTaskLine[]> {
  const file = path.join(dir, SWEEP_FILES.tasks);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw notASweep(dir, `it has no ${SWEEP_FILES.tasks}`);
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, k) => {
    try {
      const t = JSON.parse(line) as SweepTaskLine;
      if (t.index !== k || typeof t.runDir !== 'string' || !Array.isArray(t.argv)) throw new Error('shape');
      return t;
    } catch {
      throw new DagflowError('BAD_OPTION', `line ${k + 1} is not task ${k}`, { file }, 'plan the sweep again');
    }
  });
}

/** The run folder of a task, inside the sweep folder (never outside it, whatever the line says). */
export function runDirOf(dir: string, task: Pick<SweepTaskLine, 'runDir' | 'index'>): string {
  const resolved = path.resolve(dir, task.runDir);
  const runs = path.resolve(dir, SWEEP_FILES.runs);
  if (!resolved.startsWith(runs + path.sep))
    throw new DagflowError('BAD_OPTION', `task ${task.index}'s run folder lies outside ${SWEEP_FILES.runs}/`, {
      file: path.join(dir, SWEEP_FILES.tasks),
    });
  return resolved;
}
