/**
 * For d ≤ 5: the exact distribution of final DAGs of the trained sampler (the push-forward
 * of exact/pushForward.ts, fed by the network on batches of states) and its distance to the
 * exact posterior — JSD and edge-marginal RMSE with no sampling noise.
 */
import type * as tf from '@tensorflow/tfjs';
import type { JobContext } from '../core/job.ts';
import type { PriorKnowledge } from '../core/types.ts';
import { closureOf, refreshMask } from '../env/dagEnv.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import { compareDistributions, type DistributionComparison } from '../exact/distribution.ts';
import type { EnumerationPosterior } from '../exact/posterior.ts';
import { pushForward, type PolicyBatchEvaluator, type PushForwardResult } from '../exact/pushForward.ts';
import type { ParamLayout } from '../policy/network.ts';
import { PolicyRunner } from '../policy/runner.ts';
import type { RewardShaping } from '../policy/shaping.ts';
import { allocateStates } from '../train/replay.ts';

/** The network as a batch evaluator for the push-forward (float64 log-probabilities, −∞ where illegal). */
export function networkEvaluator(
  theta: tf.Tensor1D,
  layout: ParamLayout,
  constraints: EnvConstraints,
  shaping?: RewardShaping,
): PolicyBatchEvaluator {
  const d = constraints.d;
  const dd = d * d;
  const runner = new PolicyRunner(layout, shaping);
  const parents = new Int32Array(d);
  return (adjacencies, n) => {
    const states = allocateStates(d, n);
    states.count = n;
    states.adjacency.set(adjacencies.subarray(0, n * dd));
    for (let b = 0; b < n; b++) {
      const o = b * dd;
      const adj = states.adjacency.subarray(o, o + dd);
      const clo = states.closure.subarray(o, o + dd);
      closureOf(d, adj, clo, parents);
      refreshMask(constraints, adj, clo, states.mask.subarray(o, o + dd), parents);
    }
    const probs = runner.logProbs(theta, states);
    const logStop = Float64Array.from(probs.logStop);
    const logAdd = new Float64Array(n * dd);
    for (let t = 0; t < n * dd; t++) logAdd[t] = states.mask[t] ? probs.logEdges[t]! : -Infinity;
    return { logStop, logAdd };
  };
}

export interface ExactEvaluation extends DistributionComparison {
  readonly sampler: PushForwardResult;
}

export async function evaluateAgainstPosterior(
  theta: tf.Tensor1D,
  layout: ParamLayout,
  constraints: EnvConstraints,
  posterior: EnumerationPosterior,
  shaping: RewardShaping | undefined,
  knowledge?: Partial<PriorKnowledge>,
  ctx?: JobContext<{ statesEvaluated: number; states: number }>,
): Promise<ExactEvaluation> {
  const sampler = await pushForward(constraints.d, networkEvaluator(theta, layout, constraints, shaping), {
    knowledge,
    batchSize: 2048,
    ctx,
  });
  return { ...compareDistributions(sampler, posterior.distribution), sampler };
}
