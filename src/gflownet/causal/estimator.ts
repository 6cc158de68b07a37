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
    return { mean, standardError: null };
  }
  // Per batch: A (vector) and W; accumulated as ΣA², ΣA·W, ΣW² so that nothing is stored per batch.
  const sumA2 = new Float64Array(m);
  const sumAW = new Float64Array(m);
  let sumW2 = 0;
  let batches = 0;
  // The same sums with one batch per chain.
  const chainA2 = new Float64Array(m);
  const chainAW = new Float64Array(m);
  let chainW2 = 0;
  let chains = 0;
  const aChain = new Float64Array(m);
  let wChain = 0;
  const a = new Float64Array(m);
  let wBatch = 0;
  const closeBatch = (): void => {
    for (let f = 0; f < m; f++) {
      sumA2[f]! += a[f]! * a[f]!;
      sumAW[f]! += a[f]! * wBatch;
    }
    sumW2 += wBatch * wBatch;
    batches++;
    a.fill(0);
    wBatch = 0;
  };
  const closeChain = (): void => {
    for (let f = 0; f < m; f++) {
      chainA2[f]! += aChain[f]! * aChain[f]!;
      chainAW[f]! += aChain[f]! * wChain;
    }
    chainW2 += wChain * wChain;
    chains++;
    aChain.fill(0);
    wChain = 0;
  };
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
      for (let f = 0; f < m; f++) {
        mean[f]! += w * x[f]!;
        a[f]! += w * x[f]!;
        aChain[f]! += w * x[f]!;
      }
      wBatch += w;
      wChain += w;
    }
    if (k + 1 === boundaries[next]) {
      closeBatch();
      next++;
    }
    if (chainEnds.has(k + 1)) closeChain();
  }
  const standardError = new Float64Array(m);
  // Independent draws: batches of one, no small-sample factor (binomial with equal weights).
  const factor = post.kind === 'chains' && batches > 1 ? batches / (batches - 1) : 1;
  const chainFactor = chains > 1 ? chains / (chains - 1) : 0;
  for (let f = 0; f < m; f++) {
    const p = mean[f]!;
    const v = factor * (sumA2[f]! - 2 * p * sumAW[f]! + p * p * sumW2);
    const between = chainFactor * (chainA2[f]! - 2 * p * chainAW[f]! + p * p * chainW2);
    standardError[f] = Math.sqrt(Math.max(0, v, between));
  }
  return { mean, standardError };
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
