/**
 * Every causal answer (features, effects, hypotheses, what-ifs) reads one shape: a list of
 * DAGs as parent bitmasks with normalised weights, and how they were obtained, because the
 * standard error of an estimate depends on that:
 *
 * - 'exact': the enumerated posterior, weight = P(G | D); answers are exact, no error bars;
 * - 'independent': independent draws (a GFlowNet), weight 1/n each (or importance weights
 *   after a what-if); binomial / self-normalised standard errors;
 * - 'chains': MCMC chains, kept DAGs in chain order; standard errors by batch means.
 *
 * Bitmasks limit this to MAX_BITMASK_NODES = 30 variables, far beyond what the samplers
 * resolve reliably; a larger run gets a clear error rather than a silent truncation.
 */
import { DagflowError } from '../core/errors.ts';
import type { PriorKnowledge } from '../core/types.ts';
import { compileConstraints, familyAllowed, hasCycle, MAX_BITMASK_NODES } from '../exact/constraints.ts';
import type { DagDistribution } from '../exact/distribution.ts';
import { parentMasksFromCode } from '../graph/dagCode.ts';

export type PosteriorKind = 'exact' | 'independent' | 'chains';

export interface WeightedDags {
  readonly d: number;
  readonly kind: PosteriorKind;
  /** Number of DAGs listed (samples, or enumerated DAGs). */
  readonly count: number;
  /** Parent bitmask of node j in DAG k at parents[k·d + j]. */
  readonly parents: Int32Array;
  /** Non-negative, summing to 1. */
  readonly weights: Float64Array;
  /** 'chains': how many consecutive DAGs each chain contributed (sums to count). */
  readonly chainLengths?: readonly number[];
}

export function checkBitmaskSize(d: number): void {
  if (d > MAX_BITMASK_NODES) {
    throw new DagflowError(
      'TOO_LARGE',
      `causal answers support at most ${MAX_BITMASK_NODES} variables, the run has ${d}`,
      {},
      'exclude columns you do not ask about and rerun',
    );
  }
}

/** The enumerated posterior (or any exact distribution over codes) as weighted DAGs. */
export function fromDistribution(dist: DagDistribution): WeightedDags {
  const { d } = dist;
  const count = dist.codes.length;
  const parents = new Int32Array(count * d);
  const weights = new Float64Array(count);
  let total = 0;
  for (let k = 0; k < count; k++) {
    parentMasksFromCode(dist.codes[k]!, d, parents.subarray(k * d, (k + 1) * d));
    weights[k] = Math.exp(dist.logProb[k]!);
    total += weights[k]!;
  }
  if (!(total > 0)) throw new DagflowError('BAD_OPTION', 'the posterior has no mass');
  // Renormalise away the last ulp so that sums of weights are exactly what the tests compare.
  for (let k = 0; k < count; k++) weights[k]! /= total;
  return { d, kind: 'exact', count, parents, weights };
}

/**
 * Sampled DAGs (d·d adjacencies, in file order) with equal weights, or with the sampler's
 * importance weights exp(logWeights[k]) normalised (self-normalised importance sampling). For
 * chains, `chainLengths` gives the consecutive block of each chain (they must add up to the count).
 */
