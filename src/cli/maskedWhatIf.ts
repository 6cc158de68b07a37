/**
 * `--masked-samples N` on `dagflow features|effects|hypothesis --run DIR` with a what-if: instead
 * of keeping the run's samples that satisfy the added constraints (which can leave too few),
 * draw N new DAGs from the run's trained GFlowNet with the ruled-out actions masked, weighted
 * so that they target the posterior under the constraints (sampling/maskedSampling.ts for the
 * edge-by-edge policy, layerflow/maskedSampling.ts for the layered one). No retraining.
 */
import * as path from 'node:path';
import { selectBackend } from '../gflownet/backend/select.ts';
import { fromSamples, type WeightedDags } from '../gflownet/causal/weightedDags.ts';
import { DagflowError } from '../gflownet/core/errors.ts';
import type { PriorKnowledge } from '../gflownet/core/types.ts';
import { buildConstraints } from '../gflownet/env/constraints.ts';
import { layerLayout } from '../gflownet/layerflow/layerNetwork.ts';
import { sampleLayeredWhatIf } from '../gflownet/layerflow/maskedSampling.ts';
import { paramLayout } from '../gflownet/policy/network.ts';
import { sampleMaskedDags } from '../gflownet/sampling/maskedSampling.ts';
import type { RewardModel } from '../gflownet/scores/reward.ts';
import { variableFrom } from '../gflownet/train/adam.ts';
import { isLayerState, loadCheckpoint } from '../gflownet/train/checkpoint.ts';

export interface MaskedDraws {
  posterior: WeightedDags;
  logRewards: Float64Array;
  effectiveSampleSize: number;
  sampler: 'edges' | 'layers';
}

export async function maskedDraws(
  dir: string,
  reward: RewardModel,
  knowledge: Partial<PriorKnowledge>,
  count: number,
  seed: number,
): Promise<MaskedDraws> {
  const checkpointDir = path.join(dir, 'checkpoint');
  let state;
  try {
    state = loadCheckpoint(checkpointDir).state;
  } catch (e) {
    if (!(e instanceof DagflowError)) throw e;
    throw new DagflowError(
      'BAD_OPTION',
      `needs the trained GFlowNet of the run, and ${dir} has no readable checkpoint (${e.message})`,
      { flag: '--masked-samples' },
      'drop --masked-samples to condition the existing samples (MCMC runs always do)',
    );
  }
  await selectBackend('auto');
  const d = reward.d;
  const theta = variableFrom(state.theta, false);
  try {
    if (isLayerState(state)) {
      const drawn = await sampleLayeredWhatIf(theta, layerLayout({ d, hidden: state.config.hidden }), reward, knowledge, count, { seed });
      const dd = d * d;
      const draws = Array.from({ length: drawn.count }, (_, k) => drawn.adjacency.subarray(k * dd, (k + 1) * dd));
      return {
        posterior: fromSamples(draws, d, undefined, drawn.logWeight),
        logRewards: Float64Array.from(drawn.logReward),
        effectiveSampleSize: drawn.effectiveSampleSize,
        sampler: 'layers',
      };
    }
    const constraints = buildConstraints(d, knowledge);
    const drawn = await sampleMaskedDags(theta, paramLayout({ d, hidden: state.config.hidden }), constraints, reward, count, {
      seed,
      shaping: state.config,
    });
    const dd = d * d;
    const draws = Array.from({ length: drawn.count }, (_, k) => drawn.adjacency.subarray(k * dd, (k + 1) * dd));
    return {
      posterior: fromSamples(draws, d, undefined, drawn.logWeight),
      logRewards: Float64Array.from(drawn.logReward),
      effectiveSampleSize: drawn.effectiveSampleSize,
      sampler: 'edges',
    };
  } finally {
    theta.dispose();
  }
}
