/**
 * Run folders (a sweep's, or any list of `train`/`mcmc` output folders) read for combining:
 * each run's estimates in one column order, its place in the sweep (grid cell, data replicate,
 * seed), and a check that every run is of the same problem. What a run is of comes from, in
 * order: its task.json (a sweep task: the settings all the sweep's tasks share), the "problem"
 * record of its summary.json (MCMC), or its checkpoint's record (GFlowNet). Runs whose records
 * differ in a setting both record — other than the settings the grid varies — are refused,
 * naming the runs and the setting.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';
import { structuralFeatures } from '../causal/features.ts';
import { runPosterior } from '../causal/runPosterior.ts';
import { loadRunDirectory, type RunResults } from '../export/runDirectory.ts';
import type { RunEstimate } from './combine.ts';
import { readTaskState } from './taskState.ts';

/** Path, adjacency and Markov-blanket estimates need the samples' DAGs as bitmasks: up to this many variables. */
export const FEATURE_MAX_D = 20;

export interface LoadedRun {
  estimate: RunEstimate;
  /** The run's samples with edges by name (pooled into the combined samples.jsonl). */
  samples: PosteriorSampleRecord[] | null;
  /** Setting → value (as JSON text) of what the run is of; null when the folder records nothing. */
  problem: Map<string, string> | null;
  source: string;
  method: string | null;
  /** The variables in the combination's order (the first run's). */
  columns: string[];
}

/** A sweep's shared settings (already one flat record) with values as JSON text. */
function flatRecord(record: Record<string, unknown>): Map<string, string> {
  const into = new Map<string, string>();
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== null) into.set(k, JSON.stringify(v));
  return into;
}

/** {data: {...}, knowledge: {...}} (summary.json, checkpoint meta) as one flat record. */
function flattenRunProblem(p: { data?: unknown; knowledge?: unknown }): Map<string, string> {
  const into = new Map<string, string>();
  for (const part of [p.data, p.knowledge])
    if (part && typeof part === 'object')
      for (const [k, v] of Object.entries(part)) if (v !== undefined && v !== null) into.set(k, JSON.stringify(v));
  return into;
}

async function checkpointProblem(dir: string): Promise<Map<string, string> | null> {
  try {
    const meta = (
      JSON.parse(await readFile(path.join(dir, 'checkpoint', 'checkpoint.json'), 'utf8')) as {
        meta?: { data?: unknown; knowledge?: unknown };
      }
    ).meta;
    return meta && typeof meta.data === 'object' ? flattenRunProblem(meta) : null;
  } catch {
    return null;
  }
}

function reorder(values: Float64Array, from: readonly string[], to: readonly string[]): Float64Array {
  const index = new Map(from.map((c, k) => [c, k]));
  const perm = to.map((c) => index.get(c)!);
  const d = to.length;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = values[perm[i]! * d + perm[j]!]!;
  return out;
}

/** `features: false` skips the path, adjacency and Markov-blanket estimates (the heavy part): edges only. */
export async function loadRunForCombining(dir: string, label: string, columns?: readonly string[], features = true): Promise<LoadedRun> {
  const run: RunResults = await loadRunDirectory(dir);
  const target = columns ?? run.columns;
  if (run.columns.length !== target.length || run.columns.some((c) => !target.includes(c))) {
    throw new DagflowError(
      'BAD_OPTION',
      `this run is over the variables ${run.columns.join(', ')}, the first run over ${target.join(', ')}: they are of different problems`,
      { file: dir },
      'combine only runs on the same data',
    );
  }
  const task = await readTaskState(dir);
  const summaryProblem = run.summary.problem as { data?: unknown; knowledge?: unknown } | undefined;
  const problem = task?.problem
    ? flatRecord(task.problem)
    : summaryProblem && typeof summaryProblem === 'object'
      ? flattenRunProblem(summaryProblem)
      : await checkpointProblem(dir);
  let structural: RunEstimate['features'] = null;
  if (features && run.samples !== null && run.samples.length > 0 && target.length <= FEATURE_MAX_D) {
    const f = structuralFeatures(runPosterior(run, 'combining runs').posterior);
    structural = {
      path: reorder(f.path, run.columns, target),
      adjacent: reorder(f.adjacent, run.columns, target),
      markovBlanket: reorder(f.markovBlanket, run.columns, target),
    };
  }
  const method = typeof run.summary.method === 'string' ? run.summary.method : typeof run.summary.sampler === 'string' ? 'gflownet' : null;
  return {
    estimate: {
      label,
      cell: task?.task.cell ?? {},
      bootstrap: task?.task.bootstrap ?? null,
      seed: task?.task.seed ?? (typeof run.summary.seed === 'number' ? run.summary.seed : null),
      edge: reorder(run.marginals, run.columns, target),
      features: structural,
      logScores: run.samples ? Float64Array.from(run.samples, (s) => s.logScore) : null,
      sampleCount: run.samples?.length ?? (typeof run.summary.samples === 'number' ? run.summary.samples : 0),
    },
    samples: run.samples,
    problem,
    source: dir,
    method,
    columns: [...target],
  };
}

/** Refuses runs of different problems: a clear error naming both runs and the first setting that differs. */
export function checkSameProblem(runs: readonly LoadedRun[]): void {
  const first = runs[0];
  if (!first) return;
  for (const r of runs) {
    if (r.problem === null)
      throw new DagflowError(
        'BAD_OPTION',
        'the folder does not record which problem it is of (no task.json, no "problem" in summary.json, no checkpoint)',
        { file: r.source },
        'combine folders of sweep tasks, MCMC or GFlowNet runs',
      );
  }
  const grid = new Set(runs.flatMap((r) => Object.keys(r.estimate.cell)));
  for (const r of runs.slice(1)) {
    for (const [key, value] of r.problem!) {
      if (grid.has(key)) continue;
      const other = first.problem!.get(key);
      if (other !== undefined && other !== value)
        throw new DagflowError(
          'BAD_OPTION',
          `this run is not of the same problem as ${first.source}: its "${key}" is ${value}, there ${other}`,
          { file: r.source },
          'combine only runs of one problem (a sweep varies settings through its grid)',
        );
    }
  }
}
