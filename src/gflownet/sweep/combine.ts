/**
 * Finished runs of one problem into one posterior estimate per grid cell, with what tells
 * whether the runs may be pooled:
 *
 * - The estimate of a feature (an edge i → j, a directed path, adjacency, Markov-blanket
 *   membership) is the mean of the runs' estimates, each run weighted equally: a run is the
 *   unit of replication (same budget, independent seed), and its own estimate already carries
 *   whatever weighting its sampler needs (importance weights, Rao–Blackwellised MCMC
 *   marginals). The standard error is the between-run one, sd / √R: it measures what the
 *   sampler's own error bars cannot — runs stuck in different modes.
 * - Between-run diagnostics within a group of runs that differ only by seed: the spread
 *   (max − min) of every edge probability, R̂ across runs (each run one chain; split R̂ on the
 *   log score, R̂ on every edge indicator), and the runs that disagree with the rest (an edge
 *   more than MARGINAL_DIFF_WARNING from the mean of the others), by name.
 * - Bootstrap replicates: the spread of the edge probabilities between replicates measures
 *   how much an edge depends on the particular data sample, not on the sampler.
 * - A grid: a sensitivity table of the edges whose probability moves by more than
 *   SENSITIVITY_CHANGE when one setting changes and the others stay (sensitivity.ts).
 */
import { MARGINAL_DIFF_WARNING, RHAT_WARNING, rhatFromMoments, splitRhat, type SeriesMoments } from '../mcmc/diagnostics.ts';
import { cellLabel } from './plan.ts';

export interface RunEstimate {
  /** How the run is named in messages (its folder, or task id). */
  label: string;
  cell: Record<string, string>;
  bootstrap: number | null;
  seed: number | null;
  /** P(i → j), row-major, in the combination's column order. */
  edge: Float64Array;
  /** From the run's samples (null when it has none, or too many variables). */
  features: { path: Float64Array; adjacent: Float64Array; markovBlanket: Float64Array } | null;
  /** The samples' log scores in sampling order (null without samples). */
  logScores: Float64Array | null;
  /** Samples behind the edge estimate (0 when unknown). */
  sampleCount: number;
}

export interface Estimated {
  mean: Float64Array;
  /** Between-run standard error; null with a single run. */
  standardError: Float64Array | null;
}

export interface Disagreement {
  run: string;
  from: number;
  to: number;
  /** The edge's probability in this run and the mean of the other runs of its group. */
  probability: number;
  others: number;
}

export interface GroupDiagnostics {
  /** The runs that differ only by seed (same cell, same data replicate). */
  bootstrap: number | null;
  runs: string[];
  /** max − min of each edge probability over the group's runs. */
  spread: Float64Array;
  rhatLogScore: number | null;
  rhatEdgeMax: number | null;
  rhatWorstEdge: { from: number; to: number } | null;
  disagreements: Disagreement[];
}

export interface CellCombination {
  cell: Record<string, string>;
  label: string;
  runs: string[];
  samples: number;
  edge: Estimated;
  path: Estimated | null;
  adjacent: Estimated | null;
  markovBlanket: Estimated | null;
  groups: GroupDiagnostics[];
  /** Per edge, the largest spread over the groups of runs that differ only by seed. */
  spread: Float64Array;
  /** Standard deviation over bootstrap replicates of the replicate means (null without bootstrap). */
  bootstrapSd: Float64Array | null;
  /** The largest spread of an edge over all groups, and the largest R̂. */
  maxSpread: number;
  rhatMax: number | null;
  /** Plain-language verdict when runs disagree or have not mixed; null when they agree. */
  warning: string | null;
}

/** Edge indicators whose pooled frequency is below this (or above 1 − it) are resolved: no R̂. */
const RARE_EDGE = 0.01;

export function meanAndError(values: readonly Float64Array[]): Estimated {
  const R = values.length;
  const m = values[0]!.length;
  const mean = new Float64Array(m);
  for (const v of values) for (let f = 0; f < m; f++) mean[f]! += v[f]! / R;
  for (let f = 0; f < m; f++) mean[f] = Math.min(1, Math.max(0, mean[f]!));
  if (R < 2) return { mean, standardError: null };
  const se = new Float64Array(m);
  for (let f = 0; f < m; f++) {
    let ss = 0;
    for (const v of values) ss += (v[f]! - mean[f]!) ** 2;
    se[f] = Math.sqrt(ss / (R - 1) / R);
  }
  return { mean, standardError: se };
}

function spreadOf(values: readonly Float64Array[]): Float64Array {
  const m = values[0]!.length;
  const out = new Float64Array(m);
  for (let f = 0; f < m; f++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v[f]!);
      hi = Math.max(hi, v[f]!);
    }
    out[f] = hi - lo;
  }
  return out;
}

/** R̂ of edge indicators with each run one chain: a run's indicator has mean p and variance p(1 − p)·n/(n − 1). */
function edgeRhat(runs: readonly RunEstimate[], d: number): { max: number | null; worst: { from: number; to: number } | null } {
  if (runs.length < 2 || runs.some((r) => r.sampleCount < 2)) return { max: null, worst: null };
  let max: number | null = null;
  let worst: { from: number; to: number } | null = null;
  const total = runs.reduce((s, r) => s + r.sampleCount, 0);
  for (let e = 0; e < d * d; e++) {
    const pooled = runs.reduce((s, r) => s + r.edge[e]! * r.sampleCount, 0) / total;
    if (pooled < RARE_EDGE || pooled > 1 - RARE_EDGE) continue;
    const moments: SeriesMoments[] = runs.map((r) => {
      const p = r.edge[e]!;
      const n = r.sampleCount;
      return { n, mean: p, variance: (n / (n - 1)) * p * (1 - p) };
    });
    const rhat = rhatFromMoments(moments);
    if (rhat !== null && (max === null || rhat > max)) {
      max = rhat;
      worst = { from: Math.floor(e / d), to: e % d };
    }
  }
  return { max: max ?? 1, worst };
}

