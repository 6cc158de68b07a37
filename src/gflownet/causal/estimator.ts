/**
 * Posterior means of many indicator (or bounded) features at once, with Monte Carlo standard
 * errors chosen by how the DAGs were obtained:
 *
 * - exact posterior: Σ_k w_k x_k, no error;
 * - independent samples: the self-normalised estimator p̂ = Σ w_k x_k with
 *   Var ≈ Σ w_k² (x_k − p̂)² — with equal weights 1/n exactly the binomial p̂(1 − p̂)/n;
 * - MCMC chains: batch means. Each chain is cut into batches of ⌊n_c^{2/3}⌋ consecutive
 *   DAGs (about n_c^{1/3} batches: long ones, because DAG chains are strongly autocorrelated
 *   and √n_c-long batches then understate the error — measured in the tests); with
 *   A_b = Σ_{k∈b} w_k x_k and W_b = Σ_{k∈b} w_k, Var ≈ B/(B − 1) · Σ_b (A_b − p̂ W_b)²
 *   over all B batches of all chains (Flegal & Jones 2010; the ratio form keeps it valid
 *   after a what-if zeroes some weights). Batches of different chains are compared with the
 *   same grand mean, so chains that disagree widen the error. Chains stuck in different graphs
 *   make every batch of a chain alike, which batch means cannot see; so the same formula with
 *   whole chains as batches (C chains, C/(C − 1)) is computed too, and the larger of the two is
 *   reported.
 *
 * The effective sample size of a feature is then p̂(1 − p̂)/SE².
 */
import type { WeightedDags } from './weightedDags.ts';

export interface Estimate {
  mean: Float64Array;
  /** null for an exact posterior. */
  standardError: Float64Array | null;
  /** Kish effective sample size of the weights, (Σw)²/Σw² (the count for equal weights). */
  effectiveSamples: number;
}

/**
 * Streams the DAGs of `post` in order, calling `features(k, out)` to fill the length-m
 * feature vector of DAG k (out is zeroed before each call), and returns means and errors.
 * DAGs with zero weight are skipped (they still belong to their batch).
 */
export function estimateFeatures(post: WeightedDags, m: number, features: (k: number, out: Float64Array) => void): Estimate {
  const x = new Float64Array(m);
  const mean = new Float64Array(m);
  if (post.kind === 'exact') {
    for (let k = 0; k < post.count; k++) {
      const w = post.weights[k]!;
      if (w === 0) continue;
      x.fill(0);
      features(k, x);
      for (let f = 0; f < m; f++) mean[f]! += w * x[f]!;
    }
    return { mean, standardError: null, effectiveSamples: Infinity };
  }
  let sumW = 0;
  let sumW2 = 0;
  const batches = new BatchSums(m);
  const chains = new BatchSums(m);
  const chainEnds = new Set<number>();
  if (post.kind === 'chains') {
    let end = 0;
    for (const n of post.chainLengths ?? [post.count]) if (n > 0) chainEnds.add((end += n));
  }
  const boundaries = batchEnds(post);
  let next = 0;
  for (let k = 0; k < post.count; k++) {
    const w = post.weights[k]!;
    if (w !== 0) {
      x.fill(0);
      features(k, x);
      for (let f = 0; f < m; f++) mean[f]! += w * x[f]!;
      batches.add(x, w);
      if (chainEnds.size > 0) chains.add(x, w);
      sumW += w;
      sumW2 += w * w;
    }
    if (k + 1 === boundaries[next]) {
      batches.close();
      next++;
    }
    if (chainEnds.has(k + 1)) chains.close();
  }
  const standardError = new Float64Array(m);
  // Independent draws: batches of one, no small-sample factor (binomial with equal weights).
  const factor = post.kind === 'chains' && batches.count > 1 ? batches.count / (batches.count - 1) : 1;
  const chainFactor = chains.count > 1 ? chains.count / (chains.count - 1) : 0;
  for (let f = 0; f < m; f++) {
    const p = mean[f]!;
    standardError[f] = Math.sqrt(Math.max(0, factor * batches.spread(f, p), chainFactor * chains.spread(f, p)));
  }
  return { mean, standardError, effectiveSamples: (sumW * sumW) / sumW2 };
}

/**
 * The standard error of a probability estimated at exactly 0 or 1 is 0 by the plug-in formula,
 * which would claim certainty from finitely many samples. There it is replaced by the error of
 * half a sample, √(q(1 − q)/n) with q = 1/(2n) and n the effective sample size (a Jeffreys-style
 * continuity correction): about 0.7/n.
 */
export function probabilityError(p: number, se: number, effectiveSamples: number): number {
  // Sums of n weights 1/n reach 1 only up to rounding: "exactly" means within 1e-9.
  if (!(p <= 1e-9 || p >= 1 - 1e-9) || !Number.isFinite(effectiveSamples) || effectiveSamples <= 0) return se;
  const q = 0.5 / Math.max(1, effectiveSamples);
  return Math.max(se, Math.sqrt((q * (1 - q)) / Math.max(1, effectiveSamples)));
}

/**
 * Σ_b (A_b − p·W_b)² over closed batches without storing them: ΣA², ΣA·W and ΣW² suffice.
 * A_b is the batch's weighted feature sum, W_b its weight.
 */
class BatchSums {
  private readonly a: Float64Array;
  private w = 0;
  private readonly sumA2: Float64Array;
  private readonly sumAW: Float64Array;
  private sumW2 = 0;
  count = 0;
  constructor(private readonly m: number) {
    this.a = new Float64Array(m);
    this.sumA2 = new Float64Array(m);
    this.sumAW = new Float64Array(m);
  }
  add(x: Float64Array, w: number): void {
    for (let f = 0; f < this.m; f++) this.a[f]! += w * x[f]!;
    this.w += w;
  }
  close(): void {
    for (let f = 0; f < this.m; f++) {
      this.sumA2[f]! += this.a[f]! * this.a[f]!;
      this.sumAW[f]! += this.a[f]! * this.w;
    }
    this.sumW2 += this.w * this.w;
    this.count++;
    this.a.fill(0);
    this.w = 0;
  }
  spread(f: number, p: number): number {
    return this.sumA2[f]! - 2 * p * this.sumAW[f]! + p * p * this.sumW2;
  }
}

/** Index one past the last DAG of each batch, ascending. */
function batchEnds(post: WeightedDags): number[] {
  if (post.kind !== 'chains') return Array.from({ length: post.count }, (_, k) => k + 1);
  const ends: number[] = [];
  let start = 0;
  for (const n of post.chainLengths ?? [post.count]) {
    if (n === 0) continue;
    const size = Math.max(1, Math.floor(Math.pow(n, 2 / 3)));
    const count = Math.max(1, Math.floor(n / size));
    // The remainder joins the last batch, so every DAG belongs to exactly one batch.
    for (let b = 1; b < count; b++) ends.push(start + b * size);
    ends.push(start + n);
    start += n;
  }
  return ends;
}

/** Effective sample size of a probability estimate: p(1 − p)/SE² (null when SE is 0). */
export function effectiveSampleSize(p: number, se: number): number | null {
  return se > 0 ? (p * (1 - p)) / (se * se) : null;
}
