/**
 * The exact posterior over DAGs on d ≤ 5 nodes by enumeration (docs/architecture.md §3): log R(G) for every
 * allowed DAG, log Z by log-sum-exp (with the unnormalised prior, as in the reference), edge
 * marginals, the tied MAP set, the top DAGs, expected number of edges, entropy and the
 * distribution of the number of edges.
 */
import { quietJobContext, type JobContext } from '../core/job.ts';
import { logSumExp } from '../core/logmath.ts';
import type { PriorKnowledge } from '../core/types.ts';
import { parentMasksFromCode } from '../graph/dagCode.ts';
import type { DagDistribution } from './distribution.ts';
import { enumerateStatesByEdgeCount } from './enumerate.ts';
import { compressMask, familyLogRewardTables, type FamilyLogReward, type FamilyTableProgress } from './familyTable.ts';

/** MAP ties: log R within this relative distance of the maximum (score-equivalent DAGs differ only by rounding). */
export const MAP_TIE_RELATIVE = 1e-9;

export interface ScoredDag {
  code: number;
  logJoint: number;
  logPosterior: number;
}

export interface EnumerationPosterior {
  readonly method: 'enumeration';
  readonly d: number;
  readonly numDags: number;
  readonly logZ: number;
  /** P(i → j), row-major d·d. */
  readonly edgeMarginals: Float64Array;
  readonly expectedEdges: number;
  /** −Σ P log P in nats. */
  readonly entropy: number;
  /** P(|E| = k) for k = 0..d(d−1)/2. */
  readonly edgeCountDistribution: Float64Array;
  /** Every DAG tied for the highest log R, by increasing code. */
  readonly map: ScoredDag[];
  /** The whole posterior: every allowed DAG (by edge count, then code) with log P(G | D). */
  readonly distribution: DagDistribution;
  /** log R(G) for the DAGs of `distribution`, same order. */
  readonly logJoint: Float64Array;
  /** The k most probable DAGs; ties (within MAP_TIE_RELATIVE) by increasing code. */
  top(k: number): ScoredDag[];
}

export async function enumeratePosterior(
  reward: FamilyLogReward,
  knowledge?: Partial<PriorKnowledge>,
  ctx: JobContext<FamilyTableProgress> = quietJobContext(),
): Promise<EnumerationPosterior> {
  const d = reward.d;
  const space = enumerateStatesByEdgeCount(d, knowledge);
  const tables = await familyLogRewardTables(reward, space.constraints, ctx);
  const n = space.codes.length;
  const logJoint = new Float64Array(n);
  const parents = new Int32Array(d);
  for (let k = 0; k < n; k++) {
    parentMasksFromCode(space.codes[k]!, d, parents);
    let s = 0;
    for (let j = 0; j < d; j++) s += tables[j]![compressMask(parents[j]!, j)]!;
    logJoint[k] = s;
  }
  const logZ = logSumExp(logJoint);
  const logProb = new Float64Array(n);
  const edgeMarginals = new Float64Array(d * d);
  const edgeCountDistribution = new Float64Array((d * (d - 1)) / 2 + 1);
  let entropy = 0;
  let maxLogJoint = -Infinity;
  for (let k = 0; k < n; k++) {
    const lp = logJoint[k]! - logZ;
    logProb[k] = lp;
    const p = Math.exp(lp);
    if (p > 0) entropy -= p * lp;
    edgeCountDistribution[space.edgeCounts[k]!]! += p;
    for (let code = space.codes[k]!; code !== 0; code &= code - 1) edgeMarginals[31 - Math.clz32(code & -code)]! += p;
    if (logJoint[k]! > maxLogJoint) maxLogJoint = logJoint[k]!;
  }
  let expectedEdges = 0;
  edgeCountDistribution.forEach((p, m) => (expectedEdges += p * m));

  const tieGap = MAP_TIE_RELATIVE * Math.max(1, Math.abs(maxLogJoint));
  const scored = (k: number): ScoredDag => ({ code: space.codes[k]!, logJoint: logJoint[k]!, logPosterior: logProb[k]! });
  const map: ScoredDag[] = [];
  for (let k = 0; k < n; k++) if (maxLogJoint - logJoint[k]! <= tieGap) map.push(scored(k));
  map.sort((a, b) => a.code - b.code);

  let ranking: number[] | undefined;
  const top = (count: number): ScoredDag[] => {
    if (!ranking) {
      // Sort by log R, then group values within the tie tolerance and order each group by code.
      const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => logJoint[b]! - logJoint[a]!);
      ranking = [];
      for (let start = 0; start < n;) {
        let end = start + 1;
        const gap = MAP_TIE_RELATIVE * Math.max(1, Math.abs(logJoint[order[start]!]!));
        while (end < n && logJoint[order[start]!]! - logJoint[order[end]!]! <= gap) end++;
        ranking.push(...order.slice(start, end).sort((a, b) => space.codes[a]! - space.codes[b]!));
        start = end;
      }
    }
    return ranking.slice(0, Math.max(0, count)).map(scored);
  };

  return {
    method: 'enumeration',
    d,
    numDags: n,
    logZ,
    edgeMarginals,
    expectedEdges,
    entropy,
    edgeCountDistribution,
    map,
    distribution: { d, codes: space.codes, logProb },
    logJoint,
    top,
  };
}
