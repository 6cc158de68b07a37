/**
 * The interfaces the MCMC samplers share: what they need from the reward (one family at a
 * time) and what the chain driver needs from a sampler.
 */
import type { Rng } from '../core/rng.ts';

/** log of one node's factor of R(G): s_j(Pa_j) + f(|Pa_j|). scores/reward.ts `RewardModel` satisfies it. */
export interface FamilyScorer {
  readonly d: number;
  /** Parents ascending. */
  familyLogReward(node: number, parents: readonly number[]): number;
}

export type McmcMethod = 'mc3' | 'order' | 'partition';

/** A DAG drawn from a chain's current state. */
export interface ObservedDag {
  adjacency: Uint8Array;
  logScore: number;
}

export interface ChainSampler {
  readonly d: number;
  /** Names of the move kinds, indexing `proposed` and `accepted`. */
  readonly moveKinds: readonly string[];
  readonly proposed: Float64Array;
  readonly accepted: Float64Array;
  /** One iteration: propose one move and accept or reject it. */
  step(rng: Rng): void;
  /**
   * A DAG from the current state — the state itself for structure MCMC, a draw given the
   * order or partition otherwise — with its log R. Also records the state's contribution to
   * the edge marginals for samplers that do not record every iteration themselves.
   */
  observe(rng: Rng): ObservedDag;
  /** Sum over everything recorded so far of the edge weights (into out, d·d); returns the total weight. */
  cumulativeEdges(out: Float64Array): number;
  /** The log target of the current state: log R(G), or the log order / partition score. */
  stateLogScore(): number;
}
