/**
 * Two posterior estimates side by side: how far apart their edge marginals are (RMSE, largest
 * difference, Pearson correlation over the d(d−1) possible edges), the edges where they
 * disagree most, and each one's metrics against a true graph and/or the exact posterior.
 * Used by `dagflow compare` (from run folders) and by the window's compare view (from runs in
 * memory): both build ComparableRun values and call compareRuns.
 */
import { DagflowError } from '../core/errors.ts';
import { empiricalDistribution } from '../exact/distribution.ts';
import { MAX_CODE_NODES, codeFromAdjacency } from '../graph/dagCode.ts';
import { compareGraphs, consensusGraph } from '../metrics/consensus.ts';
import { jensenShannon } from '../metrics/jsd.ts';
import { expectedEdgesFromMarginals, maxAbsDifference, rmse } from '../metrics/marginals.ts';
import { edgeAuroc, edgeAveragePrecision } from '../metrics/roc.ts';
import { expectedShd } from '../metrics/shd.ts';

export interface ComparableRun {
  label: string;
  variables: readonly string[];
  /** P(i → j), row-major d·d. */
  edgeMarginals: Float64Array;
  /** Sampled DAGs as d·d adjacencies; absent for a run that has marginals only (exact). */
  samples?: readonly Uint8Array[];
  /** The run's own convergence figures (summary.json "diagnostics"), passed through. */
  diagnostics?: unknown;
}

export interface ExactReference {
  /** Over the same variables, same order. */
  edgeMarginals: Float64Array;
  /** The full distribution (enumeration, d ≤ 5): DAG codes and their log probabilities. */
  posterior?: { codes: ArrayLike<number>; logProb: ArrayLike<number> };
}

export interface TruthMetrics {
  expectedEdges: number;
  /** Mean SHD of the sampled DAGs to the truth (sampled runs only). */
  expectedShd: number | null;
  /** Off-diagonal entries only. null when undefined (a truth without edges). */
  auroc: number | null;
  averagePrecision: number | null;
  /** The consensus graph (edges with P > 0.5) against the truth. */
  consensus: { shd: number; precision: number; recall: number; f1: number };
}

export interface ExactMetrics {
  edgeMarginalRmse: number;
  edgeMarginalMaxError: number;
  /** JSD (nats) of the sampled DAGs' distribution to the exact posterior (d ≤ 5, sampled runs). */
  jsd: number | null;
}

export interface EdgeDisagreement {
  from: string;
  to: string;
  a: number;
  b: number;
  difference: number;
}

export interface RunComparison {
  variables: string[];
  a: { label: string; samples: number | null };
  b: { label: string; samples: number | null };
  /** Over the d(d−1) off-diagonal entries. */
  rmse: number;
  maxDifference: number;
  /** Pearson correlation of the two runs' edge marginals; null when either is constant. */
  correlation: number | null;
  /** The edges where the runs differ most, largest first. */
  disagreements: EdgeDisagreement[];
  truth?: { edges: number; a: TruthMetrics; b: TruthMetrics };
  exact?: { a: ExactMetrics; b: ExactMetrics };
  diagnostics: { a: unknown; b: unknown };
}

