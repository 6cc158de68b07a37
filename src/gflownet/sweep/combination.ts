/**
 * `combine` end to end: a sweep folder (its finished tasks) or a list of run folders → the
 * combined posterior of every grid cell, the between-run diagnostics and the sensitivity
 * table (combine.ts, sensitivity.ts), and the files that hold them:
 *
 *   combined.json          everything, with edges named;
 *   [cell-k/]samples.jsonl the pooled samples of the cell's runs (run after run);
 *   [cell-k/]edge_marginals.csv  the combined edge probabilities (a run folder's format, so
 *                          every command that reads a run reads the combination).
 *
 * One cell (no grid) writes straight into the output folder.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { writeEdgeMarginalsCsv, writePosteriorSamplesFile } from '../samples/format.ts';
import { combineCell, type CellCombination, type Estimated } from './combine.ts';
import { checkSameProblem, loadRunForCombining, type LoadedRun } from './loadRuns.ts';
import { readManifest, readTaskLines, runDirOf } from './manifest.ts';
import { cellLabel, gridCells, type GridAxis } from './plan.ts';
import { sensitivityTable, type SensitivityRow } from './sensitivity.ts';
import { isTaskComplete, readTaskState } from './taskState.ts';

export interface Combination {
  columns: string[];
  /** The sweep folder, when one was combined. */
  sweep: string | null;
  methods: string[];
  grid: GridAxis[];
  runs: number;
  /** Tasks of the sweep left out because they have not finished, by state. */
  unfinished: Array<{ id: string; state: string }>;
  cells: CellCombination[];
  sensitivity: SensitivityRow[];
  /** The pooled samples of each cell, in the order of `cells`. */
  pooled: LoadedRun[][];
}

export interface CombineInput {
  /** A sweep folder, or run folders (given as they are). */
  sweep?: string;
  runs?: string[];
  /** Path, adjacency and Markov-blanket estimates too (default true; the window shows edges only). */
  features?: boolean;
}

async function sweepRuns(
  dir: string,
): Promise<{ dirs: Array<{ dir: string; label: string }>; unfinished: Combination['unfinished']; grid: GridAxis[] }> {
  const manifest = await readManifest(dir);
  const lines = await readTaskLines(dir);
  const dirs: Array<{ dir: string; label: string }> = [];
  const unfinished: Combination['unfinished'] = [];
  for (const line of lines) {
    const runDir = runDirOf(dir, line);
    if (await isTaskComplete(runDir)) dirs.push({ dir: runDir, label: line.id });
    else unfinished.push({ id: line.id, state: (await readTaskState(runDir))?.state ?? 'pending' });
  }
  return { dirs, unfinished, grid: manifest.grid };
}

/** The grid of plain run folders, from the cells their task.json files name. */
function inferredGrid(runs: readonly LoadedRun[]): GridAxis[] {
  const axes = new Map<string, string[]>();
  for (const r of runs)
    for (const [k, v] of Object.entries(r.estimate.cell)) {
      const values = axes.get(k) ?? [];
      if (!values.includes(v)) values.push(v);
      axes.set(k, values);
    }
  return [...axes].map(([key, values]) => ({ key, values }));
}

export async function combineRunFolders(input: CombineInput): Promise<Combination> {
  let dirs: Array<{ dir: string; label: string }>;
  let unfinished: Combination['unfinished'] = [];
  let grid: GridAxis[] | null = null;
  if (input.sweep !== undefined) ({ dirs, unfinished, grid } = await sweepRuns(input.sweep));
  else dirs = (input.runs ?? []).map((dir) => ({ dir, label: dir }));
  if (dirs.length === 0)
    throw new DagflowError(
      'BAD_OPTION',
      input.sweep !== undefined ? `no task of the sweep has finished yet (${unfinished.length} tasks)` : 'no run folders to combine',
      input.sweep !== undefined ? { file: input.sweep } : {},
      input.sweep !== undefined ? 'wait for the array to finish, or run its tasks on this machine' : 'give a sweep folder or run folders',
    );
  const features = input.features ?? true;
  const first = await loadRunForCombining(dirs[0]!.dir, dirs[0]!.label, undefined, features);
  const order = first.columns;
  const loaded = [first, ...(await Promise.all(dirs.slice(1).map((x) => loadRunForCombining(x.dir, x.label, order, features))))];
  checkSameProblem(loaded);
  grid ??= inferredGrid(loaded);
  const d = order.length;
  const name = (i: number): string => order[i] ?? `X${i}`;
  const cellOrder = gridCells(grid).map(cellLabel);
  const byCell = new Map<string, LoadedRun[]>();
  for (const r of loaded) {
    const key = cellLabel(r.estimate.cell);
    byCell.set(key, [...(byCell.get(key) ?? []), r]);
  }
  const keys = [...byCell.keys()].sort((a, b) => cellOrder.indexOf(a) - cellOrder.indexOf(b));
  const cells = keys.map((k) =>
    combineCell(
      byCell.get(k)!.map((r) => r.estimate),
      d,
      name,
    ),
  );
  return {
    columns: [...order],
    sweep: input.sweep ?? null,
    methods: [...new Set(loaded.map((r) => r.method ?? 'unknown'))],
    grid,
    runs: loaded.length,
    unfinished,
    cells,
    sensitivity: cells.length > 1 ? sensitivityTable(grid, cells, d) : [],
    pooled: keys.map((k) => byCell.get(k)!),
  };
}

