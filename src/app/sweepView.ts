/**
 * A sweep folder as the window sees it (shared/sweep.ts): the array's progress from the run
 * folders and, once a task has finished, the combined posterior — edges only, most probable
 * first, so the view stays small whatever the number of runs and samples.
 */
import * as path from 'node:path';
import { userMessage } from '../gflownet/core/errors.ts';
import { combineRunFolders, type Combination } from '../gflownet/sweep/combination.ts';
import { cellLabel } from '../gflownet/sweep/plan.ts';
import { sweepProgress } from '../gflownet/sweep/progress.ts';
import type { SweepCellView, SweepView } from '../shared/sweep.ts';

/** Edges listed per grid cell: the window shows the most probable ones. */
const EDGES_PER_CELL = 40;

function cellView(c: Combination, k: number): SweepCellView {
  const cell = c.cells[k]!;
  const d = c.columns.length;
  const edges = [];
  for (let e = 0; e < d * d; e++) {
    const from = Math.floor(e / d);
    const to = e % d;
    if (from === to) continue;
    edges.push({
      from: c.columns[from]!,
      to: c.columns[to]!,
      probability: cell.edge.mean[e]!,
      standardError: cell.edge.standardError ? cell.edge.standardError[e]! : null,
      spread: cell.spread[e]!,
    });
  }
  edges.sort((a, b) => b.probability - a.probability);
  return {
    label: cell.label,
    runs: cell.runs.length,
    samples: cell.samples,
    edges: edges.slice(0, EDGES_PER_CELL),
    rhatMax: cell.rhatMax,
    maxSpread: cell.maxSpread,
    disagreeing: [...new Set(cell.groups.flatMap((g) => g.disagreements.map((x) => path.basename(x.run))))],
    warning: cell.warning,
  };
}

export async function buildSweepView(sweepId: string, dir: string): Promise<SweepView> {
  const progress = await sweepProgress(dir);
  const m = progress.manifest;
  const view: SweepView = {
    sweepId,
    name: path.basename(dir),
    method: m.method,
    createdAt: m.createdAt,
    grid: m.grid,
    seeds: m.seeds.count,
    bootstrap: m.bootstrap.replicates,
    tasks: progress.tasks.map((t) => ({
      index: t.index,
      id: t.id,
      seed: t.seed,
      cell: cellLabel(t.cell),
      bootstrap: t.bootstrap,
      state: t.state,
      attempt: t.attempt,
      ...(t.host !== undefined ? { host: t.host } : {}),
      ...(t.startedAt !== undefined ? { startedAt: t.startedAt } : {}),
      ...(t.seconds !== undefined ? { seconds: t.seconds } : {}),
      ...(t.resumedFromStep !== undefined ? { resumedFromStep: t.resumedFromStep } : {}),
      ...(t.error !== undefined ? { error: t.error } : {}),
    })),
    counts: progress.counts,
    combined: null,
  };
  if (progress.counts.done === 0) return view;
  try {
    const c = await combineRunFolders({ sweep: dir, features: false });
    view.combined = {
      runs: c.runs,
      columns: c.columns,
      cells: c.cells.map((_, k) => cellView(c, k)),
      sensitivity: c.sensitivity.map((r) => ({
        from: c.columns[r.from]!,
        to: c.columns[r.to]!,
        setting: r.setting,
        at: r.at,
        change: r.change,
        values: r.values,
      })),
    };
  } catch (e) {
    // The progress is still worth showing when the runs cannot be combined.
    view.combineError = userMessage(e);
  }
  return view;
}
