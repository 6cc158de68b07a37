/**
 * Drawing DAGs from a trained policy (docs/architecture.md §2): batches of environments run the policy
 * without exploration from the start state until every one has stopped.
 */
import type * as tf from '@tensorflow/tfjs';
import { jobCancelled, quietJobContext, type JobContext } from '../core/job.ts';
import { Rng } from '../core/rng.ts';
import { DagEnvBatch, type EdgeReward } from '../env/dagEnv.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import type { ParamLayout } from '../policy/network.ts';
import { PolicyRunner } from '../policy/runner.ts';
import { createShaping, type ShapingChoice } from '../policy/shaping.ts';
import { chooseAction } from '../train/acting.ts';

export interface SampledDags {
  readonly d: number;
  readonly count: number;
  /** count·d·d bytes, sample k at offset k·d·d (row = parent). */
  readonly adjacency: Uint8Array;
  /** log R(G) of each sample (float64). */
  readonly logReward: Float64Array;
}

export interface SamplingProgress {
  sampled: number;
  total: number;
}

export interface SamplingOptions {
  seed: number;
  /** The reward shaping the policy was trained with (the TrainConfig of its run). */
  shaping: ShapingChoice;
  /** Environments run together (default 256). */
  batch?: number;
  /** performance.now() time after which no new batch starts (the draws so far are returned). */
  deadline?: number;
  ctx?: JobContext<SamplingProgress>;
}

export async function sampleDags(
  theta: tf.Tensor1D,
  layout: ParamLayout,
  constraints: EnvConstraints,
  reward: EdgeReward,
  count: number,
  options: SamplingOptions,
): Promise<SampledDags> {
  const d = constraints.d;
  const dd = d * d;
  const ctx = options.ctx ?? quietJobContext();
  const rng = new Rng(options.seed);
  const runner = new PolicyRunner(layout, createShaping(options.shaping, reward, constraints));
  const adjacency = new Uint8Array(count * dd);
  const logReward = new Float64Array(count);
  const width = Math.max(1, Math.min(options.batch ?? 256, count));
  const env = new DagEnvBatch(constraints, reward, width);
  let done = 0;
  let lastReport = Date.now();
  let lastBatch = 0;
  while (done < count) {
    // Stop before a batch that would end past the deadline (batches take about as long as the last one).
    if (options.deadline !== undefined && done > 0 && performance.now() + lastBatch > options.deadline) break;
    const batchStart = performance.now();
    const n = Math.min(width, count - done);
    for (let k = 0; k < n; k++) env.reset(k);
    const active = new Uint8Array(n).fill(1);
    let remaining = n;
    while (remaining > 0) {
      if (ctx.signal.aborted) throw jobCancelled();
      const probs = runner.logProbs(theta, { ...stateView(env), count: n });
      for (let k = 0; k < n; k++) {
        if (!active[k]) continue;
        const action = chooseAction(env, k, probs, k, 0, rng);
        if (action === dd) {
          active[k] = 0;
          remaining--;
          adjacency.set(env.adjacency.subarray(k * dd, (k + 1) * dd), (done + k) * dd);
          logReward[done + k] = reward.logReward(env.adjacency.subarray(k * dd, (k + 1) * dd));
        } else env.addEdge(k, action);
      }
    }
    done += n;
    lastBatch = performance.now() - batchStart;
    if (Date.now() - lastReport > 500) {
      ctx.progress({ sampled: done, total: count });
      lastReport = Date.now();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  ctx.progress({ sampled: done, total: count });
  return { d, count: done, adjacency: adjacency.subarray(0, done * dd), logReward: logReward.subarray(0, done) };
}

function stateView(env: DagEnvBatch): { adjacency: Uint8Array; closure: Uint8Array; mask: Uint8Array } {
  return { adjacency: env.adjacency, closure: env.closure, mask: env.mask };
}
