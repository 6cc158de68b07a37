/**
 * What-if without retraining, for the edge-by-edge DAG-GFlowNet: draw DAGs from the trained
 * policy with the actions that the added knowledge rules out masked away, and weight each draw
 * so that the weighted sample targets the posterior under the new constraints,
 * P(G | D, C) ∝ R(G)·1[G ∈ C].
 *
 * A DAG with m removable edges is reached by m! trajectories (the orders of adding them), and
 * the sampler's probability q(G) is their sum, which is intractable. Importance sampling on
 * trajectories avoids it: with a uniform backward policy P_B(τ | G) = 1/m! (every order
 * equally likely; any order of a DAG's edges is a valid trajectory, the parent bound included),
 *
 *   w(τ) = R(G)·P_B(τ | G) / P_F(τ),   E_{τ~P_F}[w(τ) f(G)] = Σ_{G ∈ C} R(G) f(G),
 *
 * so self-normalised weights give consistent estimates of every answer under C, whatever the
 * policy learned (training only makes the weights more even). P_F is the policy restricted to
 * the actions legal under C and renormalised: positive on every legal action, so every DAG of C
 * can be drawn. The effective sample size of the weights says how much the what-if costs.
 */
import type * as tf from '@tensorflow/tfjs';
import { quietJobContext, jobCancelled, type JobContext } from '../core/job.ts';
import { Rng } from '../core/rng.ts';
import { DagEnvBatch, type EdgeReward } from '../env/dagEnv.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import type { ParamLayout } from '../policy/network.ts';
import { PolicyRunner } from '../policy/runner.ts';
import { createShaping, type ShapingChoice } from '../policy/shaping.ts';
import type { SampledDags, SamplingProgress } from './sampler.ts';

export interface MaskedSamples extends SampledDags {
  /** log R(G) + log P_B(τ | G) − log P_F(τ) of each draw (unnormalised log importance weight). */
  readonly logWeight: Float64Array;
  /** (Σ w)² / Σ w². */
  readonly effectiveSampleSize: number;
}

export interface MaskedSamplingOptions {
  seed: number;
  /** The reward shaping the policy was trained with. */
  shaping: ShapingChoice;
  batch?: number;
  ctx?: JobContext<SamplingProgress>;
}

/** log m! */
function logFactorial(m: number): number {
  let s = 0;
  for (let k = 2; k <= m; k++) s += Math.log(k);
  return s;
}

/**
 * `constraints` are those of the what-if (the run's own knowledge plus the added one); the
 * policy `theta` was trained under the run's own. `reward` is the run's reward.
 */
export async function sampleMaskedDags(
  theta: tf.Tensor1D,
  layout: ParamLayout,
  constraints: EnvConstraints,
  reward: EdgeReward & { logReward(adjacency: Uint8Array): number },
  count: number,
  options: MaskedSamplingOptions,
): Promise<MaskedSamples> {
  const d = constraints.d;
  const dd = d * d;
  const ctx = options.ctx ?? quietJobContext();
  const rng = new Rng(options.seed);
  const runner = new PolicyRunner(layout, createShaping(options.shaping, reward, constraints));
  const adjacency = new Uint8Array(count * dd);
  const logReward = new Float64Array(count);
  const logWeight = new Float64Array(count);
  const width = Math.max(1, Math.min(options.batch ?? 256, count));
  const env = new DagEnvBatch(constraints, reward, width);
  const logForward = new Float64Array(width);
  let done = 0;
  while (done < count) {
    const n = Math.min(width, count - done);
    for (let k = 0; k < n; k++) env.reset(k);
    logForward.fill(0);
    const active = new Uint8Array(n).fill(1);
    let remaining = n;
    while (remaining > 0) {
      if (ctx.signal.aborted) throw jobCancelled();
      const probs = runner.logProbs(theta, { adjacency: env.adjacency, closure: env.closure, mask: env.mask, count: n });
      for (let k = 0; k < n; k++) {
        if (!active[k]) continue;
        // The policy over stop and the actions legal under the what-if, renormalised in float64.
        const o = k * dd;
        const pStop = Math.exp(probs.logStop[k]!);
        let total = pStop;
        for (let a = 0; a < dd; a++) if (env.mask[o + a]) total += Math.exp(probs.logEdges[o + a]!);
        let u = rng.next() * total;
        let action = dd;
        for (let a = 0; a < dd && env.legalCount[k]! > 0; a++) {
          if (!env.mask[o + a]) continue;
          u -= Math.exp(probs.logEdges[o + a]!);
          if (u < 0) {
            action = a;
            break;
          }
        }
        logForward[k]! += env.legalCount[k] === 0 ? 0 : Math.log((action === dd ? pStop : Math.exp(probs.logEdges[o + action]!)) / total);
        if (action === dd) {
          active[k] = 0;
          remaining--;
          const a = env.adjacency.subarray(o, o + dd);
          adjacency.set(a, (done + k) * dd);
          logReward[done + k] = reward.logReward(a);
          logWeight[done + k] = logReward[done + k]! - logFactorial(env.removableCount(k)) - logForward[k]!;
        } else env.addEdge(k, action);
      }
    }
    done += n;
    ctx.progress({ sampled: done, total: count });
    await new Promise((resolve) => setImmediate(resolve));
  }
  let max = -Infinity;
  for (let k = 0; k < count; k++) max = Math.max(max, logWeight[k]!);
  let sum = 0;
  let sumSquares = 0;
  for (let k = 0; k < count; k++) {
    const w = Math.exp(logWeight[k]! - max);
    sum += w;
    sumSquares += w * w;
  }
  return { d, count, adjacency, logReward, logWeight, effectiveSampleSize: (sum * sum) / sumSquares };
}