function edgeRows(
  e: Estimated,
  columns: readonly string[],
  extra: Record<string, Float64Array | null> = {},
): Array<Record<string, unknown>> {
  const d = columns.length;
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const k = i * d + j;
      const row: Record<string, unknown> = {
        from: columns[i],
        to: columns[j],
        probability: e.mean[k],
        standardError: e.standardError ? e.standardError[k] : null,
      };
      for (const [name, v] of Object.entries(extra)) if (v) row[name] = v[k];
      rows.push(row);
    }
  return rows;
}

export function cellFolder(combination: Pick<Combination, 'cells'>, k: number): string {
  return combination.cells.length === 1 ? '.' : `cell-${k}`;
}

/** The JSON of a combination (without the pooled samples), edges by name. */
export function combinationJson(c: Combination): Record<string, unknown> {
  const name = (i: number): string => c.columns[i]!;
  return {
    format: 'dagflow-combined',
    columns: c.columns,
    sweep: c.sweep,
    methods: c.methods,
    grid: c.grid,
    runs: c.runs,
    unfinished: c.unfinished,
    cells: c.cells.map((cell, k) => ({
      cell: cell.cell,
      label: cell.label,
      folder: cellFolder(c, k),
      runs: cell.runs,
      samples: cell.samples,
      rhatMax: cell.rhatMax,
      maxSpread: cell.maxSpread,
      warning: cell.warning,
      edges: edgeRows(cell.edge, c.columns, {
        spread: cell.spread,
        bootstrapSd: cell.bootstrapSd,
      }),
      features: cell.path
        ? {
            path: edgeRows(cell.path, c.columns),
            adjacent: edgeRows(cell.adjacent!, c.columns).filter((r) => (r.from as string) < (r.to as string)),
            markovBlanket: edgeRows(cell.markovBlanket!, c.columns).filter((r) => (r.from as string) < (r.to as string)),
          }
        : null,
      groups: cell.groups.map((g) => ({
        bootstrap: g.bootstrap,
        runs: g.runs,
        maxSpread: Math.max(0, ...g.spread),
        rhatLogScore: g.rhatLogScore,
        rhatEdgeMax: g.rhatEdgeMax,
        rhatWorstEdge: g.rhatWorstEdge ? { from: name(g.rhatWorstEdge.from), to: name(g.rhatWorstEdge.to) } : null,
        disagreements: g.disagreements.map((x) => ({
          run: x.run,
          from: name(x.from),
          to: name(x.to),
          probability: x.probability,
          others: x.others,
        })),
      })),
    })),
    sensitivity: c.sensitivity.map((r) => ({
      from: name(r.from),
      to: name(r.to),
      setting: r.setting,
      at: r.at,
      change: r.change,
      values: r.values,
    })),
  };
}

export async function writeCombination(out: string, c: Combination): Promise<void> {
  const json = JSON.stringify(combinationJson(c), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
  for (let k = 0; k < c.cells.length; k++) {
    const folder = path.join(out, cellFolder(c, k));
    await mkdir(folder, { recursive: true });
    const samples = c.pooled[k]!.flatMap((r) => r.samples ?? []);
    if (samples.length > 0) await writePosteriorSamplesFile(path.join(folder, 'samples.jsonl'), samples);
    await writeEdgeMarginalsCsv(path.join(folder, 'edge_marginals.csv'), c.columns, c.cells[k]!.edge.mean);
  }
  await writeFileAtomic(path.join(out, 'combined.json'), json + '\n');
}
