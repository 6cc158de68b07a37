/**
 * The reward every sampler shares (docs/architecture.md §2): log R(G) = Σ_j [ s_j(Pa_j) + f(|Pa_j|) ],
 * a local score plus a modular structure-prior term f from core/priors.ts, plus, when the user
 * states soft beliefs about edges, Σ_{i ∈ Pa_j} e[i][j] (per-edge log prior odds; still modular,
 * so every sampler and the exact posterior take it through familyLogReward unchanged).
 */
import { DagflowError } from '../core/errors.ts';
import type { LocalScoreModel } from '../core/types.ts';
import { insertSorted, parentList } from './graphScore.ts';

export interface RewardModel {
  readonly d: number;
  /** s_j(P) + f(|P|); parents ascending. */
  familyLogReward(node: number, parents: readonly number[]): number;
  /** log R(G) for adjacency[i*d + j] = 1 meaning i → j. */
  logReward(adjacency: Uint8Array): number;
  /** log R(G + i→j) − log R(G); the edge must be absent. */
  deltaLogReward(adjacency: Uint8Array, i: number, j: number): number;
}

/**
 * `edgeLogPrior` (optional, d·d row-major): log prior odds added for each edge i → j present,
 * e.g. from soft edge beliefs (causal/edgeBeliefs.ts `beliefTerms`).
 */
export function createRewardModel(model: LocalScoreModel, priorTable: Float64Array, edgeLogPrior?: Float64Array): RewardModel {
  const d = model.d;
  if (priorTable.length < d) throw new DagflowError('INTERNAL', `prior table has ${priorTable.length} entries, need ${d} (k = 0..d−1)`);
  if (edgeLogPrior && edgeLogPrior.length !== d * d)
    throw new DagflowError('INTERNAL', `edge prior has ${edgeLogPrior.length} entries, expected ${d}×${d}`);
  const familyLogReward = edgeLogPrior
    ? (node: number, parents: readonly number[]): number => {
        let s = model.localScore(node, parents) + priorTable[parents.length]!;
        for (const i of parents) s += edgeLogPrior[i * d + node]!;
        return s;
      }
    : (node: number, parents: readonly number[]): number => model.localScore(node, parents) + priorTable[parents.length]!;
  return {
    d,
    familyLogReward,
    logReward(adjacency) {
      if (adjacency.length !== d * d) throw new DagflowError('INTERNAL', `adjacency has ${adjacency.length} entries, expected ${d}×${d}`);
      let total = 0;
      for (let j = 0; j < d; j++) total += familyLogReward(j, parentList(adjacency, d, j));
      return total;
    },
    deltaLogReward(adjacency, i, j) {
      if (adjacency.length !== d * d) throw new DagflowError('INTERNAL', `adjacency has ${adjacency.length} entries, expected ${d}×${d}`);
      if (i === j || i < 0 || j < 0 || i >= d || j >= d) throw new DagflowError('INTERNAL', `cannot add edge ${i} → ${j} among ${d} nodes`);
      if (adjacency[i * d + j]) throw new DagflowError('INTERNAL', `edge ${i} → ${j} is already in the graph`);
      const before = parentList(adjacency, d, j);
      return familyLogReward(j, insertSorted(before, i)) - familyLogReward(j, before);
    },
  };
}
