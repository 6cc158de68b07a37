/**
 * Soft prior beliefs per edge, as a what-if on an existing posterior (prior sensitivity).
 *
 * A belief names a pair's probabilities, as bnlearn's Castelo–Siebes prior does: P(i → j) = π
 * (and optionally P(j → i) = π'); the pair's remaining mass goes to the unspecified states in
 * equal parts. Pairs without a belief are neutral (1/3 per state). The belief prior multiplies
 * the run's structure prior, so the new posterior is
 *
 *   P'(G | D) ∝ P(G | D) · Π_{pairs with beliefs} q_pair(state of the pair in G) / (1/3).
 *
 * Only the prior changes, so re-weighting the existing DAGs by that ratio is exact for an exact
 * posterior and an importance-sampling estimate for samples (with its effective sample size).
 * The factor is modular — q(state) = q(none)·(q(i→j)/q(none))^[i→j]·(q(j→i)/q(none))^[j→i] — so
 * the same beliefs could enter training and MCMC as a per-family term (familyBeliefTerm).
 */
import { DagflowError } from '../core/errors.ts';
import { parentsOfDag, type ConditionedPosterior, type WeightedDags } from './weightedDags.ts';

export interface EdgeBelief {
  from: number;
  to: number;
  /** Prior probability of from → to, in (0, 1). */
  probability: number;
}

export interface BeliefTerms {
  /** Per ordered pair (i, j): log(q(i → j)/q(none)) for pairs with a belief, 0 otherwise; row-major d·d. */
  logOdds: Float64Array;
  /** Σ over pairs with a belief of log(q(none)/(1/3)): the part of the prior ratio that no edge carries. */
  logConstant: number;
}

export function beliefTerms(d: number, beliefs: readonly EdgeBelief[]): BeliefTerms {
  const given = new Map<number, number>();
  for (const b of beliefs) {
    if (!(b.probability > 0 && b.probability < 1))
      throw new DagflowError(
        'BAD_OPTION',
        `a belief must be a probability strictly between 0 and 1, got ${b.probability} for edge ${b.from} → ${b.to}`,
        { flag: '--edge-belief' },
        'use forbidden or required edges for certainties',
      );
    if (b.from === b.to)
      throw new DagflowError('BAD_OPTION', `a belief names the self-loop ${b.from} → ${b.to}`, { flag: '--edge-belief' });
    const key = b.from * d + b.to;
    if (given.has(key))
      throw new DagflowError('BAD_OPTION', `edge ${b.from} → ${b.to} has two beliefs`, { flag: '--edge-belief' }, 'give each edge once');
    given.set(key, b.probability);
  }
  const out = new Float64Array(d * d);
  let logConstant = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const forward = given.get(i * d + j);
      const backward = given.get(j * d + i);
      if (forward === undefined && backward === undefined) continue;
      const specified = (forward ?? 0) + (backward ?? 0);
      const unspecified = 1 + (forward === undefined ? 1 : 0) + (backward === undefined ? 1 : 0);
      const rest = 1 - specified;
      if (!(rest > 0))
        throw new DagflowError(
          'BAD_OPTION',
          `the beliefs about the pair ${i}, ${j} add up to ${specified}; they must leave room for "no edge"`,
          { flag: '--edge-belief' },
        );
      // The unspecified states (always "none", maybe one direction) share what is left equally.
      const share = rest / unspecified;
      const none = share;
      out[i * d + j] = Math.log((forward ?? share) / none);
      out[j * d + i] = Math.log((backward ?? share) / none);
      logConstant += Math.log(3 * none);
    }
  }
  return { logOdds: out, logConstant };
}

/** The per-family term Σ_{i ∈ parents} logOdds[i][node] (what training or MCMC would add to log R). */
export function familyBeliefTerm(logOdds: Float64Array, d: number, node: number, parentMask: number): number {
  let s = 0;
  for (let i = 0, m = parentMask; m !== 0; i++, m >>>= 1) if (m & 1) s += logOdds[i * d + node]!;
  return s;
}

/** The posterior re-weighted as if the beliefs had been part of the prior. */
export function reweightByBeliefs(post: WeightedDags, beliefs: readonly EdgeBelief[]): ConditionedPosterior {
  const { d } = post;
  const { logOdds, logConstant } = beliefTerms(d, beliefs);
  const logW = new Float64Array(post.count);
  let max = -Infinity;
  for (let k = 0; k < post.count; k++) {
    if (post.weights[k] === 0) {
      logW[k] = -Infinity;
      continue;
    }
    const pa = parentsOfDag(post, k);
    let s = Math.log(post.weights[k]!);
    for (let j = 0; j < d; j++) s += familyBeliefTerm(logOdds, d, j, pa[j]!);
    logW[k] = s;
    if (s > max) max = s;
  }
  const weights = new Float64Array(post.count);
  let total = 0;
  for (let k = 0; k < post.count; k++) total += weights[k] = Math.exp(logW[k]! - max);
  let sumSq = 0;
  for (let k = 0; k < post.count; k++) {
    weights[k]! /= total;
    sumSq += weights[k]! * weights[k]!;
  }
  const keptDags = weights.reduce((n, w) => n + (w > 0 ? 1 : 0), 0);
  // keptMass: E_post[Π q/(1/3)] = Z'/Z, how much the data agree with the beliefs (> 1: more than with neutral ones).
  let keptMass = 0;
  for (let k = 0; k < post.count; k++) if (post.weights[k]! > 0) keptMass += Math.exp(logW[k]! + logConstant);
  return { posterior: { ...post, weights }, effectiveSampleSize: 1 / sumSq, keptMass, keptDags };
}
