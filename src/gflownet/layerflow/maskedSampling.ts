/**
 * What-if without retraining, for the layered GFlowNet: the trained network, unchanged, proposes
 * layerings for a layer problem whose parent-set tables are rebuilt under the new constraints
 * (the run's knowledge plus the what-if's forbidden/required edges, tiers or parent bound).
 * Each draw's weight S_C(Λ)/q(Λ) then uses the constrained tables, S_C(Λ) = Σ of R(G) over the
 * DAGs with layering Λ that satisfy C, so the self-normalised weights target
 * P(G | D, C) ∝ R(G)·1[G ∈ C] exactly as the plain sampler targets P(G | D); layerings that
 * have no DAG under C are dead ends with weight 0 (layerSampler.ts drops them). Nothing in the
 * existing layerflow modules changes: only the problem handed to them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PriorKnowledge } from '../core/types.ts';
import { buildConstraints } from '../env/constraints.ts';
import type { FamilyScorer } from '../mcmc/types.ts';
import type { LayerLayout } from './layerNetwork.ts';
import { buildLayerProblem, type LayerProblemOptions } from './layerProblem.ts';
import { sampleLayered, type LayerSamples, type LayerSamplingOptions } from './layerSampler.ts';

export interface MaskedLayerOptions extends LayerSamplingOptions {
  /** Options of the run's layer problem (its parent-set table bounds), kept for the rebuilt one. */
  problem?: LayerProblemOptions;
}

/**
 * `knowledge` is everything the what-if posterior obeys: the run's own knowledge merged with
 * the added constraints. `reward` is the run's reward (prior included).
 */
export async function sampleLayeredWhatIf(
  theta: tf.Tensor1D,
  layout: LayerLayout,
  reward: FamilyScorer,
  knowledge: Partial<PriorKnowledge>,
  count: number,
  options: MaskedLayerOptions,
): Promise<LayerSamples> {
  const problem = buildLayerProblem(reward, buildConstraints(reward.d, knowledge), options.problem ?? {});
  return sampleLayered(theta, layout, problem, count, options);
}
