/**
 * The analyst's workflow as the contract carries it: how a data set is read, the model, the
 * sampler and its budget, and what the Node side sends back about runs (posterior views,
 * comparisons). Plain JSON shapes only: typed arrays do not survive the browser transport.
 * Edge matrices are flat, row-major d·d arrays: m[i·d + j] is about the edge i → j.
 */

import type { ModelSpec, SamplerSpec } from './workflowValidation.ts';

/** The requests' types are their schemas' outputs (valibot, shared/workflowValidation.ts). */
export type { CompareRequestView, DataOptions, ModelSpec, SamplerSpec, StartRunRequest, TruthRequestView } from './workflowValidation.ts';

export type VariableKindView = 'continuous' | 'discrete';

export interface ColumnView {
  name: string;
  role: 'variable' | 'excluded' | 'interventions';
  kind?: VariableKindView;
  /** How the kind was decided, in words. */
  reason: string;
  /** The evidence: numbers only, whole numbers, distinct values, missing cells. */
  numeric: boolean;
  wholeNumbers: boolean;
  distinct: number;
  missing: number;
  present: number;
  firstNonNumeric?: { row: number; value: string };
  levels?: string[];
}

export interface DataReport {
  datasetId: string;
  name: string;
  kind: VariableKindView;
  /** Variables in the data set, in column order. */
  variables: string[];
  rowsRead: number;
  rowsUsed: number;
  droppedRows: number;
  missingPolicy: 'refuse' | 'drop';
  missingTokens: string[];
  standardized: boolean;
  columns: ColumnView[];
  warnings: string[];
  interventions?: { source: string; counts: Record<string, number> };
}

export type ScoreName = ModelSpec['score'];
export type PriorKind = ModelSpec['prior']['kind'];

export type SamplerMethod = SamplerSpec['method'];

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunSummaryView {
  runId: string;
  /** Job ids in the job host (one per MCMC chain, one otherwise): progress events carry them. */
  jobIds: string[];
  method: SamplerMethod;
  label: string;
  datasetName: string;
  variables: string[];
  status: RunStatus;
  startedAt: number;
  endedAt?: number;
  error?: { message: string; code: string };
  /** Whether DAG samples exist (exact runs have marginals only). */
  hasSamples: boolean;
  /** Figures the run reported, in words and numbers (backend, seconds, loss …). */
  facts: Array<{ label: string; value: string }>;
}

export interface RankedDag {
  rank: number;
  /** [from, to] variable indices. */
  edges: Array<[number, number]>;
  /** Times drawn (sampled runs). */
  count?: number;
  /** Frequency among samples, or the exact posterior probability. */
  probability: number;
  /** log R(G) = log score + log prior. */
  logScore: number;
}

export interface PosteriorView {
  runId: string;
  variables: string[];
  /** P(i → j), flat d·d. */
  marginals: number[];
  /** Samples containing i → j, flat d·d (sampled runs only). */
  counts?: number[];
  sampleCount?: number;
  expectedEdges: number;
  /** Distinct DAGs by decreasing frequency (or exact probability), at most the requested number. */
  topDags: RankedDag[];
  distinctDags?: number;
  /** Index into topDags of the highest-scoring DAG seen, when known. */
  mapIndex?: number;
  logZ?: number;
  /** The run's recorded traces (training loss, or log score per MCMC chain). */
  traces?: Array<{ name: string; values: number[] }>;
  /** The DAGs grouped by Markov equivalence class (CPDAG), most probable first (app/classView.ts). */
  classes?: RankedClass[];
  distinctClasses?: number;
  /** What the class frequencies are over: every sample, or the exact posterior's listed DAGs only. */
  classesFrom?: 'samples' | 'listed DAGs';
}

export interface RankedClass {
  rank: number;
  /** Sum over the member DAGs (frequency among samples, or exact probability). */
  probability: number;
  count?: number;
  /** Highest member log score; all members share it under a score-equivalent score. */
  logScore: number;
  logScoreSpread: number;
  /** The CPDAG: compelled edges [from, to], reversible edges [a, b]. */
  directed: Array<[number, number]>;
  undirected: Array<[number, number]>;
  /** Distinct member DAGs, and the most frequent of them for the drill-down. */
  memberCount: number;
  members: Array<{ edges: Array<[number, number]>; probability: number; count?: number; logScore: number }>;
}

export interface CpdagView {
  /** Compelled edges [from, to]. */
  directed: Array<[number, number]>;
  /** Reversible edges [a, b] with a < b. */
  undirected: Array<[number, number]>;
}

export interface CurvePoint {
  x: number;
  y: number;
}

export interface TruthMetricsView {
  /** SHD of the consensus graph (P > threshold) to the truth. */
  shd: number;
  precision: number;
  recall: number;
  f1: number;
  expectedEdges: number;
  /** Mean SHD of the samples (sampled runs only). */
  eshd?: number;
  /** null when undefined (a truth without edges). */
  auroc: number | null;
  averagePrecision: number | null;
  /** False-positive rate (x) vs true-positive rate (y). */
  roc: CurvePoint[];
  /** Recall (x) vs precision (y). */
  pr: CurvePoint[];
  threshold: number;
}

export interface RunDiagnosticsView {
  /** Largest difference of an edge marginal between chains. */
  chainEdgeMarginalMaxDiff?: number;
  /** The edge with that difference and its probability in the two chains (indices into the run's variables). */
  chainWorstEdge?: { from: number; to: number; a: number; b: number };
  rhatMax?: number;
  acceptanceRate?: number;
  /** Plain-language verdict. */
  warning?: string;
  note: string;
}

export interface ComparisonView {
  a: { runId: string; label: string };
  b: { runId: string; label: string };
  variables: string[];
  rmse: number;
  maxDifference: number;
  /** null when either run's marginals are constant. */
  correlation: number | null;
  /** One point per off-diagonal edge: P_a, P_b. */
  points: Array<{ from: number; to: number; a: number; b: number }>;
  /** The edges where the runs disagree most. */
  disagreements: Array<{ from: number; to: number; a: number; b: number }>;
  diagnostics: { a: RunDiagnosticsView; b: RunDiagnosticsView };
  truth?: { name: string; edges: number; a: TruthMetricsView; b: TruthMetricsView };
  /** When one run is the exact posterior: how far the other is from it (JSD over whole DAGs on ≤ 5 variables). */
  exact?: { reference: string; run: string; edgeMarginalRmse: number; edgeMarginalMaxError: number; jsd: number | null };
}

/** Progress as the Run screen shows it, whatever the job kind. */
export interface RunProgressView {
  fraction?: number;
  etaSeconds?: number;
  stepsPerSecond?: number;
  phase?: string;
  iteration?: number;
  loss?: number;
  logScore?: number;
}

export interface Capabilities {
  methods: SamplerMethod[];
  /** Largest number of variables the exact posterior handles. */
  exactMaxVariables: number;
  cpdag: boolean;
  /** Sample data sets that come with a known true graph: data file → truth file. */
  truthSamples: Record<string, string>;
  /** Sample data sets that come with an intervention sidecar: data file → sidecar file. */
  sidecarSamples: Record<string, string>;
}
