/**
 * The window's view of a sweep folder (`dagflow sweep`): the array's progress read from the run
 * folders, and the combined posterior with its between-run diagnostics and sensitivity table
 * (`dagflow combine`). Plain data: edges by variable name, numbers already rounded by nothing.
 */

export type SweepTaskState = 'pending' | 'running' | 'done' | 'failed' | 'interrupted';

export interface SweepTaskView {
  index: number;
  id: string;
  seed: number;
  /** The grid cell as "prior=fair, max-parents=3" ("" without a grid). */
  cell: string;
  bootstrap: number | null;
  state: SweepTaskState;
  attempt: number;
  host?: string;
  startedAt?: string;
  seconds?: number;
  resumedFromStep?: number;
  error?: string;
}

export interface SweepEdgeView {
  from: string;
  to: string;
  probability: number;
  /** Between-run standard error; null with one run. */
  standardError: number | null;
  /** max − min over the runs that differ only by seed (the largest such spread with bootstrap replicates). */
  spread: number;
}

export interface SweepCellView {
  label: string;
  runs: number;
  samples: number;
  /** Most probable first. */
  edges: SweepEdgeView[];
  rhatMax: number | null;
  maxSpread: number;
  /** Runs named as disagreeing with the rest. */
  disagreeing: string[];
  warning: string | null;
}

export interface SweepSensitivityView {
  from: string;
  to: string;
  setting: string;
  at: string;
  change: number;
  values: Array<{ value: string; probability: number }>;
}

export interface SweepView {
  sweepId: string;
  /** The folder's name (the full path stays on the Node side). */
  name: string;
  method: string;
  createdAt: string;
  grid: Array<{ key: string; values: string[] }>;
  seeds: number;
  bootstrap: number;
  tasks: SweepTaskView[];
  counts: Record<SweepTaskState, number>;
  /** Null until a task has finished. */
  combined: { runs: number; columns: string[]; cells: SweepCellView[]; sensitivity: SweepSensitivityView[] } | null;
  /** Why the combination is missing or refused (e.g. runs of different problems). */
  combineError?: string;
}

export type OpenSweepRequest = { source: 'dialog' } | { source: 'path'; path: string };