function disagreementsOf(runs: readonly RunEstimate[], d: number): Disagreement[] {
  const out: Disagreement[] = [];
  if (runs.length < 2) return out;
  for (const r of runs) {
    let worst: Disagreement | null = null;
    for (let e = 0; e < d * d; e++) {
      if (Math.floor(e / d) === e % d) continue;
      const others = runs.reduce((s, o) => (o === r ? s : s + o.edge[e]!), 0) / (runs.length - 1);
      const diff = Math.abs(r.edge[e]! - others);
      if (diff > MARGINAL_DIFF_WARNING && (worst === null || diff > Math.abs(worst.probability - worst.others)))
        worst = { run: r.label, from: Math.floor(e / d), to: e % d, probability: r.edge[e]!, others };
    }
    if (worst) out.push(worst);
  }
  return out;
}

function groupDiagnostics(runs: readonly RunEstimate[], d: number): GroupDiagnostics {
  const series = runs.map((r) => r.logScores).filter((s): s is Float64Array => s !== null && s.length >= 4);
  const rhatLogScore = series.length === runs.length && runs.length >= 2 ? splitRhat(series) : null;
  const edge = edgeRhat(runs, d);
  return {
    bootstrap: runs[0]!.bootstrap,
    runs: runs.map((r) => r.label),
    spread: spreadOf(runs.map((r) => r.edge)),
    rhatLogScore,
    rhatEdgeMax: edge.max,
    rhatWorstEdge: edge.worst,
    disagreements: disagreementsOf(runs, d),
  };
}

function featureEstimate(runs: readonly RunEstimate[], pick: 'path' | 'adjacent' | 'markovBlanket'): Estimated | null {
  if (runs.some((r) => r.features === null)) return null;
  return meanAndError(runs.map((r) => r.features![pick]));
}

function bootstrapSd(runs: readonly RunEstimate[]): Float64Array | null {
  const replicates = [...new Set(runs.map((r) => r.bootstrap))].filter((b): b is number => b !== null);
  if (replicates.length < 2) return null;
  const means = replicates.map((b) => meanAndError(runs.filter((r) => r.bootstrap === b).map((r) => r.edge)).mean);
  const { standardError } = meanAndError(means);
  // sd = se · √R
  return standardError!.map((se) => se * Math.sqrt(means.length));
}

function verdict(c: Omit<CellCombination, 'warning'>, name: (i: number) => string): string | null {
  const problems: string[] = [];
  const named = c.groups.flatMap((g) => g.disagreements);
  if (named.length > 0) {
    const list = named
      .slice(0, 5)
      .map((x) => `${x.run} (${name(x.from)} → ${name(x.to)}: ${x.probability.toFixed(2)} against ${x.others.toFixed(2)} in the others)`)
      .join('; ');
    problems.push(`runs disagree with the rest: ${list}${named.length > 5 ? `; and ${named.length - 5} more` : ''}`);
  }
  if (c.rhatMax !== null && c.rhatMax > RHAT_WARNING)
    problems.push(`R-hat across runs is ${c.rhatMax >= 100 ? c.rhatMax.toExponential(1) : c.rhatMax.toFixed(2)} (above ${RHAT_WARNING})`);
  if (problems.length === 0) return null;
  return `Runs ${c.label ? `of ${c.label} ` : ''}do not agree: ${problems.join('; ')}. The combined probabilities average over runs that found different graphs; run longer or look at the runs named.`;
}

export function combineCell(runs: readonly RunEstimate[], d: number, name: (i: number) => string): CellCombination {
  if (runs.length === 0) throw new Error('combineCell: no runs');
  const keyOf = (b: number | null): string => String(b);
  const byReplicate = new Map<string, RunEstimate[]>();
  for (const r of runs) byReplicate.set(keyOf(r.bootstrap), [...(byReplicate.get(keyOf(r.bootstrap)) ?? []), r]);
  const groups = [...byReplicate.values()].map((g) => groupDiagnostics(g, d));
  const rhats = groups.flatMap((g) => [g.rhatLogScore, g.rhatEdgeMax]).filter((x): x is number => x !== null);
  const base = {
    cell: runs[0]!.cell,
    label: cellLabel(runs[0]!.cell),
    runs: runs.map((r) => r.label),
    samples: runs.reduce((s, r) => s + r.sampleCount, 0),
    edge: meanAndError(runs.map((r) => r.edge)),
    path: featureEstimate(runs, 'path'),
    adjacent: featureEstimate(runs, 'adjacent'),
    markovBlanket: featureEstimate(runs, 'markovBlanket'),
    groups,
    spread: groups.reduce((m, g) => m.map((x, e) => Math.max(x, g.spread[e]!)), new Float64Array(d * d)),
    bootstrapSd: bootstrapSd(runs),
    maxSpread: Math.max(0, ...groups.map((g) => Math.max(0, ...g.spread))),
    rhatMax: rhats.length > 0 ? Math.max(...rhats) : null,
  };
  return { ...base, warning: verdict(base, name) };
}
