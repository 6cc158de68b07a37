/**
 * "Where does my hypothesis sit": a DAG the user draws or imports, against the posterior.
 *
 * - log P(G | D) = log R(G) − log Z. log R(G) is computed from the score and prior; log Z comes
 *   from the caller, who says how it was obtained (enumeration, the subset DP, or an estimate
 *   from the samples — estimateLogZFromSamples below);
 * - rank: 1 + the number of distinct DAGs in the posterior list with a higher log R (ties
 *   within a relative 1e-9 count as equal); percentile: the posterior mass of DAGs that score
 *   no better than G (100 % = G is the most probable DAG there);
 * - per-edge probabilities P(i → j) of its edges, and the posterior probability of its Markov
 *   equivalence class (the mass of DAGs with the same CPDAG);
 * - disagreements: per unordered pair {i, j}, the hypothesis states one of i → j, j → i or no
 *   edge; 1 − P(that state) is how much the posterior disagrees, largest first.
 */
import { logSumExp } from '../core/logmath.ts';
import { dagToCpdag } from '../graph/cpdag.ts';
import { parentsOfDag, type WeightedDags } from './weightedDags.ts';

export type LogZMethod = 'enumeration' | 'dp' | 'sample-estimate';

export interface PairDisagreement {
  from: number;
  to: number;
  /** What the hypothesis says about the pair. */
  hypothesis: 'edge' | 'no-edge';
  /** Posterior probability of the hypothesis's state of the pair. */
  probability: number;
  /** Posterior probabilities of from → to, to → from and neither. */
  forward: number;
  backward: number;
  none: number;
}

export interface HypothesisReport {
  logReward: number;
  logZ: number;
  logZMethod: LogZMethod;
  logPosterior: number;
  /** 1 = no distinct DAG in the posterior list scores higher. */
  rank: number;
  /** Distinct DAGs in the posterior list (the denominator of the rank). */
  distinctDags: number;
  /** Posterior mass of the DAGs with log R ≤ log R(G), in percent. */
  percentile: number;
  /** Whether G itself appears in the posterior list, and its weight there. */
  inPosterior: boolean;
  posteriorWeight: number;
  /** P(i → j) for each edge of G. */
  edges: Array<{ from: number; to: number; probability: number }>;
  /** Posterior probability of G's Markov equivalence class. */
  equivalenceClassProbability: number;
  /** Every pair, most disagreeing first. */
  disagreements: PairDisagreement[];
}

/** Relative tolerance for equal log R (score-equivalent DAGs differ only by rounding). */
const TIE = 1e-9;

/**
 * @param logRewards log R of each DAG of `post` (same order).
 * @param edgeMarginals P(i → j) under `post`, row-major.
 */
export function locateHypothesis(
  post: WeightedDags,
  logRewards: ArrayLike<number>,
  edgeMarginals: ArrayLike<number>,
  hypothesis: Int32Array,
  logRewardOfHypothesis: number,
  logZ: { value: number; method: LogZMethod },
): HypothesisReport {
  const { d } = post;
  const key = hypothesis.join(',');
  const tie = TIE * Math.max(1, Math.abs(logRewardOfHypothesis));
  const higher = new Set<string>();
  const distinct = new Set<string>();
  let noBetter = 0;
  let posteriorWeight = 0;
  let inPosterior = false;
  const target = cpdagKey(hypothesis, d);
  const cpdagMemo = new Map<string, string>();
  let mec = 0;
  for (let k = 0; k < post.count; k++) {
    const w = post.weights[k]!;
    if (w === 0) continue;
    const pa = parentsOfDag(post, k);
    const kKey = pa.join(',');
    distinct.add(kKey);
    if (kKey === key) {
      inPosterior = true;
      posteriorWeight += w;
    }
    if (logRewards[k]! > logRewardOfHypothesis + tie) higher.add(kKey);
    else noBetter += w;
    let c = cpdagMemo.get(kKey);
    if (c === undefined) {
      c = cpdagKey(pa, d);
      cpdagMemo.set(kKey, c);
    }
    if (c === target) mec += w;
  }
  const edges: HypothesisReport['edges'] = [];
  for (let j = 0; j < d; j++)
    for (let i = 0; i < d; i++) if ((hypothesis[j]! >>> i) & 1) edges.push({ from: i, to: j, probability: edgeMarginals[i * d + j]! });
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  const disagreements: PairDisagreement[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const forward = edgeMarginals[i * d + j]!;
      const backward = edgeMarginals[j * d + i]!;
      const none = Math.max(0, 1 - forward - backward);
      const ij = ((hypothesis[j]! >>> i) & 1) === 1;
      const ji = ((hypothesis[i]! >>> j) & 1) === 1;
      const entry = ij
        ? { from: i, to: j, hypothesis: 'edge' as const, probability: forward }
        : ji
          ? { from: j, to: i, hypothesis: 'edge' as const, probability: backward }
          : { from: i, to: j, hypothesis: 'no-edge' as const, probability: none };
      disagreements.push({
        ...entry,
        forward: entry.from === i ? forward : backward,
        backward: entry.from === i ? backward : forward,
        none,
      });
    }
  }
  disagreements.sort((a, b) => a.probability - b.probability || a.from - b.from || a.to - b.to);
  return {
    logReward: logRewardOfHypothesis,
    logZ: logZ.value,
    logZMethod: logZ.method,
    logPosterior: logRewardOfHypothesis - logZ.value,
    rank: higher.size + 1,
    distinctDags: distinct.size,
    percentile: 100 * Math.min(1, noBetter),
    inPosterior,
    posteriorWeight,
    edges,
    equivalenceClassProbability: mec,
    disagreements,
  };
}

function cpdagKey(parents: ArrayLike<number>, d: number): string {
  const adjacency = new Uint8Array(d * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < d; i++) if ((parents[j]! >>> i) & 1) adjacency[i * d + j] = 1;
  return dagToCpdag(adjacency, d).join('');
}

/**
 * log Z from independent posterior samples when no exact method applies: for exact samples,
 * the sampled frequency of a DAG estimates R(G)/Z, so over the set S of the most frequent
 * distinct DAGs, Z ≈ Σ_{G∈S} R(G) / P̂(S). Using the DAGs that hold most of the samples keeps
 * the relative error near √((1 − P̂(S))/(n P̂(S))). It is only as good as the samples: a
 * sampler that misses mass makes P̂(S) too large and log Z too small.
 */
export function estimateLogZFromSamples(post: WeightedDags, logRewards: ArrayLike<number>, topShare = 0.5): number {
  const byDag = new Map<string, { weight: number; logReward: number }>();
  for (let k = 0; k < post.count; k++) {
    const w = post.weights[k]!;
    if (w === 0) continue;
    const key = parentsOfDag(post, k).join(',');
    const e = byDag.get(key);
    if (e) e.weight += w;
    else byDag.set(key, { weight: w, logReward: logRewards[k]! });
  }
  const sorted = [...byDag.values()].sort((a, b) => b.weight - a.weight);
  const chosen: number[] = [];
  let share = 0;
  for (const e of sorted) {
    chosen.push(e.logReward);
    share += e.weight;
    if (share >= topShare) break;
  }
  return logSumExp(chosen) - Math.log(share);
}