export const DISAGREEMENTS_LISTED = 10;
const CONSENSUS_THRESHOLD = 0.5;

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n === 0) return null;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k]!;
    my += y[k]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k]! - mx) * (y[k]! - my);
    sxx += (x[k]! - mx) ** 2;
    syy += (y[k]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/**
 * Run b with its variables put in run a's order; an error when the two runs are not over the
 * same variables.
 */
export function alignRun(a: ComparableRun, b: ComparableRun): ComparableRun {
  const d = a.variables.length;
  const index = new Map(b.variables.map((v, k) => [v, k]));
  const missing = a.variables.filter((v) => !index.has(v));
  if (b.variables.length !== d || missing.length > 0) {
    throw new DagflowError(
      'BAD_OPTION',
      `${a.label} and ${b.label} are over different variables (${a.variables.join(', ')} vs ${b.variables.join(', ')})`,
      {},
      'compare two runs on the same data and columns',
    );
  }
  if (a.variables.every((v, k) => b.variables[k] === v)) return b;
  const perm = a.variables.map((v) => index.get(v)!);
  const permute = <T extends Float64Array | Uint8Array>(m: T, make: (n: number) => T): T => {
    const out = make(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = m[perm[i]! * d + perm[j]!]!;
    return out;
  };
  return {
    ...b,
    variables: a.variables,
    edgeMarginals: permute(b.edgeMarginals, (n) => new Float64Array(n)),
    samples: b.samples?.map((s) => permute(s, (n) => new Uint8Array(n))),
  };
}

export function truthMetrics(run: ComparableRun, truth: Uint8Array): TruthMetrics {
  const d = run.variables.length;
  const m = run.edgeMarginals;
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  const c = compareGraphs(consensusGraph(m, d, CONSENSUS_THRESHOLD), truth, d);
  return {
    expectedEdges: expectedEdgesFromMarginals(m),
    expectedShd: run.samples && run.samples.length > 0 ? expectedShd(run.samples, truth, d) : null,
    auroc: finite(edgeAuroc(m, truth, d)),
    averagePrecision: finite(edgeAveragePrecision(m, truth, d)),
    consensus: { shd: c.shd, precision: c.precision, recall: c.recall, f1: c.f1 },
  };
}

export function exactMetrics(run: ComparableRun, exact: ExactReference): ExactMetrics {
  const d = run.variables.length;
  let jsd: number | null = null;
  if (exact.posterior && run.samples && run.samples.length > 0 && d <= MAX_CODE_NODES) {
    jsd = jensenShannon(
      empiricalDistribution(
        d,
        run.samples.map((s) => codeFromAdjacency(s, d)),
      ),
      exact.posterior,
    );
  }
  return {
    edgeMarginalRmse: rmse(run.edgeMarginals, exact.edgeMarginals, d),
    edgeMarginalMaxError: maxAbsDifference(run.edgeMarginals, exact.edgeMarginals, d),
    jsd,
  };
}

export function compareRuns(
  a: ComparableRun,
  bIn: ComparableRun,
  references: { truth?: Uint8Array; exact?: ExactReference } = {},
): RunComparison {
  const b = alignRun(a, bIn);
  const d = a.variables.length;
  const ma = a.edgeMarginals;
  const mb = b.edgeMarginals;
  const xs: number[] = [];
  const ys: number[] = [];
  const all: EdgeDisagreement[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const e = i * d + j;
      xs.push(ma[e]!);
      ys.push(mb[e]!);
      all.push({ from: a.variables[i]!, to: a.variables[j]!, a: ma[e]!, b: mb[e]!, difference: mb[e]! - ma[e]! });
    }
  }
  all.sort((p, q) => Math.abs(q.difference) - Math.abs(p.difference));
  const result: RunComparison = {
    variables: [...a.variables],
    a: { label: a.label, samples: a.samples ? a.samples.length : null },
    b: { label: b.label, samples: b.samples ? b.samples.length : null },
    rmse: rmse(ma, mb, d),
    maxDifference: maxAbsDifference(ma, mb, d),
    correlation: pearson(xs, ys),
    disagreements: all.slice(0, DISAGREEMENTS_LISTED),
    diagnostics: { a: a.diagnostics ?? null, b: b.diagnostics ?? null },
  };
  if (references.truth) {
    let edges = 0;
    for (let e = 0; e < d * d; e++) if (references.truth[e]) edges++;
    result.truth = { edges, a: truthMetrics(a, references.truth), b: truthMetrics(b, references.truth) };
  }
  if (references.exact) result.exact = { a: exactMetrics(a, references.exact), b: exactMetrics(b, references.exact) };
  return result;
}