export function fromSamples(
  adjacencies: readonly ArrayLike<number>[],
  d: number,
  chainLengths?: readonly number[],
  logWeights?: ArrayLike<number>,
): WeightedDags {
  checkBitmaskSize(d);
  const count = adjacencies.length;
  if (count === 0) throw new DagflowError('EMPTY_FILE', 'the run has no posterior samples');
  if (chainLengths) {
    const total = chainLengths.reduce((s, n) => s + n, 0);
    if (total !== count || chainLengths.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new DagflowError(
        'BAD_OPTION',
        `the chains kept ${chainLengths.join(' + ')} = ${total} DAGs but the sample file has ${count}`,
        {},
        'the run folder is inconsistent; rerun dagflow mcmc',
      );
    }
  }
  const parents = new Int32Array(count * d);
  adjacencies.forEach((a, k) => {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (a[i * d + j]) parents[k * d + j]! |= 1 << i;
  });
  let weights = new Float64Array(count).fill(1 / count);
  if (logWeights) {
    if (logWeights.length !== count) throw new DagflowError('INTERNAL', `${logWeights.length} importance weights for ${count} samples`);
    let max = -Infinity;
    for (let k = 0; k < count; k++) max = Math.max(max, logWeights[k]!);
    if (!Number.isFinite(max)) throw new DagflowError('BAD_OPTION', 'the importance weights of the samples are all zero or not finite');
    weights = Float64Array.from({ length: count }, (_, k) => Math.exp(logWeights[k]! - max));
    const total = weights.reduce((a, w) => a + w, 0);
    for (let k = 0; k < count; k++) weights[k]! /= total;
  }
  return {
    d,
    kind: chainLengths ? 'chains' : 'independent',
    count,
    parents,
    weights,
    ...(chainLengths ? { chainLengths: [...chainLengths] } : {}),
  };
}

/** DAG k's parent masks (a view, not a copy). */
export function parentsOfDag(post: WeightedDags, k: number): Int32Array {
  return post.parents.subarray(k * post.d, (k + 1) * post.d);
}

/** A key identifying DAG k, for memoising per-DAG work over repeated samples. */
export function dagKey(post: WeightedDags, k: number): string {
  return parentsOfDag(post, k).join(',');
}

/**
 * compute(parents) for every DAG with positive weight, once per distinct DAG (samples repeat
 * the same DAGs many times); undefined for zero-weight DAGs.
 */
export function perDistinctDag<T>(post: WeightedDags, compute: (parents: Int32Array) => T): Array<T | undefined> {
  const memo = new Map<string, T>();
  const out = new Array<T | undefined>(post.count);
  for (let k = 0; k < post.count; k++) {
    if (post.weights[k] === 0) continue;
    const key = dagKey(post, k);
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(parentsOfDag(post, k));
      memo.set(key, value);
    }
    out[k] = value;
  }
  return out;
}

export interface ConditionedPosterior {
  posterior: WeightedDags;
  /** Kish effective sample size (Σw)²/Σw² of the kept weights, in samples (count of DAGs for exact). */
  effectiveSampleSize: number;
  /** Share of the original posterior mass (or of the samples) that satisfies the constraint. */
  keptMass: number;
  keptDags: number;
}

/**
 * What-if by conditioning: keep the DAGs that satisfy the added knowledge (forbidden and
 * required edges, tiers, a parent bound), renormalise. For an exact posterior this is the
 * exact posterior under the constraint, because P(G | D, G ∈ C) ∝ R(G)·1[G ∈ C]; for samples
 * it is the self-normalised estimate of it, with fewer effective samples.
 */
export function conditionOnKnowledge(post: WeightedDags, knowledge: Partial<PriorKnowledge>): ConditionedPosterior {
  const { d } = post;
  const c = compileConstraints(d, knowledge);
  const weights = new Float64Array(post.count);
  let kept = 0;
  let keptDags = 0;
  for (let k = 0; k < post.count; k++) {
    const pa = parentsOfDag(post, k);
    let ok = true;
    for (let j = 0; j < d && ok; j++) ok = familyAllowed(c, j, pa[j]!);
    if (ok) {
      weights[k] = post.weights[k]!;
      kept += weights[k]!;
      keptDags++;
    }
  }
  if (kept > 0) for (let k = 0; k < post.count; k++) weights[k]! /= kept;
  let sumSq = 0;
  for (let k = 0; k < post.count; k++) sumSq += weights[k]! * weights[k]!;
  const effectiveSampleSize = kept > 0 ? 1 / sumSq : 0;
  return { posterior: { ...post, weights }, effectiveSampleSize, keptMass: kept, keptDags };
}

/** Checks parent masks describe a DAG over d nodes (for DAGs that come from users). */
export function checkAcyclicMasks(parentMasks: Int32Array, what: string): void {
  if (hasCycle(parentMasks)) throw new DagflowError('BAD_GRAPH', `${what} has a directed cycle`);
}
