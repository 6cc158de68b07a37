/**
 * Drawing from a trained layered GFlowNet. Each layering Λ has one path, so its probability
 * under the sampler, q(Λ) = Π_t π(a_t | s_t), is known exactly; with S(Λ) the summed reward of
 * its DAGs, the self-normalised importance weights w ∝ S(Λ)/q(Λ) turn the draws into
 * consistent estimates of the posterior, and their effective sample size says how far the
 * sampler is from it (ESS = N for a perfect sampler). A DAG is drawn given each layering
 * (each node's parent set ∝ its family reward among the sets the layering allows), and the
 * edge marginals are Rao–Blackwellised: P(i → j | Λ) exactly, averaged with the weights.
 */
import { jobCancelled, quietJobContext, type JobContext } from '../core/job.ts';
import { Rng } from '../core/rng.ts';
import { rngChooser } from '../mcmc/chooser.ts';
import { addParentProbabilities, drawCompatible } from '../mcmc/familySums.ts';
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
  /** Σ_k w_k P(i → j | Λ_k) / Σ_k w_k. */
  readonly weightedMarginals: Float64Array;
  /** (1/N) Σ_k P(i → j | Λ_k): the sampler's own marginals, without the correction. */
  readonly samplerMarginals: Float64Array;
  /** (Σ w)² / Σ w² over the draws. */
  readonly effectiveSampleSize: number;
  /** log of the mean weight: an unbiased estimate of Z on the linear scale (log R units). */
  readonly logZ: number;
}

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

export async function sampleLayered(theta: tf.Tensor1D, layout: LayerLayout, problem: LayerProblem, count: number, options: LayerSamplingOptions): Promise<LayerSamples> {
  const { d, words, tables } = problem;
  const dd = d * d;
  const ctx = options.ctx ?? quietJobContext();
  const rng = new Rng(options.seed);
  const chooser = rngChooser(rng.fork(1));
  const adjacency = new Uint8Array(count * dd);
  const logReward = new Float64Array(count);
  const logWeight = new Float64Array(count);
  const conditional = new Float64Array(count * dd);
  const before = new Uint32Array((d + 1) * words);
  const layer = new Uint32Array((d + 1) * words);
  const width = Math.max(1, Math.min(options.batch ?? 512, count));
  let done = 0;
  while (done < count) {
    if (ctx.signal.aborted) throw jobCancelled();
    if (options.deadline !== undefined && done > 0 && performance.now() > options.deadline) break;
    const n = Math.min(width, count - done);
    const draws = rolloutLayers(theta, layout, problem, n, rng);
    for (const t of draws) {
      const k = done++;
      logWeight[k] = t.logScore - t.logForward;
      if (!Number.isFinite(t.logScore)) {
        logReward[k] = -Infinity;
        continue;
      }
      // Bit rows per layer index: the nodes before it and the nodes in it.
      let layers = 0;
      for (let v = 0; v < d; v++) layers = Math.max(layers, t.layerOf[v]! + 1);
      before.fill(0);
      layer.fill(0);
      for (let v = 0; v < d; v++) {
        const l = t.layerOf[v]!;
        layer[l * words + (v >>> 5)]! |= 1 << (v & 31);
        for (let m = l + 1; m < layers; m++) before[m * words + (v >>> 5)]! |= 1 << (v & 31);
      }
      const out = conditional.subarray(k * dd, (k + 1) * dd);
      let score = 0;
      for (let v = 0; v < d; v++) {
        const l = t.layerOf[v]!;
        const table = tables.tables[v]!;
        const need = l === 0 ? null : layer;
        const entry = drawCompatible(chooser, table, words, before, l * words, need, (l - 1) * words, problem.scratch);
        score += table.logScores[entry]!;
        const base = entry * tables.maxSize;
        for (let s = 0; s < table.sizes[entry]!; s++) adjacency[k * dd + table.members[base + s]! * d + v] = 1;
        if (l > 0) addParentProbabilities(out, d, tables.maxSize, table, words, before, l * words, need, (l - 1) * words, problem.scratch);
      }
      logReward[k] = score;
    }
    ctx.progress({ sampled: done, total: count });
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The deadline may have stopped sampling early: summarise the draws made.
  const n = done;
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logWeight[k]!);
  let sum = 0;
  let sumSquares = 0;
  const weightedMarginals = new Float64Array(dd);
  const samplerMarginals = new Float64Array(dd);
  for (let k = 0; k < n; k++) {
    const w = Math.exp(logWeight[k]! - max);
    sum += w;
    sumSquares += w * w;
    for (let a = 0; a < dd; a++) {
      const p = conditional[k * dd + a]!;
      weightedMarginals[a]! += w * p;
      samplerMarginals[a]! += p / n;
    }
  }
  for (let a = 0; a < dd; a++) weightedMarginals[a]! /= sum;
  return {
    d,
    count: n,
    adjacency: adjacency.subarray(0, n * dd),
    logReward: logReward.subarray(0, n),
    logWeight: logWeight.subarray(0, n),
    weightedMarginals,
    samplerMarginals,
    effectiveSampleSize: (sum * sum) / sumSquares,
    logZ: max + Math.log(sum / n),
  };
}
