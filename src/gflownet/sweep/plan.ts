/**
 * A sweep: many runs of one problem — several seeds, a grid of settings (a sensitivity
 * analysis over the prior or the parent bound), bootstrap replicates of the data — laid out as
 * tasks, one run folder each. The plan is pure: which tasks, in which order, with which seed,
 * setting values and data replicate. What command a task runs is the front end's business (it
 * turns a task into its own arguments); the engine keys grid settings by opaque names.
 *
 * Order: grid cell, then bootstrap replicate, then seed — so the array index of a task never
 * changes when only the number of seeds is read back, and a cell's tasks are neighbours.
 */
import { DagflowError } from '../core/errors.ts';

/** One axis of the grid: a setting and the values it takes. */
export interface GridAxis {
  key: string;
  values: string[];
}

export interface SweepPlanInput {
  /** Seeds first, first + 1, …, first + count − 1. */
  seeds: { first: number; count: number };
  grid: readonly GridAxis[];
  /** Bootstrap replicates of the data (0: the data as it is). */
  bootstrap: number;
}

export interface PlannedTask {
  /** 0-based array index ($SLURM_ARRAY_TASK_ID). */
  index: number;
  /** Folder name under runs/, e.g. "t0007". */
  id: string;
  seed: number;
  /** One value per grid axis, in the order of the axes. */
  cell: Record<string, string>;
  /** Bootstrap replicate 1…B, or null for the original data. */
  bootstrap: number | null;
}

/** The largest array a sweep plans: Slurm's default MaxArraySize is 1001 (indices 0…1000). */
export const MAX_SWEEP_TASKS = 1000;

export function taskId(index: number): string {
  return `t${String(index).padStart(4, '0')}`;
}

/** A grid cell as a label: "prior=erdos-renyi, max-parents=3" ("" without a grid). */
export function cellLabel(cell: Record<string, string>): string {
  return Object.entries(cell)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export function checkGrid(grid: readonly GridAxis[]): void {
  const seen = new Set<string>();
  for (const axis of grid) {
    if (seen.has(axis.key))
      throw new DagflowError(
        'BAD_OPTION',
        `the grid names the setting "${axis.key}" twice`,
        {},
        'give each setting once, with all its values separated by commas',
      );
    seen.add(axis.key);
    if (axis.values.length === 0) throw new DagflowError('BAD_OPTION', `the grid setting "${axis.key}" has no values`);
    const values = new Set(axis.values);
    if (values.size !== axis.values.length)
      throw new DagflowError('BAD_OPTION', `the grid setting "${axis.key}" repeats a value (${axis.values.join(', ')})`);
  }
}

/** Every combination of the grid's values, first axis slowest. */
export function gridCells(grid: readonly GridAxis[]): Array<Record<string, string>> {
  let cells: Array<Record<string, string>> = [{}];
  for (const axis of grid) cells = cells.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  return cells;
}

export function planSweep(input: SweepPlanInput): PlannedTask[] {
  const { seeds, grid, bootstrap } = input;
  if (!Number.isInteger(seeds.count) || seeds.count < 1)
    throw new DagflowError('BAD_OPTION', `a sweep needs at least one seed, got ${seeds.count}`);
  if (!Number.isInteger(seeds.first) || seeds.first < 0)
    throw new DagflowError('BAD_OPTION', `the first seed must be a whole number ≥ 0, got ${seeds.first}`);
  if (!Number.isInteger(bootstrap) || bootstrap < 0)
    throw new DagflowError('BAD_OPTION', `bootstrap replicates must be a whole number ≥ 0, got ${bootstrap}`);
  checkGrid(grid);
  const cells = gridCells(grid);
  const replicates: Array<number | null> = bootstrap === 0 ? [null] : Array.from({ length: bootstrap }, (_, b) => b + 1);
  const total = cells.length * replicates.length * seeds.count;
  if (total > MAX_SWEEP_TASKS)
    throw new DagflowError(
      'TOO_LARGE',
      `the sweep would have ${total} tasks (${cells.length} grid cells × ${replicates.length} data sets × ${seeds.count} seeds); at most ${MAX_SWEEP_TASKS} fit in one Slurm array`,
      {},
      'use fewer seeds, grid values or bootstrap replicates, or split the sweep',
    );
  const tasks: PlannedTask[] = [];
  for (const cell of cells)
    for (const b of replicates)
      for (let s = 0; s < seeds.count; s++) {
        const index = tasks.length;
        tasks.push({ index, id: taskId(index), seed: seeds.first + s, cell, bootstrap: b });
      }
  return tasks;
}
