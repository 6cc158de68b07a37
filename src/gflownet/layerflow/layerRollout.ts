/**
 * Running the layered policy: batches of environments from the empty layering until every one
 * is complete, with each trajectory's actions, log P_F (float64, from float32 logits on the
 * CPU) and layering. Also the inverse for training: the unique path of a given layering, with
 * the states' features and legal actions along it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';
import { LayerEnvBatch, layerFeatureWidth } from './layerEnv.ts';
import { layerForward, type LayerLayout } from './layerNetwork.ts';
import type { LayerProblem } from './layerProblem.ts';

export interface LayerDraw {
  /** log P_F of the draw's path under the policy. */
  readonly logForward: number;
  /** log S(Λ) = Σ_v c_v, the summed reward of the layering's DAGs; −∞ for a dead end. */
  readonly logScore: number;
  /** Layer of each node. */
  readonly layerOf: Int32Array;
}

/** A layering's path as training data: T states (features, legal actions) and the action taken in each. */
export interface LayerPath {
  readonly length: number;
  /** T rows of layerFeatureWidth(d) features. */
  readonly features: Float32Array;
  /** T rows of d + 1 legal-action flags. */
  readonly legal: Uint8Array;
  readonly actions: Int32Array;
}

/** log-probabilities of the d + 1 actions of one state from its logits (−∞ where illegal). */
export function layerLogProbs(
  logits: Float32Array,
  logitsAt: number,
  legal: ArrayLike<number>,
  legalAt: number,
  d: number,
  out: Float64Array,
): void {
  let max = -Infinity;
  for (let a = 0; a <= d; a++) {
    const l = legal[legalAt + a] ? logits[logitsAt + a]! : -Infinity;
    out[a] = l;
    if (l > max) max = l;
  }
  let sum = 0;
  for (let a = 0; a <= d; a++) if (out[a]! > -Infinity) sum += Math.exp(out[a]! - max);
  const lse = max + Math.log(sum);
  for (let a = 0; a <= d; a++) out[a] = out[a]! - lse;
}

function draw(logp: Float64Array, d: number, rng: Rng): number {
  let u = rng.next();
  let lastLegal = d;
  for (let a = 0; a <= d; a++) {
    if (logp[a] === -Infinity) continue;
    lastLegal = a;
    u -= Math.exp(logp[a]!);
    if (u < 0) return a;
  }
  return lastLegal; // rounding left a sliver of u
}

/**
 * Draws `count` layerings from the policy with weights θ. `onJoin(env, k, v)` runs just before
 * node v joins environment k's layer being built (the sampler draws v's parents there, while
 * the environment still knows which sets v may take).
 */
export function rolloutLayers(
  theta: tf.Tensor1D,
  layout: LayerLayout,
  problem: LayerProblem,
  count: number,
  rng: Rng,
  onJoin?: (env: LayerEnvBatch, k: number, v: number) => void,
): LayerDraw[] {
  const d = problem.d;
  const F = layerFeatureWidth(d);
  const env = new LayerEnvBatch(problem, count);
  const contributions = new Float64Array(count * (d + 1));
  const legal = new Uint8Array(count * (d + 1));
  const feats = new Float32Array(count * F);
  const rows = new Int32Array(count);
  const logp = new Float64Array(d + 1);
  const logForward = new Float64Array(count);
  const deadEnd = new Uint8Array(count);
  for (;;) {
    let active = 0;
    for (let k = 0; k < count; k++) {
      if (env.done[k]) continue;
      const at = active * (d + 1);
      if (env.actionContributions(k, contributions, at) === 0) {
        env.done[k] = 1;
        deadEnd[k] = 1;
        continue;
      }
      for (let a = 0; a <= d; a++) legal[at + a] = contributions[at + a]! > -Infinity ? 1 : 0;
      env.features(k, contributions, at, feats, active * F);
      rows[active++] = k;
    }
    if (active === 0) break;
    let logits: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      logits = layerForward(theta, layout, tf.tensor2d(feats.subarray(0, active * F), [active, F])).dataSync() as Float32Array;
    });
    for (let r = 0; r < active; r++) {
      const k = rows[r]!;
      layerLogProbs(logits, r * (d + 1), legal, r * (d + 1), d, logp);
      const a = draw(logp, d, rng);
      logForward[k]! += logp[a]!;
      if (a < d && onJoin) onJoin(env, k, a);
      env.step(k, a);
    }
  }
  const out: LayerDraw[] = [];
  for (let k = 0; k < count; k++) {
    out.push({
      logForward: logForward[k]!,
      logScore: deadEnd[k] ? -Infinity : env.score[k]! + problem.baselineTotal,
      layerOf: env.layerOf.slice(k * d, (k + 1) * d),
    });
  }
  return out;
}

/** The actions that build a layering given as the layer of each node: each layer's nodes in increasing order, then close. */
export function actionsOfLayering(layerOf: ArrayLike<number>): number[] {
  const d = layerOf.length;
  let layers = 0;
  for (let v = 0; v < d; v++) layers = Math.max(layers, layerOf[v]! + 1);
  const actions: number[] = [];
  for (let l = 0; l < layers; l++) {
    for (let v = 0; v < d; v++) if (layerOf[v] === l) actions.push(v);
    actions.push(d);
  }
  return actions;
}

/** The unique paths of given layerings (e.g. a partition-MCMC chain's states); null for one the environment cannot build. */
export function pathsOfLayerings(problem: LayerProblem, layerings: readonly ArrayLike<number>[]): Array<LayerPath | null> {
  const d = problem.d;
  const F = layerFeatureWidth(d);
  const env = new LayerEnvBatch(problem, 1);
  const contributions = new Float64Array(d + 1);
  return layerings.map((layerOf) => {
    env.reset(0);
    const actions = actionsOfLayering(layerOf);
    const T = actions.length;
    const features = new Float32Array(T * F);
    const legal = new Uint8Array(T * (d + 1));
    for (let t = 0; t < T; t++) {
      env.actionContributions(0, contributions, 0);
      const a = actions[t]!;
      if (contributions[a] === -Infinity) return null;
      for (let b = 0; b <= d; b++) legal[t * (d + 1) + b] = contributions[b]! > -Infinity ? 1 : 0;
      env.features(0, contributions, 0, features, t * F);
      env.step(0, a);
    }
    return { length: T, features, legal, actions: Int32Array.from(actions) };
  });
}
