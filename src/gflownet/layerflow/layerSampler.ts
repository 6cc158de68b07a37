/**
 * Drawing from a trained layered GFlowNet. Each layering Λ has one path, so its probability
 * under the sampler, q(Λ) = Π_t π(a_t | s_t), is known exactly; with S(Λ) the summed reward of
 * its DAGs, the self-normalised importance weights w ∝ S(Λ)/q(Λ) turn the draws into
 * consistent estimates of the posterior, and their effective sample size says how far the
 * sampler is from it (ESS = N for a perfect sampler). A DAG is drawn given each layering
 * (each node's parent set ∝ its family reward among the sets the layering allows), and the
 * edge marginals are Rao–Blackwellised: P(i → j | Λ) exactly, averaged with the weights (capped
 * at √N times their mean, which keeps the estimate consistent and tames a few dominant draws).
 */
import { DagflowError } from '../core/errors.ts';
import { jobCancelled, quietJobContext, type JobContext } from '../core/job.ts';
import { Rng } from '../core/rng.ts';
import { rngChooser } from '../mcmc/chooser.ts';
import type * as tf from '@tensorflow/tfjs';
import type { LayerLayout } from './layerNetwork.ts';
import type { LayerProblem } from './layerProblem.ts';
import { rolloutLayers } from './layerRollout.ts';

export interface LayerSamples {
  readonly d: number;
  readonly count: number;
  /** count·d·d, row = parent. */
  readonly adjacency: Uint8Array;
  /** log R(G) of each DAG drawn. */
  readonly logReward: Float64Array;
  /** log S(Λ) − log q(Λ) of each draw's layering (unnormalised log importance weight). */
  readonly logWeight: Float64Array;
  /** Σ_k w̃_k P(i → j | Λ_k) / Σ_k w̃_k, with w̃ the weights capped at √N times their mean (truncated importance sampling). */
  readonly weightedMarginals: Float64Array;
  /** (1/N) Σ_k P(i → j | Λ_k): the sampler's own marginals, without the correction. */
  readonly samplerMarginals: Float64Array;
  /** (Σ w)² / Σ w² over the draws. */
  readonly effectiveSampleSize: number;
  /** log of the mean weight over all draws (dead ends count as 0): an unbiased estimate of Z on the linear scale. */
  readonly logZ: number;
  /** Draws that ended in a dead end (no DAG) and were replaced. */
  readonly deadEnds: number;
}

/** Attempts per requested sample before sampling gives up on replacing dead ends. */
const MAX_ATTEMPTS_PER_SAMPLE = 20;

export interface LayerSamplingProgress {
  sampled: number;
  total: number;
}

export interface LayerSamplingOptions {
  seed: number;
  /** performance.now() time after which no new batch starts (the draws so far are returned). */
  deadline?: number;
  /** Layerings rolled out together (default 512). */
  batch?: number;
  ctx?: JobContext<LayerSamplingProgress>;
}

export async function sampleLayered(
  theta: tf.Tensor1D,
  layout: LayerLayout,
  problem: LayerProblem,
  count: number,
  options: LayerSamplingOptions,
): Promise<LayerSamples> {
  const { d } = problem;
  const dd = d * d;
  const ctx = options.ctx ?? quietJobContext();
  const rng = new Rng(options.seed);
  const chooser = rngChooser(rng.fork(1));
  const adjacency = new Uint8Array(count * dd);
  const logReward = new Float64Array(count);
  const logWeight = new Float64Array(count);
  const conditional = new Float64Array(count * dd);
  const weights = new Float64Array(Math.max(1, problem.scratch.weight.length));
  const width = Math.max(1, Math.min(options.batch ?? 512, count));
  // Draws that reach a dead end (no DAG; prior knowledge or a candidate space can cause them)
  // are dropped as they come and replaced, up to MAX_ATTEMPTS_PER_SAMPLE attempts per sample.
  let done = 0;
  let attempts = 0;
  let deadEnds = 0;
  let lastBatch = 0;
  while (done < count && attempts < MAX_ATTEMPTS_PER_SAMPLE * count) {
    if (ctx.signal.aborted) throw jobCancelled();
    // Stop before a batch that would end past the deadline (batches take about as long as the last one).
    if (options.deadline !== undefined && attempts > 0 && performance.now() + lastBatch > options.deadline) break;
    const batchStart = performance.now();
    const n = Math.min(width, count - done);
    const first = done;
    attempts += n;
    const draws = rolloutLayers(theta, layout, problem, n, rng, (env, k, v) => {
      logReward[first + k]! += env.drawParents(k, v, chooser, adjacency, conditional, (first + k) * dd, weights);
    });
    draws.forEach((t, k) => {
      if (!Number.isFinite(t.logScore)) return;
      const from = first + k;
      if (from !== done) {
        adjacency.copyWithin(done * dd, from * dd, (from + 1) * dd);
        conditional.copyWithin(done * dd, from * dd, (from + 1) * dd);
        logReward[done] = logReward[from]!;
      }
      logWeight[done++] = t.logScore - t.logForward;
    });
    // What the dead ends left behind the kept draws is cleared for the next batch (drawParents adds to it).
    adjacency.fill(0, done * dd, (first + n) * dd);
    conditional.fill(0, done * dd, (first + n) * dd);
    logReward.fill(0, done, first + n);
    deadEnds += first + n - done;
    lastBatch = performance.now() - batchStart;
    ctx.progress({ sampled: done, total: count });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const n = done;
  if (n === 0)
    throw new DagflowError(
      'BAD_OPTION',
      `none of the ${attempts} layerings drawn leads to a DAG that the prior knowledge allows`,
      {},
      'check the required edges and tiers, or train longer',
    );
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logWeight[k]!);
  let sum = 0;
  let sumSquares = 0;
  for (let k = 0; k < n; k++) {
    const w = Math.exp(logWeight[k]! - max);
    sum += w;
    sumSquares += w * w;
  }
  // Truncated importance sampling (Ionides 2008): no weight above √n times the mean weight. When
  // a few draws carry almost all the weight (ESS of 2 at d = 37 after 2 minutes), the plain
  // estimate is one or two layerings' marginals; the cap trades that variance for a bias that
  // vanishes as n grows (the cap grows like √n), and leaves well-spread weights untouched.
  const cap = (Math.sqrt(n) * sum) / n;
  let capped = 0;
  const weightedMarginals = new Float64Array(dd);
  const samplerMarginals = new Float64Array(dd);
  for (let k = 0; k < n; k++) {
    const w = Math.min(Math.exp(logWeight[k]! - max), cap);
    capped += w;
    for (let a = 0; a < dd; a++) {
      const p = conditional[k * dd + a]!;
      weightedMarginals[a]! += w * p;
      samplerMarginals[a]! += p / n;
    }
  }
  for (let a = 0; a < dd; a++) weightedMarginals[a]! /= capped;
  return {
    d,
    count: n,
    adjacency: adjacency.subarray(0, n * dd),
    logReward: logReward.subarray(0, n),
    logWeight: logWeight.subarray(0, n),
    weightedMarginals,
    samplerMarginals,
    effectiveSampleSize: (sum * sum) / sumSquares,
    // Dead ends are draws of weight 0: they count in the mean weight.
    logZ: max + Math.log(sum / attempts),
    deadEnds,
  };
}
