/**
 * The reward every sampler shares (docs/architecture.md §2): log R(G) = Σ_j [ s_j(Pa_j) + f(|Pa_j|) ],
 * a local score plus a modular structure-prior term f from core/priors.ts.
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

export function createRewardModel(model: LocalScoreModel, priorTable: Float64Array): RewardModel {
  const d = model.d;
  if (priorTable.length < d) throw new DagflowError('INTERNAL', `prior table has ${priorTable.length} entries, need ${d} (k = 0..d−1)`);
  const familyLogReward = (node: number, parents: readonly number[]): number =>
    model.localScore(node, parents) + priorTable[parents.length]!;
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
